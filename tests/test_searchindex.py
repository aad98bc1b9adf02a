"""The search index the build writes (hooks/hub/searchindex.py): what is in it, what never is,
its format, and that two builds (cold, warm, serve) write the same bytes."""
from __future__ import annotations

import gzip
import json

import pytest

from hub import searchindex
from hub.catalogue import build_catalogue
from hub.registry import Registry
from hub.searchtext import markdown_text
from hubsite import build_hub, make_hub, search_index, search_pages, story_text

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
    assert (page["kind"], page["title"], page["date"], page["publishers"]) == \
        ("Story", "Export rules tighten", "17 Oct 2023", "Wire One, Wire Two")
    assert page["filters"] == {"year": ["2023"], "topic": ["Regulation"], "company": ["OpenAI"],
                               "publisher": ["Wire One", "Wire Two"]}
    # Its doc file keeps the summary; the snippet's whole text is on the story's page (search.js).
    assert page["content"] == "A short summary of the story."
    _, postings, documents = search_index(built.site)
    chips = [document[0] for document in documents].index("stories/2023/chips/")
    assert chips in postings["accelerators"] and chips in postings["buyers"]  # the body is indexed
    assert chips not in postings.get("1", {}) and chips not in postings.get("curated", {})  # not "[1]", no chrome


def test_topic_company_and_publisher_pages_are_found_by_name_and_alias(built):
    manifest, postings, documents = search_index(built.site)
    urls = [document[0] for document in documents]
    topic = urls.index("tags/llm/")
    assert documents[topic][1:3] == ["Topic", "Large language models"]
    assert topic in postings["llms"] and topic in postings["large"]  # an alias from the registry, the name
    assert topic not in postings["family"]  # the stories it lists are not its text
    assert documents[urls.index("companies/openai/")][1] == "Company"
    assert documents[urls.index("sources/wire-one/")][1:3] == ["Publisher", "Wire One"]
    # The page outranks the stories that name it, and stories come newest first.
    assert max(postings["openai"], key=lambda doc: postings["openai"][doc]) == urls.index("companies/openai/")
    assert urls[:2] == ["stories/2024/model/", "stories/2023/chips/"]
    assert manifest["facets"]["year"] == [["2024", 1], ["2023", 1]]


def test_drafts_and_scheduled_stories_are_never_indexed_even_in_a_preview(tmp_path):
    result = build_hub(make_hub(tmp_path, STORIES), strict=False, serve=True)
    assert "Secret draft" in result.html("stories/2024/secret/index.html")  # the preview shows it
    indexed = search_pages(result.site)
    assert "/stories/2024/model/" in indexed
    assert not {"/stories/2024/secret/", "/stories/2025/later/"} & indexed.keys()
    _, postings, _ = search_index(result.site)
    assert not {"secret", "future"} & postings.keys()


def test_two_builds_write_the_same_index(built, tmp_path):
    again = build_hub(make_hub(tmp_path, STORIES))
    first, second = _files(built.site / "search"), _files(again.site / "search")
    assert first.keys() == second.keys() and first == second
    assert all(data[:2] == b"\x1f\x8b" and data[4:8] == b"\0\0\0\0" for data in first.values())  # gzip, mtime 0


def test_materials_own_search_files_are_not_published(built):
    javascripts = built.site / "assets" / "javascripts"
    assert (javascripts / "search.js").is_file()  # the hub's box
    assert not (javascripts / "lunr").exists() and not (javascripts / "workers").exists()


def test_shards_are_bounded_and_a_term_is_in_exactly_one(tmp_path, monkeypatch):
    monkeypatch.setattr(searchindex, "SHARD_BYTES", 200)
    stories = {f"2024/s{i}.md": story_text(f"Story {i} about widgets", f"2024-01-{i + 1:02d}",
                                           body=f"Widget number w{i} and gadgets [1].") for i in range(20)}
    result = build_hub(make_hub(tmp_path, stories))
    manifest, postings, documents = search_index(result.site)
    assert len(manifest["shards"]) > 3
    for path in (result.site / "search" / "terms").iterdir():
        size = len(gzip.decompress(path.read_bytes()))
        assert size <= 200 or b"widget" in gzip.decompress(path.read_bytes()), path  # one long term may exceed
    stories_only = [i for i, document in enumerate(documents) if document[1] == "Story"]
    assert sorted(postings["widgets"]) == stories_only and all(1 <= w <= 255 for w in postings["widgets"].values())
    assert list(postings["w7"]) == [documents.index(next(d for d in documents if d[2] == "Story 7 about widgets"))]


