"""Feeds, OPML, the JSON API, page metadata, sitemap dates and byte-for-byte reproducibility.

Most tests build one small fixture hub (`FIXTURE`: three published stories, a draft and a
story scheduled after SOURCE_DATE_EPOCH) and parse what the build wrote.

Golden files: `tests/golden/` holds the feeds and OPML of that fixture hub. The golden test
compares the build's bytes with them; when a change to the feeds is intended, regenerate them
with

    UPDATE_GOLDEN=1 ./dev test tests/test_feeds.py -k golden

review the diff of tests/golden/ and commit it. Without UPDATE_GOLDEN the files are only read.
"""
from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from hub.feeds import absolutize_html
from hub.metadata import script_json
from hubsite import BuildResult, build_hub, make_hub, story_text
from sitecheck import broken_links

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = ["feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json",
                "feeds/tags/llm/rss.xml",
                "feeds/feeds.opml"]
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "</script><script>alert(1)</script> & <b>bold</b>"

FIXTURE = {
    "2024/gpt-news.md": story_text(
        "GPT news", "2024-05-13T17:00:00Z",
        body="OpenAI shipped a model [1]. See [the topics](../../tags/index.md) and "
             "<img src='chart.png' alt='A chart'> [2].",
        sources=[{"publisher": "Example News", "url": "https://news.example.com/a?x=1&y=2",
                  "title": "It happened", "author": "A. Writer", "date": "2024-05-13"},
                 {"publisher": "Other Daily", "url": "https://other.example.net/b", "title": "Also"}],
        extra="updated: 2024-05-20T09:30:00+02:00\ncurator: Jane Doe"),
    "2024/chips.md": story_text("Chips get faster", "2024-03-18", tags="[chips]",
                                companies="[NVIDIA]", body="A new chip [1].",
                                extra="image: https://img.example.com/chip.jpg?w=1&h=2\n"
                                      "corrections:\n  - date: 2024-04-02\n"
                                      "    text: An earlier version gave the wrong clock speed."),
    "2024/hostile.md": story_text(HOSTILE, "2024-01-02", tags="[LLM, Regulation]", companies=None,
                                  body="Odd title [1]."),
    "2024/secret.md": story_text("Secret draft", "2024-06-02", extra="draft: true"),
    "2025/later.md": story_text("From the future", "2025-03-01"),  # after SOURCE_DATE_EPOCH
}
PAGES = {"stories/2024/gpt-news/chart.png": "not really a PNG"}  # the story's relative image
UNPUBLISHED = ["Secret draft", "From the future", "stories/2024/secret", "stories/2025/later"]


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> BuildResult:
    result = build_hub(make_hub(tmp_path_factory.mktemp("hub"), FIXTURE, pages=PAGES))
    assert result.aborted is None, result.log
    assert result.messages() == [] and result.messages("WARNING") == []
    return result


def feed_files(site: Path) -> list[Path]:
    return sorted(p for p in (site / "feeds").rglob("*") if p.suffix in (".xml", ".json"))


# --- parsing every feed --------------------------------------------------------------------

def test_the_hub_feed_has_three_formats_and_each_subject_feed_rss(hub):
    folders = {p.parent.relative_to(hub.site).as_posix() for p in feed_files(hub.site)}
    assert folders == {"feeds", "feeds/tags/llm", "feeds/tags/ai-chips", "feeds/tags/regulation",
                       "feeds/companies/openai", "feeds/companies/nvidia",
                       "feeds/sources/example-news", "feeds/sources/other-daily"}
    for folder in folders:
        names = {p.name for p in (hub.site / folder).iterdir() if p.is_file()} - {"feeds.opml"}
        assert sorted(names) == (["atom.xml", "feed.json", "rss.xml"] if folder == "feeds" else ["rss.xml"])


