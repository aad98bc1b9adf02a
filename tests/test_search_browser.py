"""The header search box in Chromium on the starter hub: a story, a company page, a filter, and
not one request to another host. Skipped where Chromium or Playwright is missing
(scripts/setup-verify.sh installs them)."""
from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

from hubsite import build_hub, make_hub, story_text

pytest.importorskip("playwright.sync_api")
if not shutil.which("chromium"):
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

import verify_site  # noqa: E402

RESULTS = "[data-hub-search-results] li"
# No search running or waiting (search.js marks the list aria-busy meanwhile).
SETTLED = ("() => { const status = () => document.querySelector('[data-hub-search-status]').textContent; "
           "return document.querySelector('[data-hub-search-results]').getAttribute('aria-busy') !== 'true'")


class Browser:
    """One page of a served site, with every request it makes and every dialog it opens."""

    def __init__(self, playwright, base: str) -> None:
        self.browser = verify_site._launch(playwright)
        self.page = self.browser.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(base, wait_until="networkidle")

    def search(self, query: str) -> list[dict]:
        """Type `query` into the box (after `/` opened it) and return the results shown."""
        page = self.page
        page.fill("[data-hub-search-query]", "")
        page.wait_for_function(SETTLED + " && /Type to search/.test(status()); }")
        page.type("[data-hub-search-query]", query)
        page.wait_for_function(SETTLED + " && /result|No results/.test(status()); }")
        page.wait_for_load_state("networkidle")
        return self.results()

    def results(self) -> list[dict]:
        return self.page.eval_on_selector_all(RESULTS, """items => items.map(li => ({
            href: li.querySelector('a').getAttribute('href'),
            title: li.querySelector('.hub-search__title').textContent,
            meta: li.querySelector('.hub-search__meta').textContent,
            excerpt: li.querySelector('.hub-search__excerpt').textContent,
            marks: li.querySelectorAll('.hub-search__excerpt mark').length,
            elements: [...li.querySelectorAll('.hub-search__excerpt *')].map(e => e.tagName)}))""")


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def starter(playwright, starter_build):
    with verify_site.serve(starter_build.site) as base:
        browser = Browser(playwright, base)
        try:
            yield browser, base
        finally:
            browser.browser.close()


def test_page_load_fetches_no_index_and_the_shortcut_opens_the_box(starter):
    browser, _ = starter
    assert not any("/search/" in url or "search_index" in url for url in browser.requests)
    browser.page.keyboard.press("/")
    # Waited for, not read at once: on a loaded machine the key's handler can take a moment.
    browser.page.wait_for_function("document.activeElement.matches('[data-hub-search-query]')", timeout=5000)
    assert browser.page.evaluate("document.getElementById('__search').checked")


def test_a_query_finds_a_known_story_with_date_publishers_and_marked_snippet(starter):
    browser, _ = starter
    results = browser.search("Blackwell")
    story = next(r for r in results if r["title"] == "NVIDIA unveils the Blackwell GPU platform at GTC 2024")
    assert story["href"].endswith("/stories/2024/nvidia-unveils-blackwell-gpu-platform/")
    assert story["meta"].startswith("18 Mar 2024 · ") and "Advisor Perspectives" in story["meta"]
    assert story["marks"] >= 1 and set(story["elements"]) == {"MARK"}
    assert not any("[1]" in r["excerpt"] or "[2]" in r["excerpt"] for r in results)


def test_a_word_deep_in_a_story_is_marked_in_a_snippet_cut_from_its_page(starter):
    """Doc files keep only a story's summary; the snippet around a word of the body comes from
    the story's own page, without its [1] markers or heading anchors."""
    browser, _ = starter
    results = browser.search("mathematician")
    story = next(r for r in results if r["title"] == "NVIDIA unveils the Blackwell GPU platform at GTC 2024")
    assert "named after the mathematician David Blackwell" in story["excerpt"]
    assert story["marks"] == 1 and "[1]" not in story["excerpt"] and "¶" not in story["excerpt"]
    assert any(url.endswith("/stories/2024/nvidia-unveils-blackwell-gpu-platform/") for url in browser.requests)


def test_a_company_name_finds_its_company_page_first(starter):
    browser, _ = starter
    results = browser.search("nvidia")
    assert results[0]["href"].endswith("/companies/nvidia/") and results[0]["meta"] == "Company"
    assert results[0]["title"] == "NVIDIA"


def test_a_filter_narrows_the_results(starter):
    browser, _ = starter
    page = browser.page
    every = browser.search("chips")
    page.wait_for_selector("select[name=year] option[value='2023']", state="attached")
    page.select_option("select[name=year]", "2023")
    page.wait_for_function(f"() => document.querySelectorAll('{RESULTS}').length < {len(every)}")
    page.wait_for_load_state("networkidle")
    narrowed = browser.results()
    assert 0 < len(narrowed) < len(every)
    assert all(r["meta"].split(" · ")[0].endswith("2023") for r in narrowed)
    page.select_option("select[name=year]", "")


def test_the_open_search_box_with_results_is_axe_clean(starter):
    browser, _ = starter
    if not verify_site.AXE.exists():
        pytest.skip("axe-core is not installed (scripts/setup-verify.sh)")
    browser.search("export")
    browser.page.add_script_tag(path=str(verify_site.AXE))
    found = browser.page.evaluate("() => axe.run('[data-hub-search]', {resultTypes: ['violations']})")
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in found["violations"]] == []


def test_nothing_is_fetched_from_another_host(starter):
    browser, base = starter
    host = urlsplit(base).netloc
    assert any("/search/terms/" in url for url in browser.requests)  # the searches above did load it
    assert [url for url in browser.requests if urlsplit(url).netloc != host] == []


def test_hostile_text_in_a_result_stays_text(playwright, tmp_path):
    title = 'Zebra <img src=x onerror=alert(1)> <mark>fake</mark>'
    result = build_hub(make_hub(tmp_path, {"2024/a.md": story_text(title, body="Zebras graze [1].")}))
    with verify_site.serve(result.site) as base:
        browser = Browser(playwright, base)
        try:
            browser.page.keyboard.press("/")
            found = browser.search("zebra")
            assert found[0]["title"] == title
            assert browser.page.eval_on_selector_all(f"{RESULTS} img", "els => els.length") == 0
            assert browser.dialogs == []
        finally:
            browser.browser.close()
