"""Engines and neighbours: the hub builds on ProperDocs (the maintained fork of MkDocs 1.x) and
its story files are what python-frontmatter reads."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from hub.project import open_project
from hubsite import ROOT, load_bench, make_hub, story_text

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _site(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): GENERATOR.sub(b"", p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".gz"}


def _build(engine: str, config: Path, site: Path) -> subprocess.CompletedProcess:
    # MkDocs on the plain path; ProperDocs must take it by itself (hub_speed.engine).
    env = dict(os.environ, SOURCE_DATE_EPOCH="1735689600", NO_MKDOCS_2_WARNING="1",
               HUB_SPEED="0" if engine == "mkdocs" else "1")
    return subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-f", str(config), "-d", str(site)],
                          cwd=config.parent, env=env, capture_output=True, text=True, timeout=300)


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path):
    config = make_hub(tmp_path, {"2024/alpha.md": story_text("Alpha story", "2024-05-01"),
                                 "2024/beta.md": story_text("Beta story", "2024-05-02", body="See [alpha](alpha.md) [1].")})
    proper = _build("properdocs", config, tmp_path / "site-properdocs")
    assert proper.returncode == 0, proper.stderr[-2000:]
    assert "speed layer off" in proper.stderr and "not ProperDocs" in proper.stderr
    plain = _build("mkdocs", config, tmp_path / "site-mkdocs")
    assert plain.returncode == 0, plain.stderr[-2000:]
    assert _site(tmp_path / "site-properdocs") == _site(tmp_path / "site-mkdocs")
    (tmp_path / "content" / "stories" / "2024" / "alpha.md").unlink()  # beta's link now dangles
    assert _build("properdocs", config, tmp_path / "site-properdocs").returncode != 0


def _stories(docs: Path) -> list[Path]:
    return sorted((docs / "stories").rglob("*.md"))


@pytest.mark.parametrize("hub", ["starter", "bench"])
def test_python_frontmatter_reads_what_the_hub_reads(tmp_path, hub):
    if hub == "starter":
        root = ROOT
    else:
        load_bench().generate(tmp_path, 60)
        (tmp_path / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text())
        root = tmp_path
    project = open_project(str(root / "mkdocs.yml"))
    loaded = project.load()
    assert loaded.stories and not loaded.errors
    for story in loaded.stories:
        post = frontmatter.load(project.docs_dir / story.source_path)
        assert post["title"] == story.title
        assert str(post["date"]).startswith(story.date.strftime("%Y-%m-%d"))
        for field in ("tags", "companies"):
            terms = getattr(story, field)
            written = [str(name) for name in post.get(field, [])]
            assert len(written) == len(terms), (story.source_path, field)
            for name, term in zip(written, terms):  # as written, or an alias of the registry's term
                assert name.casefold() in {term.name.casefold(), term.slug, *(a.casefold() for a in term.aliases)}
        assert [s["url"] for s in post["sources"]] == [s.url for s in story.sources]
