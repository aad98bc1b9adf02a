"""The header's light/dark toggle in Chromium on the starter hub. The page itself carries no
toggle: the cached hub-palette.js draws Material's form, so the toggle must still appear, switch
the scheme and keep the choice on the next page, and a page read without scripts must show no
dead control. Skipped where Chromium or Playwright is missing (scripts/setup-verify.sh)."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("playwright.sync_api")
if not shutil.which("chromium"):
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

import verify_site  # noqa: E402

SCHEME = "() => document.body.getAttribute('data-md-color-scheme')"


@pytest.fixture(scope="module")
def served(starter_build):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright, verify_site.serve(starter_build.site) as base:
        browser = verify_site._launch(playwright)
        try:
            yield browser, base
        finally:
            browser.close()


def test_the_page_has_no_toggle_of_its_own(starter_build):
    home = (starter_build.site / "index.html").read_text(encoding="utf-8")
    assert "__palette" not in home and "<form" not in home
    script = (starter_build.site / "assets" / "javascripts" / "hub-palette.js").read_text(encoding="utf-8")
    assert "{%" not in script and "{{" not in script  # rendered, not copied
    assert 'aria-label=\\"Switch to dark mode\\"' in script  # from mkdocs.yml's palette


def test_the_toggle_switches_the_scheme_and_the_next_page_keeps_it(served):
    browser, base = served
    context = browser.new_context(color_scheme="light")
    try:
        page = context.new_page()
        page.goto(base, wait_until="load")
        assert page.evaluate(SCHEME) == "default"
        toggle = page.locator("label[for=__palette_1]")
        toggle.wait_for(state="visible", timeout=5000)
        assert page.locator("label[for=__palette_0]").is_hidden()
        toggle.click()
        page.wait_for_function(SCHEME + " === 'slate'", timeout=5000)
        page.locator(".md-tabs__link", has_text="Topics").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/tags/")
        assert page.evaluate(SCHEME) == "slate"
        page.locator("label[for=__palette_0]").wait_for(state="visible", timeout=5000)
        assert page.locator("label[for=__palette_1]").is_hidden()
    finally:
        context.close()


def test_without_scripts_there_is_no_dead_toggle(served):
    browser, base = served
    context = browser.new_context(java_script_enabled=False, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(base, wait_until="load")
        assert page.locator("[name=__palette]").count() == 0
        assert page.locator("[data-md-component=palette]").count() == 0
        assert page.locator(".md-header__title").is_visible()
    finally:
        context.close()
