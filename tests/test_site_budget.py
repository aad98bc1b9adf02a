"""The size budget (`extra.hub.site_budget`, hub/sitesize.py): settings, measuring by part, and
a build that fails over budget (leaving the previous site/) or says so at 80%."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from hub.settings import HubSettings
from hub.sitesize import PARTS, SiteSize, format_size, judge, measure, parse_size, part_of
from hubsite import ROOT, build_hub, make_hub, story_text

SCRIPT = ROOT / "scripts" / "build_site.py"


@pytest.mark.parametrize("text, size", [("1 GB", 10**9), ("800 MB", 800 * 10**6), ("1 MB", 10**6),
                                        ("1.5GB", 1_500_000_000), ("2 KiB", 2048), ("12 b", 12)])
def test_sizes_parse(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("value", ["1", 1000, "1 GBs", "GB", "-1 MB", "0 MB", True, None, "1 TB"])
def test_bad_sizes_are_refused(value):
    assert parse_size(value) is None


def test_budget_setting_default_and_errors():
    assert HubSettings().site_budget == 10**9
    settings, complaints = HubSettings.from_mapping({"site_budget": "800 MB"})
    assert settings.site_budget == 800 * 10**6 and complaints == []
    settings, complaints = HubSettings.from_mapping({"site_budget": 1000})
    assert settings.site_budget == 10**9
    assert complaints == ["extra.hub.site_budget: must be a size such as `1 GB`, `800 MB` or `1 MB`"]


def test_format_size():
    assert [format_size(n) for n in (10**9, 812_400_000, 45_600, 999, 1_234_000_000_000)] == \
        ["1 GB", "812 MB", "45.6 KB", "999 B", "1234 GB"]


@pytest.mark.parametrize("path, part", [
    ("stories/2024/a/index.html", "story pages"), ("index.html", "home listings"),
    ("page/2/index.html", "home listings"), ("tags/llm/index.html", "topic listings"),
    ("companies/openai/index.html", "company listings"), ("sources/x/index.html", "publisher listings"),
    ("archive/2024/05/index.html", "archive listings"), ("threads/index.html", "thread listings"),
    ("corrections/index.html", "corrections listing"), ("feeds/tags/llm/rss.xml", "feeds"),
    ("api/stories/page-1.json", "API"), ("search/search_index.json", "search index"),
    ("search/terms/0.bin", "search index"), ("assets/javascripts/bundle.js", "assets"),
    ("sitemap.xml", "other"), ("about/index.html", "other"), ("404.html", "other")])
def test_parts(path, part):
    assert part_of(path) == part


def test_measure_adds_files_by_part(tmp_path):
    for rel, size in {"stories/2024/a/index.html": 500, "feeds/rss.xml": 300, "index.html": 20,
                      "assets/x.css": 7, "about/index.html": 1}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x" * size)
    measured = measure(tmp_path)
    assert set(measured.parts) == set(PARTS) and measured.total == 828
    assert measured.largest() == [("story pages", 500), ("feeds", 300), ("home listings", 20)]


def test_verdicts():
    size = SiteSize({**dict.fromkeys(PARTS, 0), "story pages": 600, "feeds": 250, "API": 100, "assets": 50})
    over = judge(size, 999)
    assert over.over and over.line == ("The site is 1 KB, over its budget of 999 B (extra.hub.site_budget); "
                                       "largest parts: story pages 600 B, feeds 250 B, API 100 B.")
    near = judge(size, 1250)
    assert near.near and not near.over and "80% of its budget of 1.25 KB" in near.line
    fine = judge(size, 1251)
    assert not fine.near and not fine.over


def _build(config):
    return subprocess.run([sys.executable, str(SCRIPT), "-f", str(config)], capture_output=True,
                          text=True, timeout=180, cwd=config.parent)


def test_over_budget_fails_with_one_line_and_keeps_previous_site(tmp_path):
    config = make_hub(tmp_path, {"2024/a.md": story_text("First")}, extra_hub={"site_budget": "10 KB"})
    previous = tmp_path / "site"
    previous.mkdir()
    (previous / "index.html").write_text("previous build")
    failed = _build(config)
    assert failed.returncode != 0
    output = failed.stdout + failed.stderr
    lines = [line for line in output.splitlines() if "its budget" in line]
    assert len(lines) == 1, output[-3000:]
    assert re.fullmatch(r"The site is [\d.]+ (KB|MB), over its budget of 10 KB \(extra\.hub\.site_budget\); "
                        r"largest parts: [a-zA-Z ]+ [\d.]+ [KM]?B, [a-zA-Z ]+ [\d.]+ [KM]?B, [a-zA-Z ]+ [\d.]+ [KM]?B\.",
                        lines[0]), lines[0]
    assert "assets" in lines[0]  # Material's own assets are part of what Pages publishes
    assert "site/ left as it was" in failed.stderr
    assert [p.name for p in previous.iterdir()] == ["index.html"]
    assert (previous / "index.html").read_text() == "previous build"


def test_build_at_80_percent_says_so_and_succeeds(tmp_path):
    stories = {"2024/a.md": story_text("First"), "2024/b.md": story_text("Second", "2024-05-02")}
    size = measure(build_hub(make_hub(tmp_path / "probe", stories)).site).total
    built = build_hub(make_hub(tmp_path / "hub", stories, extra_hub={"site_budget": f"{int(size / 0.9)} B"}))
    assert built.aborted is None
    lines = [message for level, message in built.log if "its budget" in message]
    assert len(lines) == 1 and "90% of its budget" in lines[0] and "largest parts: " in lines[0], lines
    assert built.messages("WARNING") == []  # a --strict deploy near its budget still publishes
