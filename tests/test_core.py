"""Unit tests of the core's small pieces: dates, slugs, URLs, citations, registries, catalogue."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from hub.catalogue import build_catalogue
from hub.citations import find_markers, link_markers
from hub.dates import DateError, parse_datetime
from hub.pages import Paging, paginate
from hub.paths import doc_url
from hub.problems import ProblemList
from hub.reader import read_story
from hub.registry import Registry, Term
from hub.settings import HubSettings
from hub.slugs import is_valid_slug, slugify
from hub.urls import is_web_url, source_key
from hubsite import story_text


@pytest.mark.parametrize("text, expected, has_time", [
    ("2024-08-26", datetime(2024, 8, 26, tzinfo=timezone.utc), False),
    ("2024-08-26T16:02:00Z", datetime(2024, 8, 26, 16, 2, tzinfo=timezone.utc), True),
    ("2024-08-26 16:02", datetime(2024, 8, 26, 16, 2, tzinfo=timezone.utc), True),
    ("2024-08-26T18:02:00+02:00", datetime(2024, 8, 26, 16, 2, tzinfo=timezone.utc), True),
    ("2024-02-29T00:00:00.5-01:30", datetime(2024, 2, 29, 1, 30, 0, 500000, tzinfo=timezone.utc), True),
])
def test_dates_parse_to_utc(text, expected, has_time):
    assert parse_datetime(text) == (expected, has_time)


@pytest.mark.parametrize("text", ["2024-13-01", "2023-02-29", "2024-08-26T25:00", "26/08/2024", "20240826", ""])
def test_impossible_dates_are_refused(text):
    with pytest.raises(DateError):
        parse_datetime(text)


def test_slugs():
    assert slugify("Large Language Models") == "large-language-models"
    assert slugify("Café Ünïcode — 2024!") == "cafe-unicode-2024"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert not is_valid_slug("../x") and not is_valid_slug("a--b") and is_valid_slug("gpt-4o")


def test_urls():
    assert is_web_url("https://example.com/a") and is_web_url("http://example.com")
    for bad in ("javascript:alert(1)", "data:text/html,x", "vbscript:x", "//example.com", "https://", "https://a b"):
        assert not is_web_url(bad), bad
    assert source_key("HTTPS://Example.COM:443/a/?utm_source=x&b=1&fbclid=z#frag") == "example.com/a?b=1"


def test_citation_markers_skip_code_links_and_definitions():
    body = "Claim [1]. A link [2](https://x.example). `[3]` in code.\n```\n[4]\n```\n[5]: https://ref.example\nEnd [6]:"
    assert find_markers(body) == [(0, 1), (5, 6)]
    assert find_markers("Runs [1][2] count; [Reuters][1] and [2024][1] are references.") == [(0, 1), (0, 2)]
    linked = link_markers("A [1] and [1] and [9].", 2)
    assert linked.count('href="#source-1"') == 2 and 'id="cite-1"' in linked and 'id="cite-1-2"' in linked
    assert "[9]" in linked  # out of range stays as typed (the reader reports it)


def test_citation_tokens_expand_to_the_same_links_and_headings_keep_raw_html():
    from hub.citations import expand_markers
    body = "## Heading [2]\n\nA [1] and [1] and [9].\n\nSetext [2]\n---\n`[1]`"
    direct = link_markers(body, 2)
    tokened = link_markers(body, 2, "tokq")
    assert "tokq1n1x" in tokened and "tokq1n2x" in tokened and "[9]" in tokened
    assert tokened.splitlines()[0] == direct.splitlines()[0]  # heading: raw HTML, not a token
    assert "tokq2" not in tokened.splitlines()[4]  # setext heading too
    assert expand_markers(tokened, "tokq") == direct


def test_registry_finds_by_name_slug_alias_any_case():
    registry = Registry("tag")
    term = Term("Large language models", "llm", aliases=("LLMs",))
    assert registry.add(term) is None
    assert registry.find("large LANGUAGE models") is term and registry.find("llms") is term and registry.find("LLM") is term
    assert registry.add(Term("Other", "other", aliases=("llms",))) is term  # clash reported
    assert registry.suggest("Large langage model") == ["Large language models"]


def test_paginate_paths():
    pages = paginate("tags/ai.md", list(range(5)), Paging(2, 2))  # type: ignore[arg-type]
    assert [path for path, _, _ in pages] == ["tags/ai.md", "tags/ai/page/2.md", "tags/ai/page/3.md"]
    assert pages[1][1].previous == "tags/ai.md" and pages[1][1].next == "tags/ai/page/3.md"
    assert [path for path, _, _ in paginate("index.md", [], Paging(2, 2))] == ["index.md"]
    assert paginate("archive/index.md", list(range(3)), Paging(2, 2))[1][0] == "archive/page/2.md"  # type: ignore[arg-type]


@pytest.mark.parametrize("total, bounds", [
    (0, [(0, 0)]), (1, [(0, 1)]), (20, [(0, 20)]), (21, [(0, 20), (20, 21)]), (120, [(0, 20), (20, 120)]),
    (121, [(0, 20), (20, 120), (120, 121)]), (350, [(0, 20), (20, 120), (120, 220), (220, 320), (320, 350)]),
])
def test_first_page_holds_per_page_stories_and_each_later_page_rows_per_page(total, bounds):
    assert Paging(20, 100).bounds(total) == bounds
    pages = paginate("index.md", list(range(total)), Paging(20, 100))  # type: ignore[arg-type]
    assert [chunk for _, _, chunk in pages] == [list(range(start, stop)) for start, stop in bounds]
    assert [pager.number for _, pager, _ in pages] == list(range(1, len(bounds) + 1))
    assert all(pager.count == len(bounds) for _, pager, _ in pages)


def test_rows_per_page_setting():
    assert HubSettings().rows_per_page == 100
    assert HubSettings.from_mapping({"rows_per_page": 50}) == (HubSettings(rows_per_page=50), [])
    for bad in (0, -3, "x", 2.5, True):
        settings, complaints = HubSettings.from_mapping({"rows_per_page": bad})
        assert settings.rows_per_page == 100
        assert complaints == ["extra.hub.rows_per_page: must be a whole number of at least 1"], bad


def test_doc_urls():
    assert doc_url("index.md") == "" and doc_url("tags/index.md") == "tags/" and doc_url("tags/ai.md") == "tags/ai/"
    assert doc_url("tags/ai.md", False) == "tags/ai.html"


def _story(path: str, date: str, tags: str, registries):
    story, problems = read_story(path, story_text(date=date, tags=tags).encode(), registries, HubSettings())
    assert not problems, problems
    return story


def _registries() -> dict[str, Registry]:
    """Tags A, B, C and the company OpenAI (what story_text cites)."""
    tags = Registry("tag")
    for name in ("A", "B", "C"):
        tags.add(Term(name, name.lower()))
    companies = Registry("company")
    companies.add(Term("OpenAI", "openai"))
    return {"tag": tags, "company": companies}


def test_catalogue_orders_indexes_and_relates():
    registries = _registries()
    tags, companies = registries["tag"], registries["company"]
    s1 = _story("stories/2024/one.md", "2024-01-01", "[A, B]", registries)
    s2 = _story("stories/2024/two.md", "2024-02-01", "[A]", registries)
    s3 = _story("stories/2024/three.md", "2024-03-01", "[A, B]", registries)
    s4 = _story("stories/2024/four.md", "2030-01-01", "[C]", registries)
    catalogue = build_catalogue([s1, s2, s3, s4], tags, companies,
                                datetime(2025, 1, 1, tzinfo=timezone.utc), include_unpublished=False)
    assert catalogue.stories == [s3, s2, s1] and catalogue.unpublished == [s4]
    assert catalogue.by_tag["a"] == [s3, s2, s1] and "c" not in catalogue.by_tag
    assert sorted(catalogue.by_month) == [(2024, 1), (2024, 2), (2024, 3)]
    assert catalogue.related(s1, 5) == [s3, s2]  # most shared first, then newest


def test_problem_format():
    problems = ProblemList("stories/2024/x.md")
    problems.add(3, "date", "is wrong", "Fix it.")
    assert str(problems[0]) == "stories/2024/x.md:3: date: is wrong Fix: Fix it."


def test_related_stories_reused_only_for_the_same_catalogue():
    """A later build takes related stories from a table of an identical catalogue; a changed
    tag changes the digest, and a table that does not fit is refused."""
    registries = _registries()
    tags = registries["tag"]

    def catalogue(last_tags="[A, B]"):
        stories = [_story(f"stories/2024/s{day}.md", f"2024-01-0{day}", "[A, C]" if day % 2 else "[A, B]", registries)
                   for day in range(1, 7)]
        stories.append(_story("stories/2024/last.md", "2024-01-09", last_tags, registries))
        return build_catalogue(stories, tags, registries["company"], None, include_unpublished=False)

    first = catalogue()
    table = first.related_table(3)
    again = catalogue()
    assert again.related_digest(3) == first.related_digest(3) and again.use_related(3, table)
    assert {s.doc_path: [o.doc_path for o in again.related(s, 3)] for s in again.stories} == table
    assert table["stories/2024/last.md"][:2] == ["stories/2024/s6.md", "stories/2024/s4.md"]
    assert catalogue("[A, C]").related_digest(3) != first.related_digest(3)
    assert first.related_digest(2) != first.related_digest(3)
    assert not catalogue().use_related(3, {**table, "stories/2024/other.md": []})
    assert not catalogue().use_related(3, {path: ["stories/2024/gone.md"] for path in table})


def test_similar_names_are_found_through_an_index_not_every_pair(monkeypatch):
    import difflib

    from hub import report

    def no_pairwise(*args, **kwargs):
        raise AssertionError("compared every pair")

    monkeypatch.setattr(difflib, "SequenceMatcher", no_pairwise)
    keys = ["aichip", "aichipz", "openai", "openal", "largelanguagemodel", "largelangauagemodels",
            "nvidia", "anthropic", "antrhopic", "meta", "metaplatforms"]
    assert report.close_pairs(keys) == {("aichip", "aichipz"), ("openai", "openal"),
                                        ("largelangauagemodels", "largelanguagemodel"),
                                        ("anthropic", "antrhopic")}
