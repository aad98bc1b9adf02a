"""The render cache (.cache/hub/): a repeated build reuses pages, and never a stale one."""
from __future__ import annotations

import shutil
import sys

from hubsite import ROOT, build_hub, make_hub, story_text
import pytest

pytestmark = pytest.mark.speed_layer  # tests of the speed layer: it stays on under HUB_SPEED=0


def _hub(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme_overrides", theme)
    stories = {
        "2024/alpha.md": story_text("Alpha story", "2024-05-01", tags="[LLM]"),
        "2024/beta.md": story_text("Beta story", "2024-05-02", tags="[LLM]"),
        "2024/gamma.md": story_text("Gamma story", "2024-03-03", tags="[Regulation]", companies="[NVIDIA]"),
    }
    config = make_hub(tmp_path, stories, config={"theme": {"name": "material", "custom_dir": str(theme),
                                                            "font": False}})
    return config, theme, tmp_path / "content" / "stories" / "2024"


def _pages(site):
    """Every output file but the gzipped sitemap (gzip stamps the time)."""
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix != ".gz"}


def _reused(result):
    [line] = [m for m in result.messages("INFO") if m.startswith("hub: render cache:") or "render cache:" in m]
    return int(line.split("render cache: ")[1].split()[0])


def test_warm_build_reuses_every_hub_page_and_writes_the_same_site(tmp_path, monkeypatch):
    config, _, _ = _hub(tmp_path)
    cold = build_hub(config)
    assert cold.aborted is None and _reused(cold) == 0
    first = _pages(cold.site)
    import hub.feeds
    made = []
    real = hub.feeds.make_entry
    monkeypatch.setattr(hub.feeds, "make_entry", lambda *a: made.append(a) or real(*a))
    warm = build_hub(config)
    monkeypatch.setattr(hub.feeds, "make_entry", real)
    assert _reused(warm) > 10
    assert made == []  # every feed channel came from the cache
    assert _pages(warm.site) == first
    monkeypatch.setenv("HUB_RENDER_CACHE", "0")
    assert _pages(build_hub(config).site) == first  # the same as without the cache
    monkeypatch.delenv("HUB_RENDER_CACHE")
    shutil.rmtree(tmp_path / ".cache")  # safe to delete
    again = build_hub(config)
    assert _reused(again) == 0 and _pages(again.site) == first


def test_each_kind_of_input_change_reaches_the_output(tmp_path):
    config, theme, stories = _hub(tmp_path)
    build_hub(config)
    # story text: its page, its listings, and the story that shows it as related
    path = stories / "alpha.md"
    path.write_text(path.read_text().replace("Alpha story", "Alpha edited").replace("Something happened", "Much happened"))
    result = build_hub(config)
    for page in ("stories/2024/alpha", "stories/2024/beta", ".", "tags/llm", "archive/2024/05"):
        assert "Alpha edited" in result.html(f"{page}/index.html"), page
    assert "Much happened" in result.html("stories/2024/alpha/index.html")
    assert "Much happened" in result.html("feeds/feed.json")  # feeds are cached per channel too
    assert "Alpha edited" in result.html("feeds/tags/llm/rss.xml")
    assert _reused(result) > 0  # gamma and its listings were not touched
    # config
    config.write_text(config.read_text().replace("site_name: Fixture Hub", "site_name: Renamed Hub"))
    result = build_hub(config)
    assert _reused(result) == 0 and "Renamed Hub" in result.html("stories/2024/gamma/index.html")
    # templates
    story_html = theme / "hub" / "story_content.html"
    story_html.write_text(story_html.read_text().replace("Curated by", "Put together by"))
    result = build_hub(config)
    assert _reused(result) == 0 and "Put together by" in result.html("stories/2024/gamma/index.html")
    # registries
    registry = tmp_path / "content" / "_registry" / "tags.yml"
    registry.write_text(registry.read_text().replace("Laws and rules about AI.", "Rules for AI, rewritten."))
    result = build_hub(config)
    assert "Rules for AI, rewritten." in result.html("tags/index.html")
    assert "Rules for AI, rewritten." in result.html("tags/regulation/index.html")
    # package versions and hook code: a new environment key reuses nothing
    cache = sys.modules[str(ROOT / "hooks" / "hub_mkdocs.py")]._process.render_cache  # MkDocs names hooks by path
    cache._environment = "another mkdocs-material version"
    try:
        assert _reused(build_hub(config)) == 0
    finally:
        cache._environment = None
    # the build time ("now"): a story becomes published
    path.write_text(path.read_text().replace("2024-05-01", "2025-06-01"))
    assert "Alpha edited" not in build_hub(config).html("index.html")  # scheduled: not yet
    assert "Alpha edited" in build_hub(config, source_date_epoch=1_780_000_000).html("index.html")


