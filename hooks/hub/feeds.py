"""Feeds: every channel written in its formats (RSS 2.0, Atom 1.0, JSON Feed 1.1), plus an OPML list.

Stories become `Entry` values once (full HTML with absolute links and the numbered sources);
the three writers only map that one model to their format, so they cannot drift apart. XML is
built with ElementTree, which escapes; characters XML 1.0 forbids are dropped first. Times come
from the stories, never from the clock, so the same content always gives the same bytes.
"""
from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from typing import Protocol
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urljoin

from .channels import Channel
from .kinds import ATOM, COMPANY, HOME, KINDS, RSS, TAG
from .dates import iso
from .model import Story
from .siteinfo import SiteInfo

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_NS = {
    "xmlns:atom": "http://www.w3.org/2005/Atom",
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:dcterms": "http://purl.org/dc/terms/",
}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"<[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_URL_ATTR = re.compile(r"(\s(?:href|src|poster|cite)\s*=\s*)(\"[^\"]*\"|'[^']*')", re.IGNORECASE)


@dataclass(frozen=True)
class Category:
    """A tag or company an entry is filed under."""

    term: str
    label: str
    scheme: str


@dataclass(frozen=True)
class Entry:
    """One story as every feed format sees it."""

    id: str
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    author: str
    categories: tuple[Category, ...]
    image: str = ""
    full_text: bool = True  # content_html holds the body; else the summary and the sources


@dataclass(frozen=True)
class FeedDoc:
    """One channel, ready to write: absolute URLs, entries newest first."""

    id: str
    title: str
    description: str
    page_url: str
    self_urls: dict[str, str]
    updated: datetime
    language: str
    author: str
    site_url: str
    entries: tuple[Entry, ...]


def absolutize_html(fragment: str, base_url: str) -> str:
    """Rewrite relative href/src values against `base_url`: feed readers have no page URL."""

    address = base_url.split("#", 1)[0]

    def fix_attr(match: re.Match[str]) -> str:
        quoted = match.group(2)
        value = html.unescape(quoted[1:-1])
        # Most links in a story are its citations (#source-n): the page's address plus the fragment.
        joined = address + value if value[:1] == "#" and len(value) > 1 else urljoin(base_url, value.strip())
        if joined == value:
            return match.group(0)
        return f'{match.group(1)}"{html.escape(joined, quote=True)}"'

    return _TAG.sub(lambda tag: _URL_ATTR.sub(fix_attr, tag.group(0)), fragment)


def sources_html(story: Story) -> str:
    """The numbered source list, so a feed item carries what the page cites."""
    items = []
    for source in story.sources:
        title = html.escape(source.title)
        link = f'<a href="{html.escape(source.url, quote=True)}">{title}</a>' if source.url else title
        extra = f", {html.escape(source.author)}" if source.author else ""
        if source.date:
            extra += f", {source.date:%Y-%m-%d}"
        items.append(f'<li id="source-{source.number}">{html.escape(source.publisher)}: {link}{extra}</li>')
    return '<h2 id="sources">Sources</h2>\n<ol>\n' + "\n".join(items) + "\n</ol>"


def corrections_html(story: Story) -> str:
    """A story's corrections, dated, so a feed item that changes says why ("" if none)."""
    if not story.corrections:
        return ""
    items = "\n".join(f"<li>{c.date:%Y-%m-%d}: {html.escape(c.text)}</li>" for c in story.corrections)
    heading = "Correction" if len(story.corrections) == 1 else "Corrections"
    return f'<h2 id="corrections">{heading}</h2>\n<ul>\n{items}\n</ul>\n'


def make_entry(story: Story, site: SiteInfo, body_html: str | None) -> Entry:
    """An entry for `story`: its body and sources. With `body_html` None (a subject feed, or a
    `--dirty` rebuild that has not rendered the story) the summary stands in for the body."""
    url = site.page_url(story.doc_path)
    body = body_html if body_html is not None else f"<p>{html.escape(story.summary)}</p>"
    content = absolutize_html(f"{body}\n{corrections_html(story)}{sources_html(story)}", url)
    categories = tuple(Category(t.slug, t.name, site.page_url(TAG.directory_path)) for t in story.tags)
    categories += tuple(Category(c.slug, c.name, site.page_url(COMPANY.directory_path))
                        for c in story.companies)
    return Entry(site.story_id(story), url, story.title, story.summary, content, story.date,
                 story.modified, story.curator, categories, story.image, body_html is not None)


