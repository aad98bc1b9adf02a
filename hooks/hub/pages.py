"""Generator: the listing pages readers browse, as engine-neutral page specs.

Each spec says where the page lives, what it is titled, the Markdown intro it starts with and
which stories or directory rows it lists; a theme template turns it into HTML.
"""
from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .catalogue import Catalogue, publisher_slug
from .dates import display_day, iso
from .kinds import COMPANY, CORRECTIONS, HOME, MONTH, PUBLISHER, TAG, THREAD, ListingKind
from .markdown_text import escape_markdown
from .metadata import lastmod
from .model import Source, Story
from .registry import Term
from .subjects import Subject, subjects


@dataclass(frozen=True)
class Pager:
    """Page `number` of `count`; `doc_paths[i]` is where page i+1 lives."""

    number: int
    doc_paths: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.doc_paths)

    @property
    def previous(self) -> str | None:
        return self.doc_paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.doc_paths[self.number] if self.number < self.count else None


@dataclass(frozen=True)
class Paging:
    """How a listing is cut into pages: the first shows `per_page` full cards; every later page
    ("older stories", scanned rather than read) the next `rows_per_page` as compact rows, so a
    story's card is on one page of each listing and the page count stays small."""

    per_page: int
    rows_per_page: int

    def bounds(self, total: int) -> list[tuple[int, int]]:
        """Where each page's stories start and stop; one empty page when there are none."""
        bounds = [(0, min(total, self.per_page))]
        while bounds[-1][1] < total:
            start = bounds[-1][1]
            bounds.append((start, min(total, start + self.rows_per_page)))
        return bounds


@dataclass(frozen=True)
class Row:
    """One line of a directory: a tag, company, publisher or month with its count."""

    name: str
    doc_path: str
    count: int
    description: str = ""


@dataclass
class PageSpec:
    """One listing page. Every field enters the page's render-cache key
    (hub_speed.incremental.view_fingerprint), so what a page shows belongs in a field."""

    doc_path: str
    listing: ListingKind
    title: str
    description: str
    intro: str = ""
    stories: list[Story] = field(default_factory=list)
    directory: bool = False  # the kind's directory page (rows, groups) rather than a listing
    pager: Pager | None = None
    rows: list[Row] = field(default_factory=list)
    groups: list[tuple[str, list[Row]]] = field(default_factory=list)
    term: Term | None = None
    total: int = 0  # stories of the whole listing, all its pages
    earlier: Row | None = None  # a month page's previous month
    later: Row | None = None  # ... and next month
    homepage: str = ""  # a publisher's site (the scheme and host of its cited articles)
    # A publisher page: for each of its stories, in order, the articles of that publisher it cites.
    citing: list[tuple[Source, ...]] = field(default_factory=list)
    channel_key: str | None = None  # the feed the page offers (`hub.channels`), if its kind has one
    updated: str | None = None  # sitemap date: the newest change among the whole listing's stories

    @property
    def kind(self) -> str:
        return self.listing.directory_key if self.directory else self.listing.key

    @property
    def story_rows(self) -> bool:
        """Its stories show as compact rows (hub/row.html), not cards: a later page of a listing."""
        return self.pager is not None and self.pager.number > 1


def paginate(doc_path: str, stories: list[Story], paging: Paging) -> list[tuple[str, Pager, list[Story]]]:
    """Split a listing: page 1 at `doc_path`, page n at `<folder>/page/n.md`."""
    stem = posixpath.splitext(doc_path)[0]
    base = posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem
    bounds = paging.bounds(len(stories))
    paths = tuple([doc_path] + [posixpath.join(base, "page", f"{n}.md") for n in range(2, len(bounds) + 1)])
    return [(paths[n], Pager(n + 1, paths), stories[start:stop]) for n, (start, stop) in enumerate(bounds)]


def _listing(doc_path: str, kind: ListingKind, title: str, description: str, intro: str,
             stories: list[Story], paging: Paging, term: Term | None = None,
             channel_key: str | None = None) -> list[PageSpec]:
    updated = lastmod(stories)
    specs = []
    for path, pager, chunk in paginate(doc_path, stories, paging):
        page_title = title if pager.number == 1 else f"{title} (page {pager.number})"
        specs.append(PageSpec(path, kind, page_title, description, intro if pager.number == 1 else "", chunk,
                              pager=pager, term=term, total=len(stories), channel_key=channel_key,
                              updated=updated))
    return specs


def _subject_listing(subject: Subject, paging: Paging, intros: dict[str, str],
                     intro: str = "", stories: list[Story] | None = None) -> list[PageSpec]:
    """Every page of one subject's listing, its own hand-written intro after `intro`."""
    path = subject.page_path
    intro = "\n\n".join(part for part in (intro, intros.get(path, "")) if part)
    channel = subject.channel_key if subject.kind.feed_formats else None
    return _listing(path, subject.kind, subject.name, subject.description, intro,
                    subject.stories if stories is None else stories, paging, subject.term, channel)


def _directory(kind: ListingKind, description: str, intros: dict[str, str], catalogue: Catalogue,
               **content: Any) -> PageSpec:
    """A kind's directory; its sitemap date is the hub's newest change."""
    path = kind.directory_path
    return PageSpec(path, kind, kind.plural, description, intros.get(path, ""), directory=True,
                    updated=lastmod(catalogue.stories), **content)


