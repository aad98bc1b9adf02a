"""./dev verify's reader probes (scripts/readercheck.py) see what they measure: a marker that
wraps away from its word, a small tap target, loosened lines, a fold without headlines.

Skipped where Chromium or the Playwright package is missing (scripts/setup-verify.sh installs it).
"""
from __future__ import annotations

import shutil
import sys

import pytest

from hubsite import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

pytest.importorskip("playwright.sync_api")
if not shutil.which("chromium"):
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

import readercheck  # noqa: E402
import verify_site  # noqa: E402

WORDS = "word " * 11
# The hub's markup: a word joiner before each marker, hub.css for the 24 px target.
GOOD = ('<p>' + WORDS + 'end\u2060<sup id="cite-1"><a href="#source-1">[1]</a></sup>. '
        + WORDS + '</p>')
# Stock Markdown output and no hub.css: a space before the marker, which wraps alone and is
# 8 px tall; a large marker opens its line.
BAD = ('<p>' + WORDS + 'end <sup id="cite-1"><a href="#source-1">[1]</a></sup>. '
       + WORDS + '</p><p>Loose<sup id="cite-2" style="font-size:3em"><a href="#source-1">[1]</a>'
       '</sup> line</p>')


def _findings(tmp_path, body: str, styled: bool = True) -> list[str]:
    """Citation findings with the text column at every width from 100 to 300 px; `styled`:
    inside Material's `.md-typeset`, where hub.css applies."""
    from playwright.sync_api import sync_playwright

    shutil.copy(ROOT / "theme_overrides" / "assets" / "stylesheets" / "hub.css", tmp_path / "hub.css")
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
        '<link rel="stylesheet" href="hub.css"><style>body{font:16px/1.6 sans-serif;margin:0}</style></head>'
        f'<body><article class="{"md-typeset" if styled else ""}"><div class="hub-body">{body}</div></article>'
        '</body></html>',
        encoding="utf-8")
    found: list[str] = []
    with sync_playwright() as playwright, verify_site.serve(tmp_path) as base:
        browser = verify_site._launch(playwright)
        try:
            page, _ = verify_site.open_page(browser.new_context(), base, "", [], idle=False)
            for width in range(100, 301, 3):
                page.evaluate(f"() => document.querySelector('.hub-body').style.width = '{width}px'")
                found += readercheck.citation_findings(readercheck.measure_citations(page), f"{width}px")
        finally:
            browser.close()
    return found


def test_glued_markers_with_hub_css_pass_at_every_width(tmp_path):
    assert _findings(tmp_path, GOOD) == []
    # the joiner is what keeps them together: with a space instead, the marker wraps alone
    assert "starts a line" in " ".join(_findings(tmp_path, GOOD.replace("\u2060", " ")))


def test_a_marker_that_wraps_alone_is_small_and_loosens_its_line_is_reported(tmp_path):
    found = " | ".join(_findings(tmp_path, BAD, styled=False))
    assert "starts a line" in found and "px to tap" in found and "open the lines" in found


def test_fold_findings_count_headlines_and_their_parts():
    rows = [{"title": "A", "time": True, "publishers": "Reuters", "sources": True},
            {"title": "B", "time": False, "publishers": "", "sources": True}]
    assert readercheck.fold_findings(rows, 2, "home") == ["home: 'B' shows no time, publishers"]
    assert "1 headlines fully above the fold, want 2" in readercheck.fold_findings(rows[:1], 2, "home")[0]
