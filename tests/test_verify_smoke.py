"""One quick browser smoke test: ./dev verify's watcher does see what a hostile page does.

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

import verify_site  # noqa: E402

EVIL = """<!doctype html><html lang="en"><head><title>t</title></head><body>
<img src="missing.png" onerror="alert('from onerror')">
<a href="javascript:alert(2)">x</a>
<script>fetch('https://third-party.example/beacon').catch(() => {});
setTimeout(() => { location.href = 'other.html'; }, 50)</script>
</body></html>"""


def test_watcher_sees_dialogs_navigations_outside_requests_and_script_urls(tmp_path):
    from playwright.sync_api import sync_playwright

    (tmp_path / "index.html").write_text(EVIL)
    (tmp_path / "other.html").write_text("<!doctype html><title>o</title>")
    with sync_playwright() as playwright, verify_site.serve(tmp_path) as base:
        browser = verify_site._launch(playwright)
        try:
            page, watch = verify_site.open_page(browser.new_context(), base, "", [], idle=False)
            for _ in range(100):  # up to 10 s on a loaded machine; the page acts within ~100 ms
                events = " | ".join(watch.events)
                if "dialog" in events and "another host" in events and "other.html" in events:
                    break
                page.wait_for_timeout(100)
        finally:
            browser.close()
    events = " | ".join(watch.events)
    assert "dialog alert: 'from onerror'" in events
    assert "request to another host: https://third-party.example/beacon" in events
    assert "navigated to " in events and "other.html" in events


def test_dom_scan_reports_handlers_and_script_urls(tmp_path):
    from playwright.sync_api import sync_playwright

    (tmp_path / "index.html").write_text('<!doctype html><title>t</title><p onclick="x()">p</p>'
                                         '<a href=" javascript:void(0)">a</a><iframe></iframe>')
    with sync_playwright() as playwright, verify_site.serve(tmp_path) as base:
        browser = verify_site._launch(playwright)
        try:
            page, _ = verify_site.open_page(browser.new_context(), base, "", [], idle=False)
            found = page.evaluate(verify_site._DOM_SCAN)
        finally:
            browser.close()
    assert found == ["<p onclick>", "<a href=javascript:void(0)>", "<iframe>"]
