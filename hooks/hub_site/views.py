"""What templates receive, and the parts of a page that come from the build as a whole.

A hub page's template gets a frozen view: `StoryView` for a story, the listing's `PageSpec`
for a listing. The page's cache key is computed from that very view (hub_speed.incremental
`view_fingerprint`), so whatever a view carries is covered: a template that starts showing
something new from the catalogue gets it through a new field of the view, and the key follows
without anyone touching key code. The catalogue itself never goes to a template.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from hub import metadata, paths
from hub.excerpt import excerpt
from hub.catalogue import Catalogue
from hub.channels import OPML_PATH
from hub.model import Story
from hub.pages import PageSpec
from hub.threads import Thread
from hub_site.session import CARD_ROOT, BuildSession


@dataclass(frozen=True)
class StoryView:
    """What the story template shows: the story and what the catalogue says about it."""

    story: Story
    status: str  # "" published; "draft" or "scheduled" in a preview
    related: tuple[Story, ...]
    thread: Thread | None  # the developing story it belongs to, for its timeline


def story_view(catalogue: Catalogue, story: Story, related_count: int) -> StoryView:
    return StoryView(story, catalogue.status(story), tuple(catalogue.related(story, related_count)),
                     catalogue.thread(story))


def meta(title: str, description: str) -> dict[str, Any]:
    """Page meta with values pre-escaped: Material prints title and description raw. The hook
    renders hub pages itself (on_page_context); `hub/rendered.html` prints what it made."""
    return {
        "title": Markup(html.escape(title)),
        "description": Markup(html.escape(description)),
        "template": "hub/rendered.html",
    }


def escape_meta(page: Page) -> None:
    """A hand-written page's own front matter reaches Material's templates raw too."""
    for key, value in page.meta.items():
        if isinstance(value, str) and not isinstance(value, Markup) and key != "template":
            page.meta[key] = Markup(html.escape(value))


def plain(value: Any) -> str:
    """Plain text of a meta value that was pre-escaped for Material's templates."""
    return value.unescape() if isinstance(value, Markup) else str(value)


def install_filters(env: Any, build: BuildSession, use_directory_urls: bool) -> None:
    env.filters["doc_url"] = lambda doc_path: paths.doc_url(doc_path, use_directory_urls)
    env.filters["hub_date"] = lambda value: f"{value.day} {value:%b %Y}"
    env.filters["hub_iso"] = lambda value: value.strftime("%Y-%m-%dT%H:%M:%SZ")
    env.filters["hub_lastmod"] = lambda file: lastmod(build, file)
    env.filters["hub_excerpt"] = excerpt


def cards(build: BuildSession, spec: PageSpec, root: str, template: Callable[[str], Any]) -> Markup:
    """The listing's stories: each rendered once a build, its links then made relative to this
    page (a story is on ~11 listings; rendering it each time was a fifth of a cold build). An
    entry shows its own story only, which is in every listing's key. A first page shows cards;
    a publisher's are compact: no chips (the card names the cited article instead; a story is
    on one publisher page per source, and chips were a quarter of each card). Later pages show
    rows (`hub/row.html`: headline, publishers, date), a third of a card's bytes."""
    made = build.cards
    assert build.catalogue is not None
    style = "row" if spec.story_rows else "compact" if spec.listing.compact_cards else "card"
    chosen = template("hub/row.html" if style == "row" else "hub/card.html")
    for story in spec.stories:
        if (story.doc_path, style) not in made:
            made[story.doc_path, style] = chosen.render(
                {"s": story, "status": build.catalogue.status(story), "hub_root": CARD_ROOT,
                 "compact": style == "compact"})
    return Markup("".join(made[story.doc_path, style] for story in spec.stories).replace(CARD_ROOT, root))


def machine_context(build: BuildSession, page: Page) -> dict[str, Any]:
    """`hub_head` (meta tags, feed links, JSON-LD) and, on listings, `hub_follow`."""
    site = build.site
    if site is None:
        return {}
    uri = page.file.src_uri
    hub_channel = build.channels.get("")
    story = build.stories.get(uri)
    if story is not None:
        return {"hub_head": metadata.story_head(story, site, hub_channel, build.settings.curator)}
    spec = build.listings.get(uri)
    if spec is None:
        description = plain((page.meta or {}).get("description") or site.description)
        return {"hub_head": metadata.page_head(plain(page.title or site.name), description, uri, site,
                                               [hub_channel])}
    own = build.channels.get(spec.channel_key) if spec.channel_key is not None else None
    head = metadata.page_head(spec.title, spec.description, uri, site,
                              [own] if own is hub_channel else [own, hub_channel])
    follow = None
    if own is not None:
        follow = metadata.FollowView(own.name, tuple(own.links()), OPML_PATH if own is hub_channel else "")
    return {"hub_head": head, "hub_follow": follow}


def lastmod(build: BuildSession, file: File) -> str | None:
    """Sitemap date: a story's own date, a listing's newest story, else the build's date."""
    uri = file.src_uri
    if uri in build.stories:
        return metadata.lastmod([build.stories[uri]])
    if uri in build.listings:
        return build.listings[uri].updated
    catalogue = build.published or build.catalogue
    if catalogue is not None and catalogue.as_of is not None:
        return catalogue.as_of.strftime("%Y-%m-%d")
    return file.page.update_date if file.page else None
