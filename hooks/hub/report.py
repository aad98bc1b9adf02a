"""`hub report`: the health of the taxonomy and the sources, for an editor's periodic tidy-up.

Nothing here is an error (that is `hub check`'s job); these are places where the hub is drifting:
tags nobody reuses, names that are near-copies of each other, registry entries never used,
companies named but not listed, stories resting on one source, how publishers are spelled.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .catalogue import publisher_slug
from .integrity import unlisted_mentions
from .loader import LoadedHub
from .registry import Registry
from .threads import SUGGEST_WITHIN, suggest_links



@dataclass
class Report:
    stories: int
    drafts: int
    left_out: int  # story files with errors, not counted anywhere below
    tags_used_once: list[tuple[str, str]] = field(default_factory=list)  # (tag, story)
    similar_names: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, a, b)
    unused: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)
    unlisted_companies: list[tuple[str, int, str]] = field(default_factory=list)  # (story, line, company)
    single_source: list[str] = field(default_factory=list)
    publishers: list[tuple[str, int, list[str]]] = field(default_factory=list)  # (name, stories, other spellings); drafts left out
    plain_http: list[tuple[str, int, str]] = field(default_factory=list)  # (story, source number, url)
    pending_sources: int = 0
    # (later story, earlier story, what they share): candidates for `follows:`
    thread_links: list[tuple[str, str, str]] = field(default_factory=list)


def build_report(hub: LoadedHub, story_files: int) -> Report:
    stories = sorted(hub.stories, key=lambda s: s.source_path)
    report = Report(len(stories), sum(s.draft for s in stories), story_files - len(stories))
    tags, companies = hub.registries["tag"], hub.registries["company"]

    tag_stories: dict[str, list[str]] = defaultdict(list)
    used: dict[str, set[str]] = {"tag": set(), "company": set()}
    for story in stories:
        for term in story.tags:
            tag_stories[term.name].append(story.source_path)
            used["tag"].add(term.slug)
        for term in story.companies:
            used["company"].add(term.slug)
    report.tags_used_once = sorted((name, paths[0]) for name, paths in tag_stories.items() if len(paths) == 1)
    for registry in (tags, companies):
        report.unused += [(registry.kind, t.name) for t in registry.terms if t.slug not in used[registry.kind]]
        report.similar_names += [(registry.kind, a, b) for a, b in similar_names(registry)]
    report.unlisted_companies = [(found.story.source_path, found.line, found.describe())
                                 for found in unlisted_mentions(stories, companies)]
    report.single_source = [s.source_path for s in stories if len(s.sources) == 1]

    citing: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for story in stories:
        for source in story.sources:
            if source.pending:
                report.pending_sources += 1
                continue
            if source.url.lower().startswith("http://"):
                report.plain_http.append((story.source_path, source.number, source.url))
            if story.draft:  # publishers are counted by the stories readers can see
                continue
            slug = publisher_slug(source.publisher)
            citing[slug].add(story.source_path)
            spellings[slug][source.publisher] += 1
    rows = []
    for slug, names in spellings.items():
        ranked = [name for name, _ in sorted(names.items(), key=lambda item: (-item[1], item[0]))]
        rows.append((ranked[0], len(citing[slug]), ranked[1:]))
    report.publishers = sorted(rows, key=lambda row: (-row[1], row[0].casefold()))
    report.thread_links = [(s.later.source_path, s.earlier.source_path, s.reason)
                           for s in suggest_links(stories)]
    return report


def _key(name: str) -> str:
    """Case, punctuation, spaces and a plural `s` removed: `A.I. Chips` and `ai chip` agree."""
    return re.sub(r"[\W_]+", "", name.casefold()).removesuffix("s")


def similar_names(registry: Registry) -> list[tuple[str, str]]:
    """Pairs of different terms whose names or aliases differ only by case or spelling."""
    owner: dict[str, str] = {}  # normalised name -> canonical name of its term
    pairs: set[tuple[str, str]] = set()
    for term in registry.terms:
        for name in (term.name, *term.aliases):
            key = _key(name)
            if not key:
                continue
            other = owner.get(key)
            if other is not None and other != term.name:
                pairs.add(tuple(sorted((other, term.name))))
            owner.setdefault(key, term.name)
    for a, b in close_pairs(list(owner)):
        if owner[a] != owner[b] and min(len(a), len(b)) > 3:
            pairs.add(tuple(sorted((owner[a], owner[b]))))
    return sorted(pairs)


def close_pairs(keys: list[str]) -> set[tuple[str, str]]:
    """Pairs of keys one or two typing slips apart: each reaches a common string by deleting
    at most one character (keys under 10 characters) or two (longer ones), which covers a
    character added, dropped or mistyped. Found through an index of those deletion variants, in
    time linear in the number of keys (a difflib comparison of every pair took minutes at
    4,000 registry entries)."""
    index: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        for variant in _deletions(key, 1 if len(key) < 10 else 2):
            index[variant].add(key)
    pairs: set[tuple[str, str]] = set()
    for variant, bucket in index.items():
        if len(bucket) > 1:
            ordered = sorted(bucket)
            pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]
                         if _within(a, b, variant))
    return pairs


def _within(a: str, b: str, variant: str) -> bool:
    """Whether the shared variant is within both keys' own allowance (a short key may not lose
    two characters because its partner is long)."""
    return all(len(key) - len(variant) <= (1 if len(key) < 10 else 2) for key in (a, b))


def _deletions(key: str, depth: int) -> set[str]:
    variants, frontier = {key}, {key}
    for _ in range(depth):
        frontier = {word[:i] + word[i + 1:] for word in frontier for i in range(len(word))}
        variants |= frontier
    return variants


def counted(number: int, one: str, many: str) -> str:
    """`1 story`, `2 stories`: counts read as English."""
    return f"{number} {one if number == 1 else many}"


def stories(number: int) -> str:
    return counted(number, "story", "stories")


def format_report(report: Report, show: Callable[[str], str] = str) -> str:
    """The report as plain text, one section per question an editor asks; `show` turns a
    docs-relative story path into the path the editor types."""
    out = [f"Hub report: {stories(report.stories)} ({counted(report.drafts, 'draft', 'drafts')})"
           + (f"; {report.left_out} file(s) with errors left out, see `hub check`" if report.left_out else "")]

    def section(title: str, rows: list[str]) -> None:
        out.append("")
        out.append(f"{title} ({len(rows)})")
        out.extend(f"  {row}" for row in rows) if rows else out.append("  none")

    section("Tags used by one story only", [f"{tag}: {show(path)}" for tag, path in report.tags_used_once])
    section("Names that differ only by case or spelling",
            [f"{kind}s: {a} / {b}" for kind, a, b in report.similar_names])
    section("Registry entries never used", [f"{kind}: {name}" for kind, name in report.unused])
    section("Companies named in the text but not listed",
            [f"{show(path)}:{line}: {name}" for path, line, name in report.unlisted_companies])
    section("Stories with a single source", [show(path) for path in report.single_source])
    section("Sources over plain http", [f"{show(path)}: source {n}: {url}" for path, n, url in report.plain_http])
    section("Publishers by number of stories", [
        f"{count:4d}  {name}" + (f"  (also spelled: {', '.join(others)})" if others else "")
        for name, count, others in report.publishers])
    section(f"Stories that may follow an earlier one (within {SUGGEST_WITHIN.days} days; `follows:`)",
            [f"{show(later)} may follow {show(earlier)} ({why})" for later, earlier, why in report.thread_links])
    if report.pending_sources:
        out.append("")
        out.append(f"Pending sources in drafts: {report.pending_sources}")
    return "\n".join(out) + "\n"
