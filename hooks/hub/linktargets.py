"""The files a Markdown page may link to, for cache keys.

A page's HTML depends on the pages and images it links to: the engine turns `../b.md` into
`../b/` when the target exists and reports a broken link when it does not. A cached page is
only right while each of its targets is as it was, so a page's cache key covers them.

This reads more than Markdown would take as links (any inline or reference destination, any
`href`/`src`, any path-like word ending in a file extension): a word taken for a link by
mistake only costs a cache miss when a file of that name comes or goes; a link missed would
publish a stale page.
"""
from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

_DESTINATIONS = re.compile(
    r"""\]\(\s*<?([^)\s>]+)"""                       # [text](target) and ![alt](target)
    r"""|^[ \t]*\[[^\]\n]+\]:[ \t]*<?([^\s>]+)"""     # [label]: target
    r"""|\b(?:href|src)\s*=\s*["']?([^"'\s>]+)"""    # raw HTML
    r"""|([\w.~%/-]+\.[A-Za-z0-9]{1,5})(?=[\s)"'>#?\]]|$)""",  # a path-like word
    re.MULTILINE,
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


def candidate_targets(markdown: str, src_uri: str) -> list[str]:
    """Source paths (relative to the docs folder) that a link in `markdown`, a page at
    `src_uri`, might resolve to; sorted, without duplicates."""
    found: set[str] = set()
    folder = posixpath.dirname(src_uri)
    for match in _DESTINATIONS.finditer(markdown):
        target = next(group for group in match.groups() if group is not None)
        if _SCHEME.match(target):
            continue
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path:
            continue
        resolved = [posixpath.normpath(posixpath.join(folder, path)).lstrip("/"), path.lstrip("/")]
        for uri in resolved:
            if uri in (".", ""):
                continue
            found.add(uri)
            found.add(posixpath.join(uri, "index.md"))
            found.add(posixpath.join(uri, "README.md"))
    return sorted(found)
