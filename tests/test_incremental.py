"""`serve --dirty`: a rebuild re-renders exactly the hub pages whose content changed."""
from __future__ import annotations

import os
import shutil

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from hubsite import ROOT, make_hub, story_text
import pytest

pytestmark = pytest.mark.speed_layer  # tests of the speed layer: it stays on under HUB_SPEED=0

OLD = 1_000_000_000  # an mtime no build writes: a page that still has it was not re-rendered


def _build(config_file, dirty=True):
    config = load_config(str(config_file), strict=False)
    config.plugins.on_startup(command="serve", dirty=dirty)
    os.environ["SOURCE_DATE_EPOCH"] = "1735689600"
    try:
        build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        config.plugins.on_startup(command="build", dirty=False)


def _age(site):
    for path in [*site.rglob("index.html"), *(site / "feeds").rglob("*.*")]:
        os.utime(path, (OLD, OLD))


def _rerendered(site):
    return sorted(str(p.parent.relative_to(site)) for p in site.rglob("index.html") if p.stat().st_mtime != OLD)


def _rewritten_feeds(site):
    return sorted(str(p.relative_to(site)) for p in (site / "feeds").rglob("*.*") if p.stat().st_mtime != OLD)


def _hub(tmp_path, extra_hub=None):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme_overrides", theme)
    stories = {
        "2024/alpha.md": story_text("Alpha story", "2024-05-01", tags="[LLM]", companies="[OpenAI]"),
        "2024/beta.md": story_text("Beta story", "2024-05-02", tags="[LLM]", companies="[OpenAI]"),
        "2024/gamma.md": story_text("Gamma story", "2024-03-03", tags="[Regulation]", companies="[NVIDIA]",
                                    sources=[{"publisher": "Other Wire", "url": "https://wire.example.org/g",
                                              "title": "G"}]),
    }
    config = make_hub(tmp_path, stories, extra_hub=extra_hub,
                      config={"theme": {"name": "material", "custom_dir": str(theme), "font": False}})
    return config, tmp_path / "site", tmp_path / "content" / "stories" / "2024", theme


def test_edit_rebuilds_the_story_its_listings_and_stories_relating_to_it_only(tmp_path):
    config, site, stories, _ = _hub(tmp_path)
    _build(config)
    _age(site)
    _build(config)  # nothing changed
    assert [p for p in _rerendered(site) if p.startswith(("stories", "tags", "companies", "sources", "archive"))] == []
    assert _rewritten_feeds(site) == ["feeds/feeds.opml"]

    path = stories / "alpha.md"
    path.write_text(path.read_text().replace("Alpha story", "Alpha edited"))
    _build(config)
    changed = _rerendered(site)
    assert "stories/2024/alpha" in changed and "stories/2024/beta" in changed  # beta lists alpha as related
    assert "stories/2024/gamma" not in changed
    assert "tags/regulation" not in changed and "companies/nvidia" not in changed
    for page in ("stories/2024/alpha", "stories/2024/beta", ".", "tags/llm", "companies/openai",
                 "sources/example-news", "archive/2024/05"):
        assert "Alpha edited" in (site / page / "index.html").read_text(), page
    # every story's body is still in the feed, re-rendered or not
    items = yaml.safe_load((site / "feeds" / "feed.json").read_text())["items"]
    assert len(items) == 3 and all(item.get("content_html") for item in items)
    # the feeds that carry alpha are rewritten with the edit, the others are left alone
    feeds = {path.rsplit("/", 1)[0] for path in _rewritten_feeds(site) if not path.endswith(".opml")}
    assert feeds == {"feeds", "feeds/tags/llm", "feeds/companies/openai", "feeds/sources/example-news"}
    assert "Alpha edited" in (site / "feeds/tags/llm/rss.xml").read_text()


def test_edit_rebuilds_the_later_pages_whose_rows_show_the_story(tmp_path):
    """Newest first, one card then one row a page: home is beta, page 2 alpha's row, page 3 gamma's."""
    config, site, stories, _ = _hub(tmp_path, {"per_page": 1, "rows_per_page": 1})
    _build(config)
    _age(site)
    path = stories / "alpha.md"
    path.write_text(path.read_text().replace("Alpha story", "Alpha edited"))
    _build(config)
    changed = _rerendered(site)
    for page in ("page/2", "tags/llm/page/2", "companies/openai/page/2", "sources/example-news/page/2"):
        assert page in changed and 'Alpha edited</a>' in (site / page / "index.html").read_text(), page
    assert "page/3" not in changed and "." not in changed  # gamma's row, beta's card


