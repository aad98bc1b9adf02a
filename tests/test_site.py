"""End-to-end builds of fixture hubs and of the real starter hub, checked on the parsed output."""
from __future__ import annotations

import re

import pytest

from hubsite import build_hub, make_hub, search_pages, story_text
from sitecheck import broken_links
from test_build_fixture import hrefs


def titles_on(html: str) -> list[str]:
    return re.findall(r'<li class="hub-card[^"]*">\s*<h2><a href="[^"]*">([^<]*)</a>', html)


def test_drafts_and_scheduled_stories_appear_nowhere(tmp_path):
    config = make_hub(tmp_path, {
        "2024/public.md": story_text("Public", "2024-06-01"),
        "2024/draft.md": story_text("Secret draft", "2024-06-02", extra="draft: true"),
        "2025/later.md": story_text("From the future", "2025-03-01"),  # after SOURCE_DATE_EPOCH
    })
    result = build_hub(config)
    assert result.aborted is None and result.messages() == []
    everything = "".join(p.read_text(errors="replace") for p in result.site.rglob("*") if p.is_file())
    assert "Public" in everything
    assert "Secret draft" not in everything and "From the future" not in everything
    assert not (result.site / "stories/2024/draft").exists()
    assert not (result.site / "archive/2025").exists()
    indexed = search_pages(result.site)
    assert "/stories/2024/public/" in indexed and "/about/" in indexed
    assert not any("draft" in url or "later" in url for url in indexed)
    # Topic, company and publisher pages are found by name; listings of stories are not.
    assert {"/tags/llm/", "/companies/openai/", "/sources/example-news/"} <= indexed.keys()
    assert not any(url.startswith("/archive/") or "/page/" in url or url == "/" for url in indexed)


def test_preview_shows_drafts_and_scheduled_marked(tmp_path):
    config = make_hub(tmp_path, {
        "2024/draft.md": story_text("Secret draft", "2024-06-02", extra="draft: true"),
        "2025/later.md": story_text("From the future", "2025-03-01"),
    })
    result = build_hub(config, strict=False, serve=True)
    home = result.html("index.html")
    assert titles_on(home) == ["From the future", "Secret draft"]
    assert '<span class="hub-badge">Draft</span>' in home and '<span class="hub-badge">Scheduled</span>' in home
    assert "Draft: shown only in this preview" in result.html("stories/2024/draft/index.html")
    # on a later page, a row carries the same badge
    rows = build_hub(make_hub(tmp_path / "rows", extra_hub={"per_page": 1}, stories={
        "2024/draft.md": story_text("Secret draft", "2024-06-02", extra="draft: true"),
        "2025/later.md": story_text("From the future", "2025-03-01")}), strict=False, serve=True)
    assert '<li><a href="../../stories/2024/draft/">Secret draft</a> <span class="hub-badge">Draft</span> <b>' \
        in rows.html("page/2/index.html")


def row_titles_on(html: str) -> list[str]:
    """The headlines of a later page's compact rows, in order."""
    rows = html.split('<ol class="hub-rows">')[1].split("</ol>")[0] if '<ol class="hub-rows">' in html else ""
    return re.findall(r'<li><a href="[^"]*">([^<]*)</a>', rows)


