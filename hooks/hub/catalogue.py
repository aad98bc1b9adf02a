"""The catalogue: visible stories indexed by tag, company, publisher and month.

Built once per build from validated stories. Nothing here compares every story with every
other: indexes are dictionaries and related stories come from bounded candidate windows.
"""
from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from .model import Story
from .registry import Registry, Term
from .slugs import slugify
from .threads import Thread, build_threads

RELATED_WINDOW = 40


@dataclass(frozen=True)
class Publisher:
    name: str
    slug: str


def publisher_slug(name: str) -> str:
    return slugify(name) or "publisher-" + hashlib.sha1(name.encode()).hexdigest()[:8]


@dataclass
class Catalogue:
    """What readers can see. `unpublished` holds drafts and scheduled stories left out."""

    stories: list[Story]
    tags: Registry
    companies: Registry
    as_of: datetime | None
    unpublished: list[Story] = field(default_factory=list)
    by_tag: dict[str, list[Story]] = field(default_factory=dict)
    by_company: dict[str, list[Story]] = field(default_factory=dict)
    by_publisher: dict[str, list[Story]] = field(default_factory=dict)
    by_month: dict[tuple[int, int], list[Story]] = field(default_factory=dict)
    publishers: dict[str, Publisher] = field(default_factory=dict)
    # Editorial integrity listings: stories with corrections (newest correction first) and
    # developing stories (story doc path -> its thread).
    corrected: list[Story] = field(default_factory=list)
    threads: dict[str, Thread] = field(default_factory=dict)
    # Per-build tables for related(): stories are immutable once the catalogue is built.
    _terms: dict[int, frozenset[tuple[str, str]]] = field(default_factory=dict, repr=False)
    _related: dict[tuple[int, int], list[Story]] = field(default_factory=dict, repr=False)
    _sort_keys: dict[int, tuple[float, str]] = field(default_factory=dict, repr=False)

    def status(self, story: Story) -> str:
        """'' for a published story, else 'draft' or 'scheduled' (shown only in previews)."""
        if story.draft:
            return "draft"
        if self.as_of is not None and story.date > self.as_of:
            return "scheduled"
        return ""

    def thread(self, story: Story) -> Thread | None:
        """The developing story this one belongs to, among the stories readers can see."""
        return self.threads.get(story.doc_path)

    def thread_list(self) -> list[Thread]:
        """Every thread once, the one with the newest story first."""
        unique = {id(thread): thread for thread in self.threads.values()}
        return sorted(unique.values(), key=lambda t: (t.latest.sort_key(), t.doc_path))

    def related(self, story: Story, limit: int) -> list[Story]:
        """Up to `limit` stories sharing the most tags and companies, then the newest."""
        cached = self._related.get((id(story), limit))
        if cached is not None:
            return cached
        terms, keys = self._tables()
        lists = [self.by_tag.get(t.slug, []) for t in story.tags]
        lists += [self.by_company.get(c.slug, []) for c in story.companies]
        key = keys[id(story)]
        candidates: dict[int, Story] = {}
        for stories in lists:
            for other in _window(stories, key, keys):
                candidates[id(other)] = other
        candidates.pop(id(story), None)
        mine = terms[id(story)]
        # (fewest shared terms negated, sort key, story): sort keys are unique, so tuples compare
        # without reaching the story.
        scored = [(-len(mine & terms[ident]), keys[ident], other) for ident, other in candidates.items()]
        found = [row[2] for row in heapq.nsmallest(limit, scored)]
        self._related[(id(story), limit)] = found
        return found

    def related_digest(self, limit: int) -> str:
        """What `related` depends on: every story's path, date, tags and companies. A build
        with the same digest gets the same related stories (see `use_related`)."""
        rows = [(s.doc_path, s.sort_key(), [t.slug for t in s.tags], [c.slug for c in s.companies])
                for s in self.stories]
        return hashlib.sha256(repr((limit, RELATED_WINDOW, rows)).encode()).hexdigest()

    def related_table(self, limit: int) -> dict[str, list[str]]:
        """Every story's related stories, by path: what a later build hands to `use_related`."""
        return {s.doc_path: [other.doc_path for other in self.related(s, limit)] for s in self.stories}

    def use_related(self, limit: int, table: dict[str, list[str]]) -> bool:
        """Take related stories from `related_table` of a catalogue with the same digest
        (computing them is most of a warm build's catalogue work); False if it does not fit."""
        by_path = {s.doc_path: s for s in self.stories}
        if table.keys() != by_path.keys():
            return False
        try:
            found = {id(by_path[path]): [by_path[other] for other in others] for path, others in table.items()}
        except KeyError:
            return False
        for key, stories in found.items():
            self._related[(key, limit)] = stories
        return True

    def _tables(self) -> tuple[dict[int, frozenset[tuple[str, str]]], dict[int, tuple[float, str]]]:
        """Each story's tag and company terms and its sort key, by id, made once."""
        if not self._sort_keys:
            for story in self.stories + self.unpublished:
                self._terms[id(story)] = frozenset([("t", t.slug) for t in story.tags] +
                                                   [("c", c.slug) for c in story.companies])
                self._sort_keys[id(story)] = story.sort_key()
        return self._terms, self._sort_keys


