"""Smoke run of the benchmark script at a tiny N: it builds and prints a row. No timings asserted."""
from __future__ import annotations

from hub.sitesize import PARTS, SiteSize
from hubsite import load_bench


def test_generated_stories_are_deterministic():
    bench = load_bench()
    vocab = bench.vocabulary()
    assert len(vocab.tags) == 150 and len(vocab.companies) == 300 and len(vocab.publishers) == 40
    assert bench.story(7, vocab) == bench.story(7, vocab)
    for _, host in vocab.publishers:
        assert host.rsplit(".", 2)[-2] == "example"


def test_bench_smoke(tmp_path, capsys):
    bench = load_bench()
    assert bench.main(["--sizes", "30", "--work", str(tmp_path), "--keep"]) == 0
    out = capsys.readouterr().out
    timings, sizes = out.split("Bytes of the hub's site by part")
    rows = [line for line in timings.splitlines() if line.startswith("| 30 |")]
    assert len(rows) == 1, out
    assert "EDIT MISSING" not in out
    site = tmp_path / "n30" / "site-hub"
    assert (site / "index.html").exists() and (site / "tags" / "index.html").exists()
    assert len(list((site / "stories").glob("*/*/index.html"))) == 30
    assert (tmp_path / "n30" / "site-baseline" / "index.html").exists()
    size_rows = [line for line in sizes.splitlines() if line.startswith("| 30 |")]
    # the parts table and the average story and listing page
    assert len(size_rows) == 2 and "story pages" in out and "search index" in out, out
    assert "| N | story page | listing page | HTML per story |" in out
    assert "would reach 1 GB (GitHub Pages' limit) at about" in out


def _size(total: int) -> SiteSize:
    return SiteSize({**dict.fromkeys(PARTS, 0), "story pages": total})


def test_one_gb_by_a_line_through_the_two_largest_sizes():
    bench = load_bench()
    # 1000 -> 100 MB, 5000 -> 420 MB: 80 KB a story beyond 5000, so 1 GB at 5000 + 580 MB / 80 KB.
    sizes = {100: _size(999), 1000: _size(100 * 10**6), 5000: _size(420 * 10**6)}
    assert bench.reaches_limit(sizes) == "about 12,250 stories (from N = 1,000 and 5,000)"
    assert bench.reaches_limit({1000: _size(100 * 10**6)}) == "about 10,000 stories (from N = 1,000, proportionally)"
    assert bench.reaches_limit({1: _size(5), 2: _size(5)}).startswith("never")
    lines = bench.size_report({1000: _size(100 * 10**6), 5000: _size(420 * 10**6)})
    assert lines[0] == "| N | site | per story | story pages |"
    assert lines[2] == "| 1000 | 100 MB | 100 KB | 100 MB |" and lines[3] == "| 5000 | 420 MB | 84 KB | 420 MB |"
    # the average page: story pages and listing pages (index.html files of each part)
    html = SiteSize({**dict.fromkeys(PARTS, 0), "story pages": 30_000, "topic listings": 10_000,
                     "publisher listings": 30_000, "feeds": 99_000},
                    {"story pages": 2, "topic listings": 1, "publisher listings": 3})
    lines = bench.size_report({2: html})
    assert lines[-3:] == ["| N | story page | listing page | HTML per story |", "| --- | --- | --- | --- |",
                          "| 2 | 15 KB | 10 KB | 35 KB |"]
