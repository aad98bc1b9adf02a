"""Which feeds the hub publishes: one channel for the whole hub and one per tag, company,
publisher and developing story (thread), under `feeds/`: the hub's in RSS 2.0, Atom 1.0 and JSON
Feed 1.1, each subject's in the formats its kind declares (`hub.kinds`).

A channel is planned once per build from published stories only, so drafts and scheduled
stories can never reach a feed, even in a `mkdocs serve` preview that shows them on pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from .catalogue import Catalogue, build_catalogue
from .kinds import HOME, KINDS, FeedFormat, ListingKind
from .model import Story
from .subjects import subjects

FEEDS_DIR = "feeds"
OPML_PATH = f"{FEEDS_DIR}/feeds.opml"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class FeedLink:
    """A channel in one format: where it lives in the site and how to announce it."""

    path: str
    media_type: str
    label: str
    title: str


@dataclass
class Channel:
    """A feed's subject and its newest stories. `key` is '' for the hub, else `tags/<slug>`…"""

    key: str
    kind: ListingKind
    name: str
    title: str
    description: str
    page: str
    stories: list[Story]
    updated: datetime

    @property
    def is_hub(self) -> bool:
        return self.kind is HOME

    @property
    def formats(self) -> tuple[FeedFormat, ...]:
        return self.kind.feed_formats

    @property
    def folder(self) -> str:
        return f"{FEEDS_DIR}/{self.key}" if self.key else FEEDS_DIR

    def path(self, fmt: FeedFormat) -> str:
        return f"{self.folder}/{fmt.filename}"

    def paths(self) -> list[str]:
        return [self.path(fmt) for fmt in self.formats]

    def links(self) -> list[FeedLink]:
        return [FeedLink(self.path(fmt), fmt.media_type, fmt.label, f"{self.title} ({fmt.label})")
                for fmt in self.formats]


def published_catalogue(catalogue: Catalogue) -> Catalogue:
    """The catalogue without drafts and scheduled stories (a preview build includes them)."""
    if not any(catalogue.status(story) for story in catalogue.stories):
        return catalogue
    return build_catalogue(catalogue.stories + catalogue.unpublished, catalogue.tags,
                           catalogue.companies, catalogue.as_of, include_unpublished=False)


def plan_channels(catalogue: Catalogue, site_name: str, feed_size: int,
                  subject_feed_size: int | None = None) -> list[Channel]:
    """Every channel: the hub's, then one per subject of every kind with feeds, in the order
    of `hub.kinds.KINDS` and each kind's directory. The hub's holds its newest `feed_size`
    stories, a subject's at most `subject_feed_size`: a reader polls a feed far more often than
    twenty stories of one topic appear, and 500 subject feeds of 50 stories were about 50 MB of a
    10,000-story site."""
    fallback = catalogue.as_of or EPOCH
    subject_size = min(feed_size, subject_feed_size or feed_size)

    def channel(key: str, kind: ListingKind, name: str, title: str, description: str, page: str,
                stories: list[Story]) -> Channel:
        newest = stories[:feed_size if kind is HOME else subject_size]
        updated = max((s.modified for s in newest), default=fallback)
        return Channel(key, kind, name, title, description, page, newest, updated)

    channels = [channel("", HOME, site_name, site_name, f"The latest curated AI news on {site_name}.",
                        "index.md", catalogue.stories)]
    for kind in KINDS:
        if kind is HOME or not kind.feed_formats:
            continue
        for subject in subjects(catalogue, kind, site_name):
            title = kind.feed_title.format(site=site_name, name=subject.name)
            channels.append(channel(subject.channel_key, kind, subject.name, title, subject.description,
                                    subject.page_path, subject.stories))
    return channels
