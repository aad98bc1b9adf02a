"""Sanitising rendered page HTML: keep what our Markdown extensions make, drop anything active.

Python-Markdown passes raw HTML and `javascript:` links straight through, and attr_list lets an
editor add any attribute (`{ onclick="..." }`). Every page body goes through `clean_html` (nh3,
an allow-list sanitiser) before MkDocs' search plugin, the templates or the feeds see it.

Kept: the elements Markdown, admonition, tables, toc (heading anchors), attr_list, superfences
and pymdownx.highlight produce, and the `<sup id="cite-…">` citation links the hook adds.
Dropped: script, style, iframe, object, embed, form, meta, base, link and svg/math elements,
every event-handler attribute, `style` except `text-align` (table column alignment), any URL
that is not http(s) or relative (`javascript:`, `data:`, `vbscript:`, `file:` ...), and image
addresses on other hosts (a page loads nothing from a third party).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import nh3

# The allow-list, public so hub.removals can tell an editor what this drops (one set of rules).
TAGS = frozenset((set(nh3.ALLOWED_TAGS) - {"map", "area"}) | {"tfoot"})
# Elements dropped with everything inside them; any other element not in TAGS keeps its text.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object",
                                  "embed", "svg", "math", "textarea", "select", "xmp", "noembed",
                                  "noframes", "title"})

# Attributes that say what something is or how it reads; none of them can run code.
_GENERIC = {"class", "id", "title", "lang", "dir", "aria-label", "aria-hidden"}

ATTRIBUTES: dict[str, set[str]] = {
    "*": _GENERIC,
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "data": {"value"},
    "abbr": set(),
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "details": {"open"},
    "span": {"data-linenos"},  # pymdownx.highlight line numbers
}

URL_SCHEMES = frozenset({"http", "https"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})  # the allowed attributes that hold an address

# Material's own page furniture uses ids that start with two underscores (`__search`,
# `__drawer`, `__toc` ...); a body element with such an id would hijack it. Code line anchors
# from pymdownx.highlight (`__codelineno-0-1`) are the one family of them a body may carry.
_OWN_PREFIX = "__"
_ALLOWED_OWN = ("__codelineno-", "__code_", "__span-")


def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """The value kept, or None: our ids and other hosts' images go."""
    if attribute in ("id", "name") and value.startswith(_OWN_PREFIX) and not value.startswith(_ALLOWED_OWN):
        return None
    if tag == "img" and attribute == "src":
        # A page asks no other host for anything when it loads: hot-linked images would tell
        # that host who reads what. Images must be files of the site (relative addresses).
        parts = urlsplit(value.strip())
        if parts.scheme or parts.netloc:
            return None
    return value


def clean_html(html: str) -> str:
    """The sanitised fragment; safe to print raw inside a page."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
        filter_style_properties={"text-align"},
    )