def feed_doc(channel: Channel, site: SiteInfo, entries: Mapping[str, Entry]) -> FeedDoc:
    """Channel plus site facts; `entries` maps a story's doc path to its entry."""
    self_urls = {fmt.key: site.file_url(channel.path(fmt)) for fmt in channel.formats}
    return FeedDoc(site.file_url(channel.path(ATOM)), channel.title, channel.description,
                   site.page_url(channel.page), self_urls, channel.updated, site.language,
                   site.name, site.url, tuple(entries[s.doc_path] for s in channel.stories))


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, /, **attrs: str) -> ET.Element:
    """A child element with cleaned text and attributes (ElementTree does the escaping)."""
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, "  ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _rfc822(value: datetime) -> str:
    return format_datetime(value, usegmt=True)


class Fragments:
    """Each entry serialised once per format. A story sits in about ten channels (the hub, its
    tags, companies and publishers), and escaping its full HTML was most of a feed's cost."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], str] = {}

    def get(self, fmt: str, entry: Entry, make: Callable[[Entry], str]) -> str:
        key = (fmt, id(entry))  # a story has two entries: full text (hub feed), summary (subject feeds)
        if key not in self._cache:
            self._cache[key] = make(entry)
        return self._cache[key]


_SLOT = "hub-items-slot"


def _xml_with_items(root: ET.Element, parent: ET.Element, level: int, items: list[str]) -> bytes:
    """Serialise `root` with the pre-serialised `items` as the last children of `parent`,
    indented exactly as ElementTree would indent them in place."""
    if items:
        ET.SubElement(parent, _SLOT)
    text = _xml_bytes(root).decode("utf-8")
    if items:
        text = text.replace(f"<{_SLOT} />", ("\n" + "  " * level).join(items), 1)
    return text.encode("utf-8")


def _element_text(element: ET.Element, level: int) -> str:
    ET.indent(element, "  ", level=level)
    return ET.tostring(element, encoding="unicode")


def _rss_item(entry: Entry) -> str:
    item = ET.Element("item")
    _add(item, "title", entry.title)
    _add(item, "link", entry.url)
    _add(item, "guid", entry.id, isPermaLink="false")
    _add(item, "pubDate", _rfc822(entry.published))
    if entry.updated != entry.published:  # as on the page: a modified time only if it changed
        _add(item, "dcterms:modified", iso(entry.updated))
    _add(item, "dc:creator", entry.author)
    if entry.full_text:
        # Readers render an RSS description as HTML; the summary is plain text, so escape it.
        _add(item, "description", html.escape(entry.summary, quote=False))
        _add(item, "content:encoded", entry.content_html)
    else:  # the summary and the sources: one HTML description, not the summary a second time
        _add(item, "description", entry.content_html)
    for category in entry.categories:
        _add(item, "category", category.label, domain=category.scheme)
    return _element_text(item, 2)


def render_rss(doc: FeedDoc, fragments: Fragments | None = None) -> bytes:
    """RSS 2.0 with content:encoded for the full HTML and dcterms:modified for updates. A subject
    feed's item is the summary and the sources, so its description alone carries that HTML (the
    summary twice was a tenth of the subject feeds' bytes)."""
    fragments = fragments or Fragments()
    root = ET.Element("rss", {"version": "2.0", **_NS})
    channel = _add(root, "channel")
    _add(channel, "title", doc.title)
    _add(channel, "link", doc.page_url)
    _add(channel, "description", html.escape(doc.description, quote=False))  # plain text, read as HTML
    _add(channel, "language", doc.language)
    _add(channel, "lastBuildDate", _rfc822(doc.updated))
    _add(channel, "atom:link", href=doc.self_urls["rss"], rel="self", type="application/rss+xml")
    items = [fragments.get("rss", entry, _rss_item) for entry in doc.entries]
    return _xml_with_items(root, channel, 2, items)


def _atom_entry(entry: Entry) -> str:
    item = ET.Element("entry")
    _add(item, "id", entry.id)
    _add(item, "title", entry.title, type="text")
    _add(item, "link", rel="alternate", type="text/html", href=entry.url)
    _add(item, "published", iso(entry.published))
    _add(item, "updated", iso(entry.updated))
    _add(_add(item, "author"), "name", entry.author)
    _add(item, "summary", entry.summary, type="text")
    _add(item, "content", entry.content_html, type="html")
    for category in entry.categories:
        _add(item, "category", term=category.term, label=category.label, scheme=category.scheme)
    return _element_text(item, 1)


def render_atom(doc: FeedDoc, fragments: Fragments | None = None) -> bytes:
    """Atom 1.0 (RFC 4287): id, title and updated on the feed and on every entry."""
    fragments = fragments or Fragments()
    root = ET.Element("feed", {"xmlns": _NS["xmlns:atom"], "xml:lang": doc.language})
    _add(root, "id", doc.id)
    _add(root, "title", doc.title, type="text")
    _add(root, "subtitle", doc.description, type="text")
    _add(root, "updated", iso(doc.updated))
    _add(root, "link", rel="self", type="application/atom+xml", href=doc.self_urls["atom"])
    _add(root, "link", rel="alternate", type="text/html", href=doc.page_url)
    author = _add(root, "author")
    _add(author, "name", doc.author)
    _add(author, "uri", doc.site_url)
    items = [fragments.get("atom", entry, _atom_entry) for entry in doc.entries]
    return _xml_with_items(root, root, 1, items)


