"""Corrections: dated notes at the foot of a story that set its modified time, travel in feeds,
JSON-LD and the API, and are gathered, newest first, on the Corrections page."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from hub.loader import load_hub
from hub.settings import HubSettings
from hubsite import BuildResult, build_hub, make_hub, story_text

ATOM = "{http://www.w3.org/2005/Atom}"


def corrections(*entries: tuple[str, str]) -> str:
    return "corrections:\n" + "".join(f"  - date: {day}\n    text: \"{text}\"\n" for day, text in entries)


STORIES = {
    "2024/chips.md": story_text("Chips get faster", "2024-03-18", extra=corrections(
        ("2024-03-20", "The chip is made on a 4 nm process, not 3 nm."),
        ("2024-04-02", "An earlier version named the wrong <b>maker</b> & partner."))),
    "2024/model.md": story_text("A model ships", "2024-05-01", extra=corrections(
        ("2024-05-03", "The model has 70 billion parameters."))),
    "2024/plain.md": story_text("Nothing to correct", "2024-06-01"),
}


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> BuildResult:
    result = build_hub(make_hub(tmp_path_factory.mktemp("hub"), STORIES))
    assert result.aborted is None, result.log
    assert result.messages() == [] and result.messages("WARNING") == []
    return result


def test_story_page_shows_each_correction_with_its_date(hub):
    page = hub.html("stories/2024/chips/index.html")
    section = re.search(r'<section class="hub-corrections".*?</section>', page, re.S).group(0)
    assert '<h2 id="corrections">Corrections</h2>' in section
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    assert items == [
        '<time datetime="2024-03-20T00:00:00Z">20 Mar 2024</time>: The chip is made on a 4 nm process, not 3 nm.',
        '<time datetime="2024-04-02T00:00:00Z">2 Apr 2024</time>: An earlier version named the wrong '
        '&lt;b&gt;maker&lt;/b&gt; &amp; partner.']
    assert 'href="../../../corrections/"' in section
    assert "hub-corrections" not in hub.html("stories/2024/plain/index.html")


def test_corrections_page_lists_every_correction_newest_first(hub):
    page = hub.html("corrections/index.html")
    items = re.findall(r'<li><time datetime="([^"]+)">[^<]*</time> · <a href="([^"]+)">([^<]*)</a>: ([^<]*)</li>', page)
    assert [(day[:10], href, title) for day, href, title, _ in items] == [
        ("2024-05-03", "../stories/2024/model/", "A model ships"),
        ("2024-04-02", "../stories/2024/chips/", "Chips get faster"),
        ("2024-03-20", "../stories/2024/chips/", "Chips get faster")]
    assert items[1][3] == "An earlier version named the wrong &lt;b&gt;maker&lt;/b&gt; &amp; partner."


def test_a_correction_is_an_update_in_the_feeds(hub):
    root = ET.parse(hub.site / "feeds" / "atom.xml").getroot()
    entry = next(e for e in root.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text == "Chips get faster")
    assert entry.find(f"{ATOM}published").text == "2024-03-18T00:00:00Z"
    assert entry.find(f"{ATOM}updated").text == "2024-04-02T00:00:00Z"
    assert "2024-03-20: The chip is made on a 4 nm process, not 3 nm." in entry.find(f"{ATOM}content").text
    feed = json.loads((hub.site / "feeds" / "feed.json").read_text())
    item = next(i for i in feed["items"] if i["title"] == "A model ships")
    assert item["date_modified"] == "2024-05-03T00:00:00Z"
    assert "The model has 70 billion parameters." in item["content_html"]


def test_json_ld_api_and_sitemap_carry_the_modified_time(hub):
    page = hub.html("stories/2024/chips/index.html")
    article = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert article["dateModified"] == "2024-04-02T00:00:00Z"
    assert article["correction"][0] == {"@type": "CorrectionComment", "datePublished": "2024-03-20T00:00:00Z",
                                        "text": "The chip is made on a 4 nm process, not 3 nm."}
    assert '<meta property="article:modified_time" content="2024-04-02T00:00:00Z"' in page
    api = json.loads((hub.site / "api" / "stories" / "page-1.json").read_text())
    record = next(s for s in api["stories"] if s["slug"] == "chips")
    assert record["date_modified"] == "2024-04-02T00:00:00Z"
    assert record["corrections"][1]["date"] == "2024-04-02T00:00:00Z"
    assert "<loc>https://hub.example.org/stories/2024/chips/</loc><lastmod>2024-04-02</lastmod>" in (
        hub.site / "sitemap.xml").read_text()


def problems(tmp_path, text: str) -> list[str]:
    make_hub(tmp_path, {"2024/x.md": text})
    return [str(p) for p in load_hub(tmp_path / "content", ["stories/2024/x.md"], HubSettings()).problems]


def test_check_rejects_a_correction_dated_before_the_story(tmp_path):
    found = problems(tmp_path, story_text(date="2024-05-01", extra=corrections(("2024-04-30", "Too early."))))
    assert found == ["stories/2024/x.md:12: corrections[1].date: 2024-04-30 is before the story "
                     "(2024-05-01); a story cannot be corrected before it is published Fix: Give the "
                     "day the correction was made."]


@pytest.mark.parametrize("extra, expected", [
    ("corrections: Fixed a typo", "stories/2024/x.md:11: corrections: must be a list of corrections"),
    ("corrections:\n  - date: 2024-05-02", "stories/2024/x.md:12: corrections[1].text: is missing"),
    ("corrections:\n  - date: 2024-05-02\n    text: x\n    by: me",
     "stories/2024/x.md:14: corrections[1].by: unknown field"),
])
def test_malformed_corrections_name_line_and_field(tmp_path, extra, expected):
    found = problems(tmp_path, story_text(date="2024-05-01", extra=extra))
    assert len(found) == 1 and found[0].startswith(expected), found
