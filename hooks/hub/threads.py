"""Developing stories: a story may name the earlier story it follows (`follows: <slug>`).

Stories linked that way form a thread: the earliest story and every story that follows it,
directly or through another. The build shows each story of a thread a dated timeline of the
whole thread and gives the thread a page (`threads/<year>/<slug of its first story>/`);
`hub check` rejects a `follows:` that names no story, a story dated after the follower, or a
loop (`link_problems`). Everything here is linear in the number of stories.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from .model import Story
from .problems import Problem
from .urls import source_key

THREADS_DIR = "threads"
SUGGEST_WITHIN = timedelta(days=14)  # `hub report` suggests links between stories this close


@dataclass(frozen=True)
class Thread:
    """Stories of one developing story, oldest first; `first` names it and its page."""

    stories: tuple[Story, ...]

    @property
    def first(self) -> Story:
        return self.stories[0]

    @property
    def latest(self) -> Story:
        return self.stories[-1]

    @property
    def doc_path(self) -> str:
        """`threads/<year>/<slug>.md` for a first story at `stories/<year>/<slug>.md`."""
        return posixpath.join(THREADS_DIR, *self.first.doc_path.split("/")[1:])


def _by_name(stories: list[Story]) -> dict[str, list[Story]]:
    """Stories by the names `follows:` may use: the slug, and `<year>/<slug>` when slugs repeat."""
    names: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        names[story.slug].append(story)
        names[f"{story.date.year}/{story.slug}"].append(story)
    return names


def resolve(stories: list[Story]) -> dict[int, Story]:
    """id(story) -> the story it follows, for every link that names exactly one other story."""
    names = _by_name(stories)
    parents: dict[int, Story] = {}
    for story in stories:
        if story.follows:
            found = names.get(story.follows, [])
            if len(found) == 1 and found[0] is not story:
                parents[id(story)] = found[0]
    return parents


def build_threads(stories: list[Story]) -> dict[str, Thread]:
    """Every story in a thread (by doc path) -> its thread. A story whose link is broken or
    loops starts a thread of its own (`hub check` reports the link)."""
    parents = resolve(stories)
    roots: dict[int, Story] = {}

    def root_of(story: Story) -> Story:
        seen: list[Story] = []
        current = story
        while id(current) in parents and id(current) not in roots:
            if any(current is s for s in seen):  # a loop: its member cuts it
                break
            seen.append(current)
            current = parents[id(current)]
        found = roots.get(id(current), current)
        for member in seen:
            roots[id(member)] = found
        return found

    members: dict[int, list[Story]] = defaultdict(list)
    for story in stories:
        members[id(root_of(story))].append(story)
    threads: dict[str, Thread] = {}
    for group in members.values():
        if len(group) < 2:
            continue
        thread = Thread(tuple(sorted(group, key=lambda s: (s.date, s.doc_path))))
        for story in group:
            threads[story.doc_path] = thread
    return threads


def link_problems(stories: list[Story]) -> Iterator[Problem]:
    """Errors in `follows:`: a name that matches no story (or two), a later story, a loop, or a
    published story following a draft (its timeline would lack the draft)."""
    names = _by_name(stories)
    parents = resolve(stories)
    for story in stories:
        if not story.follows:
            continue
        line = story.field_lines.get("follows", 1)
        found = names.get(story.follows, [])
        if not found:
            yield Problem(story.source_path, line, "follows", f"no story has the slug `{story.follows}`",
                          "Write the slug of the earlier story: its file name without `.md`.")
        elif len(found) > 1:
            paths = " and ".join(s.source_path for s in found)
            yield Problem(story.source_path, line, "follows", f"`{story.follows}` is the slug of {paths}",
                          f"Name the year too: `follows: {found[0].date.year}/{story.follows}`.")
        elif found[0] is story or _loops(story, parents):
            yield Problem(story.source_path, line, "follows",
                          f"`{story.follows}` leads back to this story: a thread cannot go in a circle",
                          "Point `follows:` at the earlier story only; the later one follows it.")
        elif found[0].date > story.date:
            target = found[0]
            yield Problem(story.source_path, line, "follows",
                          f"{target.source_path} is dated {target.date:%Y-%m-%d}, after this story "
                          f"({story.date:%Y-%m-%d}); a story can only follow an earlier one",
                          f"Move `follows:` to {target.source_path}, naming `{story.slug}`.")
        elif found[0].draft and not story.draft:
            yield Problem(story.source_path, line, "follows",
                          f"{found[0].source_path} is a draft: readers would see a thread without it",
                          "Publish the earlier story first, or keep this one a draft.")


def _loops(story: Story, parents: dict[int, Story]) -> bool:
    """Whether following the links from `story` comes back to it."""
    seen = {id(story)}
    current = parents.get(id(story))
    while current is not None:
        if id(current) in seen:
            return current is story
        seen.add(id(current))
        current = parents.get(id(current))
    return False


@dataclass(frozen=True)
class Suggestion:
    """`later` may follow `earlier`: `reason` says what they share."""

    later: Story
    earlier: Story
    reason: str


def suggest_links(stories: list[Story]) -> list[Suggestion]:
    """For each story that follows nothing and starts no thread, the earlier story within
    SUGGEST_WITHIN it most likely continues: most shared sources, then companies, then the
    nearest in time. One suggestion a story, from a sliding window (no comparison of all pairs)."""
    ordered = sorted(stories, key=lambda s: (s.date, s.source_path))
    threads = build_threads(ordered)
    keys = {id(s): {source_key(src.url) for src in s.sources if src.url} for s in ordered}
    companies = {id(s): {c.slug: c.name for c in s.companies} for s in ordered}
    found: list[Suggestion] = []
    start = 0
    for index, story in enumerate(ordered):
        while ordered[start].date < story.date - SUGGEST_WITHIN:
            start += 1
        if story.follows or story.doc_path in threads:
            continue
        best: tuple[int, int, float] | None = None
        choice: Suggestion | None = None
        for earlier in ordered[start:index]:
            shared_sources = len(keys[id(story)] & keys[id(earlier)])
            shared = [name for slug, name in companies[id(story)].items() if slug in companies[id(earlier)]]
            if not (shared_sources or shared):
                continue
            score = (shared_sources, len(shared), earlier.date.timestamp())
            if best is None or score > best:
                reason = (f"{shared_sources} shared source{'s' if shared_sources > 1 else ''}"
                          if shared_sources else f"both about {', '.join(shared)}")
                best, choice = score, Suggestion(story, earlier, reason)
        if choice is not None:
            found.append(choice)
    return found
