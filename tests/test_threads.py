"""Developing stories: `follows:` links stories into a thread; each story shows the thread's
dated timeline, the thread has a page, and `hub check` rejects broken links."""
from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from hub.loader import load_hub
from hub.settings import HubSettings
from hubsite import ROOT, BuildResult, build_hub, make_hub, story_text


# Three stories of one thread with no tag or company in common (so none is "related" to another:
# what one page shows of the others comes from the thread alone), and one unrelated story.
THREAD = {
    "2024/talks-begin.md": story_text("Talks begin", "2024-01-10", tags="[Regulation]", companies=None),
    "2024/draft-agreed.md": story_text("A draft is agreed", "2024-02-02", tags="[chips]", companies="[NVIDIA]",
                                       extra="follows: talks-begin"),
    "2024/law-passes.md": story_text("The law passes", "2024-03-13", tags="[LLM]", companies="[OpenAI]",
                                     extra="follows: 2024/draft-agreed"),
    "2024/elsewhere.md": story_text("Something else", "2024-03-01", tags="[Nothing]", companies=None),
}


def timeline(html: str) -> list[tuple[str, str, bool]]:
    """(date, title, is current) for each entry of the page's thread timeline."""
    section = re.search(r'<section class="hub-thread".*?</section>', html, re.S)
    if section is None:
        return []
    rows = re.findall(r'<li( class="hub-timeline__current" aria-current="page")?><time datetime="([^"]+)">'
                      r'[^<]*</time> (?:<strong>|<a href="[^"]+">)([^<]*)<', section.group(0))
    return [(day[:10], title, bool(current)) for current, day, title in rows]


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> BuildResult:
    result = build_hub(make_hub(tmp_path_factory.mktemp("hub"), THREAD))
    assert result.aborted is None, result.log
    assert result.messages() == [] and result.messages("WARNING") == []
    return result


def test_each_story_of_a_thread_shows_the_whole_timeline_with_itself_marked(hub):
    entries = [("2024-01-10", "Talks begin"), ("2024-02-02", "A draft is agreed"), ("2024-03-13", "The law passes")]
    for index, slug in enumerate(["talks-begin", "draft-agreed", "law-passes"]):
        page = hub.html(f"stories/2024/{slug}/index.html")
        assert timeline(page) == [(day, title, n == index) for n, (day, title) in enumerate(entries)], slug
        assert 'href="../../../threads/2024/talks-begin/">The whole thread</a>' in page
    assert 'href="../talks-begin/">Talks begin</a>' in hub.html("stories/2024/law-passes/index.html")
    assert timeline(hub.html("stories/2024/elsewhere/index.html")) == []


def test_a_thread_has_a_page_and_a_directory(hub):
    page = hub.html("threads/2024/talks-begin/index.html")
    assert "<h1 id=\"__title\">Developing: Talks begin</h1>" in page
    titles = re.findall(r'<li class="hub-card[^"]*">\s*<h2><a href="[^"]+">([^<]+)</a>', page)
    assert titles == ["Talks begin", "A draft is agreed", "The law passes"]  # oldest first
    directory = hub.html("threads/index.html")
    assert re.search(r'<a href="2024/talks-begin/">Developing: Talks begin</a>\s*'
                     r'<span class="hub-count">3 stories</span>', directory)
    assert "10 Jan 2024 to 13 Mar 2024" in directory


def test_a_thread_has_a_feed_newest_first_announced_on_its_page_and_in_the_opml(hub):
    channel = ET.parse(hub.site / "feeds" / "threads" / "2024" / "talks-begin" / "rss.xml").getroot().find("channel")
    assert channel.find("title").text == "Fixture Hub: Developing: Talks begin"
    assert [item.find("title").text for item in channel.findall("item")] == [
        "The law passes", "A draft is agreed", "Talks begin"]
    follow = re.search(r'<p class="hub-follow">(.*?)</p>', hub.html("threads/2024/talks-begin/index.html"), re.S)
    assert 'href="../../../feeds/threads/2024/talks-begin/rss.xml"' in follow.group(1)
    opml = (hub.site / "feeds" / "feeds.opml").read_text()
    assert '<outline text="Developing stories" title="Developing stories">' in opml
    assert "feeds/threads/2024/talks-begin/rss.xml" in opml


def test_editing_an_earlier_story_shows_on_later_pages_in_a_warm_build(tmp_path, monkeypatch):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme_overrides", theme)
    config = make_hub(tmp_path, THREAD, config={"theme": {"name": "material", "custom_dir": str(theme), "font": False}})
    assert build_hub(config).aborted is None  # fills the render cache
    first = tmp_path / "content" / "stories" / "2024" / "talks-begin.md"
    first.write_text(first.read_text().replace('title: "Talks begin"', 'title: "Talks open in Brussels"'))
    warm = build_hub(config)
    later = warm.html("stories/2024/law-passes/index.html")
    assert ("2024-01-10", "Talks open in Brussels", False) in timeline(later)
    monkeypatch.setenv("HUB_RENDER_CACHE", "0")
    (tmp_path / "cold").mkdir()
    cold_config = make_hub(tmp_path / "cold", {**THREAD, "2024/talks-begin.md": first.read_text()},
                           config={"theme": {"name": "material", "custom_dir": str(theme), "font": False}})
    cold = build_hub(cold_config)
    for page in ("stories/2024/law-passes/index.html", "stories/2024/draft-agreed/index.html"):
        assert warm.html(page) == cold.html(page), page


