"""Generator: the listing pages readers browse, as engine-neutral page specs.

Each spec says where the page lives, what it is titled, the Markdown intro it starts with and
which stories or directory rows it lists; a theme template turns it into HTML.
"""
from __future__ import annotations

import calendar
import posixpath
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .catalogue import Catalogue, publisher_slug, term_counts
from .dates import display_day, iso
from .markdown_text import escape_markdown
from .model import Source, Story
from .registry import Term


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
class Row:
    """One line of a directory: a tag, company, publisher or month with its count."""

    name: str
    doc_path: str
    count: int
    description: str = ""


@dataclass
class PageSpec:
    """One listing page. Every field but `stories` enters the page's render-cache fingerprint
    (hooks/hub_incremental.py), so what a page shows beyond its stories belongs in a field."""

    doc_path: str
    kind: str
    title: str
    description: str
    intro: str = ""
    stories: list[Story] = field(default_factory=list)
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


KIND_TITLES = {"tag": "Topics", "company": "Companies", "publisher": "Sources"}


def paginate(doc_path: str, stories: list[Story], per_page: int) -> list[tuple[str, Pager, list[Story]]]:
    """Split a listing: page 1 at `doc_path`, page n at `<folder>/page/n.md`."""
    stem = posixpath.splitext(doc_path)[0]
    base = posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem
    count = max(1, -(-len(stories) // per_page))
    paths = tuple([doc_path] + [posixpath.join(base, "page", f"{n}.md") for n in range(2, count + 1)])
    return [(paths[n - 1], Pager(n, paths), stories[(n - 1) * per_page:n * per_page])
            for n in range(1, count + 1)]


def _listing(doc_path: str, kind: str, title: str, description: str, intro: str,
             stories: list[Story], per_page: int, term: Term | None = None) -> list[PageSpec]:
    specs = []
    for path, pager, chunk in paginate(doc_path, stories, per_page):
        page_title = title if pager.number == 1 else f"{title} (page {pager.number})"
        specs.append(PageSpec(path, kind, page_title, description,
                              intro if pager.number == 1 else "", chunk, pager, term=term, total=len(stories)))
    return specs


def month_path(year: int, month: int) -> str:
    return f"archive/{year}/{month:02d}.md"


def month_name(year: int, month: int) -> str:
    return f"{calendar.month_name[month]} {year}"


def generate_pages(catalogue: Catalogue, per_page: int, site_name: str,
                   intros: dict[str, str] | None = None) -> list[PageSpec]:
    """Every listing page. `intros` maps a doc path to hand-written Markdown to put on top."""
    intros = intros or {}
    pages = _listing("index.md", "home", "Latest", f"The latest curated AI news on {site_name}.",
                     intros.get("index.md", ""), catalogue.stories, per_page)
    for kind, registry, index, folder in (
        ("tag", catalogue.tags, catalogue.by_tag, "tags"),
        ("company", catalogue.companies, catalogue.by_company, "companies"),
    ):
        rows = []
        for term, count in term_counts(registry, index):
            path = f"{folder}/{term.slug}.md"
            rows.append(Row(term.name, path, count, term.description))
            intro = "\n\n".join(part for part in (escape_markdown(term.description), intros.get(path, "")) if part)
            description = term.description or f"Curated AI news about {term.name}."
            pages += _listing(path, kind, term.name, description, intro, index[term.slug], per_page, term)
        index_path = f"{folder}/index.md"
        pages.append(PageSpec(index_path, f"{kind}-index", KIND_TITLES[kind],
                              f"Every {kind} on {site_name} with its number of stories.",
                              intros.get(index_path, ""), rows=rows))
    pages += _publisher_pages(catalogue, per_page, site_name, intros)
    pages += _archive_pages(catalogue, per_page, site_name, intros)
    pages += _corrections_page(catalogue, site_name, intros)
    pages += _thread_pages(catalogue, per_page, site_name, intros)
    return pages


def _publisher_pages(catalogue: Catalogue, per_page: int, site_name: str,
                     intros: dict[str, str]) -> list[PageSpec]:
    rows, pages = [], []
    ordered = sorted(catalogue.publishers.values(),
                     key=lambda p: (-len(catalogue.by_publisher[p.slug]), p.name.casefold()))
    for publisher in ordered:
        path = f"sources/{publisher.slug}.md"
        stories = catalogue.by_publisher[publisher.slug]
        rows.append(Row(publisher.name, path, len(stories)))
        listing = _listing(path, "publisher", publisher.name,
                           f"Stories on {site_name} that cite {publisher.name}.",
                           intros.get(path, ""), stories, per_page)
        citing = [tuple(s for s in story.sources if s.publisher and publisher_slug(s.publisher) == publisher.slug)
                  for story in stories]
        homepage = _homepage([source.url for sources in citing for source in sources])
        for number, spec in enumerate(listing):
            spec.homepage = homepage
            spec.citing = citing[number * per_page:(number + 1) * per_page]
        pages += listing
    pages.append(PageSpec("sources/index.md", "publisher-index", "Sources",
                          f"Every publisher cited on {site_name} with its number of stories.",
                          intros.get("sources/index.md", ""), rows=rows))
    return pages


def _homepage(urls: list[str]) -> str:
    """The publisher's site: scheme and host its cited articles share most, `https://host/`."""
    hosts = Counter(f"{parts.scheme}://{parts.hostname}/" for parts in map(urlsplit, urls) if parts.hostname)
    return min(hosts, key=lambda host: (-hosts[host], host)) if hosts else ""


def _archive_pages(catalogue: Catalogue, per_page: int, site_name: str,
                   intros: dict[str, str]) -> list[PageSpec]:
    pages, groups = [], []
    years: dict[int, list[Row]] = {}
    months = sorted(catalogue.by_month.items(), reverse=True)
    month_rows = [Row(month_name(year, month), month_path(year, month), len(stories))
                  for (year, month), stories in months]
    for index, ((year, _), stories) in enumerate(months):
        row = month_rows[index]
        years.setdefault(year, []).append(row)
        listing = _listing(row.doc_path, "month", row.name, f"Curated AI news from {row.name}.",
                           intros.get(row.doc_path, ""), stories, per_page)
        for spec in listing:  # months with stories only: an empty month has no page
            spec.earlier = month_rows[index + 1] if index + 1 < len(month_rows) else None
            spec.later = month_rows[index - 1] if index > 0 else None
        pages += listing
    for year, rows in years.items():
        groups.append((str(year), rows))
    pages.append(PageSpec("archive/index.md", "archive", "Archive",
                          f"Every month of {site_name} with its number of stories.",
                          intros.get("archive/index.md", ""), groups=groups))
    return pages


# -- Editorial integrity listings: the Corrections page ("corrections") and developing stories
# ("thread" pages and their directory, "thread-index"). -----------------------------------

CORRECTIONS_PATH = "corrections/index.md"


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
    return [PageSpec(CORRECTIONS_PATH, "corrections", "Corrections",
                     f"Every correction to a story on {site_name}, newest first.", intro,
                     stories=list(catalogue.corrected))]


def _thread_pages(catalogue: Catalogue, per_page: int, site_name: str,
                  intros: dict[str, str]) -> list[PageSpec]:
    """A page per developing story (its stories oldest first: a timeline) and their directory."""
    pages, rows = [], []
    for thread in catalogue.thread_list():
        title = f"Developing: {thread.first.title}"
        rows.append(Row(title, thread.doc_path, len(thread.stories),
                        f"{display_day(thread.first.date)} to {display_day(thread.latest.date)}"))
        pages += _listing(thread.doc_path, "thread", title,
                          f"How the story developed, from {display_day(thread.first.date)}: every "
                          f"story of the thread on {site_name}, oldest first.",
                          intros.get(thread.doc_path, ""), list(thread.stories), per_page)
    pages.append(PageSpec("threads/index.md", "thread-index", "Developing stories",
                          f"Stories on {site_name} followed over days or weeks, latest first.",
                          intros.get("threads/index.md", ""), rows=rows))
    return pages