def render_json(doc: FeedDoc, fragments: Fragments | None = None) -> bytes:
    """JSON Feed 1.1: version, title and items, each item with an id and content_html."""
    fragments = fragments or Fragments()
    feed = {
        "version": JSON_FEED_VERSION,
        "title": doc.title,
        "home_page_url": doc.page_url,
        "feed_url": doc.self_urls["json"],
        "description": doc.description,
        "language": doc.language,
        "authors": [{"name": doc.author, "url": doc.site_url}],
        "items": _SLOT,
    }
    text = json.dumps(feed, ensure_ascii=False, indent=2)
    items = [fragments.get("json", entry, _json_item_text) for entry in doc.entries]
    listing = "[\n    " + ",\n    ".join(items) + "\n  ]" if items else "[]"
    return (text.replace(f'"{_SLOT}"', listing, 1) + "\n").encode("utf-8")


def _json_item(entry: Entry) -> dict[str, object]:
    """One JSON Feed item; `image` only when the story has one (the spec makes it optional)."""
    item: dict[str, object] = {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "summary": entry.summary,
        "content_html": entry.content_html,
        "date_published": iso(entry.published),
        "date_modified": iso(entry.updated),
        "authors": [{"name": entry.author}],
        "tags": [category.label for category in entry.categories],
    }
    if entry.image:
        item["image"] = entry.image
    return item


def _json_item_text(entry: Entry) -> str:
    """An item as `json.dumps(..., indent=2)` writes it two levels deep."""
    return json.dumps(_json_item(entry), ensure_ascii=False, indent=2).replace("\n", "\n    ")


WRITERS: dict[str, Callable[[FeedDoc, Fragments], bytes]] = {
    "rss": render_rss, "atom": render_atom, "json": render_json}


def render_opml(channels: list[Channel], site: SiteInfo) -> bytes:
    """OPML 2.0 listing every channel once (its RSS feed), grouped like the site's menus.

    One outline per channel, so importing it subscribes once per subject; the hub's Atom and
    JSON versions sit beside its RSS file (`atom.xml`, `feed.json`).
    """
    root = ET.Element("opml", {"version": "2.0"})
    head = _add(root, "head")
    _add(head, "title", f"{site.name} feeds")
    body = _add(root, "body")
    for kind in KINDS:
        members = [c for c in channels if c.kind is kind]
        if not members:
            continue
        label = "Whole hub" if kind is HOME else kind.plural
        group = _add(body, "outline", text=label, title=label)
        for channel in members:
            _add(group, "outline", type="rss", text=channel.name, title=channel.title,
                 xmlUrl=site.file_url(channel.path(RSS)), htmlUrl=site.page_url(channel.page),
                 description=channel.description)
    return _xml_bytes(root)


class FeedStore(Protocol):
    """Where a build keeps each channel's finished files for the next build to reuse."""

    def get(self, channel: Channel) -> list[tuple[str, bytes]] | None: ...

    def put(self, channel: Channel, files: list[tuple[str, bytes]]) -> None: ...


def build_feed_files(channels: list[Channel], site: SiteInfo, rendered: Mapping[str, str],
                     skip: Callable[[Channel], bool] | None = None,
                     store: FeedStore | None = None) -> Iterator[tuple[str, bytes]]:
    """Every feed file as (path inside the site folder, bytes), one at a time so
    that a large hub never holds all its feeds in memory. `skip` leaves out channels whose
    files are already up to date (`serve --dirty`); `store` hands back a channel's files from
    an earlier build when nothing in it changed, and keeps the ones made now.

    The hub feed carries each story in full; a topic, company or publisher feed carries its
    summary and sources and links to the page. Full text in every subject feed made the feeds
    six times the size of the pages (185 MB at 1,000 stories) for text a reader already has
    from the hub feed."""
    full: dict[str, Entry] = {}
    short: dict[str, Entry] = {}
    fragments = Fragments()
    for channel in channels:
        if skip is not None and skip(channel):
            continue
        stored = store.get(channel) if store is not None else None
        if stored is not None:
            yield from stored
            continue
        entries = full if channel.kind.full_text else short
        for story in channel.stories:
            if story.doc_path not in entries:
                body = rendered.get(story.doc_path) if entries is full else None
                entries[story.doc_path] = make_entry(story, site, body)
        doc = feed_doc(channel, site, entries)
        files = [(channel.path(fmt), WRITERS[fmt.key](doc, fragments)) for fmt in channel.formats]
        if store is not None:
            store.put(channel, files)
        yield from files
