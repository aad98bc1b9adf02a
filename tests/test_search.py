"""hub_search splits story HTML into Material's search sections exactly as Material's own parser
does, or declines (None) and leaves the page to it."""
from __future__ import annotations

from types import SimpleNamespace

import markdown
import pytest
from material.plugins.search.plugin import Parser, SearchIndex
from mkdocs.structure.toc import get_toc

from hub_speed import search_sections as hub_search
from hub.citations import expand_markers, link_markers
from hub.sanitize import clean_html
from hubsite import load_bench
from hostile.corpus import load_cases

pytestmark = pytest.mark.speed_layer  # tests of the speed layer: it stays on under HUB_SPEED=0

TOKEN = "hubcitetestq"
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.superfences",
              "pymdownx.highlight"]


def _material(html: str) -> list[tuple]:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return _plain(parser.data)


def _plain(sections: list) -> list[tuple]:
    return [(s.el.tag, s.el.attrs, s.id, s.depth, s.title, s.text, s.is_excluded()) for s in sections]


def _story_html(body: str, sources: int) -> str:
    """A story body as the hook renders it: citations linked, Markdown, sanitised."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})
    return clean_html(expand_markers(md.convert(link_markers(body, sources, TOKEN)), TOKEN))


def _bench_bodies(count: int) -> list[str]:
    bench = load_bench()
    vocab = bench.vocabulary()
    bodies = []
    for i in range(count):
        text = bench.story(i, vocab)[1]
        bodies.append(_story_html(text.split("---\n", 2)[2], 8))
    return bodies


def _hostile_bodies() -> list[str]:
    bodies = []
    for case in load_cases():
        for data in case.stories.values():
            text = data.decode("utf-8", errors="replace")
            body = text.split("---\n", 2)[2] if text.startswith("---\n") and text.count("---\n") >= 2 else text
            bodies.append(body[:20_000])
    return bodies


# Raw (unsanitised) HTML that exercises each of Material's rules.
SNIPPETS = [
    "plain text before any tag <p>then a paragraph</p>",
    '<h1 id="top">Title<a class="headerlink" href="#top">¶</a></h1><p>intro</p>'
    '<h2 id="two">Two</h2><p>a <em>b</em> <code>c</code></p><p> </p><p></p>',
    '<h2 id="first">Not an h1 first</h2><p>x</p><h3>no id</h3><p>y</p>',
    '<div><h2 id="nested">Nested</h2><p>inside</p></div><p>after the div</p>',
    '<p>a &amp; b &lt;tag&gt; &quot;q&quot; &#39;s&#39; &nbsp;</p>',
    '<pre><code>line one\n  line two\n\n</code></pre><p>x\ny</p>',
    '<ul><li>one <sup>1</sup></li><li><p>two</p><ol><li>sub</li></ol></li></ul>',
    '<div data-search-exclude="1"><p>hidden</p><div>also hidden</div></div><p>shown</p>',
    '<h2 id="gone" data-search-exclude="1">Gone</h2><p>under it</p><h2 id="back">Back</h2><p>z</p>',
    '<table><tr><td class="linenodiv">1 2 3</td><td><p>code</p></td></tr></table>',
    '<p>a<br/>b<br>c<img src="x.png" alt="x"/>d<hr>e</p>',
    '<p>unclosed <em>em</p><p>next</p></em>',
    '<p><span/>x<a href="#a"/>y</p>',
    '<sup class="hub-cite" id="cite-1"><a href="#source-1" aria-label="Source 1">[1]</a></sup>',
    '<h2 id="a">A</h2>\n\n<p>\n</p>\n<h2 id="b">B <code>code</code></h2>',
    '<details class="note"><summary>Sum</summary><p>Body</p></details>',
]
DECLINED = [
    "<!-- a comment --><p>x</p>",
    "<P>upper case</P>",
    "<p>a < b</p>",
    "<script>alert(1)</script><p>x</p>",
    "<details open><p>x</p></details>",
    "<p class='single'>x</p>",
    "<custom-tag>x</custom-tag>",
    "<p>x</p attr>",
]


def test_sections_equal_materials_on_story_html():
    bodies = _bench_bodies(60) + [_story_html(body, 3) for body in _hostile_bodies()]
    read = 0
    for html in bodies:
        ours = hub_search.sections(html)
        if ours is not None:
            read += 1
            assert _plain(ours) == _material(html), html[:300]
    assert read >= 60 + len(_hostile_bodies()) // 2  # the fast path is the usual one


@pytest.mark.parametrize("html", SNIPPETS + [clean_html(s) for s in SNIPPETS])
def test_sections_equal_materials_on_each_rule(html):
    ours = hub_search.sections(html)
    assert ours is not None, html
    assert _plain(ours) == _material(html)


@pytest.mark.parametrize("html", DECLINED)
def test_sections_decline_what_they_do_not_read(html):
    assert hub_search.sections(html) is None


def test_index_page_makes_materials_entries():
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})
    html = clean_html(md.convert("Intro [x](#a).\n\n## Part one\n\nText.\n\n### Deeper\n\nMore.\n"))
    page = SimpleNamespace(content=html, toc=get_toc(md.toc_tokens), url="stories/2024/a/",
                           meta={"title": "A story"}, title="A story")
    ours, theirs = SearchIndex(), SearchIndex()
    hub_search.index_page(ours, page)
    theirs.add_entry_from_context(page)
    assert ours.entries == theirs.entries
    assert [entry["location"] for entry in ours.entries] == [
        "stories/2024/a/", "stories/2024/a/#part-one", "stories/2024/a/#deeper"]