@pytest.mark.parametrize("count, sizes", [(2, [2]), (4, [2, 2]), (5, [2, 3]), (6, [2, 3, 1]), (8, [2, 3, 3])])
def test_pagination_boundaries(tmp_path, count, sizes):
    stories = {f"2024/s{n}.md": story_text(f"Story {n}", f"2024-01-{n + 1:02d}") for n in range(count)}
    config = make_hub(tmp_path, stories, extra_hub={"per_page": 2, "rows_per_page": 3})
    result = build_hub(config)
    assert result.aborted is None
    pages = len(sizes)
    listings = [result.html("index.html")] + [result.html(f"page/{n}/index.html") for n in range(2, pages + 1)]
    assert not (result.site / f"page/{pages + 1}").exists()
    # page 1: per_page cards; every later page: up to rows_per_page rows
    assert [len(titles_on(html)) + len(row_titles_on(html)) for html in listings] == sizes
    assert row_titles_on(listings[0]) == [] and all(titles_on(html) == [] for html in listings[1:])
    assert titles_on(listings[0])[0] == f"Story {count - 1}"  # newest first
    if pages == 1:
        assert "Page 1 of" not in listings[0] and 'rel="next"' not in listings[0]
        return
    assert f"Page 1 of {pages}" in listings[0] and 'rel="prev"' not in listings[0]
    assert 'rel="next" href="page/2/"' in listings[0]
    assert f"Page {pages} of {pages}" in listings[-1]
    previous = "../.." if pages == 2 else f"../{pages - 1}/"
    assert f'rel="prev" href="{previous}"' in listings[-1] and 'rel="next"' not in listings[-1]
    tag_pages = sorted(p.parent.name for p in (result.site / "tags/llm/page").glob("*/index.html"))
    assert tag_pages == [str(n) for n in range(2, pages + 1)]
    sitemap = (result.site / "sitemap.xml").read_text()
    assert all(f"/page/{n}/</loc>" in sitemap for n in range(2, pages + 1)) and f"/page/{pages + 1}/" not in sitemap


def test_later_pages_list_older_stories_as_compact_rows(tmp_path):
    """Page 1 of every listing keeps its full cards (a publisher's with the cited articles);
    page 2 on shows one row per story: headline, publishers, date; no excerpt, chips or count."""
    def sources(story: int) -> list[dict]:
        return [{"publisher": name, "url": f"https://{name.split()[0].lower()}.example.org/{story}", "title": f"Article {story}",
                 "date": "2024-01-01"} for name in ("Alpha Wire", "Beta Post", "Gamma Daily", "Delta News")]
    stories = {f"2024/s{n}.md": story_text(f"Story {n}", f"2024-01-{n + 1:02d}T0{n}:30:00Z", sources=sources(n),
                                           body="Text [1] [2] [3] [4].")
               for n in range(5)}
    result = build_hub(make_hub(tmp_path, stories, extra_hub={"per_page": 2, "rows_per_page": 2}))
    assert result.aborted is None, result.messages()
    for first in ("index.html", "tags/llm/index.html", "sources/alpha-wire/index.html", "archive/2024/01/index.html"):
        html = result.html(first)
        assert titles_on(html) == ["Story 4", "Story 3"] and '<ol class="hub-rows">' not in html, first
        assert "A short summary" in html and "4\u00a0sources" in html, first
        assert ('class="hub-chips"' in html) != first.startswith("sources"), first
    assert result.html("sources/alpha-wire/index.html").count("Cites <a") == 2
    for later in ("page/2/index.html", "tags/llm/page/2/index.html", "sources/alpha-wire/page/2/index.html",
                  "archive/2024/01/page/2/index.html"):
        html, up = result.html(later), "../" * later.count("/")
        assert row_titles_on(html) == ["Story 2", "Story 1"] and titles_on(html) == [], later
        rows = html.split('<ol class="hub-rows">')[1].split("</ol>")[0].strip()
        assert rows.startswith(
            f'<li><a href="{up}stories/2024/s2/">Story 2</a> <b>Alpha Wire, Beta Post +2</b> · '
            '<time datetime="2024-01-03T02:30:00Z" data-hub-time="full">3 Jan 2024, 02:30 UTC</time></li>'), later
        for absent in ("A short summary", "hub-chips", "sources", "Cites", "<h2><a"):
            assert absent not in rows, (later, absent)
        assert '<h2 class="hub-rows-title">Older stories</h2>' in html and "Page 2 of 3" in html
    assert row_titles_on(result.html("page/3/index.html")) == ["Story 0"]