def test_markdown_text_reads_as_the_page_does():
    assert markdown_text("## Heading\n\nSome *bold* and [a link](https://x.example) [1] [2].\n\n- item one\n"
                         "1. first\n> quoted &amp; <b>tagged</b>") == \
        "Heading Some bold and a link. item one first quoted & tagged"


def _empty() -> searchindex.Sources:
    return searchindex.Sources(build_catalogue([], Registry("tag"), Registry("company"), None, False))


def test_an_unwritable_site_is_an_error_naming_the_folder(tmp_path):
    (tmp_path / "site").write_text("not a folder")
    errors: list[str] = []
    sources = searchindex.Sources(_empty().catalogue, (("about.md", "About", "Who we are"),))
    searchindex.index_site(tmp_path / "site", sources, None, pytest.fail, errors.append)
    assert len(errors) == 1 and "could not write" in errors[0] and str(tmp_path / "site") in errors[0]


def test_an_empty_hub_has_an_empty_index(tmp_path):
    infos: list[str] = []
    searchindex.index_site(tmp_path, _empty(), None, infos.append, pytest.fail)
    assert infos[0].startswith("search index: 0 documents indexed")
    manifest = json.loads(gzip.decompress((tmp_path / "search" / "manifest.bin").read_bytes()))
    assert manifest["documents"] == 0 and manifest["shards"] == []


@pytest.mark.speed_layer  # reads the render cache's log
def test_a_warm_build_reuses_the_index_only_while_its_documents_are_unchanged(tmp_path, monkeypatch):
    """The cache in .cache/hub/search/ never changes what is published: after an edit a warm
    build's index equals a cold build's (HUB_RENDER_CACHE=0), and an unchanged one is reused."""
    warm_config = make_hub(tmp_path / "warm", STORIES)
    first = build_hub(warm_config)
    again = build_hub(warm_config)
    assert any("search index: reused" in message for _, message in again.log)
    assert _files(again.site / "search") == _files(first.site / "search")

    edited = {**STORIES, "2024/model.md": STORIES["2024/model.md"].replace("A new model family", "A renamed family")}
    (tmp_path / "warm" / "content" / "stories" / "2024" / "model.md").write_text(edited["2024/model.md"])
    warm = build_hub(warm_config)
    assert not any("search index: reused" in message for _, message in warm.log)
    kept = list((tmp_path / "warm" / ".cache" / "hub" / "search").iterdir())
    assert len(kept) == 1 and not kept[0].name.endswith(".partial")  # the newest only
    monkeypatch.setenv("HUB_RENDER_CACHE", "0")
    cold = build_hub(make_hub(tmp_path / "cold", edited))
    assert search_pages(warm.site)["/stories/2024/model/"]["title"] == "A renamed family"
    assert _files(warm.site / "search") == _files(cold.site / "search")


@pytest.mark.speed_layer  # reads the render cache's log
@pytest.mark.parametrize("damage", ["flip", "delete", "add"])
def test_a_damaged_stored_index_is_dropped_and_made_again(tmp_path, damage):
    """A changed byte, a missing file or a stray one in .cache/hub/search/ is never published:
    the next build indexes again, says so, and writes what the first build wrote."""
    config = make_hub(tmp_path, STORIES)
    published = _files(build_hub(config).site / "search")
    stored = next((tmp_path / ".cache" / "hub" / "search").iterdir())
    shard = next((stored / "terms").iterdir())
    if damage == "flip":
        data = bytearray(shard.read_bytes())
        data[len(data) // 2] ^= 0xFF
        shard.unlink()  # hard-linked into the site: a new file, not a write through the link
        shard.write_bytes(bytes(data))
    elif damage == "delete":
        shard.unlink()
    else:
        (stored / "terms" / "stray.bin").write_bytes(b"x")
    again = build_hub(config)
    assert any("the stored index was damaged" in message for _, message in again.log)
    assert _files(again.site / "search") == published
    third = build_hub(config)  # and the index made again is stored again
    assert any("search index: reused" in message for _, message in third.log)


def test_a_serve_rebuild_indexes_the_edit(tmp_path):
    """`serve` re-indexes after an edit (it used to keep the index from when it started)."""
    from test_incremental import _build, _hub  # noqa: PLC0415
    config, site, stories, _ = _hub(tmp_path)
    _build(config, dirty=False)
    story = sorted(stories.glob("*.md"))[0]
    story.write_text(story.read_text().replace("title: ", "title: Zanzibar ", 1))
    _build(config, dirty=True)
    assert any(page["title"].startswith("Zanzibar") for page in search_pages(site).values())
