"""Smoke run of the benchmark script at a tiny N: it builds and prints a row. No timings asserted."""
from __future__ import annotations

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
    rows = [line for line in out.splitlines() if line.startswith("| 30 |")]
    assert len(rows) == 1, out
    assert "EDIT MISSING" not in out
    site = tmp_path / "n30" / "site-hub"
    assert (site / "index.html").exists() and (site / "tags" / "index.html").exists()
    assert len(list((site / "stories").glob("*/*/index.html"))) == 30
    assert (tmp_path / "n30" / "site-baseline" / "index.html").exists()
