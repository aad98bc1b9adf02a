"""Keep an output folder's sub-folders from one build to the next, emptied of every file.

A build deletes the previous site and writes every file again. On this kind of machine
(ext4 in a virtual machine) making a folder costs 0.3-0.9 ms and writing the first file into a
new folder 0.3-1.2 ms, while writing a file into a folder that exists costs 0.12-0.2 ms and
deleting one ~0.03 ms (measured several times: the disk's speed varies by the minute); the
hub's site has a folder for almost every file (a page per story, tag, company, publisher and
month, three feeds per channel). So instead of deleting the old site, the build removes its
files and keeps its folders; the folders the new build did not write into are removed at its
end. What is left is exactly what a clean build leaves: no file of the previous build
survives (they are deleted before anything is written) and no empty folder does.

Hidden entries at the top of the folder are left alone, as MkDocs' own cleaning leaves them
(`.git`, `.nojekyll`). Symbolic links are removed, never followed.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from hub_speed.engine import HIDDEN_PREFIX
from hub_speed.forking import die_with_parent

KEPT_PREFIX = f"{HIDDEN_PREFIX}hub-kept-"  # a kept folder's name while MkDocs cleans the site folder


def remove_files(folder: Path) -> None:
    """Delete every file and link below `folder`; keep its folders."""
    todo = [str(folder)]
    while todo:
        current = todo.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
                else:
                    os.unlink(entry.path)


def remove_empty_folders(folder: Path) -> None:
    """Remove every folder below `folder` (and `folder` itself) that holds no file."""
    for current, _, files in os.walk(folder, topdown=False):
        if not files:
            try:
                os.rmdir(current)  # fails when a sub-folder was kept because it holds files
            except OSError:
                pass


def hide_folders(site_dir: Path) -> list[str]:
    """Before MkDocs cleans `site_dir`: rename each top-level folder to a hidden name, which the
    cleaning skips; their names. Folders left hidden by a build that stopped before restoring
    them are deleted."""
    kept: list[str] = []
    try:
        entries = list(os.scandir(site_dir))
    except OSError:
        return kept  # no site yet
    for entry in entries:
        if entry.name.startswith(KEPT_PREFIX):
            shutil.rmtree(entry.path, ignore_errors=True)
    for entry in entries:
        if entry.name.startswith(HIDDEN_PREFIX) or not entry.is_dir(follow_symlinks=False):
            continue  # hidden (left alone) or a file (MkDocs deletes it)
        try:
            os.rename(entry.path, _hidden(site_dir, entry.name))
        except OSError:
            continue  # MkDocs deletes it
        kept.append(entry.name)
    return kept


def _hidden(site_dir: Path, name: str) -> Path:
    return site_dir / (KEPT_PREFIX + name)


@dataclass
class KeptFolders:
    """One build's kept folders: hidden before MkDocs cleans the site folder, emptied of files
    meanwhile (by a forked process, when the build may use another core: at 10,000 stories
    that is ~1.5 s of deleting that overlaps reading the stories), restored before anything is
    written, pruned at the end."""

    site_dir: Path | None = None
    names: list[str] = field(default_factory=list)
    hidden: bool = False
    _emptying: int | None = None  # pid of the process emptying them

    def hide(self, site_dir: Path, background: bool) -> None:
        self.site_dir, self.names, self.hidden = site_dir, hide_folders(site_dir), True
        folders = [_hidden(site_dir, name) for name in self.names]
        if background and folders and hasattr(os, "fork"):
            parent = os.getpid()
            try:
                pid = os.fork()
            except OSError:  # no process to spare: empty them here
                pid = -1
            if pid == 0:  # pragma: no cover - the forked process
                code = 1
                try:
                    die_with_parent(parent)
                    for folder in folders:
                        remove_files(folder)
                    code = 0
                finally:
                    os._exit(code)
            if pid > 0:
                self._emptying = pid
                return
        self._empty_here()

    def _empty_here(self) -> None:
        """Empty each hidden folder; one that cannot be emptied is deleted instead."""
        assert self.site_dir is not None
        for name in list(self.names):
            folder = _hidden(self.site_dir, name)
            try:
                remove_files(folder)
            except OSError:
                shutil.rmtree(folder, ignore_errors=True)
                self.names.remove(name)

    def _wait(self) -> bool:
        """Whether the forked process emptied every folder (True if there was none)."""
        if self._emptying is None:
            return True
        _, status = os.waitpid(self._emptying, 0)
        self._emptying = None
        return os.waitstatus_to_exitcode(status) == 0

    def restore(self) -> None:
        """After MkDocs cleaned the site folder: the emptied folders back under their names."""
        if not self.hidden or self.site_dir is None:
            return
        if not self._wait():
            self._empty_here()
        for name in list(self.names):
            try:
                os.rename(_hidden(self.site_dir, name), self.site_dir / name)
            except OSError:
                shutil.rmtree(_hidden(self.site_dir, name), ignore_errors=True)
                self.names.remove(name)
        self.hidden = False

    def prune(self) -> None:
        """After the build: remove the kept folders that received no file."""
        if self.site_dir is not None and not self.hidden:
            for name in self.names:
                remove_empty_folders(self.site_dir / name)

    def abandon(self) -> None:
        """The build failed: no process left behind; folders still hidden are deleted by the
        next build."""
        self._wait()
