"""The static JSON API under `api/`: what a client needs to rebuild every listing.

`api/stories.json` is a small index; the stories themselves are split into pages of at most
`api_page_size` (`api/stories/page-N.json`, newest first, like the site's listings), so no file
grows without bound as the hub grows. Tags, companies and publishers are one file each: they
grow with the registries, not with the number of stories. Stories name their tags, companies
and publishers by slug; those slugs key the other three files. Published stories only.
"""
from __future__ import annotations

import json
from typing import Any

from .catalogue import Catalogue, publisher_slug
from .channels import Channel
from .dates import iso
from .kinds import COMPANY, KINDS
from .model import Story
from .siteinfo import SiteInfo
from .subjects import Subject, subjects

API_DIR = "api"
API_VERSION = 1


def _dump(data: Any) -> bytes:
    """Compact, key order as built, UTF-8: the same data always gives the same bytes."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def page_path(number: int) -> str:
    return f"{API_DIR}/stories/page-{number}.json"


def story_record(story: Story, site: SiteInfo) -> dict[str, Any]:
    """One story: ids, dates, relations by slug, and its numbered sources."""
    return {
        "id": site.story_id(story),
        "slug": story.slug,
        "url": site.page_url(story.doc_path),
        "title": story.title,
        "summary": story.summary,
        "date_published": iso(story.date),
        "date_modified": iso(story.modified),
        "curator": story.curator,
        "image": story.image or None,
        "tags": [t.slug for t in story.tags],
        "companies": [c.slug for c in story.companies],
        "publishers": list(dict.fromkeys(publisher_slug(s.publisher) for s in story.sources
                                         if s.publisher)),
        "sources": [{
            "number": s.number,
            "publisher": s.publisher,
            "publisher_slug": publisher_slug(s.publisher),
            "title": s.title,
            "url": s.url or None,
            "author": s.author or None,
            "date": iso(s.date) if s.date else None,
        } for s in story.sources],
        "corrections": [{"date": iso(c.date), "text": c.text} for c in story.corrections],
        "follows": story.follows or None,
    }


def story_pages(stories: list[Story], site: SiteInfo, page_size: int) -> dict[str, bytes]:
    """The index and every page of stories."""
    chunks = [stories[i:i + page_size] for i in range(0, len(stories), page_size)] or [[]]
    total = len(chunks)
    outputs: dict[str, bytes] = {}
    pages_index = []
    for number, chunk in enumerate(chunks, start=1):
        outputs[page_path(number)] = _dump({
            "version": API_VERSION,
            "page": number,
            "pages": total,
            "count": len(chunk),
            "previous": site.file_url(page_path(number - 1)) if number > 1 else None,
            "next": site.file_url(page_path(number + 1)) if number < total else None,
            "stories": [story_record(story, site) for story in chunk],
        })
        pages_index.append({
            "page": number,
            "url": site.file_url(page_path(number)),
            "count": len(chunk),
            "newest": iso(chunk[0].date) if chunk else None,
            "oldest": iso(chunk[-1].date) if chunk else None,
        })
    outputs[f"{API_DIR}/stories.json"] = _dump({
        "version": API_VERSION,
        "site": {"name": site.name, "url": site.url, "language": site.language},
        "count": len(stories),
        "page_size": page_size,
        "updated": iso(max(s.modified for s in stories)) if stories else None,
        "pages": pages_index,
    })
    return outputs


def _feeds(channels: dict[str, Channel], key: str, site: SiteInfo) -> dict[str, str] | None:
    channel = channels.get(key)
    if channel is None:
        return None
    return {fmt.key: site.file_url(channel.path(fmt)) for fmt in channel.formats}


def _subject_record(subject: Subject, channels: dict[str, Channel], site: SiteInfo) -> dict[str, Any]:
    """A topic, company or publisher: count, newest story date, page and feed URLs."""
    record: dict[str, Any] = {"slug": subject.slug, "name": subject.name}
    if subject.term is not None:
        record |= {"description": subject.term.description, "aliases": list(subject.term.aliases)}
    record |= {
        "url": site.page_url(subject.page_path),
        "count": len(subject.stories),
        "latest": iso(subject.stories[0].date),
        "feeds": _feeds(channels, subject.channel_key, site),
    }
    if subject.kind is COMPANY and subject.term is not None:
        record["homepage"] = subject.term.homepage or None
    return record


def build_api_files(catalogue: Catalogue, channels: list[Channel], site: SiteInfo,
                    page_size: int) -> dict[str, bytes]:
    """Every API file, keyed by path inside the site folder. `catalogue` must be published-only."""
    by_key = {channel.key: channel for channel in channels}
    outputs = story_pages(catalogue.stories, site, page_size)
    for kind in KINDS:
        if kind.api_name:
            records = [_subject_record(subject, by_key, site) for subject in subjects(catalogue, kind, site.name)]
            outputs[f"{API_DIR}/{kind.api_name}.json"] = _dump(
                {"version": API_VERSION, "count": len(records), kind.api_name: records})
    return outputs
