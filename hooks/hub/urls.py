"""Web addresses: only http(s) reaches a reader, and one key says when two addresses are one page.

`source_key` is the one canonical form every check compares (a URL repeated within a story,
two stories citing the same pages, `hub new --source` given twice, an import seen before). It
is a key, not an address to publish: pages keep the address as the editor wrote it.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

# Query parameters that say who sent the reader, never which page it is.
_TRACKING = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "ref", "ref_src", "ref_url", "td",
    "cmpid", "smid", "ocid", "guccounter", "guce_referrer", "guce_referrer_sig", "sr_share",
    "amp", "outputtype",
})
_TRACKING_PREFIXES = ("utm_",)
_INDEX_FILES = ("index.html", "index.htm", "index.php")
_HOST_PREFIXES = ("www.", "amp.", "m.")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")
# scheme://host/path with no query, fragment, userinfo, escapes or odd characters.
_SIMPLE = re.compile(r"(?P<scheme>https?)://(?P<netloc>[A-Za-z0-9.\-]+(?::\d+)?)(?P<path>/[A-Za-z0-9._~/\-]*)?\Z",
                     re.IGNORECASE)


def is_web_url(url: str) -> bool:
    """An absolute http or https URL with a host and no spaces or control characters."""
    if _SIMPLE.match(url):  # the common case, without urlsplit's cost
        return True
    if _SPACE_OR_CONTROL.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def source_key(url: str) -> str:
    """`host/path?query` that is the same for every address of one page.

    Folded: the scheme (http and https), the host's case, a default port, a leading `www.`,
    `m.` or `amp.`, an AMP path (`.../amp`, `/amp/...`, `....amp.html`), a trailing
    `index.html` or slash, the fragment, and tracking parameters (utm_*, fbclid, gclid, ref,
    td, mc_cid, mc_eid, ...); the remaining parameters are sorted. The path's case is kept:
    servers tell `/A` from `/a`.
    """
    text = url.strip()
    simple = _SIMPLE.match(text)
    if simple:  # the common case, without urlsplit's cost: same result as the general path
        netloc, path, query = simple["netloc"], simple["path"] or "", ""
    else:
        try:
            parts = urlsplit(text)
        except ValueError:
            return text
        netloc, path = parts.netloc.rpartition("@")[2], parts.path
        pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                 if not _is_tracking(k)]
        query = urlencode(sorted(pairs))
    return _host(netloc) + _path(path) + (f"?{query}" if query else "")


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in _TRACKING or name.startswith(_TRACKING_PREFIXES)


def _host(netloc: str) -> str:
    host = netloc.lower().removesuffix(":80").removesuffix(":443").rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix):]
    return host


def _path(path: str) -> str:
    if "amp" not in path and "index." not in path.lower() and "//" not in path:
        return path.rstrip("/")  # the common case: only a trailing slash to fold
    segments = [segment for segment in path.split("/") if segment]
    if segments and segments[0] == "amp":
        segments = segments[1:]
    if segments and segments[-1] == "amp":
        segments = segments[:-1]
    if segments and segments[-1].lower() in _INDEX_FILES:
        segments = segments[:-1]
    if segments and segments[-1].endswith(".amp.html"):
        segments[-1] = segments[-1].removesuffix(".amp.html") + ".html"
    return "/" + "/".join(segments) if segments else ""
