"""Search-index sections of a story body, as Material's search plugin makes them, faster.

Material's plugin splits every page's HTML into sections with `html.parser` (a Python loop over
each tag): 2.1 ms a story page here, the largest single cost of a cold build after Markdown.
Story bodies leave the sanitiser (hub.sanitize, nh3) normalised: lower-case tags, attributes in
double quotes, no comments, scripts or styles. For such HTML this module splits the text with
one regular expression and applies Material's own rules (its `Parser` handlers, mirrored line
by line below) to build the same `Section` objects; Material's `SearchIndex` then makes the
entries from them as usual. Anything else (a tag or attribute syntax the expression does not
know, a tag outside `SIMPLE_TAGS`) returns None and the page goes through Material's parser.
`tests/test_search.py` compares both on every kind of story body the tests and the benchmark
know, and on hostile input.
"""
from __future__ import annotations

import re
from html import escape, unescape
from typing import Any

from material.plugins.search.plugin import Element, Section, void

# Tags whose content html.parser reads like any other (no CDATA or RCDATA elements).
SIMPLE_TAGS = frozenset("""
a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt em
figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt ruby s samp small
span strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr
""".split())
HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
KEEP = frozenset(["p", "code", "pre", "li", "ol", "ul", "sub", "sup"])  # Material's Parser.keep
ALWAYS_SKIPPED = ("script", "style", "object")  # Material's Parser.skip at the start

_TOKEN = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9_:.-]*="[^"<>]*")*)\s*(/?)>|([^<]+)')
_ATTRIBUTE = re.compile(r'([a-z][a-z0-9_:.-]*)="([^"]*)"')


def sections(html: str) -> list[Section] | None:
    """Material's sections of `html`, or None if it is not the simple HTML this module reads.

    Material's Parser handlers, in one loop: its elements compare equal by tag, so the open
    elements are kept as tags with a count of each, and its skip set as a set of tags."""
    context: list[tuple[str, dict[str, str]]] = []  # open elements: tag, attributes
    open_count: dict[str, int] = {}  # tag -> how many are open
    skip: set[str] = set(ALWAYS_SKIPPED)
    headerlinks = 0  # open <a class="headerlink">: their text is not a title
    section: Section | None = None
    data: list[Section] = []
    position = 0
    for match in _TOKEN.finditer(html):
        if match.start() != position:
            return None  # a "<" that starts no tag we know: html.parser reads it its own way
        position = match.end()
        closing, tag, attributes, self_closing, text = match.groups()
        skipping = len(skip) > len(ALWAYS_SKIPPED) and any(open_count.get(name) for name in skip)
        if text is not None:  # Parser.handle_data
            if skipping:
                continue
            text = unescape(text)
            if not open_count.get("pre"):
                text = text.replace("\n", " ") if not text.isspace() else " "
            if section is None:
                section = Section(Element("hx"))
                data.append(section)
            if open_count.get(section.el.tag):
                if not headerlinks:
                    section.title.append(escape(text, quote=False))
            elif text.isspace():
                if not section.text or not section.text[-1].isspace() or open_count.get("pre"):
                    section.text.append(text)
            else:
                section.text.append(escape(text, quote=False))
            continue
        if tag not in SIMPLE_TAGS or (closing and (attributes or self_closing)):
            return None
        if not closing:  # Parser.handle_starttag
            attrs = {name: unescape(value) for name, value in _ATTRIBUTE.findall(attributes)}
            if tag in void:
                continue  # nor is "/>" an end tag for it: it is never open
            context.append((tag, attrs))
            open_count[tag] = open_count.get(tag, 0) + 1
            if tag == "a" and attrs.get("class") == "headerlink":
                headerlinks += 1
            if tag in HEADINGS and "id" in attrs:
                depth = len(context)
                if tag != "h1" and not data:
                    data.append(Section(Element("hx"), depth))
                section = Section(Element(tag, attrs), depth)
                if data:
                    section.id = attrs["id"]
                data.append(section)
            if section is None:
                section = Section(Element("hx"))
                data.append(section)
            excluded = False
            for key, value in attrs.items():
                if key == "data-search-exclude" or (key == "class" and value == "linenodiv"):
                    skip.add(tag)
                    excluded = True
                    break
            if not excluded and tag in KEEP and not (skipping or tag in skip):
                (section.title if open_count.get(section.el.tag) else section.text).append(f"<{tag}>")
            if not self_closing:
                continue
        # Parser.handle_endtag (also after a self-closing start tag)
        if not context or context[-1][0] != tag:
            continue
        assert section is not None
        if section.depth > len(context):
            for candidate in reversed(data):
                if candidate.depth <= len(context):
                    section.depth = float("inf")
                    section = candidate
                    break
        _, attrs = context.pop()
        open_count[tag] -= 1
        if tag == "a" and attrs.get("class") == "headerlink":
            headerlinks -= 1
        if tag in skip:
            if tag not in ALWAYS_SKIPPED:
                skip.remove(tag)
            continue
        if tag in KEEP and not (len(skip) > len(ALWAYS_SKIPPED) and any(open_count.get(name) for name in skip)):
            target = section.title if open_count.get(section.el.tag) else section.text
            index = target.index(f"<{tag}>")
            for i in range(index + 1, len(target)):
                if not target[i].isspace():
                    index = len(target)
                    break
            if len(target) > index:
                del target[index:]
            else:
                target.append(f"</{tag}>")
    if position != len(html):
        return None
    return data


def index_page(search_index: Any, page: Any) -> None:
    """Add `page` to Material's `search_index` as its plugin would."""
    found = sections(page.content)
    if found is None:
        search_index.add_entry_from_context(page)
        return
    for section in found:
        if not section.is_excluded():
            search_index.create_entry_for_section(section, page.toc, page.url, page)
