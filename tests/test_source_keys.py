"""One canonical form for a source address (hub.urls.source_key): one test per folding rule,
and the checks that use it (a page repeated within a story, two stories citing the same pages)."""
from __future__ import annotations

import pytest

from hub.loader import load_hub
from hub.settings import HubSettings
from hub.urls import source_key
from hubsite import make_hub, story_text

BASE = "https://example.com/news/story"


@pytest.mark.parametrize("rule, variant", [
    ("scheme", "http://example.com/news/story"),
    ("www host", "https://www.example.com/news/story"),
    ("host case and default port", "https://EXAMPLE.com:443/news/story"),
    ("trailing slash", "https://example.com/news/story/"),
    ("index.html", "https://example.com/news/story/index.html"),
    ("fragment", "https://example.com/news/story#comments"),
    ("AMP path suffix", "https://example.com/news/story/amp"),
    ("AMP path prefix", "https://example.com/amp/news/story"),
    ("AMP host", "https://amp.example.com/news/story"),
    ("mobile host", "https://m.example.com/news/story"),
    ("utm parameters", "https://example.com/news/story?utm_source=tw&utm_medium=social"),
    ("fbclid and gclid", "https://example.com/news/story?fbclid=a&gclid=b"),
    ("ref", "https://example.com/news/story?ref=hn"),
    ("td", "https://example.com/news/story?td=rt-3a"),
    ("mailchimp", "https://example.com/news/story?mc_cid=1&mc_eid=2"),
    ("AMP parameter", "https://example.com/news/story?amp=1"),
])
def test_each_form_of_one_page_has_the_same_key(rule, variant):
    assert source_key(variant) == source_key(BASE), rule


@pytest.mark.parametrize("other", [
    "https://example.com/news/Story",           # servers tell path case apart
    "https://example.com/news/story?id=2",      # a real parameter names another page
    "https://news.example.com/news/story",      # another host
    "https://example.com/news/story-2",
    "https://example.com/news/ampstory",
])
def test_other_pages_keep_other_keys(other):
    assert source_key(other) != source_key(BASE)


def test_real_parameters_are_kept_in_a_fixed_order():
    assert source_key("https://example.com/a?b=2&utm_x=1&a=1") == source_key("https://example.com/a?a=1&b=2")
    assert source_key("https://example.com/a.amp.html") == source_key("https://example.com/a.html")


def problems(tmp_path, stories: dict[str, str]) -> list[str]:
    make_hub(tmp_path, stories)
    paths = [f"stories/{name}" for name in stories]
    return [str(p) for p in load_hub(tmp_path / "content", paths, HubSettings()).problems]


def test_one_page_twice_in_a_story_names_both_addresses(tmp_path):
    sources = [{"publisher": "A", "url": "https://example.com/a/amp", "title": "A"},
               {"publisher": "A", "url": "http://www.example.com/a?ref=rss", "title": "A"}]
    found = problems(tmp_path, {"2024/x.md": story_text(sources=sources, body="One [1] [2].")})
    assert found == ["stories/2024/x.md:11: sources[2].url: `http://www.example.com/a?ref=rss` is the "
                     "same page as source 1 (`https://example.com/a/amp`) Fix: Cite each page once; "
                     "remove the repeat and renumber the markers."]


def test_two_stories_citing_the_same_pages_over_http_and_www_are_flagged(tmp_path):
    first = [{"publisher": "A", "url": "https://a.example.com/story", "title": "A"},
             {"publisher": "B", "url": "https://www.b.example.com/news", "title": "B"}]
    second = [{"publisher": "A", "url": "http://a.example.com/story", "title": "A"},
              {"publisher": "B", "url": "https://b.example.com/news/?td=x", "title": "B"}]
    found = problems(tmp_path, {
        "2024/first.md": story_text("First", "2024-05-01", sources=first, body="[1] [2]"),
        "2024/second.md": story_text("Second", "2024-05-02", sources=second, body="[1] [2]")})
    assert len(found) == 1, found
    assert found[0].startswith("stories/2024/second.md:8: sources: possible duplicate of "
                               "stories/2024/first.md (\"First\"): both cite the same pages: "
                               "source 1 (http://a.example.com/story) = its source 1 "
                               "(https://a.example.com/story); source 2 (https://b.example.com/news/?td=x) "
                               "= its source 2 (https://www.b.example.com/news)")