def problems(tmp_path, stories: dict[str, str]) -> list[str]:
    make_hub(tmp_path, stories)
    found = load_hub(tmp_path / "content", [f"stories/{name}" for name in stories], HubSettings()).problems
    return [str(p) for p in found if p.is_error]


def test_check_rejects_a_missing_target(tmp_path):
    assert problems(tmp_path, {"2024/b.md": story_text("B", extra="follows: talks-begun")}) == [
        "stories/2024/b.md:11: follows: no story has the slug `talks-begun` Fix: Write the slug of the "
        "earlier story: its file name without `.md`."]


def test_check_rejects_a_later_dated_target(tmp_path):
    found = problems(tmp_path, {"2024/a.md": story_text("A", "2024-05-02"),
                                "2024/b.md": story_text("B", "2024-05-01", extra="follows: a")})
    assert found == ["stories/2024/b.md:11: follows: stories/2024/a.md is dated 2024-05-02, after this "
                     "story (2024-05-01); a story can only follow an earlier one Fix: Move `follows:` to "
                     "stories/2024/a.md, naming `b`."]


def test_check_rejects_a_cycle(tmp_path):
    found = problems(tmp_path, {"2024/a.md": story_text("A", "2024-05-01", extra="follows: c"),
                                "2024/b.md": story_text("B", "2024-05-01", extra="follows: a"),
                                "2024/c.md": story_text("C", "2024-05-01", extra="follows: b"),
                                "2024/self.md": story_text("Self", "2024-05-01", extra="follows: self")})
    assert [p.split(":")[0] + ":" + p.split(":")[2] for p in found] == [
        "stories/2024/a.md: follows", "stories/2024/b.md: follows", "stories/2024/c.md: follows",
        "stories/2024/self.md: follows"]
    assert all("leads back to this story: a thread cannot go in a circle" in p for p in found)
    config = tmp_path / "mkdocs.yml"
    assert build_hub(config).aborted  # a strict build stops on them
    preview = build_hub(config, strict=False, serve=True)  # a preview shows the stories; the loop is cut
    assert preview.aborted is None
    assert [title for _, title, _ in timeline(preview.html("stories/2024/a/index.html"))] == ["A", "B", "C"]


def test_report_suggests_links_between_close_stories(tmp_path, monkeypatch, capsys):
    from hub.cli import main
    shared = {"publisher": "Wire", "url": "https://wire.example.com/chips", "title": "Chips"}
    other = {"publisher": "Daily", "url": "https://daily.example.com/x", "title": "X"}
    make_hub(tmp_path, {
        "2024/a.md": story_text("A", "2024-05-01", companies="[NVIDIA]", sources=[shared]),
        "2024/b.md": story_text("B", "2024-05-10", companies="[NVIDIA]", sources=[other]),
        "2024/c.md": story_text("C", "2024-05-12", companies="[NVIDIA]",
                                sources=[{**shared, "url": "http://www.wire.example.com/chips/"}]),
        "2024/d.md": story_text("D", "2024-06-20", companies="[NVIDIA]", sources=[other]),
        "2024/e.md": story_text("E", "2024-05-02", companies="[NVIDIA]", extra="follows: a"),
    })
    monkeypatch.chdir(tmp_path)
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    section = out.split("Stories that may follow an earlier one (within 14 days; `follows:`) (2)\n")[1]
    assert section.split("\n\n")[0].splitlines() == [
        "  content/stories/2024/b.md may follow content/stories/2024/e.md (both about NVIDIA)",
        "  content/stories/2024/c.md may follow content/stories/2024/a.md (1 shared source)"]


def test_check_rejects_a_draft_target_and_asks_for_the_year_when_two_years_share_a_slug(tmp_path):
    found = problems(tmp_path, {
        "2024/draft.md": story_text("Draft", "2024-05-01", extra="draft: true"),
        "2024/b.md": story_text("B", "2024-05-02", extra="follows: draft"),
        "2023/same.md": story_text("Same 2023", "2023-05-01"),
        "2024/same.md": story_text("Same 2024", "2024-05-01"),
        "2024/c.md": story_text("C", "2024-05-03", extra="follows: same"),
        "2024/d.md": story_text("D", "2024-05-03", extra="follows: 2023/same")})
    assert found == [
        "stories/2024/b.md:11: follows: stories/2024/draft.md is a draft: readers would see a thread "
        "without it Fix: Publish the earlier story first, or keep this one a draft.",
        "stories/2024/c.md:11: follows: `same` is the slug of stories/2023/same.md and "
        "stories/2024/same.md Fix: Name the year too: `follows: 2023/same`."]