def generate_pages(catalogue: Catalogue, paging: Paging, site_name: str,
                   intros: dict[str, str] | None = None) -> list[PageSpec]:
    """Every listing page. `intros` maps a doc path to hand-written Markdown to put on top."""
    intros = intros or {}
    pages = _listing("index.md", HOME, "Latest", f"The latest curated AI news on {site_name}.",
                     intros.get("index.md", ""), catalogue.stories, paging, channel_key=HOME.channel_key(""))
    for kind in (TAG, COMPANY):
        listed = subjects(catalogue, kind, site_name)
        for subject in listed:
            term_intro = escape_markdown(subject.term.description) if subject.term else ""
            pages += _subject_listing(subject, paging, intros, term_intro)
        rows = [Row(s.name, s.page_path, len(s.stories), s.term.description if s.term else "") for s in listed]
        pages.append(_directory(kind, f"Every {kind.singular.lower()} on {site_name} with its number of stories.",
                                intros, catalogue, rows=rows))
    pages += _publisher_pages(catalogue, paging, site_name, intros)
    pages += _archive_pages(catalogue, paging, site_name, intros)
    pages += _corrections_page(catalogue, site_name, intros)
    pages += _thread_pages(catalogue, paging, site_name, intros)
    return pages


def _publisher_pages(catalogue: Catalogue, paging: Paging, site_name: str,
                     intros: dict[str, str]) -> list[PageSpec]:
    rows, pages = [], []
    for publisher in subjects(catalogue, PUBLISHER, site_name):
        rows.append(Row(publisher.name, publisher.page_path, len(publisher.stories)))
        listing = _subject_listing(publisher, paging, intros)
        citing = [tuple(s for s in story.sources if s.publisher and publisher_slug(s.publisher) == publisher.slug)
                  for story in publisher.stories]
        homepage = _homepage([source.url for sources in citing for source in sources])
        for spec in listing:
            spec.homepage = homepage
        listing[0].citing = citing[:len(listing[0].stories)]  # later pages' rows name no article
        pages += listing
    pages.append(_directory(PUBLISHER, f"Every publisher cited on {site_name} with its number of stories.",
                            intros, catalogue, rows=rows))
    return pages


def _homepage(urls: list[str]) -> str:
    """The publisher's site: scheme and host its cited articles share most, `https://host/`."""
    hosts = Counter(f"{parts.scheme}://{parts.hostname}/" for parts in map(urlsplit, urls) if parts.hostname)
    return min(hosts, key=lambda host: (-hosts[host], host)) if hosts else ""


def _archive_pages(catalogue: Catalogue, paging: Paging, site_name: str,
                   intros: dict[str, str]) -> list[PageSpec]:
    pages, groups = [], []
    years: dict[str, list[Row]] = {}
    months = subjects(catalogue, MONTH, site_name)
    rows = [Row(month.name, month.page_path, len(month.stories)) for month in months]
    for index, month in enumerate(months):
        years.setdefault(month.slug.split("/")[0], []).append(rows[index])
        listing = _subject_listing(month, paging, intros)
        for spec in listing:  # months with stories only: an empty month has no page
            spec.earlier = rows[index + 1] if index + 1 < len(rows) else None
            spec.later = rows[index - 1] if index > 0 else None
        pages += listing
    groups = list(years.items())
    pages.append(_directory(MONTH, f"Every month of {site_name} with its number of stories.", intros,
                            catalogue, groups=groups))
    return pages


# -- Editorial integrity listings: the Corrections page ("corrections") and developing stories
# ("thread" pages and their directory, "thread-index"). -----------------------------------

CORRECTIONS_PATH = CORRECTIONS.page_path("index")


def _corrections_page(catalogue: Catalogue, site_name: str, intros: dict[str, str]) -> list[PageSpec]:
    """Every correction, newest first, each with its day and a link to the corrected story.
    Written as Markdown (the page's intro), so `--strict` checks every link."""
    entries = sorted(((c, story) for story in catalogue.corrected for c in story.corrections),
                     key=lambda pair: (-pair[0].date.timestamp(), pair[1].doc_path))
    lines = [f'- <time datetime="{iso(c.date)}">{display_day(c.date)}</time> · '
             f"[{escape_markdown(story.title)}](../{story.doc_path}): {escape_markdown(c.text)}"
             for c, story in entries]
    listing = "\n".join(lines) if lines else "No story has needed a correction so far."
    intro = "\n\n".join(part for part in (intros.get(CORRECTIONS_PATH, ""), listing) if part)
    # With no correction yet, the page is as old as the hub's newest story.
    return [PageSpec(CORRECTIONS_PATH, CORRECTIONS, "Corrections",
                     f"Every correction to a story on {site_name}, newest first.", intro,
                     stories=list(catalogue.corrected), updated=lastmod(catalogue.corrected or catalogue.stories))]


def _thread_pages(catalogue: Catalogue, paging: Paging, site_name: str,
                  intros: dict[str, str]) -> list[PageSpec]:
    """A page per developing story (its stories oldest first: a timeline) and their directory."""
    pages, rows = [], []
    for thread in subjects(catalogue, THREAD, site_name):
        first, latest = thread.stories[-1], thread.stories[0]
        rows.append(Row(thread.name, thread.page_path, len(thread.stories),
                        f"{display_day(first.date)} to {display_day(latest.date)}"))
        pages += _subject_listing(thread, paging, intros, stories=list(reversed(thread.stories)))
    pages.append(_directory(THREAD, f"Stories on {site_name} followed over days or weeks, latest first.",
                            intros, catalogue, rows=rows))
    return pages
