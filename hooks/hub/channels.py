"""Which feeds the hub publishes: one channel for the whole hub and one per tag, company,
publisher and developing story (thread), each offered as RSS 2.0, Atom 1.0 and JSON Feed 1.1 under `feeds/`.

A channel is planned once per build from published stories only, so drafts and scheduled
stories can never reach a feed, even in a `mkdocs serve` preview that shows them on pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from .catalogue import Catalogue, Publisher, build_catalogue, term_counts
from .model import Story

FEEDS_DIR = "feeds"
OPML_PATH = f"{FEEDS_DIR}/feeds.opml"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class FeedFormat:
    """One of the three formats every channel is written in."""

    key: str
    filename: str
    media_type: str
    label: str


FORMATS = (
    FeedFormat("rss", "rss.xml", "application/rss+xml", "RSS"),
    FeedFormat("atom", "atom.xml", "application/atom+xml", "Atom"),
    FeedFormat("json", "feed.json", "application/feed+json", "JSON Feed"),
)


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
    kind: str
    name: str
    title: str
    description: str
    page: str
    stories: list[Story]
    updated: datetime

    @property
    def folder(self) -> str:
        return f"{FEEDS_DIR}/{self.key}" if self.key else FEEDS_DIR

    def path(self, fmt: FeedFormat) -> str:
        return f"{self.folder}/{fmt.filename}"

    def links(self) -> list[FeedLink]:
        return [FeedLink(self.path(fmt), fmt.media_type, fmt.label, f"{self.title} ({fmt.label})")
                for fmt in FORMATS]


def published_catalogue(catalogue: Catalogue) -> Catalogue:
    """The catalogue without drafts and scheduled stories (a preview build includes them)."""
    if not any(catalogue.status(story) for story in catalogue.stories):
        return catalogue
    return build_catalogue(catalogue.stories + catalogue.unpublished, catalogue.tags,
                           catalogue.companies, catalogue.as_of, include_unpublished=False)


def plan_channels(catalogue: Catalogue, site_name: str, feed_size: int) -> list[Channel]:
    """Every channel, hub first, then tags, companies and publishers in directory order, then
    threads (the one with the newest story first)."""
    fallback = catalogue.as_of or EPOCH

    def channel(key: str, kind: str, name: str, title: str, description: str, page: str,
                stories: list[Story]) -> Channel:
        newest = stories[:feed_size]
        updated = max((s.modified for s in newest), default=fallback)
        return Channel(key, kind, name, title, description, page, newest, updated)

    channels = [channel("", "hub", site_name, site_name,
                        f"The latest curated AI news on {site_name}.", "index.md", catalogue.stories)]
    for kind, registry, index, folder in (("tag", catalogue.tags, catalogue.by_tag, "tags"),
                                          ("company", catalogue.companies, catalogue.by_company,
                                           "companies")):
        for term, _ in term_counts(registry, index):
            channels.append(channel(f"{folder}/{term.slug}", kind, term.name,
                                    f"{site_name}: {term.name}",
                                    term.description or f"Curated AI news about {term.name}.",
                                    f"{folder}/{term.slug}.md", index[term.slug]))
    for publisher in publishers_by_count(catalogue):
        channels.append(channel(f"sources/{publisher.slug}", "publisher", publisher.name,
                                f"{site_name}: stories citing {publisher.name}",
                                f"Stories on {site_name} that cite {publisher.name}.",
                                f"sources/{publisher.slug}.md", catalogue.by_publisher[publisher.slug]))
    for thread in catalogue.thread_list():  # follow a developing story: newest first, like every feed
        name = f"Developing: {thread.first.title}"
        channels.append(channel(thread.doc_path.removesuffix(".md"), "thread", name,
                                f"{site_name}: {name}",
                                f"Every story on {site_name} following {thread.first.title}.",
                                thread.doc_path, list(reversed(thread.stories))))
    return channels


def publishers_by_count(catalogue: Catalogue) -> list[Publisher]:
    """Publishers most cited first, then by name: the order of the Sources directory."""
    return sorted(catalogue.publishers.values(),
                  key=lambda p: (-len(catalogue.by_publisher[p.slug]), p.name.casefold()))


def listing_channel_key(kind: str, doc_path: str) -> str | None:
    """The channel a listing page (any page of its pagination) belongs to, if it has one."""
    if kind == "home":
        return ""
    if kind in ("tag", "company", "publisher"):
        return "/".join(doc_path.removesuffix(".md").split("/")[:2])
    if kind == "thread":  # threads/<year>/<slug>
        return "/".join(doc_path.removesuffix(".md").split("/")[:3])
    return None
