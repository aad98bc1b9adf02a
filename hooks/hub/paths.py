"""Where a document's page ends up, the same way MkDocs lays out its output."""
from __future__ import annotations

import posixpath


def doc_url(doc_path: str, use_directory_urls: bool = True) -> str:
    """`tags/ai.md` -> `tags/ai/`; `index.md` -> `` (site root); without directory URLs, `.html`."""
    stem, _ = posixpath.splitext(doc_path)
    name = posixpath.basename(stem)
    if name in ("index", "README"):
        folder = posixpath.dirname(stem)
        return (folder + "/" if folder else "") if use_directory_urls else (
            posixpath.join(folder, "index.html"))
    return stem + "/" if use_directory_urls else stem + ".html"
