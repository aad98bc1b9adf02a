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

# One pattern each: an alternation of them ran ~3 times slower (no literal prefix to scan for).
_DESTINATIONS = (
    re.compile(r"\]\(\s*<?([^)\s>]+)"),                                # [text](target), ![alt](target)
    re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE),  # [label]: target
    re.compile(r"""\b(?:href|src)\s*=\s*["']?([^"'\s>]+)"""),          # raw HTML
)
# A path-like word ends in a file extension: found by its extension, then read backwards.
_EXTENSION = re.compile(r"""\.[A-Za-z0-9]{1,5}(?=[\s)"'>#?\]]|$)""")
_PATH_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.~%/-")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


def candidate_targets(markdown: str, src_uri: str) -> list[str]:
    """Source paths (relative to the docs folder) that a link in `markdown`, a page at
    `src_uri`, might resolve to; sorted, without duplicates."""
    found: set[str] = set()
    folder = posixpath.dirname(src_uri)
    for target in _targets(markdown):
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


def _targets(markdown: str) -> list[str]:
    found = [match.group(1) for pattern in _DESTINATIONS for match in pattern.finditer(markdown)]
    for match in _EXTENSION.finditer(markdown):
        start = match.start()
        while start > 0 and (markdown[start - 1] in _PATH_CHARS or markdown[start - 1].isalnum()):
            start -= 1
        if start < match.start():
            found.append(markdown[start:match.end()])
    return found