def test_rss_and_atom_parse_without_bozo(hub):
    for path in feed_files(hub.site):
        if path.suffix != ".xml":
            continue
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == ("rss20" if path.name == "rss.xml" else "atom10"), path
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.id.startswith("tag:hub.example.org,")
            assert entry.link.startswith("https://hub.example.org/stories/")
            assert entry.published_parsed
            # RSS says dcterms:modified only for a story that changed; Atom always has updated.
            assert path.name == "rss.xml" or entry.get("updated_parsed"), path


def test_atom_required_elements(hub):
    for path in (hub.site / "feeds").rglob("atom.xml"):
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed"
        for name in ("id", "title", "updated"):
            assert root.find(f"{ATOM}{name}").text, (path, name)
        assert root.find(f"{ATOM}author/{ATOM}name").text
        self_link = root.find(f"{ATOM}link[@rel='self']")
        assert self_link.get("href") == "https://hub.example.org/" + path.relative_to(hub.site).as_posix()
        assert datetime.fromisoformat(root.find(f"{ATOM}updated").text)
        for entry in root.findall(f"{ATOM}entry"):
            for name in ("id", "title", "updated", "published", "summary", "content"):
                assert entry.find(f"{ATOM}{name}").text, (path, name)
            assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("https://")
            assert entry.find(f"{ATOM}content").get("type") == "html"
            assert entry.find(f"{ATOM}author/{ATOM}name").text
            assert all(c.get("term") and c.get("scheme") for c in entry.findall(f"{ATOM}category"))


def test_rss_required_elements(hub):
    for path in (hub.site / "feeds").rglob("rss.xml"):
        channel = ET.parse(path).getroot().find("channel")
        for name in ("title", "link", "description", "lastBuildDate"):
            assert channel.find(name).text, (path, name)
        subject = path.parent != hub.site / "feeds"  # items of summary and sources, not the body
        for item in channel.findall("item"):
            for name in ("title", "link", "guid", "pubDate", "description"):
                assert item.find(name).text, (path, name)
            encoded = item.find("{http://purl.org/rss/1.0/modules/content/}encoded")
            assert (encoded is None) if subject else encoded.text, path
            assert subject == item.find("description").text.startswith("<p>"), path  # the HTML once
            assert item.find("guid").get("isPermaLink") == "false"


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def check_json_feed(feed: dict) -> None:
    """JSON Feed 1.1: required fields and the types the specification gives every field used."""
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list)
    for key in ("home_page_url", "feed_url", "description", "language"):
        assert isinstance(feed.get(key, ""), str)
    for author in feed.get("authors", []):
        assert isinstance(author, dict) and isinstance(author.get("name"), str)
    assert "author" not in feed  # 1.0 only
    ids = [item.get("id") for item in feed["items"]]
    assert all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids)
    for item in feed["items"]:
        assert isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str)
        for key in ("url", "title", "summary", "content_html", "image"):
            assert isinstance(item.get(key, ""), str)
        for key in ("date_published", "date_modified"):
            assert RFC3339.match(item[key]), item[key]
        assert isinstance(item.get("tags", []), list) and all(isinstance(t, str) for t in item["tags"])
        assert all(isinstance(a.get("name"), str) for a in item.get("authors", []))


def test_json_feeds_follow_version_1_1(hub):
    for path in (hub.site / "feeds").rglob("feed.json"):
        feed = json.loads(path.read_text(encoding="utf-8"))
        check_json_feed(feed)
        assert feed["feed_url"] == "https://hub.example.org/" + path.relative_to(hub.site).as_posix()


def test_subject_feeds_carry_summary_and_sources_and_the_hub_feed_the_full_text(hub):
    def item(path):
        feed = feedparser.parse((hub.site / path).read_bytes())
        entry = next(e for e in feed.entries if e.title == "GPT news")
        return entry.content[0].value if "content" in entry else entry.summary

    assert "OpenAI shipped a model" in item("feeds/rss.xml")
    for path in ("feeds/tags/llm/rss.xml", "feeds/companies/openai/rss.xml", "feeds/sources/example-news/rss.xml"):
        short = item(path)
        assert "OpenAI shipped a model" not in short, path
        assert short.startswith("<p>A short summary of the story.</p>") and "Example News: " in short, path