@pytest.mark.parametrize("bad", [0, "x"])
def test_a_bad_rows_per_page_fails_the_build_with_the_settings_message(tmp_path, bad):
    result = build_hub(make_hub(tmp_path, {"2024/a.md": story_text()}, extra_hub={"rows_per_page": bad}))
    assert result.aborted and "fix the hub settings" in result.aborted
    assert result.messages("ERROR") == ["hub: mkdocs.yml: extra.hub.rows_per_page: must be a whole number of at least 1"]


def test_directories_count_and_link_every_term(tmp_path):
    config = make_hub(tmp_path, {
        "2024/a.md": story_text("A", "2024-05-01", tags="[LLM, chips]", companies="[OpenAI, nvidia corporation]"),
        "2024/b.md": story_text("B", "2024-06-01", tags="[llms]", companies="[]"),
    })
    result = build_hub(config)
    tags = result.html("tags/index.html")
    assert re.search(r'href="llm/">Large language models</a>\s*<span class="hub-count">2 stories', tags)
    assert re.search(r'href="ai-chips/">AI chips</a>\s*<span class="hub-count">1 story', tags)
    assert "Regulation" not in tags  # unused terms are not listed
    assert 'href="nvidia/">NVIDIA</a>' in result.html("companies/index.html")
    archive = result.html("archive/index.html")
    assert 'href="2024/06/">June 2024</a>' in archive and 'href="2024/05/">May 2024</a>' in archive
    assert ">Example News</a>" in result.html("sources/index.html")


def test_company_page_merges_registry_profile_and_hand_written_page(tmp_path):
    config = make_hub(tmp_path, {"2024/a.md": story_text()},
                      pages={"companies/openai.md": "---\ntitle: ignored\n---\nFounded in **2015**.\n"})
    result = build_hub(config)
    page = result.html("companies/openai/index.html")
    assert "An AI research company." in page
    assert "Founded in <strong>2015</strong>." in page
    assert 'href="https://openai.com/"' in page
    assert "../../stories/2024/a/" in hrefs(page)


def test_story_page_has_byline_sources_chips_and_related(tmp_path):
    sources = [{"publisher": "Example News", "url": "https://news.example.com/a", "title": "First"},
               {"publisher": "Other Wire", "url": "https://wire.example.org/b", "title": "Second", "author": "Ann"}]
    config = make_hub(tmp_path, {
        "2024/main.md": story_text("Main", "2024-05-02T10:30:00+02:00", sources=sources,
                                   body="One [1]. Two [2] and again [1][2]."),
        "2024/near.md": story_text("Near", "2024-05-01"),
        "2024/far.md": story_text("Far", "2024-04-01", tags="[Regulation]", companies="[]"),
    })
    result = build_hub(config)
    page = result.html("stories/2024/main/index.html")
    assert "Curated by <span class=\"hub-curator\">The AI Hub editors</span>" in page
    assert ('<time datetime="2024-05-02T08:30:00Z" data-hub-time="full">2 May 2024, 08:30 UTC'
            '</time>') in page
    assert '<a href="#sources">2\u00a0sources</a>: Example News, Other Wire' in page  # kept on one line
    assert page.count('href="#source-1"') == 2 and page.count('href="#source-2"') == 2
    assert 'id="cite-2-2"' in page
    assert re.search(r'<li id="source-2">\s*<b>Other Wire</b>\s*'
                     r'<a href="https://wire.example.org/b" target="_blank" '
                     r'rel="noreferrer">Second</a>\s*<small>wire.example.org · Ann', page)
    # one back-link per citation: source 1 is cited twice (a, b), source 2 twice too, introduced
    # for screen readers once by hub.css's hidden generated text
    assert re.search(r'<span class="hub-backrefs">↑ <a href="#cite-1">a</a> <a href="#cite-1-2">b</a>', page)
    # chips: topics plain, companies in li.hub-co; each link's kind is hub.css's hidden generated text
    assert re.search(r'<li><a href="../../../tags/llm/">'
                     r'Large language models</a></li>', page)
    assert re.search(r'<li class="hub-co"><a href="../../../companies/openai/">'
                     r'OpenAI</a></li>', page)
    css = (result.site / "assets/stylesheets/hub.css").read_text()
    for rule in ('.hub-chips a::before { content: "Topic: "; }', '.hub-chips .hub-co a::before { content: "Company: "; }',
                 '.hub-backrefs:has(a + a)::before { content: "Back to its citations: "; }'):
        assert rule in css
    related = page.split('id="related"')[1]
    assert "Near" in related and "Far" not in related


