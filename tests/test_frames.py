"""Page frames (hooks/hub_frames.py): filling Material's frame gives the very page a full render
gives, and a frame that would not is never used."""
from __future__ import annotations

import re
import shutil

from hubsite import ROOT, build_hub, make_hub, story_text
import pytest

pytestmark = pytest.mark.speed_layer  # tests of the speed layer: it stays on under HUB_SPEED=0

BODY_WITH_HEADINGS = "Intro [1].\n\n## First part\n\nMore [2].\n\n### Detail\n\nText.\n\n## Second part\n\nEnd [1]."


def _sources(n):
    return [{"publisher": "Example News", "url": f"https://news.example.com/{n}", "title": "One"},
            {"publisher": "Other Wire", "url": f"https://wire.example.net/{n}", "title": "Two"}]


def _hub(tmp_path, theme=None):
    stories = {}
    for day in range(1, 8):  # pagination at 2 per page: listings at three depths
        body = BODY_WITH_HEADINGS if day % 2 else "Plain story [1][2]."
        title = f"Story {day} <b>&amp; \"quotes\""
        stories[f"2024/story-{day}.md"] = story_text(title, f"2024-0{1 + day % 3}-{day:02d}", sources=_sources(day),
                                                     body=body, tags="[LLM, Regulation]" if day % 3 else "[LLM]")
    stories["2023/older.md"] = story_text("An older story", "2023-12-30", body=BODY_WITH_HEADINGS, sources=_sources(0))
    config = {"theme": {"name": "material", "custom_dir": str(theme or ROOT / "theme_overrides"), "font": False}}
    return make_hub(tmp_path, stories, extra_hub={"per_page": 2, "rows_per_page": 2}, config=config)


def _pages(site):
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def _filled(result):
    [line] = [m for m in result.messages("INFO") if "page frames:" in m]
    return int(re.search(r"page frames: (\d+) hub pages", line).group(1))


def test_framed_pages_are_byte_for_byte_the_full_render(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_RENDER_CACHE", "0")
    config = _hub(tmp_path)
    framed = build_hub(config)
    assert framed.aborted is None and framed.messages() == []
    assert _filled(framed) >= 10  # stories and listings at several depths came from frames
    framed_pages = _pages(framed.site)
    monkeypatch.setenv("HUB_FRAMES", "0")
    full = build_hub(config)
    assert not [m for m in full.messages("INFO") if "page frames:" in m]
    assert _pages(full.site) == framed_pages
    story = framed_pages["stories/2024/story-3/index.html"].decode()
    assert "<title>Story 3 &lt;b&gt;&amp;amp; &quot;quotes&quot; - Fixture Hub</title>" in story
    assert 'href="#__title" class="md-skip"' in story and '<h1 id="__title">' in story  # skip to the headline
    assert 'href="https://hub.example.org/stories/2024/story-3/"' in story  # its own canonical URL


def test_a_frame_that_does_not_match_the_full_render_is_not_used(tmp_path, monkeypatch):
    """A theme that prints something page-specific in the frame (here the page's URL in the
    footer) must still give every page its own value."""
    monkeypatch.setenv("HUB_RENDER_CACHE", "0")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme_overrides", theme)
    main = theme / "main.html"
    main.write_text(main.read_text() + '{% block footer %}<p class="where">{{ page.url }}</p>{% endblock %}\n')
    result = build_hub(_hub(tmp_path, theme))
    assert result.aborted is None
    assert _filled(result) == 0
    for page in ("stories/2024/story-1/", "stories/2024/story-2/", "tags/llm/page/2/", "tags/llm/page/3/"):
        assert f'<p class="where">{page}</p>' in result.html(page + "index.html"), page