def test_items_carry_full_html_absolute_links_sources_categories_and_curator(hub):
    feed = json.loads((hub.site / "feeds/feed.json").read_text())
    item = next(i for i in feed["items"] if i["title"] == "GPT news")
    html = item["content_html"]
    story = "https://hub.example.org/stories/2024/gpt-news/"
    assert f'href="{story}#source-1"' in html
    assert 'href="https://hub.example.org/tags/"' in html
    assert f'src="{story}chart.png"' in html
    assert 'href="https://news.example.com/a?x=1&amp;y=2"' in html
    assert "Example News: " in html and "A. Writer" in html and "Other Daily" in html
    assert not re.search(r'(?:href|src)="(?!https?://)', html)
    assert item["tags"] == ["Large language models", "OpenAI"]
    assert item["authors"] == [{"name": "Jane Doe"}]
    assert item["date_published"] == "2024-05-13T17:00:00Z"
    assert item["date_modified"] == "2024-05-20T07:30:00Z"
    rss = feedparser.parse((hub.site / "feeds/rss.xml").read_bytes())
    entry = next(e for e in rss.entries if e.title == "GPT news")
    assert f"{story}chart.png" in entry.content[0].value and entry.author == "Jane Doe"
    # dcterms:modified only for a story changed after publishing, as article:modified_time.
    modified = {item.findtext("title"): item.findtext("{http://purl.org/dc/terms/}modified")
                for item in ET.parse(hub.site / "feeds/rss.xml").getroot().iter("item")}
    assert modified.pop("GPT news") == "2024-05-20T07:30:00Z"
    never_updated = next(title for title in modified if "alert(1)" in title)
    assert modified[never_updated] is None
    assert [t.term for t in entry.tags] == ["Large language models", "OpenAI"]


def test_same_id_in_every_format_and_hostile_text_survives(hub):
    ids = {}
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((hub.site / "feeds" / name).read_bytes())
        ids[name] = [(e.title, e.id) for e in parsed.entries]
    feed = json.loads((hub.site / "feeds/feed.json").read_text())
    ids["json"] = [(i["title"], i["id"]) for i in feed["items"]]
    assert ids["rss.xml"] == ids["atom.xml"] == ids["json"]
    assert [title for title, _ in ids["json"]] == ["GPT news", "Chips get faster", HOSTILE]


def test_drafts_and_scheduled_never_in_feeds_or_api(hub):
    for path in [*(hub.site / "feeds").rglob("*"), *(hub.site / "api").rglob("*")]:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not any(word in text for word in UNPUBLISHED), path


def test_preview_build_shows_drafts_on_pages_but_not_in_feeds(tmp_path):
    result = build_hub(make_hub(tmp_path, FIXTURE), strict=False, serve=True)
    assert "Secret draft" in result.html("index.html")
    feeds = "".join(p.read_text() for p in (result.site / "feeds").rglob("*") if p.is_file())
    api = "".join(p.read_text() for p in (result.site / "api").rglob("*") if p.is_file())
    assert "GPT news" in feeds and "GPT news" in api
    assert not any(word in feeds + api for word in UNPUBLISHED)


def all_ids(site: Path) -> dict[str, str]:
    """Story URL -> item id, from every feed in every format; fails if a story has two ids."""
    found: dict[str, str] = {}
    for path in feed_files(site):
        if path.suffix == ".json":
            pairs = [(i["url"], i["id"]) for i in json.loads(path.read_text())["items"]]
        else:
            pairs = [(e.link, e.id) for e in feedparser.parse(path.read_bytes()).entries]
        for url, item_id in pairs:
            assert found.setdefault(url, item_id) == item_id
    return found


