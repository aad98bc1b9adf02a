"""Minified pages (extra.hub.minify_html, on by default; hub/minify.py): smaller, with every
link, anchor, text, code block, script and JSON-LD a reader or a crawler uses, and the same bytes
warm, cold and with the speed layer off."""
from __future__ import annotations

import html
import json
import re
import sys

import pytest

from hubsite import ROOT, build_hub, make_hub, story_text

sys.path.insert(0, str(ROOT / "scripts"))
from sitecheck import broken_links, parse_page, unsafe_markup  # noqa: E402

STORY = "stories/2024/alpha/index.html"
BODY = """Alpha happened [1], then more [2].

## What changed

- one point [1]
- another point [2]

```
code   keeps   its   spaces
    and its indentation
```

A closing line with <em>emphasis</em> and `inline  code` [1].
"""
SOURCES = [{"publisher": "Example News", "url": "https://news.example.com/a", "title": "It happened"},
           {"publisher": "Other Times", "url": "https://other.example.org/b?x=1&y=2", "title": "More <soon>"}]


def _hub(root, minify: bool):
    stories = {"2024/alpha.md": story_text("Alpha & \"friends\"", "2024-05-01", body=BODY, sources=SOURCES),
               "2024/beta.md": story_text("Beta story", "2024-05-02", tags="[AI chips]")}
    return make_hub(root, stories, extra_hub={"minify_html": minify},
                    config={"markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables",
                                                    "pymdownx.superfences", {"toc": {"permalink": True}}]})


def _site(site):
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix != ".gz"}


def _words(page: str) -> list[str]:
    """The page's text, word by word, entities decoded (the minifier writes `&` for `&amp;`)."""
    return html.unescape(" ".join(parse_page(page).text_parts)).split()


def test_minified_pages_are_smaller_and_keep_what_readers_use(tmp_path):
    plain = build_hub(_hub(tmp_path / "plain", False))
    small = build_hub(_hub(tmp_path / "small", True))
    assert plain.aborted is None and small.aborted is None
    for page in (STORY, "index.html", "tags/llm/index.html", "sources/index.html"):
        before, after = plain.html(page), small.html(page)
        assert len(after) < 0.9 * len(before), page
        assert _words(after) == _words(before), page  # every visible word, in order
        assert parse_page(after).links == parse_page(before).links, page
    assert broken_links(small.site, "/") == []  # citation markers, source anchors, chips, pages
    story = small.html(STORY)
    assert "code   keeps   its   spaces\n    and its indentation" in story
    assert 'href=#source-2' in story and 'id=source-2' in story
    ld = re.search(r"<script type=application/ld\+json>(.*?)</script>", story, re.S).group(1)
    assert json.loads(ld)["headline"] == 'Alpha & "friends"'
    plain_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', plain.html(STORY), re.S).group(1)
    assert plain_ld == ld and "\n" not in ld  # compact JSON-LD (hub.metadata), minified or not
    assert parse_page(story).scripts == parse_page(plain.html(STORY)).scripts  # Material's scripts intact
    assert unsafe_markup(parse_page(story), set(parse_page(story).scripts)) == []


@pytest.mark.speed_layer
def test_minified_site_is_the_same_warm_cold_and_without_the_speed_layer(tmp_path, monkeypatch):
    config = _hub(tmp_path, True)
    first = _site(build_hub(config).site)
    warm = build_hub(config)
    assert any("render cache: " in m and " 0 of" not in m for _, m in warm.log)  # pages came from the cache
    assert _site(warm.site) == first
    for switch in ("HUB_RENDER_CACHE", "HUB_SPEED", "HUB_WORKERS", "HUB_FRAMES"):
        monkeypatch.setenv(switch, "0")
        assert _site(build_hub(config).site) == first, switch
        monkeypatch.delenv(switch)
