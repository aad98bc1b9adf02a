"""`hub new`: a draft story at the right path, with names checked against the registries.

The draft is valid as written: placeholders start with `TODO` (the integrity check lists them,
and refuses them once `draft: true` is removed) and the body cites every source once, so the
editor can preview it with `./dev serve` straight away.
"""
from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from .loader import LoadedHub
from .registry import Registry
from .storyfile import DraftSource, DraftStory, story_slug
from .urls import is_web_url, source_key


@dataclass
class NewStoryRequest:
    title: str
    sources: list[str]
    tags: list[str]
    companies: list[str] = field(default_factory=list)
    day: date | None = None
    slug: str = ""
    summary: str = ""


@dataclass
class PlannedStory:
    doc_path: str  # relative to docs_dir
    draft: DraftStory


class RequestError(Exception):
    """What is wrong with the request; one line per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def resolve_names(names: list[str], registry: Registry, option: str) -> tuple[list[str], list[str]]:
    """Canonical names for `names`, plus a message for each unknown one (with suggestions)."""
    found: list[str] = []
    errors: list[str] = []
    for name in names:
        term = registry.find(name)
        if term is None:
            close = registry.suggest(name)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            errors.append(f"{option} {name!r}: not in the {registry.kind} registry.{hint}")
        elif term.name not in found:
            found.append(term.name)
    return found, errors


def publisher_names(hub: LoadedHub) -> dict[str, str]:
    """Host -> the publisher name stories already use for it, so new sources match old ones."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for story in hub.stories:
        for source in story.sources:
            if source.url and source.publisher:
                seen[_host(source.url)][source.publisher] += 1
    return {host: names.most_common(1)[0][0] for host, names in seen.items()}


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def plan_new_story(request: NewStoryRequest, hub: LoadedHub, stories_dir: str, today: date) -> PlannedStory:
    """Check the request against the registries and the hub; raise RequestError listing every problem."""
    errors: list[str] = []
    title = " ".join(request.title.split())
    if not title:
        errors.append("the title is empty; write it in quotes: hub new \"What happened\" ...")
    if not request.sources:
        errors.append("give at least one --source URL")
    if not request.tags:
        errors.append("give at least one --tag (names from the tags registry)")
    seen: dict[str, str] = {}  # source key -> the address as given first
    for url in request.sources:
        if not is_web_url(url):
            errors.append(f"--source {url!r}: not a full http(s) address")
        elif source_key(url) in seen:
            errors.append(f"--source {url!r}: given twice (the same page as {seen[source_key(url)]!r})")
        seen.setdefault(source_key(url), url)
    tags, tag_errors = resolve_names(request.tags, hub.registries["tag"], "--tag")
    companies, company_errors = resolve_names(request.companies, hub.registries["company"], "--company")
    errors += tag_errors + company_errors
    slug = request.slug or story_slug(title)
    if not slug:
        errors.append("the title gives no usable file name; pass --slug words-with-hyphens")
    day = request.day or today
    doc_path = posixpath.join(stories_dir, str(day.year), f"{slug}.md")
    taken = next((s for s in hub.stories if s.doc_path == doc_path), None)
    if taken is not None and taken.source_path != doc_path:  # the file itself: storyfile refuses it
        errors.append(f"{taken.source_path} already uses the page {doc_path}; pass --slug")
    if errors:
        raise RequestError(errors)
    names = publisher_names(hub)
    sources = [DraftSource(url=url, publisher=names.get(_host(url), _host(url)),
                           title="TODO: the page's headline") for url in request.sources]
    markers = " ".join(f"[{n}]" for n in range(1, len(sources) + 1))
    body = (f"TODO: write the story in your own words and cite each source where you use it: {markers}\n")
    draft = DraftStory(title=title, date=day.isoformat(),
                       summary=request.summary or "TODO: one to three sentences on what happened.",
                       tags=tags, companies=companies, sources=sources, body=body)
    return PlannedStory(doc_path, draft)


def to_fill(draft: DraftStory) -> list[str]:
    """What the editor still has to do before the story can be published."""
    notes = []
    if draft.summary.startswith("TODO"):
        notes.append("summary: one to three plain sentences")
    notes.append(f"sources 1-{len(draft.sources)}: each page's headline as `title` (check `publisher` too)")
    notes.append("body: the story, citing [1], [2] ... where each source is used; delete the TODO line")
    notes.append("then remove `draft: true` to publish")
    return notes
