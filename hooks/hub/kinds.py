"""The kinds of listing readers browse, declared once.

A kind says where its pages live, what they are called, which header tab they belong to, how
search names them, whether each subject has a feed (in which formats, in full or in short), its
OPML group and its JSON API file. Pages, channels, feeds, the API and the templates read these
declarations instead of switching on kind names, so a new kind is one entry here plus the
catalogue index its subjects come from (`hub.subjects`).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FeedFormat:
    """A format a channel can be written in."""

    key: str
    filename: str
    media_type: str
    label: str


RSS = FeedFormat("rss", "rss.xml", "application/rss+xml", "RSS")
ATOM = FeedFormat("atom", "atom.xml", "application/atom+xml", "Atom")
JSON_FEED = FeedFormat("json", "feed.json", "application/feed+json", "JSON Feed")
FORMATS = (RSS, ATOM, JSON_FEED)
# A subject's feed is one format: every feed reader reads RSS 2.0, and the hub feed offers all
# three. Three formats per topic, company and publisher made feeds a third of the site's bytes.
SUBJECT_FORMATS = (RSS,)


@dataclass(frozen=True)
class ListingKind:
    """One kind of listing page. `folder` holds its pages (`<folder>/<slug>.md`) and its
    directory (`<folder>/index.md`); empty strings and tuples mean "has none"."""

    key: str  # the kind of its listing pages (PageSpec.kind)
    folder: str
    plural: str  # the directory's title, the breadcrumb back to it, its OPML group
    singular: str  # how search labels one of its pages ("" : its pages are not searched)
    section: str  # the header tab its pages belong to
    directory_key: str = ""  # the kind of its directory page
    api_name: str = ""  # `api/<api_name>.json` lists its subjects
    feed_formats: tuple[FeedFormat, ...] = ()  # each subject's channel, in these formats
    full_text: bool = False  # feed entries carry the whole story, not its summary and sources
    feed_title: str = "{site}: {name}"
    compact_cards: bool = False  # its listings show rows without chips (a publisher's: one per source)

    def page_path(self, slug: str) -> str:
        return f"{self.folder}/{slug}.md"

    def channel_key(self, slug: str) -> str:
        """Where a subject's feeds live under `feeds/` ('' for the hub's own)."""
        return f"{self.folder}/{slug}" if self.folder else ""

    @property
    def directory_path(self) -> str:
        return f"{self.folder}/index.md"


HOME = ListingKind("home", "", "Latest", "", "latest", feed_formats=FORMATS, full_text=True)
TAG = ListingKind("tag", "tags", "Topics", "Topic", "topics", "tag-index", "tags", SUBJECT_FORMATS)
COMPANY = ListingKind("company", "companies", "Companies", "Company", "companies", "company-index",
                      "companies", SUBJECT_FORMATS)
PUBLISHER = ListingKind("publisher", "sources", "Sources", "Publisher", "sources", "publisher-index",
                        "publishers", SUBJECT_FORMATS, feed_title="{site}: stories citing {name}",
                        compact_cards=True)
MONTH = ListingKind("month", "archive", "Archive", "", "archive", "archive")
THREAD = ListingKind("thread", "threads", "Developing stories", "", "latest", "thread-index",
                     feed_formats=SUBJECT_FORMATS)
CORRECTIONS = ListingKind("corrections", "corrections", "Corrections", "", "latest")

KINDS = (HOME, TAG, COMPANY, PUBLISHER, MONTH, THREAD, CORRECTIONS)  # menu and OPML order
