"""Web addresses: only http(s) reaches a reader, and URLs compare after canonicalisation."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = {"fbclid", "gclid", "mc_cid", "mc_eid"}
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


def canonical_url(url: str) -> str:
    """Lowercase scheme and host, no fragment, trailing slash or tracking parameters."""
    simple = _SIMPLE.match(url.strip())
    if simple:  # the common case, without urlsplit's cost: same result as the general path
        netloc = simple["netloc"].lower()
        for default in (":80", ":443"):
            netloc = netloc.removesuffix(default)
        return f"{simple['scheme'].lower()}://{netloc}{(simple['path'] or '').rstrip('/')}"
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_") and k.lower() not in _TRACKING]
    netloc = parts.netloc.lower()
    for default in (":80", ":443"):
        netloc = netloc.removesuffix(default)
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))
