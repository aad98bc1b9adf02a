"""`./dev build` (scripts/build_site.py): a failed build leaves the previous site/ as it was."""
from __future__ import annotations

import subprocess
import sys

from hubsite import ROOT, make_hub, story_text

SCRIPT = ROOT / "scripts" / "build_site.py"


def _build(config):
    return subprocess.run([sys.executable, str(SCRIPT), "-f", str(config)], capture_output=True,
                          text=True, timeout=120, cwd=config.parent)


def _leftovers(root):
    return [p.name for p in root.iterdir() if p.name.startswith(".site.")]


def test_failed_build_keeps_previous_site_and_good_build_swaps(tmp_path):
    # A strict failure that comes late, after MkDocs has written pages: a broken link warns.
    config = make_hub(tmp_path, {"2024/a.md": story_text("First")},
                      pages={"about.md": "# About\n\nSee [missing](nowhere.md).\n"})
    previous = tmp_path / "site"
    previous.mkdir()
    (previous / "index.html").write_text("previous build")
    failed = _build(config)
    assert failed.returncode != 0
    assert "site/ left as it was" in failed.stderr
    assert [p.name for p in previous.iterdir()] == ["index.html"]
    assert (previous / "index.html").read_text() == "previous build"
    assert _leftovers(tmp_path) == []

    (tmp_path / "content" / "about.md").write_text("# About\n\nFixed.\n")
    built = _build(config)
    assert built.returncode == 0, built.stderr[-2000:]
    assert "First" in (previous / "index.html").read_text()
    assert (previous / "stories" / "2024" / "a" / "index.html").exists()
    assert _leftovers(tmp_path) == [".site.folders"]  # the replaced site's folders, for the next build

    (tmp_path / "content" / "stories" / "2024" / "b.md").write_text(story_text("Second"))
    again = _build(config)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Second" in (previous / "index.html").read_text()
    assert (previous / "stories" / "2024" / "b" / "index.html").exists()
    kept = tmp_path / ".site.folders"
    assert (kept / "stories" / "2024" / "a").is_dir()  # the folders of the site it replaced ...
    assert [p for p in kept.rglob("*") if not p.is_dir()] == []  # ... without a single file
    assert _leftovers(tmp_path) == [".site.folders"]
