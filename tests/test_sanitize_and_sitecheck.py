"""The sanitiser's allow-list, and the static site checks (scripts/sitecheck.py) that the
hostile-corpus test and ./dev verify rely on: each must catch what it claims to catch."""
from __future__ import annotations

import sys

import markdown

from hubsite import ROOT
from hub.sanitize import clean_html

sys.path.insert(0, str(ROOT / "scripts"))
from sitecheck import broken_links, css_external_urls, external_fetches, parse_page, unsafe_markup  # noqa: E402

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.superfences",
              "pymdownx.highlight"]


def render(text: str) -> str:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})
    return clean_html(md.convert(text))


def test_keeps_what_materials_extensions_make():
    html = render('## Terms\n\n!!! note "Heads up"\n    Body\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n'
                  '```python\nx = 1\n```\n\nSee <sup id="cite-1"><a href="#source-1">[1]</a></sup> '
                  'and [a page](../other/) or [the web](https://example.com/).\n')
    for kept in ('<h2 id="terms">', 'class="headerlink" href="#terms"', '<div class="admonition note">',
                 '<p class="admonition-title">', '<th style="text-align:left">', '<td style="text-align:right">',
                 '<div class="highlight">', '<span class="n">x</span>',
                 '<sup id="cite-1"><a href="#source-1">[1]</a></sup>',
                 'href="../other/"', 'href="https://example.com/"'):
        assert kept in html, kept


def test_drops_what_could_run_or_load():
    html = render('<script>alert(1)</script><iframe src="https://x.example/"></iframe>\n\n'
                  '<img src="x.png" onerror="alert(2)" style="background:url(javascript:alert(3))">\n'
                  '[a](javascript:alert(4)) [b](data:text/html,x) [c](vbscript:x) '
                  '<a href="jav&#x09;ascript:alert(5)">d</a> <img src="https://tracker.example/p.gif" alt="t">\n\n'
                  '<div id="__search">x</div><form action="/x"><input></form><base href="https://x.example/">\n')
    for gone in ("<script", "alert(1)", "<iframe", "onerror", "style=", "javascript", "data:", "vbscript",
                 "tracker.example", 'id="__search"', "<form", "<input", "<base"):
        assert gone not in html.lower(), gone
    assert '<img src="x.png">' in html and '<img alt="t">' in html


def test_scanner_flags_each_kind_of_active_markup():
    page = parse_page('<a href=" jav&#x09;ascript:alert(1)">x</a><img src=x onerror=alert(2)>'
                      '<iframe></iframe><base href="/"><meta http-equiv="refresh" content="0;url=/">'
                      '<p style="width:expression(alert(3))">p</p><script>alert(4)</script>'
                      '<script type="application/ld+json">{"a": "</script><b>"}</script>')
    found = " | ".join(unsafe_markup(page, allowed_scripts=set()))
    for expected in ("script URL", "onerror", "<iframe>", "<base>", "http-equiv=refresh", "active style",
                     "script not on a clean page", "is not valid JSON"):
        assert expected in found, expected


def test_scanner_accepts_materials_own_markup_and_baseline_scripts():
    material = ('<form class="md-search__form" name="search"><input type="text"></form>'
                '<script>__md_scope=new URL("../..",location)</script><script src="../../assets/x.js"></script>'
                '<script type="application/ld+json">{"headline": "\\u003cb\\u003e"}</script>')
    baseline = parse_page(material.replace("../..", ".").replace("../../assets", "assets"))
    assert unsafe_markup(parse_page(material), set(baseline.scripts)) == []


def test_external_fetches_are_resources_not_links():
    page = parse_page('<a href="https://example.com/">link</a><img src="https://cdn.example/i.png">'
                      '<link rel="stylesheet" href="//fonts.example/css"><link rel="canonical" href="https://x/">'
                      '<script src="assets/a.js"></script>')
    assert external_fetches(page) == ["https://cdn.example/i.png", "//fonts.example/css"]


def test_broken_links_finds_missing_files_anchors_and_escapes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#gone">x</a>'
                                         '<a href="missing/">x</a><a href="../../etc/">x</a><a href="https://e.x/">ext</a>')
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">Here</h2>')
    (tmp_path / "s.css").write_text("body{background:url(https://e.x/bg.png)} a{background:url(img.png)}")
    assert broken_links(tmp_path) == ["index.html: a/#gone (no id 'gone')", "index.html: missing/",
                                      "index.html: ../../etc/ (outside the site)"]
    assert css_external_urls(tmp_path) == ["s.css: https://e.x/bg.png"]
