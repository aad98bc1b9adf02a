"""What the sanitiser will remove from a story body, found in the Markdown so each note names a line.

`sanitize.clean_html` drops scripts, event handlers and `javascript:` links without a word: the
page is safe, but the editor never learns that part of what they wrote is gone. This module reads
the body's source with the sanitiser's own allow-lists (`sanitize.TAGS`, `ATTRIBUTES`,
`URL_SCHEMES`, `attribute_filter`) and lists each removal: raw HTML elements and attributes,
Markdown links and images (`[x](javascript:...)`, an image on another host) and attribute lists
(`{ onclick="..." }`). Code spans and fenced code are text on the page, so they are skipped; so
are HTML comments, which an editor writes to be hidden. The reader turns each finding into an
advisory (`hub check` and the build log).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from .sanitize import ATTRIBUTES, DROPPED_WITH_CONTENT, TAGS, URL_ATTRIBUTES, URL_SCHEMES, attribute_filter

_FENCE = re.compile(r"^[ \t]*(```+|~~~+)")
_CODE_SPAN = re.compile(r"`(`*)(?:.*?[^`])?`\1(?!`)")  # a literal first: 20 times faster to scan
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:\s[^<>]*)?)/?>")
_ATTRIBUTE = re.compile(r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+)))?""")
# `[text](address ...)` and `![alt](address ...)`; `[label]: address` on a line of its own.
_LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?(?P<url>(?:[^\s()<>]|\([^\s()]*\))+)")  # `!` before: an image
_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(?P<url>[^\s>]+)", re.MULTILINE)
# attr_list: `{: #id .class key="value" }` or `{ key=value }` with at least one key=value.
_ATTR_LIST = re.compile(r"\{:?(?P<body>[^{}\n]*=[^{}\n]*)\}")
_SHOWN = 60  # characters of a removed address quoted in the note


@dataclass(frozen=True)
class Removal:
    """One thing the sanitiser drops: `offset` is the line within the body (0 = first; the
    helpers below leave it 0 and find_removals sets it)."""

    offset: int
    what: str
    fix: str


_FIX_ELEMENT = "Readers see only text, links and images of the site; delete it or write it as Markdown."
_FIX_ATTRIBUTE = "Delete the attribute: pages keep only attributes that cannot run code or load anything."
_FIX_LINK = "Link only to http(s) addresses or pages of the site."
_FIX_IMAGE = "A page loads nothing from another host: copy the image into the site or link to it."


def find_removals(body: str) -> list[Removal]:
    """Every removal, in the order of the body's lines."""
    if "<" not in body and "](" not in body and "]:" not in body and "=" not in body:
        return []  # most bodies: nothing any rule below could match
    text = _prose(body)
    found: list[tuple[int, int, Removal]] = []  # (position, order, removal)

    def add(position: int, removals: Iterator[Removal]) -> None:
        line = text.count("\n", 0, position)
        found.extend((position, len(found), Removal(line, r.what, r.fix)) for r in removals)

    for tag in _TAG.finditer(text):
        if not tag["close"]:
            add(tag.start(), _in_tag(tag["name"].lower(), tag["attrs"]))
    for link in _LINK.finditer(text):
        image = link.start() > 0 and text[link.start() - 1] == "!"
        add(link.start(), _in_address("img" if image else "a", link["url"]))
    for definition in _DEFINITION.finditer(text):
        add(definition.start(), _in_address("a", definition["url"]))
    for attr_list in _ATTR_LIST.finditer(text):
        add(attr_list.start(), _in_attr_list(attr_list["body"]))
    return [removal for _, _, removal in sorted(found)]


def _prose(body: str) -> str:
    """The body with comments, fenced code and code spans blanked out (lines kept in place):
    on the page they are hidden or shown as text, never handed to the sanitiser as markup."""
    text = _COMMENT.sub(_blank, body) if "<!--" in body else body
    if "```" not in text and "~~~" not in text:
        return _CODE_SPAN.sub(_blank, text) if "`" in text else text
    lines = text.split("\n")
    fence = ""
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            lines[number] = ""
        elif opening:
            fence = opening.group(1)
            lines[number] = ""
        else:
            lines[number] = _CODE_SPAN.sub(_blank, line)
    return "\n".join(lines)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _in_attr_list(body: str) -> Iterator[Removal]:
    for attribute in _ATTRIBUTE.finditer(body):
        name = attribute["name"].lower()
        if name[0] not in "#." and name not in _ANY_TAG:
            yield Removal(0, f"the `{name}` attribute in `{{{body.strip()}}}`", _FIX_ATTRIBUTE)


_ANY_TAG = frozenset(name for names in ATTRIBUTES.values() for name in names) - {"style"}


def _in_tag(tag: str, attributes: str) -> Iterator[Removal]:
    if tag in DROPPED_WITH_CONTENT:
        yield Removal(0, f"the <{tag}> element and everything inside it", _FIX_ELEMENT)
        return
    if tag not in TAGS:
        yield Removal(0, f"the <{tag}> tag (its text stays)", _FIX_ELEMENT)
        return
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
    for attribute in _ATTRIBUTE.finditer(attributes):
        name = attribute["name"].lower()
        value = next((v for v in (attribute["dq"], attribute["sq"], attribute["bare"]) if v is not None), "")
        if name == "markdown":  # md_in_html's switch: Markdown consumes it
            continue
        if name not in allowed:
            yield Removal(0, f"the `{name}` attribute of <{tag}>", _FIX_ATTRIBUTE)
        elif name in URL_ATTRIBUTES:
            yield from _in_address(tag, value)
        elif attribute_filter(tag, name, value) is None:
            yield Removal(0, f"the `{name}` attribute of <{tag}> (`{value}` is reserved for the "
                          "page's own parts)", _FIX_ATTRIBUTE)


def _in_address(tag: str, url: str) -> Iterator[Removal]:
    """A link or image address the sanitiser drops: a scheme other than http(s), or an image
    that another host would serve."""
    shown = url if len(url) <= _SHOWN else url[:_SHOWN] + "…"
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        yield Removal(0, f"the address `{shown}` (not a valid address)", _FIX_LINK)
        return
    if parts.scheme and parts.scheme.lower() not in URL_SCHEMES:
        kind = "image" if tag == "img" else "link"
        yield Removal(0, f"the {kind} address `{shown}` (only http(s) addresses are kept)", _FIX_LINK)
    elif tag == "img" and attribute_filter("img", "src", url) is None:
        yield Removal(0, f"the image `{shown}` (it is on another host)", _FIX_IMAGE)