def test_a_build_reuses_stored_reader_results_and_still_reports_their_problems(tmp_path, monkeypatch):
    import hub.parallel

    stories = {"2024/alpha.md": story_text("Alpha story", "2024-05-01"),
               "2024/bad.md": story_text("Bad story", "2024-05-02", body="Cites a missing source [2].")}
    config = make_hub(tmp_path, stories)
    first = build_hub(config, strict=False)
    errors = first.messages()
    assert any("bad.md" in m for m in errors)
    reads = []
    real = hub.parallel.read_story
    monkeypatch.setattr(hub.parallel, "read_story", lambda *a: reads.append(a[0]) or real(*a))
    hooks = sys.modules[str(ROOT / "hooks" / "hub_mkdocs.py")]
    hooks._process.story_memo.__init__()  # as in a new process: only the cache remains
    second = build_hub(config, strict=False)
    assert reads == [] and second.messages() == errors
    path = tmp_path / "content" / "stories" / "2024" / "alpha.md"
    path.write_text(path.read_text().replace("Alpha story", "Alpha edited"))
    hooks._process.story_memo.__init__()
    third = build_hub(config, strict=False)
    assert reads == ["stories/2024/alpha.md"] and "Alpha edited" in third.html("stories/2024/alpha/index.html")


def test_cross_story_checks_are_reused_only_for_the_same_stories_and_build_time(tmp_path, monkeypatch):
    from hub_speed import storymemo as hub_storymemo

    shared = [{"publisher": "Example News", "url": "https://news.example.com/a", "title": "A"},
              {"publisher": "Other News", "url": "https://other.example.com/b", "title": "B"}]
    stories = {"2024/alpha.md": story_text("Alpha story", "2024-05-01", sources=shared, body="It [1] [2]."),
               "2024/beta.md": story_text("Beta story", "2024-05-02", body="Something [1].")}
    config = make_hub(tmp_path, stories)
    checks = []
    real = hub_storymemo.check_integrity
    monkeypatch.setattr(hub_storymemo, "check_integrity", lambda *a: checks.append(len(a[0])) or real(*a))

    def duplicates(result):
        return [m for m in result.messages("INFO") if "possible duplicate" in m]

    assert build_hub(config).aborted is None and checks == [2]
    assert build_hub(config).aborted is None and checks == [2]  # same stories, same time: reused
    beta = tmp_path / "content" / "stories" / "2024" / "beta.md"
    beta.write_text(story_text("Beta story", "2024-05-02", sources=shared, body="It [1] [2]."))
    edited = build_hub(config)
    assert checks == [2, 2] and len(duplicates(edited)) == 1  # an edit that makes a duplicate
    again = build_hub(config)
    assert checks == [2, 2] and duplicates(again) == duplicates(edited)  # reported again from the cache
    later = build_hub(config, source_date_epoch=1_767_225_600)
    assert checks == [2, 2, 2] and duplicates(later) == duplicates(edited)  # another build time: checked


def test_a_damaged_cache_file_costs_one_cold_build_and_nothing_else(tmp_path):
    config, _, _ = _hub(tmp_path)
    first = _pages(build_hub(config).site)
    database = tmp_path / ".cache" / "hub" / "pages.sqlite"
    for leftover in database.parent.glob("pages.sqlite-*"):  # WAL files
        leftover.unlink()
    database.write_bytes(b"this is not an SQLite database" * 100)
    damaged = build_hub(config)
    assert damaged.aborted is None and damaged.messages("ERROR") == [] and damaged.messages("WARNING") == []
    assert _pages(damaged.site) == first
    again = build_hub(config)
    assert _reused(again) == 0 and _pages(again.site) == first  # a fresh cache, filled by this build
    assert _reused(build_hub(config)) > 10


def test_a_build_while_another_holds_the_cache_goes_on_without_it(tmp_path):
    import sqlite3

    config, _, _ = _hub(tmp_path)
    first = _pages(build_hub(config).site)
    other = sqlite3.connect(tmp_path / ".cache" / "hub" / "pages.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another build writing
    try:
        path = tmp_path / "content" / "stories" / "2024" / "alpha.md"
        path.write_text(path.read_text().replace("Alpha story", "Alpha edited"))
        during = build_hub(config)
        assert during.aborted is None and during.messages("ERROR") == [] and during.messages("WARNING") == []
        assert "Alpha edited" in during.html("stories/2024/alpha/index.html")
        path.write_text(path.read_text().replace("Alpha edited", "Alpha story"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _pages(build_hub(config).site) == first
