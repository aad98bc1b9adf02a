"""The hostile-input corpus (tests/hostile/cases.yml): every case builds to a clear error naming
file, line and field, or to a safe page; never a traceback, a hang, a file written outside the
output folder, or a half-written site.

The cases are batched into a few strict builds that run in one child process with a timeout
(a hang in C code, such as YAML parsing, cannot be interrupted in-process).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hubsite import ROOT, search_pages

sys.path.insert(0, str(ROOT / "tests" / "hostile"))
sys.path.insert(0, str(ROOT / "scripts"))

import corpus  # noqa: E402
from sitecheck import broken_links, parse_page, parse_site, unsafe_markup  # noqa: E402

CASES = corpus.load_cases()
TIMEOUT = 240  # seconds for all builds together; they take about 10


def _files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Write every batch, build them all in a child process, return batches and results."""
    top = tmp_path_factory.mktemp("hostile")
    root = top / "deep" / "er" / "hubs"  # room for `../../..` to land inside `top` if it escaped
    batches = corpus.plan(root)
    before = _files(top)
    child = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "hostile" / "run_builds.py"), *(str(b.config) for b in batches)],
        capture_output=True, text=True, timeout=TIMEOUT, cwd=top)
    assert child.returncode == 0, child.stderr[-3000:]
    results = {b.name: r for b, r in zip(batches, json.loads(child.stdout))}
    written = _files(top) - before
    return {"top": top, "batches": batches, "results": results, "written": written,
            "stderr": child.stderr}


def test_corpus_size_and_classes():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"
    assert {c.klass for c in CASES} == set(corpus.CLASSES)
    for case in CASES:
        assert ("error" in case.expect) != ("render" in case.expect), case.id
        assert case.stories or case.pages or case.registry, case.id


def test_no_build_crashed_and_nothing_was_written_outside_the_output(built):
    for name, result in built["results"].items():
        assert result["crash"] is None, f"{name} crashed:\n{result['crash']}"
        assert result["seconds"] < 60, f"{name} took {result['seconds']} s"
    assert "Traceback" not in built["stderr"]
    sites = [b.config.parent.relative_to(built["top"]) / "site" for b in built["batches"]]
    sites += [b.config.parent.relative_to(built["top"]) / ".cache" / "hub" for b in built["batches"]]  # render cache
    outside = sorted(p for p in built["written"] if not any(p.is_relative_to(s) for s in sites))
    assert outside == [], f"written outside the site folders: {outside}"
    assert not any(p.name == "hostile-pwned" for p in built["top"].rglob("*"))


def test_error_batches_abort_before_writing_anything(built):
    for batch in built["batches"]:
        if batch.expects_error:
            result = built["results"][batch.name]
            assert result["aborted"] and result["aborted"].startswith("Aborted:"), batch.name
            assert not (batch.config.parent / "site").exists(), f"{batch.name}: half-written site"


def test_render_batch_passes_strict(built):
    result = built["results"]["renders"]
    assert result["aborted"] is None, [m for lvl, m in result["log"] if lvl in ("ERROR", "WARNING")]
    assert [m for lvl, m in result["log"] if lvl in ("ERROR", "WARNING")] == []


def _batch_of(built, case):
    return next(b for b in built["batches"] if case in b.cases)


@pytest.mark.parametrize("case", [c for c in CASES if c.is_error], ids=lambda c: c.id)
def test_error_case_names_file_line_and_field(built, case):
    batch = _batch_of(built, case)
    errors = [m for lvl, m in built["results"][batch.name]["log"] if lvl == "ERROR"]
    for start, message in corpus.expected_errors(case, batch):
        matching = [m for m in errors if m.startswith(start) and message in m[len(start):]]
        assert matching, f"expected `{start}...{message}...` among:\n" + "\n".join(
            m for m in errors if case.id in m or "_registry" in m)
        assert all(" Fix: " in m for m in matching), "every problem says how to fix it"


@pytest.fixture(scope="module")
def render_site(built):
    batch = next(b for b in built["batches"] if b.name == "renders")
    site = batch.config.parent / "site"
    pages = parse_site(site)
    control = pages[(site / "stories" / corpus.CONTROL / "story" / "index.html").resolve()]
    return site, pages, set(control.scripts)


def test_every_rendered_page_is_safe_and_no_link_leaves_the_site(render_site):
    site, pages, allowed = render_site
    findings = {str(p.relative_to(site.resolve())): unsafe_markup(page, allowed) for p, page in pages.items()}
    assert {k: v for k, v in findings.items() if v} == {}
    # Hostile bodies link to files that do not exist (`<img src=x>`); none may leave the site.
    assert [b for b in broken_links(site, "/", pages) if "outside the site" in b] == []


def test_search_index_holds_hostile_values_as_text_and_only_pages_of_the_site(render_site):
    """The index keeps a page's text as it reads ("<script>" typed in a story stays those
    characters); the search box puts it in as text (tests/test_search_browser.py)."""
    site, _, _ = render_site
    indexed = search_pages(site)
    for url, fragment in indexed.items():
        assert url.startswith("/") and (site / url.lstrip("/") / "index.html").is_file(), url
    hostile = indexed["/tags/hostile-tag/"]
    assert "<script>alert(2)</script>" in hostile["content"]


@pytest.mark.parametrize("case", [c for c in CASES if not c.is_error], ids=lambda c: c.id)
def test_render_case_is_shown_as_typed(render_site, case):
    site, pages, _ = render_site
    render = case.expect["render"]
    for rel in case.rendered_pages():
        path = (site / rel).resolve()
        assert path in pages, f"{rel} was not built"
        page, html = pages[path], path.read_text(encoding="utf-8")
        if "title" in render and rel.startswith("stories/"):
            assert page.h1 == [render["title"]]
        for text in render.get("text", []):
            assert " ".join(text.split()) in page.text, f"{rel}: {text!r} not shown"
        for snippet in render.get("absent", []):
            assert snippet not in html, f"{rel}: {snippet!r} is in the HTML"
        for snippet in render.get("html", []):
            assert snippet in html, f"{rel}: {snippet!r} missing"


def test_feeds_and_json_stay_well_formed_and_their_html_is_safe(render_site):
    """Hostile titles, summaries and bodies reach the feeds, the sitemap and the JSON API too:
    every file must still parse, and every piece of HTML a feed reader would render is safe."""
    import xml.etree.ElementTree as ET

    site, _, _ = render_site
    xml_files = sorted(site.rglob("*.xml")) + sorted(site.rglob("*.opml"))
    json_files = sorted(site.rglob("*.json"))
    assert xml_files and json_files
    html_pieces: list[tuple[str, str]] = []
    for path in xml_files:
        for element in ET.parse(path).iter():  # raises if a value broke the XML
            name = element.tag.rsplit("}", 1)[-1]
            if name in ("content", "description", "summary", "encoded") and element.text:
                if name in ("content", "summary") and element.get("type", "text") == "text":
                    continue  # plain text: readers do not render it as HTML
                html_pieces.append((f"{path.name} <{name}>", element.text))

    def walk(where: str, value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str) and key.endswith("html"):
                    html_pieces.append((f"{where} {key}", item))
                walk(where, item)
        elif isinstance(value, list):
            for item in value:
                walk(where, item)

    for path in json_files:
        walk(path.name, json.loads(path.read_text(encoding="utf-8")))
    assert html_pieces
    for where, piece in html_pieces:
        assert unsafe_markup(parse_page(piece), set()) == [], where
