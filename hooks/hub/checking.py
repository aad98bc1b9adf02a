"""`hub check`: which files to check, and the problems to show for them.

Cross-story checks (possible duplicates, two stories on one page) need the whole hub, so the
whole hub is always read; naming files only narrows what is *reported*, which is what a
pre-commit hook on changed files wants. A changed registry affects every story, so naming a
registry file reports on everything.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import Problem
from .project import Project, ProjectError


@dataclass
class CheckResult:
    problems: list[Problem]
    stories: int  # story files read

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def advisories(self) -> int:
        return len(self.problems) - self.errors


def selected(project: Project, paths: list[str]) -> set[str] | None:
    """Docs-relative story paths to report on, or None for everything."""
    if not paths:
        return None
    chosen: set[str] = set()
    registry = project.settings.registry_dir.rstrip("/") + "/"
    stories = project.settings.stories_dir.rstrip("/") + "/"
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise ProjectError(f"{given}: no such file or folder")
        rel = project.doc_relative(path)
        if rel is None:
            raise ProjectError(f"{given}: not inside the docs folder {project.display('.')}")
        if rel.startswith(registry) or rel == registry.rstrip("/"):
            return None
        if path.is_dir():
            chosen.update(p for p in project.story_paths(path) if p.startswith(stories))
        elif rel.startswith(stories) and rel.endswith(".md"):
            chosen.add(rel)
        # Other files (hand-written pages, images) have no hub checks: nothing to report.
    return chosen


def run_check(project: Project, paths: list[str]) -> CheckResult:
    wanted = selected(project, paths)
    every = project.story_paths()
    hub = project.load(every)
    registry = project.settings.registry_dir.rstrip("/") + "/"
    problems = [p for p in hub.problems
                if wanted is None or p.path in wanted or p.path.startswith(registry)]
    return CheckResult(problems, len(every) if wanted is None else len(wanted))
