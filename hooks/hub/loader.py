"""Load a whole hub: registries and every story, validated once, with all problems collected."""
from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .integrity import check_integrity
from .model import Story
from .problems import Problem, ProblemList
from .reader import read_story
from .registry import Registry, load_registry
from .settings import HubSettings


@dataclass
class LoadedHub:
    """Valid stories plus every problem found. Invalid stories are left out of `stories`."""

    stories: list[Story]
    registries: dict[str, Registry]
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def advisories(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def load_registries(docs_dir: Path, settings: HubSettings) -> tuple[dict[str, Registry], list[Problem]]:
    problems: list[Problem] = []
    registries = {}
    for kind, name in (("tag", "tags.yml"), ("company", "companies.yml")):
        rel = posixpath.join(settings.registry_dir, name)
        found = ProblemList(rel)
        registries[kind] = load_registry(docs_dir / rel, rel, kind, found)
        problems += found
    return registries, problems


def is_story_path(rel_path: str, settings: HubSettings) -> bool:
    """Stories are the Markdown files under the stories folder."""
    return rel_path.startswith(settings.stories_dir.rstrip("/") + "/") and rel_path.endswith(".md")


StoryReader = Callable[[Path, list[str], dict[str, Registry], HubSettings],
                       Iterable[tuple[Story | None, list[Problem]]]]
IntegrityCheck = Callable[[list[Story], dict[str, Registry], datetime | None], list[Problem]]


def read_files(docs_dir: Path, rel_paths: list[str], registries: dict[str, Registry],
               settings: HubSettings) -> Iterator[tuple[Story | None, list[Problem]]]:
    """Each file read and validated on its own, in order; nothing here compares two stories."""
    for rel_path in rel_paths:
        try:
            data = (docs_dir / rel_path).read_bytes()
        except OSError as exc:
            yield None, [Problem(rel_path, 1, "file", f"cannot be read: {exc.strerror}",
                                 "Check the file's permissions.")]
            continue
        yield read_story(rel_path, data, registries, settings)


def load_hub(docs_dir: Path, story_paths: Iterable[str], settings: HubSettings,
             as_of: datetime | None = None, read: StoryReader = read_files,
             check: IntegrityCheck = check_integrity) -> LoadedHub:
    """Read and validate the registries and the given story files (paths relative to docs_dir).

    `as_of` is the build time (see clock.py): stories after it are scheduled, which the
    integrity checks report as advisories and leave out of the duplicate comparison. `read`
    may spread the per-file work over processes (`hub check` does), and `check` may reuse an
    earlier result of the cross-story checks for the same stories; the result is the same.
    """
    registries, problems = load_registries(docs_dir, settings)
    stories: list[Story] = []
    owners: dict[str, Story] = {}
    for story, found in read(docs_dir, sorted(story_paths), registries, settings):
        problems += found
        if story is None:
            continue
        owner = owners.get(story.doc_path)
        if owner is not None:
            problems.append(Problem(story.source_path, 1, "slug",
                                    f"gives the same page `{story.doc_path}` as {owner.source_path}",
                                    "Give one of the two stories a different `slug:`."))
            continue
        owners[story.doc_path] = story
        stories.append(story)
    problems += check(stories, registries, as_of)
    return LoadedHub(stories, registries, sorted(problems))
