"""Readers first (issue 13): what the pages show a reader, and that the render cache keeps it true."""
from __future__ import annotations

import re
import shutil
from datetime import datetime, timezone

import markdown
import pytest

from hubsite import ROOT, build_hub, make_hub, story_text
from hub.citations import JOINER, expand_markers, link_markers
from hub.model import Source, Story

A = {"publisher": "Example News", "url": "https://www.news.example.com/a", "title": "Chips ahoy", "date": "2024-03-01"}
B = {"publisher": "Other Wire", "url": "https://wire.example.org/b", "title": "Second"}
C = {"publisher": "Third Post", "url": "https://third.example.net/c", "title": "Third"}


def test_a_marker_is_glued_to_the_word_before_it_but_list_syntax_keeps_its_space():
    body = "A claim [1]. Two [1] [2].\n\n- [2] opens an item\n\n1. [1] opens another"
    linked = link_markers(body, 2)
    assert f"claim{JOINER}<sup" in linked and f"Two{JOINER}<sup" in linked
    assert f"</sup>{JOINER}<sup" in linked  # "[1] [2]": no break between the two either
    assert f"- {JOINER}<sup" in linked and f"1. {JOINER}<sup" in linked
    html = expand_markers(markdown.markdown(link_markers(body, 2, "tokq")), "tokq")
    assert html.count("<li>") == 2 and html.count('<sup id="cite-') == 5


def test_story_names_publishers_once_and_sources_their_site():
    source = Source(1, "Example News", "https://www.news.example.com/a?x=1", "t")
    assert source.domain == "news.example.com"
    story = Story("s.md", "s.md", "s", "T", "S", datetime(2024, 5, 1, tzinfo=timezone.utc), False, "c", (), (),
                  (source, Source(2, "Other", "https://o.example/", "t"), Source(3, "Example News", "https://e/", "t")),
                  "", 1)
    assert story.publishers == ["Example News", "Other"]


def _fixture(tmp_path, stories=None):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme_overrides", theme)
    stories = stories or {
        "2024/may.md": story_text("May story", "2024-05-02T09:15:00Z", sources=[A, B, C],
                                  body="One [1]. Two [2][3]. Again [1]."),
        "2024/march.md": story_text("March story", "2024-03-03", sources=[A], tags="[Regulation]",
                                    companies="[NVIDIA]", extra="updated: 2024-03-05"),
    }
    return make_hub(tmp_path, stories, config={"theme": {"name": "material", "custom_dir": str(theme), "font": False}})


def test_pages_say_where_you_are_and_offer_the_next_step(tmp_path):
    result = build_hub(_fixture(tmp_path))
    assert result.aborted is None, result.messages()
    home = result.html("index.html")
    card = home.split('class="hub-card"')[1]
    assert '<b>Example News, Other Wire +1</b> · 3\u00a0sources' in card
    assert 'data-hub-time="full">2 May 2024, 09:15 UTC</time>' in card
    assert '<li class="hub-co"><a href="companies/' in home
    assert ' · Updated <time datetime="2024-03-05">5 Mar 2024</time>' in home
    assert 'rel="next"' not in home  # one page of stories; Material's nav "next" (Topics) is gone
    assert "Made with" not in home and "hub-footer" in home
    story = result.html("stories/2024/may/index.html")
    assert "md-sidebar--secondary" not in story and 'data-hub-section="latest"' in story
    assert '<a href="#cite-1">a</a> <a href="#cite-1-2">b</a>' in story
    assert re.search(r'<li id="source-2">.*?<a href="#cite-2" aria-label="Back to the citation of source 2">', story, re.S)
    # a month page links its neighbours (months with stories); the newest has no "next"
    march = result.html("archive/2024/03/index.html")
    assert '<a rel="next" href="../05/">May 2024 →</a>' in march and 'rel="prev"' not in march
    assert '<a rel="prev" href="../03/">← March 2024</a>' in result.html("archive/2024/05/index.html")
    # a publisher page: the article of that publisher each story cites, and the publisher's site
    publisher = result.html("sources/example-news/index.html")
    assert publisher.count("Cites <a href=\"https://www.news.example.com/a\"") == 2
    assert '<time datetime="2024-03-01">1 Mar 2024</time>' in publisher
    assert 'href="https://www.news.example.com/"' in publisher
    # its rows are compact: no chips (a story is on one publisher page per source); other listings keep them
    assert 'class="hub-chips"' not in publisher.split('<ol class="hub-cards">')[1]
    assert 'class="hub-chips"' in home.split('<ol class="hub-cards">')[1]
    # The spaces sit inside the separator: minified pages drop whitespace between a nav's children.
    assert '<a href="../">Sources</a><span aria-hidden="true"> › </span><span aria-current="page">Example News</span>' in publisher
    company = result.html("companies/nvidia/index.html")
    assert 'data-hub-section="companies"' in company and "<span>1 story</span>" in company
    assert company.index("A chip maker.") < company.index('class="hub-follow"')  # description first
    assert "Page not found" in (result.site / "404.html").read_text()
    # "Skip to content" lands on the headline of every story and listing, not on a story's first
    # subheading past its summary (Material's default: the first entry of the page's contents).
    for page in (home, story, march, publisher, company):
        assert page.count('href="#__title" class="md-skip"') == 1 and page.count('<h1 id="__title">') == 1


def _pages(site):
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix != ".gz"}


@pytest.mark.speed_layer  # reads the render cache's log
def test_warm_build_equals_cold_after_a_new_month_changes_its_neighbours(tmp_path, monkeypatch):
    """A story in a new month changes the previous/next links of the months around it, pages
    whose own stories did not change: the render cache must not serve them from before."""
    config = _fixture(tmp_path)
    build_hub(config)
    stories = tmp_path / "content" / "stories" / "2024"
    # Tags, companies and publishers keep their order (the feed channels), so the cache's
    # site-wide key stays and the month pages' own fingerprints must tell.
    (stories / "april.md").write_text(story_text("April story", "2024-04-10", sources=[A], companies="[NVIDIA]"))
    edited = build_hub(config)
    assert edited.aborted is None, edited.messages()
    reused = [m for level, m in edited.log if "render cache:" in m]
    assert reused and not reused[0].startswith("hub: render cache: 0 ")
    warm = _pages(edited.site)
    assert "April 2024 →" in warm["archive/2024/03/index.html"].decode()
    assert "← April 2024" in warm["archive/2024/05/index.html"].decode()
    monkeypatch.setenv("HUB_RENDER_CACHE", "0")
    assert warm == _pages(build_hub(config).site)
