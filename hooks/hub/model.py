"""The story model: what a validated story is, independent of any site engine."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from .registry import Term


@dataclass(frozen=True)
class Source:
    """One numbered source a story was curated from. Pending sources exist only in drafts."""

    number: int
    publisher: str
    url: str
    title: str
    author: str = ""
    date: datetime | None = None
    pending: bool = False
    line: int = field(default=0, compare=False)  # where the entry starts, for later checks

    @property
    def domain(self) -> str:
        """The site's name as readers know it: the host without `www.`."""
        host = urlsplit(self.url).hostname or ""
        return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True)
class Correction:
    """A dated note of what a published story got wrong; it changes the story's modified time."""

    date: datetime
    text: str
    line: int = field(default=0, compare=False)


@dataclass(eq=False)
class Story:
    """A validated story. `doc_path` is where its page lives, relative to the docs folder."""

    source_path: str
    doc_path: str
    slug: str
    title: str
    summary: str
    date: datetime
    has_time: bool
    curator: str
    tags: tuple[Term, ...]
    companies: tuple[Term, ...]
    sources: tuple[Source, ...]
    body: str
    body_line: int
    updated: datetime | None = None
    draft: bool = False
    image: str = ""
    corrections: tuple[Correction, ...] = ()  # in date order
    follows: str = ""  # slug (or year/slug) of the earlier story this one follows: hub.threads
    origin: str = ""  # the page `hub import` made it from: its address, or sha256:<hex> of its text
    cited: frozenset[int] = field(default_factory=frozenset)
    cite_counts: dict[int, int] = field(default_factory=dict)  # source number -> citations of it
    field_lines: dict[str, int] = field(default_factory=dict)  # front matter key -> line

    @property
    def modified(self) -> datetime:
        """The last change readers should know of: `updated`, or a later correction."""
        latest = self.updated or self.date
        return max(latest, self.corrections[-1].date) if self.corrections else latest

    @property
    def publishers(self) -> list[str]:
        """Each publisher once, in source order: what cards and the byline name."""
        return list(dict.fromkeys(source.publisher for source in self.sources if source.publisher))

    @property
    def month(self) -> tuple[int, int]:
        return self.date.year, self.date.month

    def sort_key(self) -> tuple[float, str]:
        """Newest first, then by path, so equal dates still order the same way every build."""
        return -self.date.timestamp(), self.doc_path