def test_item_ids_stable_when_an_unrelated_story_is_added(tmp_path):
    first = build_hub(make_hub(tmp_path / "a", FIXTURE))
    more = {**FIXTURE, "2024/newer.md": story_text("Newer", "2024-08-01", tags="[chips]"),
            "2023/older.md": story_text("Older", "2023-02-01")}
    second = build_hub(make_hub(tmp_path / "b", more))
    before, after = all_ids(first.site), all_ids(second.site)
    assert len(before) == 3 and len(after) == 5
    assert {url: after[url] for url in before} == before


def test_feed_size_limits_every_channel(tmp_path):
    stories = {f"2024/s{n}.md": story_text(f"Story {n}", f"2024-02-{n + 1:02d}") for n in range(5)}
    result = build_hub(make_hub(tmp_path, stories, extra_hub={"feed_size": 2}))
    feed = json.loads((result.site / "feeds/feed.json").read_text())
    assert [i["title"] for i in feed["items"]] == ["Story 4", "Story 3"]
    assert len(feedparser.parse((result.site / "feeds/tags/llm/rss.xml").read_bytes()).entries) == 2


def test_subject_feeds_hold_fewer_stories_than_the_hub_feed(tmp_path):
    stories = {f"2024/s{n}.md": story_text(f"Story {n}", f"2024-02-{n + 1:02d}") for n in range(5)}
    result = build_hub(make_hub(tmp_path, stories, extra_hub={"feed_size": 4, "subject_feed_size": 3}))
    assert len(json.loads((result.site / "feeds/feed.json").read_text())["items"]) == 4
    for channel in ("tags/llm", "companies/openai", "sources/example-news"):
        entries = feedparser.parse((result.site / f"feeds/{channel}/rss.xml").read_bytes()).entries
        assert [e.title for e in entries] == ["Story 4", "Story 3", "Story 2"], channel


def test_opml_lists_every_channel(hub):
    root = ET.parse(hub.site / "feeds/feeds.opml").getroot()
    assert root.get("version") == "2.0" and root.find("head/title").text
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    expected = sorted("https://hub.example.org/" + p.relative_to(hub.site).as_posix()
                      for p in (hub.site / "feeds").rglob("rss.xml"))
    assert sorted(urls) == expected
    assert all(o.get("type") == "rss" and o.get("text") and o.get("htmlUrl")
               for o in root.iter("outline") if o.get("xmlUrl"))
    assert not feedparser.parse((hub.site / "feeds/feeds.opml").read_bytes()).bozo


# --- golden files ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_golden_feeds(hub, name):
    built = (hub.site / name).read_bytes()
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(built)
    assert golden.exists(), f"{golden} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert built == golden.read_bytes(), f"{name} differs from {golden}; if intended, UPDATE_GOLDEN=1"


# --- page metadata --------------------------------------------------------------------------

