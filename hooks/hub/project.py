"""The project an editor's command works on: mkdocs.yml, the docs folder, the hub settings.

The `hub` command reads the same settings the build reads (`docs_dir`, `extra.hub`) without
loading MkDocs itself, which keeps `hub check` fast and independent of the site engine.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .clock import build_time
from .loader import LoadedHub, load_hub
from .parallel import read_files_parallel
from .settings import HubSettings


class ProjectError(Exception):
    """A problem with the project setup or the command's arguments, told to the editor plainly."""


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML that tolerates MkDocs' own tags (`!ENV`, `!!python/name:`) by ignoring them."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    root: Path
    config_path: Path
    docs_dir: Path
    settings: HubSettings

    @property
    def stories_dir(self) -> Path:
        return self.docs_dir / self.settings.stories_dir

    def story_paths(self, under: Path | None = None) -> list[str]:
        """Story files (relative to docs_dir, POSIX) under `under` or the whole stories folder."""
        top = (under or self.stories_dir).resolve()
        docs = self.docs_dir.resolve()
        found = []
        for path in top.rglob("*.md"):
            rel = path.relative_to(docs)
            if not any(part.startswith(".") for part in rel.parts):
                found.append(rel.as_posix())
        return sorted(found)

    def doc_relative(self, path: Path) -> str | None:
        """`path` relative to docs_dir, or None if it lies outside it."""
        try:
            return path.resolve().relative_to(self.docs_dir.resolve()).as_posix()
        except ValueError:
            return None

    def display(self, doc_path: str) -> str:
        """A docs-relative path as the editor should see it: relative to where they stand."""
        absolute = self.docs_dir / doc_path
        try:
            return os.path.relpath(absolute, Path.cwd())
        except ValueError:  # another drive on Windows
            return str(absolute)

    def load(self, story_paths: list[str] | None = None) -> LoadedHub:
        """Every story (or the given ones), checked against the build time, as a build would."""
        paths = self.story_paths() if story_paths is None else story_paths
        return load_hub(self.docs_dir, paths, self.settings, build_time(self.root, docs_dir=self.docs_dir).time,
                        read_files_parallel)


def find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "mkdocs.yml"
        if candidate.is_file():
            return candidate
    return None


def open_project(config: str | None = None) -> Project:
    """Read mkdocs.yml (given, or found in this folder or a parent)."""
    path = Path(config) if config else find_config(Path.cwd())
    if path is None:
        raise ProjectError("no mkdocs.yml in this folder or any parent; run `hub` inside the "
                           "project or pass --config path/to/mkdocs.yml")
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_ConfigLoader)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path}: is not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ProjectError(f"{path}: is not a MkDocs configuration (expected `key: value` lines)")
    extra = data.get("extra") if isinstance(data.get("extra"), dict) else {}
    settings, complaints = HubSettings.from_mapping(extra.get("hub") if isinstance(extra.get("hub"), dict) else None)
    if complaints:
        raise ProjectError(f"{path}: " + "; ".join(complaints))
    root = path.resolve().parent
    docs_dir = root / str(data.get("docs_dir") or "docs")
    if not docs_dir.is_dir():
        raise ProjectError(f"{path}: docs_dir `{docs_dir}` is not a folder")
    return Project(root, path.resolve(), docs_dir, settings)