def test_template_and_config_changes_rebuild_every_hub_page(tmp_path):
    config, site, _, theme = _hub(tmp_path)
    _build(config)
    _age(site)
    story_html = theme / "hub" / "story_content.html"
    story_html.write_text(story_html.read_text().replace("Curated by", "Put together by"))
    _build(config)
    assert "Put together by" in (site / "stories/2024/gamma/index.html").read_text()
    assert "tags/regulation" in _rerendered(site)

    _age(site)
    config.write_text(config.read_text().replace("site_name: Fixture Hub", "site_name: Renamed Hub"))
    _build(config)
    for page in ("stories/2024/gamma", "tags/regulation", "archive/2024/03"):
        assert "Renamed Hub" in (site / page / "index.html").read_text(), page


def test_a_build_that_is_not_dirty_renders_everything(tmp_path):
    config, site, _, _ = _hub(tmp_path)
    _build(config, dirty=False)
    _age(site)
    _build(config, dirty=False)
    assert "stories/2024/gamma" in _rerendered(site) and "tags/regulation" in _rerendered(site)


def test_serve_rereads_only_story_files_whose_bytes_changed(tmp_path):
    from hub.loader import load_registries
    from hub.settings import HubSettings
    from hub_speed.storymemo import StoryMemo

    make_hub(tmp_path, {"2024/a.md": story_text("A", "2024-05-01"), "2024/b.md": story_text("B", "2024-05-02")})
    docs, settings, memo = tmp_path / "content", HubSettings(), StoryMemo()
    paths = ["stories/2024/a.md", "stories/2024/b.md"]

    def read(registries=None):
        registries = registries or load_registries(docs, settings)[0]
        return {story.title: story for story, _ in memo.read(docs, paths, registries, settings)}

    first = read()
    (docs / "stories/2024/b.md").write_text(story_text("B edited", "2024-05-02"))
    second = read()
    assert second["A"] is first["A"] and "B edited" in second and "B" not in second
    # a registry change is a new context: every file is read again
    (docs / "_registry" / "tags.yml").write_text((docs / "_registry" / "tags.yml").read_text().replace(
        "Laws and rules about AI.", "Rules for AI."))
    third = read()
    assert third["A"] is not second["A"] and third["A"].title == "A"


def test_story_memo_reads_many_new_files_on_every_core_with_the_same_results(tmp_path, monkeypatch):
    """A cold build of a large hub reads its story files in worker processes (hub.parallel):
    the same stories and problems, in the same order, as reading them here."""
    import hub.parallel
    from hub.loader import read_files
    from hub.registry import Registry, Term
    from hub.settings import HubSettings
    from hub_speed.storymemo import StoryMemo

    docs = tmp_path / "docs"
    paths = []
    for i in range(9):
        path = docs / "stories" / "2024" / f"s{i}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(story_text(f"Story {i}", body="Cites a missing source [3]." if i == 4 else "Fine [1]."))
        paths.append(f"stories/2024/s{i}.md")
    tags, companies = Registry("tag"), Registry("company")
    tags.add(Term("LLM", "llm"))
    companies.add(Term("OpenAI", "openai"))
    registries, settings = {"tag": tags, "company": companies}, HubSettings()
    serial = list(read_files(docs, paths, registries, settings))
    monkeypatch.setattr(hub.parallel, "MIN_PARALLEL", 2)
    monkeypatch.setattr(hub.parallel, "CHUNK", 2)
    pools = []
    real_pool = hub.parallel.ProcessPoolExecutor
    monkeypatch.setattr(hub.parallel, "ProcessPoolExecutor", lambda **kw: pools.append(kw) or real_pool(**kw))
    parallel = list(StoryMemo().read(docs, paths, registries, settings))
    assert pools  # worker processes did read them
    assert [(s.title if s else None, [str(p) for p in problems]) for s, problems in parallel] == \
           [(s.title if s else None, [str(p) for p in problems]) for s, problems in serial]
    assert any(problems for _, problems in parallel)


def _files(site):
    # Every file, the search index included, must be what a fresh serve makes.
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix != ".gz"}


def test_serve_after_renames_and_deletes_holds_what_a_fresh_serve_would(tmp_path):
    config, site, stories, _ = _hub(tmp_path)
    (stories.parent / "2023").mkdir()
    (stories.parent / "2023" / "lonely.md").write_text(story_text(
        "Lonely story", "2023-02-02", tags="[AI chips]", companies=None,
        sources=[{"publisher": "Lone Gazette", "url": "https://lone.example.net/x", "title": "X"}]))
    _build(config, dirty=False)
    _build(config)
    (stories / "gamma.md").rename(stories / "gamma-renamed.md")
    (stories.parent / "2023" / "lonely.md").unlink()
    _build(config)
    served = _files(site)
    assert not any("lonely" in path or "lone-gazette" in path or "ai-chips" in path or "2023" in path
                   for path in served), [p for p in served if "lonely" in p or "2023" in p]
    fresh = tmp_path / "fresh.yml"
    settings = yaml.safe_load(config.read_text())
    fresh.write_text(yaml.safe_dump({**settings, "site_dir": str(tmp_path / "fresh-site")}))
    _build(fresh, dirty=False)
    assert served == _files(tmp_path / "fresh-site")
