"""What a page says about itself to machines: JSON-LD, Open Graph and Twitter tags, feed
discovery links and sitemap dates.

Values are plain text here; the template escapes every one with `|e`. JSON-LD is the exception
that cannot be HTML-escaped (a script's text is not entity-decoded), so `script_json` escapes
`<`, `>` and `&` as JSON \\u escapes instead, which keeps `</script>` out of the page.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from collections.abc import Sequence
from typing import Any

from .channels import Channel, FeedLink
from .dates import iso
from .kinds import RSS
from .model import Story
from .siteinfo import SiteInfo


@dataclass(frozen=True)
class MetaTag:
    """`<meta {attr}="{key}" content="{value}">`; attr is `property` (Open Graph) or `name`."""

    attr: str
    key: str
    value: str


@dataclass(frozen=True)
class HeadView:
    """Everything the head of one page gets beyond what Material already writes."""

    meta: tuple[MetaTag, ...] = ()
    alternates: tuple[FeedLink, ...] = ()
    json_ld: str = ""


@dataclass(frozen=True)
class FollowView:
    """The visible "follow" line on a listing page; `opml` only on the home page."""

    name: str
    links: tuple[FeedLink, ...]
    opml: str = ""


def script_json(data: Any) -> str:
    """JSON safe to place inside `<script>`: no `<`, `>` or `&` survive literally."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # compact
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _organization(name: str, url: str) -> dict[str, str]:
    return {"@type": "Organization", "name": name, "url": url}


def news_article(story: Story, site: SiteInfo, default_curator: str) -> dict[str, Any]:
    """schema.org NewsArticle for a story page: what news readers and search engines read
    (Google's article fields: headline, dates, author, publisher, image). The default curator is
    the editors' team. What the page already says elsewhere is not repeated here: its address
    (the canonical link and og:url), the summary (the description meta), the tags (article:tag
    metas) and the sources (the numbered list, linked, in the page itself)."""
    author_type = "Organization" if story.curator == default_curator else "Person"
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "datePublished": iso(story.date),
        "dateModified": iso(story.modified),
        "author": {"@type": author_type, "name": story.curator},
        "publisher": _organization(site.name, site.url),
    }
    if story.corrections:
        article["correction"] = [{"@type": "CorrectionComment", "text": c.text,
                                  "datePublished": iso(c.date)} for c in story.corrections]
    if story.image:
        article["image"] = [story.image]
    return article


def _social(og_type: str, title: str, description: str, url: str, site: SiteInfo,
            image: str = "") -> list[MetaTag]:
    """Open Graph tags and the Twitter card type shared by every kind of page. Twitter (X) reads
    a card's title, description and image from Open Graph when its own tags are absent, so
    they are not written twice."""
    tags = [MetaTag("property", "og:type", og_type), MetaTag("property", "og:site_name", site.name),
            MetaTag("property", "og:title", title), MetaTag("property", "og:description", description),
            MetaTag("property", "og:url", url)]
    if image:
        tags.append(MetaTag("property", "og:image", image))
    tags.append(MetaTag("name", "twitter:card", "summary_large_image" if image else "summary"))
    return tags


def _announced(channel: Channel, every_format: bool) -> list[FeedLink]:
    """A channel's feed links: all its formats, or only its RSS (every feed reader reads RSS;
    the other formats are announced once, on the home page, and listed in the OPML)."""
    links = channel.links()
    if every_format:
        return links
    return [link for link in links if link.media_type == RSS.media_type][:1] or links[:1]


def story_head(story: Story, site: SiteInfo, hub_feeds: Channel | None,
               default_curator: str) -> HeadView:
    """Article tags, NewsArticle JSON-LD and the hub's RSS feed for a story page. The modified
    time is a tag of its own only when the story changed after it was published."""
    meta = _social("article", story.title, story.summary, site.page_url(story.doc_path), site,
                   story.image)
    meta.append(MetaTag("property", "article:published_time", iso(story.date)))
    if story.modified != story.date:
        meta.append(MetaTag("property", "article:modified_time", iso(story.modified)))
    meta += [MetaTag("property", "article:tag", tag.name) for tag in story.tags]
    alternates = tuple(_announced(hub_feeds, False)) if hub_feeds else ()
    return HeadView(tuple(meta), alternates, script_json(news_article(story, site, default_curator)))


def page_head(title: str, description: str, doc_path: str, site: SiteInfo,
              channels: list[Channel | None]) -> HeadView:
    """Website tags and feed links (the page's own channel first) for any other page: every
    format of the hub's feed on the home page, each other channel only in RSS."""
    meta = _social("website", title, description, site.page_url(doc_path), site)
    alternates = tuple(link for channel in channels if channel
                       for link in _announced(channel, channel.page == doc_path and channel.is_hub))
    return HeadView(tuple(meta), alternates)


def lastmod(stories: Sequence[Story]) -> str | None:
    """The sitemap date of a page showing `stories`: the newest change among them."""
    newest: datetime | None = max((s.modified for s in stories), default=None)
    return newest.strftime("%Y-%m-%d") if newest else None

