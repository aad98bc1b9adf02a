"""The Pagefind index the build writes (hooks/hub/searchindex.py): what is in it, what never is,
and that two builds write the same bytes."""
from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from hub import searchindex
from hubsite import build_hub, make_hub, search_pages, story_text

STORIES = {
    "2023/chips.md": story_text("Export rules tighten", "2023-10-17", tags="[Regulation]", companies="[OpenAI]",
                                sources=[{"publisher": "Wire One", "url": "https://one.example.org/a", "title": "A"},
                                         {"publisher": "Wire Two", "url": "https://two.example.org/b", "title": "B"}],
                                body="Rules on accelerators tightened [1]. Buyers adapted [2]."),
    "2024/model.md": story_text("A new model family", "2024-03-04", tags="[LLM, Regulation]",
                                body="The family comes in three sizes [1]."),
    "2024/secret.md": story_text("Secret draft", "2024-06-02", extra="draft: true"),
    "2025/later.md": story_text("From the future", "2025-03-01"),
}


def _files(folder):
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_hub(make_hub(tmp_path_factory.mktemp("search"), STORIES))


def test_stories_are_indexed_with_date_publishers_and_filters_without_citation_markers(built):
    assert built.aborted is None and built.messages() == []
    page = search_pages(built.site)["/stories/2023/chips/"]
    assert page["meta"] == {"kind": "Story", "title": "Export rules tighten", "date": "17 Oct 2023",
                            "publishers": "Wire One, Wire Two"}
    assert page["filters"] == {"year": ["2023"], "topic": ["Regulation"], "company": ["OpenAI"],
                               "publisher": ["Wire One", "Wire Two"]}
    assert "Rules on accelerators tightened" in page["content"]
    assert "[1]" not in page["content"] and "↩" not in page["content"] and "Curated by" not in page["content"]


def test_topic_company_and_publisher_pages_are_found_by_name_and_alias(built):
    indexed = search_pages(built.site)
    topic = indexed["/tags/llm/"]
    assert topic["meta"] == {"kind": "Topic", "title": "Large language models"}
    assert "LLMs" in topic["content"]  # an alias from the registry
    assert "A new model family" not in topic["content"]  # the stories it lists are not its text
    assert indexed["/companies/openai/"]["meta"]["kind"] == "Company"
    assert indexed["/sources/wire-one/"]["meta"] == {"kind": "Publisher", "title": "Wire One"}


def test_drafts_and_scheduled_stories_are_never_indexed_even_in_a_preview(tmp_path):
    result = build_hub(make_hub(tmp_path, STORIES), strict=False, serve=True)
    assert "Secret draft" in result.html("stories/2024/secret/index.html")  # the preview shows it
    indexed = search_pages(result.site)
    assert "/stories/2024/model/" in indexed
    assert not {"/stories/2024/secret/", "/stories/2025/later/"} & indexed.keys()
    assert not any("Secret draft" in page["content"] or "From the future" in page["content"]
                   for page in indexed.values())


def test_two_builds_write_the_same_index(built, tmp_path):
    again = build_hub(make_hub(tmp_path, STORIES))
    first, second = _files(built.site / "pagefind"), _files(again.site / "pagefind")
    assert first.keys() == second.keys() and first == second


def test_filter_files_are_sorted_and_named_by_their_content(built):
    """Pagefind writes filter values in a random hash-map order; canonicalise sorts them."""
    bundle = built.site / "pagefind"
    filters = sorted((bundle / "filter").glob("*.pf_filter"))
    assert len(filters) == 4
    for path in filters:
        name, values = searchindex._read(path)
        assert [value[0] for value in values] == sorted(value[0] for value in values), name
        data = gzip.decompress(path.read_bytes())
        assert path.stem == "en_" + searchindex.hashlib.sha256(data).hexdigest()[:7]


def test_cbor_round_trip_is_byte_exact(built):
    """Re-encoding what Pagefind wrote gives its bytes back: only the order canonicalise sorts changes."""
    for path in (built.site / "pagefind").rglob("*.pf_*"):
        if path.suffix in (".pf_meta", ".pf_filter", ".pf_index"):
            data = gzip.decompress(path.read_bytes())
            value, end = searchindex._decode(data, len(searchindex.SIGNATURE))
            assert end == len(data) and searchindex._encode(value) == data, path


def test_a_failing_or_missing_pagefind_is_an_error_naming_the_fix(tmp_path):
    (tmp_path / "index.html").write_text("<html><body data-pagefind-body>x</body></html>")
    with pytest.raises(searchindex.SearchIndexError, match="Pagefind failed"):
        searchindex.build_index(tmp_path, executable=Path("/bin/false"))
    with pytest.raises(searchindex.SearchIndexError, match="reinstall the pinned requirements"):
        searchindex.build_index(tmp_path, executable=tmp_path / "index.html")  # not a program


def test_a_hub_with_no_page_to_index_builds(tmp_path):
    infos: list[str] = []
    errors: list[str] = []
    searchindex.index_site(tmp_path, None, infos.append, errors.append)
    assert errors == [] and infos[0].startswith("search index: 0 pages indexed")


@pytest.mark.speed_layer  # reads the render cache's log
def test_a_warm_build_reuses_the_index_only_while_its_pages_are_unchanged(tmp_path, monkeypatch):
    """The cache in .cache/hub/search/ never changes what is published: after an edit a warm
    build's index equals a cold build's (HUB_RENDER_CACHE=0), and an unchanged one is reused."""
    warm_config = make_hub(tmp_path / "warm", STORIES)
    first = build_hub(warm_config)
    again = build_hub(warm_config)
    assert any("search index: reused" in message for _, message in again.log)
    assert _files(again.site / "pagefind") == _files(first.site / "pagefind")

    edited = {**STORIES, "2024/model.md": STORIES["2024/model.md"].replace("A new model family", "A renamed family")}
    (tmp_path / "warm" / "content" / "stories" / "2024" / "model.md").write_text(edited["2024/model.md"])
    warm = build_hub(warm_config)
    assert not any("search index: reused" in message for _, message in warm.log)
    monkeypatch.setenv("HUB_RENDER_CACHE", "0")
    cold = build_hub(make_hub(tmp_path / "cold", edited))
    assert search_pages(warm.site)["/stories/2024/model/"]["meta"]["title"] == "A renamed family"
    assert _files(warm.site / "pagefind") == _files(cold.site / "pagefind")


def test_a_serve_rebuild_keeps_the_index_it_has_and_a_build_never_does(built, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built.site, site)
    before = _files(site / "pagefind")
    page = site / "stories" / "2024" / "model" / "index.html"
    page.write_text(page.read_text().replace("A new model family", "A renamed family"))
    infos: list[str] = []
    searchindex.index_site(site, None, infos.append, pytest.fail, keep=True)
    assert infos[0].startswith("search index: kept") and _files(site / "pagefind") == before
    searchindex.index_site(site, None, infos.append, pytest.fail, keep=False)
    assert search_pages(site)["/stories/2024/model/"]["meta"]["title"] == "A renamed family"
    shutil.rmtree(site / "pagefind")
    searchindex.index_site(site, None, infos.append, pytest.fail, keep=True)  # serve's first build
    assert "/stories/2024/model/" in search_pages(site)
