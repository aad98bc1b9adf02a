"""Listing kinds are declared once (hub.kinds) and pages, channels, feeds and the API follow
the declarations: every page of a kind with feeds names a channel that exists, the API and the
directories list the same subjects in the same order, and the OPML groups follow KINDS."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from hub.catalogue import build_catalogue
from hub.channels import plan_channels
from hub.feeds import render_opml
from hub.jsonapi import build_api_files
from hub.kinds import HOME, KINDS, RSS
from hub.pages import Paging, generate_pages
from hub.reader import read_story
from hub.registry import Registry, Term
from hub.settings import HubSettings
from hub.siteinfo import SiteInfo
from hubsite import story_text

SITE = SiteInfo.create("Kinds Hub", "https://hub.example.org/")
PAGING = Paging(2, 2)


def _registries() -> dict[str, Registry]:
    tags, companies = Registry("tag"), Registry("company")
    for name in ("LLM", "Chips", "Policy"):
        tags.add(Term(name, name.lower()))
    for name in ("OpenAI", "NVIDIA"):
        companies.add(Term(name, name.lower()))
    return {"tag": tags, "company": companies}


@pytest.fixture(scope="module")
def catalogue():
    registries = _registries()
    texts = {
        "stories/2024/a.md": story_text("A", "2024-01-05", tags="[LLM]", companies="[OpenAI]"),
        "stories/2024/b.md": story_text("B", "2024-01-20", tags="[LLM, Chips]", companies="[NVIDIA]",
                                        extra="follows: a"),
        "stories/2024/c.md": story_text("C", "2024-02-03", tags="[Chips]", companies=None,
                                        extra="updated: 2024-06-01"),
        "stories/2024/d.md": story_text("D", "2024-03-09", tags="[LLM]", companies="[OpenAI]", sources=[
            {"publisher": "Other Daily", "url": "https://other.example.com/d", "title": "D happened",
             "date": "2024-03-09"}]),
        "stories/2024/e.md": story_text("E", "2024-03-10", tags="[Policy]", companies=None, extra="follows: b"),
    }
    stories = []
    for path, text in texts.items():
        story, problems = read_story(path, text.encode(), registries, HubSettings())
        assert not problems, problems
        stories.append(story)
    return build_catalogue(stories, registries["tag"], registries["company"],
                           datetime(2025, 1, 1, tzinfo=timezone.utc), include_unpublished=False)


def test_every_listing_page_offers_the_channel_its_kind_declares(catalogue):
    pages = generate_pages(catalogue, PAGING, SITE.name)
    channels = {channel.key: channel for channel in plan_channels(catalogue, SITE.name, 50)}
    assert {spec.listing for spec in pages} == set(KINDS)
    for spec in pages:
        if spec.directory:
            assert spec.doc_path == spec.listing.directory_path and spec.channel_key is None
        elif spec.listing.feed_formats:
            channel = channels[spec.channel_key]
            assert channel.kind is spec.listing and channel.formats == spec.listing.feed_formats
            first_page = spec.pager.doc_paths[0]
            assert channel.page == first_page, spec.doc_path
        else:
            assert spec.channel_key is None, spec.doc_path
    assert set(channels) == {spec.channel_key for spec in pages if spec.channel_key is not None}
    assert channels[""].kind is HOME and len(channels[""].formats) == 3
    assert all(RSS in kind.feed_formats for kind in KINDS if kind.feed_formats)  # the OPML lists RSS


def test_a_listing_s_sitemap_date_is_its_newest_change_on_every_page(catalogue):
    pages = generate_pages(catalogue, PAGING, SITE.name)
    chips = [spec for spec in pages if spec.kind == "tag" and spec.doc_path.startswith("tags/chips")]
    assert len(chips) == 1 and chips[0].updated == "2024-06-01"  # C's `updated`
    llm = [spec for spec in pages if spec.kind == "tag" and "tags/llm" in spec.doc_path]
    assert [spec.doc_path for spec in llm] == ["tags/llm.md", "tags/llm/page/2.md"]
    assert {spec.updated for spec in llm} == {"2024-03-09"}  # page 2 shows older stories: same date


def test_directories_api_and_opml_list_the_same_subjects_in_the_same_order(catalogue):
    pages = {spec.doc_path: spec for spec in generate_pages(catalogue, PAGING, SITE.name)}
    channels = plan_channels(catalogue, SITE.name, 50)
    api = build_api_files(catalogue, channels, SITE, 10)
    for kind in KINDS:
        if not kind.api_name:
            continue
        rows = [row.doc_path for row in pages[kind.directory_path].rows]
        records = json.loads(api[f"api/{kind.api_name}.json"])[kind.api_name]
        assert [f"{kind.folder}/{record['slug']}.md" for record in records] == rows, kind.key
        assert all(record["feeds"] == {"rss": SITE.file_url(f"feeds/{kind.folder}/{record['slug']}/rss.xml")}
                   for record in records)
    assert [row.doc_path for row in pages["tags/index.md"].rows] == ["tags/llm.md", "tags/chips.md",
                                                                     "tags/policy.md"]
    opml = render_opml(channels, SITE).decode()
    groups = re.findall(r'<outline text="([^"]+)" title="[^"]+">', opml)
    assert groups == ["Whole hub", "Topics", "Companies", "Sources", "Developing stories"]
