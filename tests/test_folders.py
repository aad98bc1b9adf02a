"""A build into an existing site keeps its folders (hub.folders) and leaves exactly what a build
into an empty folder leaves: no file of the previous site, no empty folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from hub_speed import folders

from hubsite import build_hub, make_hub, story_text

pytestmark = pytest.mark.speed_layer  # tests of the speed layer: it stays on under HUB_SPEED=0


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every entry below root: file bytes, None for a folder."""
    tree: dict[str, bytes | None] = {}
    for current, dirs, files in os.walk(root):
        for name in dirs:
            tree[os.path.relpath(os.path.join(current, name), root)] = None
        for name in files:
            path = os.path.join(current, name)
            tree[os.path.relpath(path, root)] = Path(path).read_bytes()
    return tree


def _write(path: Path, text: str = "x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.mark.parametrize("background", [False, True])
def test_kept_folders_lose_every_file_and_the_empty_ones_go(tmp_path, background):
    site, outside = tmp_path / "site", tmp_path / "outside"
    _write(site / "index.html")
    _write(site / ".nojekyll")
    _write(site / ".git" / "HEAD")
    _write(site / "a" / "b" / "index.html")
    _write(site / "a" / "c" / "d" / "index.html")
    _write(site / "a" / ".hidden-deep")
    _write(outside / "keep.txt")
    (site / "a" / "link").symlink_to(outside)
    _write(site / ".hub-kept-old" / "left" / "by-a-stopped-build.html")
    kept = folders.KeptFolders()

    kept.hide(site, background=background)

    assert kept.names == ["a"] and not (site / "a").exists()  # hidden from MkDocs' cleaning
    assert not (site / ".hub-kept-old").exists()
    kept.restore()
    assert _tree(site / "a") == {"b": None, "c": None, os.path.join("c", "d"): None}
    assert (outside / "keep.txt").read_text() == "x"  # the link was removed, not followed
    _write(site / "a" / "b" / "index.html", "new")
    kept.prune()  # c/d, then c
    assert _tree(site) == {"index.html": b"x", ".nojekyll": b"x", ".git": None,
                           os.path.join(".git", "HEAD"): b"x", "a": None,
                           os.path.join("a", "b"): None, os.path.join("a", "b", "index.html"): b"new"}


def test_no_process_to_spare_empties_the_folders_here(tmp_path, monkeypatch):
    site = tmp_path / "site"
    _write(site / "a" / "b" / "index.html")

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(folders.os, "fork", no_fork)
    kept = folders.KeptFolders()
    kept.hide(site, background=True)
    kept.restore()
    assert kept.names == ["a"] and _tree(site) == {"a": None, os.path.join("a", "b"): None}


def test_a_folder_that_cannot_be_emptied_is_not_kept(tmp_path, monkeypatch):
    site = tmp_path / "site"
    _write(site / "a" / "index.html")
    _write(site / "b" / "index.html")
    real = folders.remove_files

    def fail_in_a(folder):
        if folder.name.endswith("-a"):
            raise PermissionError(13, "Permission denied")
        real(folder)

    monkeypatch.setattr(folders, "remove_files", fail_in_a)
    kept = folders.KeptFolders()
    kept.hide(site, background=False)
    kept.restore()
    assert kept.names == ["b"] and _tree(site) == {"b": None}


def test_hide_folders_without_a_site_keeps_nothing(tmp_path):
    assert folders.hide_folders(tmp_path / "missing") == []


def test_a_build_over_an_old_site_equals_a_build_into_an_empty_folder(tmp_path):
    stories = {"2024/one.md": story_text("One"), "2024/two.md": story_text("Two", tags="[chips]")}
    config = make_hub(tmp_path / "hub", stories)
    assert build_hub(config).aborted is None
    site = tmp_path / "hub" / "site"
    assert (site / "stories" / "2024" / "two" / "index.html").is_file()
    assert (site / "tags" / "ai-chips" / "index.html").is_file()
    _write(site / "stories" / "2024" / "one" / "stale.html")
    _write(site / "gone" / "deep" / "page.html")
    _write(site / ".nojekyll")
    (tmp_path / "hub" / "content" / "stories" / "2024" / "two.md").unlink()

    result = build_hub(config)

    assert result.aborted is None
    fresh_config = make_hub(tmp_path / "fresh", {"2024/one.md": story_text("One")})
    assert build_hub(fresh_config).aborted is None
    rebuilt, fresh = _tree(site), _tree(tmp_path / "fresh" / "site")
    assert rebuilt.pop(".nojekyll") == b"x"  # hidden entries at the top are left alone, as MkDocs does
    assert not (site / "stories" / "2024" / "two").exists()
    assert not (site / "tags" / "ai-chips").exists()
    assert sorted(rebuilt) == sorted(fresh)
    assert [path for path in rebuilt if rebuilt[path] != fresh[path]] == []