def test_hostile_title_is_escaped_everywhere(tmp_path):
    title = '</title><script>alert(1)</script>"><b>x'
    config = make_hub(tmp_path, {"2024/a.md": story_text(title)})
    result = build_hub(config)
    for page in ("index.html", "stories/2024/a/index.html", "tags/llm/index.html"):
        html = result.html(page)
        assert "<script>alert(1)" not in html, page
        assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html, page


def test_every_internal_link_and_anchor_resolves_in_a_fixture_hub(tmp_path):
    stories = {f"2024/s{n}.md": story_text(f"Story {n}", f"2024-0{n % 3 + 1}-1{n}",
                                           tags="[LLM, Regulation]" if n % 2 else "[chips]") for n in range(7)}
    result = build_hub(make_hub(tmp_path, stories, extra_hub={"per_page": 3}))
    assert result.aborted is None
    assert broken_links(result.site) == []


def test_starter_hub_builds_strict_with_every_page_kind(starter_build):
    result = starter_build
    assert result.aborted is None, result.messages()
    assert [m for m in result.log if m[0] in ("WARNING", "ERROR")] == []
    site = result.site
    for page in ("index.html", "tags/index.html", "companies/index.html", "sources/index.html",
                 "archive/index.html", "about/index.html", "tags/ai-chips/index.html",
                 "companies/alibaba/index.html", "archive/2024/08/index.html",
                 "stories/2024/chinese-tech-giants-accelerate-ai-investments/index.html"):
        assert (site / page).exists(), page
    seed = (site / "stories/2024/chinese-tech-giants-accelerate-ai-investments/index.html").read_text()
    assert "https://www.benzinga.com/markets/asia/24/08/40553145/despite-us-limits-on-chinas-access-to-nvidia-chips-tech-titans-like-alibaba-and-tencent-ramp-up-ai-i" in seed
    stories = sorted(p.relative_to(site).parent.as_posix() + "/" for p in (site / "stories").glob("*/*/index.html"))
    assert len(stories) >= 9
    # The home page and its later pages (page/N/ links are relative to that folder, "../../").
    listed = set(hrefs((site / "index.html").read_text()))
    listed |= {href.removeprefix("../../") for p in site.glob("page/*/index.html") for href in hrefs(p.read_text())}
    assert [url for url in stories if url not in listed] == []
    assert broken_links(site, "/ai-news-hub/") == []


def test_cards_carry_the_summary_their_line_shows_and_the_story_page_all_of_it(tmp_path):
    long = ("Chip makers & cloud firms said on Monday that they would spend more on AI data centres "
            "this year, as demand for training capacity kept rising; analysts expect the spending "
            "to last well into next year, while regulators look at the deals.")
    config = make_hub(tmp_path, {"2024/long.md": story_text("Long").replace("A short summary of the story.", long)})
    result = build_hub(config)
    card = result.html("index.html").split('<ol class="hub-cards">')[1].split("<p>")[1].split("</p>")[0]
    assert card.endswith("…") and len(card) < len(long) and "Chip makers &amp; cloud firms" in card
    assert "Chip makers &amp; cloud" in result.html("stories/2024/long/index.html").split('class="hub-lead">')[1]
    assert "regulators look at the deals." in result.html("stories/2024/long/index.html")