class Head(HTMLParser):
    """Meta tags, link elements and JSON-LD scripts of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "meta" and "content" in attrs:
            self.meta.append((attrs.get("property") or attrs.get("name", ""), attrs["content"]))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in_ld = False if tag == "script" else self._in_ld

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data


def head_of(html: str) -> Head:
    head = Head()
    head.feed(html)
    return head


def test_story_json_ld(hub):
    head = head_of(hub.html("stories/2024/gpt-news/index.html"))
    assert len(head.json_ld) == 1
    data = json.loads(head.json_ld[0])
    url = "https://hub.example.org/stories/2024/gpt-news/"
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "GPT news"
    assert data["datePublished"] == "2024-05-13T17:00:00Z"
    assert data["dateModified"] == "2024-05-20T07:30:00Z"
    assert data["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert data["publisher"] == {"@type": "Organization", "name": "Fixture Hub", "url": "https://hub.example.org/"}
    # what the page already says is not repeated: its address (canonical, og:url), description,
    # article:tag, and the sources (the numbered list in the page links every one)
    assert not {"url", "description", "keywords", "about", "identifier", "mainEntityOfPage",
                "citation"} & data.keys()
    assert url not in head.json_ld[0]


def test_story_image_in_open_graph_json_ld_and_json_feed(hub):
    image = "https://img.example.com/chip.jpg?w=1&h=2"
    head = head_of(hub.html("stories/2024/chips/index.html"))
    meta = dict(head.meta)
    assert meta["og:image"] == image and "twitter:image" not in meta  # X reads og:image
    assert meta["twitter:card"] == "summary_large_image"
    assert json.loads(head.json_ld[0])["image"] == [image]
    items = json.loads((hub.site / "feeds/feed.json").read_text())["items"]
    assert [i.get("image") for i in items] == [None, image, None]


def test_hostile_title_cannot_leave_the_json_ld_script(hub):
    html = hub.html("stories/2024/hostile/index.html")
    assert "<script>alert(1)" not in html
    data = json.loads(head_of(html).json_ld[0])
    assert data["headline"] == HOSTILE
    assert data["author"]["@type"] == "Organization"  # the default curator is the editors' team


def test_story_open_graph_twitter_canonical_description(hub):
    head = head_of(hub.html("stories/2024/gpt-news/index.html"))
    meta = dict(head.meta)
    assert meta["og:type"] == "article" and meta["og:title"] == "GPT news"
    assert meta["og:url"] == "https://hub.example.org/stories/2024/gpt-news/"
    assert meta["og:site_name"] == "Fixture Hub"
    assert meta["article:published_time"] == "2024-05-13T17:00:00Z"
    assert meta["article:modified_time"] == "2024-05-20T07:30:00Z"
    assert ("article:tag", "Large language models") in head.meta
    # X (Twitter) reads title and description from Open Graph: only the card type is its own
    assert meta["twitter:card"] == "summary" and not {"twitter:title", "twitter:description"} & meta.keys()
    assert meta["description"] == meta["og:description"] == "A short summary of the story."
    canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
    assert canonical == ["https://hub.example.org/stories/2024/gpt-news/"]
    hostile = dict(head_of(hub.html("stories/2024/hostile/index.html")).meta)
    assert hostile["og:title"] == HOSTILE
    # never updated: its modified time would only repeat the published one
    assert hostile["article:published_time"] == "2024-01-02T00:00:00Z" and "article:modified_time" not in hostile


def alternates(html: str) -> list[tuple[str, str]]:
    """Feed links: rel "alternate feed", never "alternate" alone, which Material's script takes
    for a site in another language and asks for a sitemap.xml beside it (a 404 per feed)."""
    links = [link for link in head_of(html).links if "alternate" in link.get("rel", "").split()]
    assert all(link["rel"] == "alternate feed" for link in links)
    return [(link["type"], link["href"]) for link in links]


def test_pages_announce_their_feeds(hub):
    """The home page announces the hub's feed in every format; every other page its RSS only
    (after the page's own channel's RSS on a subject page): the OPML lists the rest."""
    hub_feeds = [("application/rss+xml", "feeds/rss.xml"), ("application/atom+xml", "feeds/atom.xml"),
                 ("application/feed+json", "feeds/feed.json")]
    hub_rss = hub_feeds[:1]
    assert alternates(hub.html("index.html")) == hub_feeds
    assert alternates(hub.html("about/index.html")) == [(t, "../" + h) for t, h in hub_rss]
    assert alternates(hub.html("stories/2024/chips/index.html")) == [(t, "../../../" + h) for t, h in hub_rss]
    for page, folder in [("tags/llm", "tags/llm"), ("companies/nvidia", "companies/nvidia"),
                         ("sources/example-news", "sources/example-news")]:
        links = alternates(hub.html(f"{page}/index.html"))
        own = [("application/rss+xml", f"../../feeds/{folder}/rss.xml")]
        assert links == own + [(t, "../../" + h) for t, h in hub_rss], page
    meta = dict(head_of(hub.html("tags/llm/index.html")).meta)
    assert meta["og:type"] == "website" and meta["og:url"] == "https://hub.example.org/tags/llm/"


def test_follow_links_on_tag_company_publisher_and_home_pages(hub):
    for page, folder in [("tags/llm", "tags/llm"), ("companies/openai", "companies/openai"),
                         ("sources/other-daily", "sources/other-daily")]:
        html = hub.html(f"{page}/index.html")
        follow = re.search(r'<p class="hub-follow">(.*?)</p>', html, re.S).group(1)
        assert f'href="../../feeds/{folder}/rss.xml"' in follow, page
        assert "atom.xml" not in follow and "feed.json" not in follow, page
    home = re.search(r'<p class="hub-follow">(.*?)</p>', hub.html("index.html"), re.S).group(1)
    assert 'href="feeds/feeds.opml"' in home
    assert broken_links(hub.site, "/") == []


def test_sitemap_lastmod_is_each_story_date(hub):
    sitemap = ET.parse(hub.site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    dates = {u.find(f"{ns}loc").text: u.find(f"{ns}lastmod").text for u in sitemap.findall(f"{ns}url")}
    base = "https://hub.example.org/"
    assert dates[base + "stories/2024/gpt-news/"] == "2024-05-20"  # its `updated`
    assert dates[base + "stories/2024/chips/"] == "2024-04-02"  # its correction
    assert dates[base + "tags/ai-chips/"] == "2024-04-02"
    assert dates[base + "corrections/"] == "2024-04-02"
    assert dates[base] == "2024-05-20"
    assert dates[base + "about/"] == "2025-01-01"  # a hand-written page: the build's fixed date


# --- JSON API -------------------------------------------------------------------------------

def test_api_stories_are_paginated_and_complete(tmp_path):
    stories = {f"2024/s{n}.md": story_text(f"Story {n}", f"2024-02-{n + 1:02d}") for n in range(5)}
    stories["2024/draft.md"] = story_text("Secret draft", "2024-03-01", extra="draft: true")
    result = build_hub(make_hub(tmp_path, stories, extra_hub={"api_page_size": 2}))
    index = json.loads((result.site / "api/stories.json").read_text())
    assert index["count"] == 5 and index["page_size"] == 2 and len(index["pages"]) == 3
    titles, url = [], index["pages"][0]["url"]
    previous = None
    while url:
        page = json.loads((result.site / url.removeprefix("https://hub.example.org/")).read_text())
        assert page["previous"] == previous and page["count"] == len(page["stories"]) <= 2
        titles += [s["title"] for s in page["stories"]]
        previous, url = url, page["next"]
    assert titles == [f"Story {n}" for n in range(4, -1, -1)]
    assert [p["count"] for p in index["pages"]] == [2, 2, 1]


def test_api_records_relations_and_counts(hub):
    page = json.loads((hub.site / "api/stories/page-1.json").read_text())
    story = page["stories"][0]
    assert story["id"] == "tag:hub.example.org,2024:stories/2024/gpt-news"
    assert story["url"] == "https://hub.example.org/stories/2024/gpt-news/"
    assert story["tags"] == ["llm"] and story["companies"] == ["openai"]
    assert story["publishers"] == ["example-news", "other-daily"]
    assert story["sources"][0]["publisher_slug"] == "example-news" and story["sources"][0]["number"] == 1
    assert story["date_modified"] == "2024-05-20T07:30:00Z"
    tags = {t["slug"]: t for t in json.loads((hub.site / "api/tags.json").read_text())["tags"]}
    assert tags["llm"]["count"] == 2 and tags["llm"]["url"] == "https://hub.example.org/tags/llm/"
    assert tags["llm"]["feeds"] == {"rss": "https://hub.example.org/feeds/tags/llm/rss.xml"}
    companies = json.loads((hub.site / "api/companies.json").read_text())["companies"]
    assert [(c["slug"], c["count"], c["homepage"]) for c in companies] == [
        ("nvidia", 1, "https://www.nvidia.com/"), ("openai", 1, "https://openai.com/")]
    publishers = json.loads((hub.site / "api/publishers.json").read_text())["publishers"]
    assert [(p["slug"], p["count"]) for p in publishers] == [("example-news", 3), ("other-daily", 1)]
    for story in page["stories"]:  # every relation resolves in the other files
        assert set(story["tags"]) <= set(tags)
        assert set(story["publishers"]) <= {p["slug"] for p in publishers}


# --- determinism ----------------------------------------------------------------------------

def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path):
    config = make_hub(tmp_path, FIXTURE)
    first = snapshot(build_hub(config, source_date_epoch=1_735_689_600).site)
    second = snapshot(build_hub(config, source_date_epoch=1_735_689_600).site)
    assert "feeds/rss.xml" in first and "api/stories.json" in first and "sitemap.xml.gz" in first
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


# --- units ----------------------------------------------------------------------------------

def test_absolutize_rewrites_only_relative_urls_inside_tags():
    base = "https://hub.example.org/stories/2024/x/"
    html = ('<p><a href="../y/">y</a> <a href=\'#source-1\'>1</a> <img src="a&amp;b.png"> '
            '<a href="https://elsewhere.example/">e</a> <a href="mailto:a@b.c">m</a></p>'
            '<pre><code>&lt;a href="relative"&gt;</code></pre>')
    out = absolutize_html(html, base)
    assert '<a href="https://hub.example.org/stories/2024/y/">' in out
    assert '<a href="https://hub.example.org/stories/2024/x/#source-1">' in out
    assert '<img src="https://hub.example.org/stories/2024/x/a&amp;b.png">' in out
    assert '<a href="https://elsewhere.example/">' in out and 'href="mailto:a@b.c"' in out
    assert '&lt;a href="relative"&gt;' in out


def test_script_json_cannot_close_the_script():
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_story_id_includes_the_site_path_and_ignores_everything_else():
    from hub.model import Story
    from hub.siteinfo import SiteInfo
    from hub.dates import parse_datetime

    def story(title: str) -> Story:
        date, _ = parse_datetime("2024-05-01")
        return Story("stories/2024/x.md", "stories/2024/x.md", "x", title, "s", date, False, "c",
                     (), (), (), "", 1)

    project = SiteInfo.create("Hub", "https://example.github.io/ai-news-hub")
    assert project.story_id(story("One")) == "tag:example.github.io,2024:ai-news-hub/stories/2024/x"
    assert project.story_id(story("Renamed")) == project.story_id(story("One"))
    plain = SiteInfo.create("Hub", "https://hub.example.org/", use_directory_urls=False)
    assert plain.story_id(story("One")) == "tag:hub.example.org,2024:stories/2024/x"
    assert plain.page_url("stories/2024/x.md") == "https://hub.example.org/stories/2024/x.html"


def test_starter_hub_feeds_parse_and_every_channel_is_in_the_opml(starter_build):
    result = starter_build
    assert result.aborted is None, result.messages()
    paths = feed_files(result.site)
    for path in paths:
        if path.suffix == ".json":
            check_json_feed(json.loads(path.read_text(encoding="utf-8")))
        else:
            assert not feedparser.parse(path.read_bytes()).bozo, path
    opml = ET.parse(result.site / "feeds/feeds.opml").getroot()
    listed = {o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")}
    base = "https://example.github.io/ai-news-hub/"
    assert listed == {base + p.relative_to(result.site).as_posix() for p in paths if p.name == "rss.xml"}
    stories = json.loads((result.site / "api/stories.json").read_text())
    assert stories["count"] == len(list((result.site / "stories").glob("*/*/index.html")))
