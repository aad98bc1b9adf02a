"""Subjects: the topics, companies, publishers, months and developing stories a reader can
browse, each with its stories and the addresses it owns (page, feed).

One function lists a kind's subjects in directory order (most stories first, then by name;
months newest first; threads by their newest story), and pages, channels and the API all take
them from it, so the three can never disagree on order, names or descriptions.
"""
from __future__ import annotations

from dataclasses import dataclass

from .catalogue import Catalogue, term_counts
from .dates import display_day
from .kinds import COMPANY, MONTH, PUBLISHER, TAG, THREAD, ListingKind
from .model import Story
from .registry import Term
from .threads import THREADS_DIR

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


@dataclass(frozen=True)
class Subject:
    """One listing of a kind: `slug` is its path under the kind's folder."""

    kind: ListingKind
    slug: str
    name: str
    description: str  # what its page and its feed say it is
    stories: list[Story]  # newest first (a thread's page shows them the other way round)
    term: Term | None = None

    @property
    def page_path(self) -> str:
        return self.kind.page_path(self.slug)

    @property
    def channel_key(self) -> str:
        return self.kind.channel_key(self.slug)


def month_name(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"


def subjects(catalogue: Catalogue, kind: ListingKind, site_name: str) -> list[Subject]:
    """Every subject of `kind` that has a story, in directory order."""
    if kind is TAG:
        return [Subject(kind, term.slug, term.name, _term_description(term), catalogue.by_tag[term.slug], term)
                for term, _ in term_counts(catalogue.tags, catalogue.by_tag)]
    if kind is COMPANY:
        return [Subject(kind, term.slug, term.name, _term_description(term), catalogue.by_company[term.slug], term)
                for term, _ in term_counts(catalogue.companies, catalogue.by_company)]
    if kind is PUBLISHER:
        ordered = sorted(catalogue.publishers.values(),
                         key=lambda p: (-len(catalogue.by_publisher[p.slug]), p.name.casefold()))
        return [Subject(kind, p.slug, p.name, f"Stories on {site_name} that cite {p.name}.",
                        catalogue.by_publisher[p.slug]) for p in ordered]
    if kind is MONTH:
        return [Subject(kind, f"{year}/{month:02d}", month_name(year, month),
                        f"Curated AI news from {month_name(year, month)}.", stories)
                for (year, month), stories in sorted(catalogue.by_month.items(), reverse=True)]
    if kind is THREAD:
        return [Subject(kind, thread.doc_path.removeprefix(f"{THREADS_DIR}/").removesuffix(".md"),
                        f"Developing: {thread.first.title}",
                        f"How the story developed, from {display_day(thread.first.date)}: every story "
                        f"of the thread on {site_name}.", list(reversed(thread.stories)))
                for thread in catalogue.thread_list()]
    return []


def _term_description(term: Term) -> str:
    return term.description or f"Curated AI news about {term.name}."