def _window(stories: list[Story], key: tuple[float, str], keys: dict[int, tuple[float, str]]) -> list[Story]:
    """The newest stories of a list plus those nearest in time to the story of sort key `key`:
    bounded work."""
    if len(stories) <= 2 * RELATED_WINDOW:
        return stories
    low, high = 0, len(stories)
    while low < high:  # binary search: lists are sorted newest first
        middle = (low + high) // 2
        if keys[id(stories[middle])] < key:
            low = middle + 1
        else:
            high = middle
    start = max(0, low - RELATED_WINDOW // 2)
    return stories[:RELATED_WINDOW] + stories[start:start + RELATED_WINDOW]


def build_catalogue(stories: list[Story], tags: Registry, companies: Registry,
                    as_of: datetime | None, include_unpublished: bool) -> Catalogue:
    """Index the stories; drafts and future stories only when previewing."""
    catalogue = Catalogue([], tags, companies, as_of)
    for story in sorted(stories, key=Story.sort_key):
        if catalogue.status(story) and not include_unpublished:
            catalogue.unpublished.append(story)
        else:
            catalogue.stories.append(story)
    by_tag, by_company = defaultdict(list), defaultdict(list)
    by_publisher, by_month = defaultdict(list), defaultdict(list)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for story in catalogue.stories:
        for term in story.tags:
            by_tag[term.slug].append(story)
        for term in story.companies:
            by_company[term.slug].append(story)
        for slug in dict.fromkeys(publisher_slug(s.publisher) for s in story.sources if s.publisher):
            by_publisher[slug].append(story)
        for source in story.sources:
            if source.publisher:
                names[publisher_slug(source.publisher)][source.publisher] += 1
        by_month[story.month].append(story)
    catalogue.by_tag, catalogue.by_company = dict(by_tag), dict(by_company)
    catalogue.by_publisher, catalogue.by_month = dict(by_publisher), dict(by_month)
    catalogue.corrected = sorted((s for s in catalogue.stories if s.corrections),
                                 key=lambda s: (-s.corrections[-1].date.timestamp(), s.doc_path))
    catalogue.threads = build_threads(catalogue.stories)
    catalogue.publishers = {
        slug: Publisher(min(counter, key=lambda n: (-counter[n], n)), slug)
        for slug, counter in sorted(names.items())
    }
    return catalogue


def term_counts(registry: Registry, index: dict[str, list[Story]]) -> list[tuple[Term, int]]:
    """Every used term with its story count, most used first, then by name."""
    rows = [(term, len(index[term.slug])) for term in registry.terms if term.slug in index]
    return sorted(rows, key=lambda row: (-row[1], row[0].name.casefold()))
