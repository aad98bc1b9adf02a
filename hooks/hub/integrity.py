"""Editorial integrity: checks that need the whole hub or the build's clock.

The reader checks one file on its own (citations, repeated URLs, `updated` before `date`). The
checks here run once per load, over valid stories, in `hub check` and in every build:

| check                                              | severity                          |
|----------------------------------------------------|-----------------------------------|
| two published stories share >= 2 source pages      | advisory (possible duplicate)     |
| an unlisted company in title, summary, or 3x in body | advisory                          |
| a story dated after the build time                  | advisory (it is scheduled, hidden)|
| a source dated more than SOURCE_GRACE after story   | error                             |
| `TODO` placeholders left by `hub new`/`hub import`  | advisory in drafts, else error    |
| two stories from one imported page, or one headline | advisory (a second copy)          |
| `follows:` names no story, a later one, or loops    | error (hub.threads)               |

A future date is not an error: that is how a story is scheduled. The advisory is there so a
typo (2042 for 2024) does not hide a story silently. "Now" is always the build time passed in
(SOURCE_DATE_EPOCH or the HEAD commit), never the wall clock, so a commit checks the same way
on every machine.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from .dates import iso
from .mentions import TermMatcher
from .model import Source, Story
from .problems import Problem, Severity
from .registry import Registry, Term
from .threads import link_problems
from .urls import is_web_url, source_key

SOURCE_GRACE = timedelta(days=7)
# A URL cited by more stories than this is a reference page (a company's homepage, a law's text),
# not evidence that two stories are the same; it also keeps the duplicate check linear.
POPULAR_URL = 50
PLACEHOLDER = "TODO"


def check_integrity(stories: list[Story], registries: dict[str, Registry],
                    as_of: datetime | None) -> list[Problem]:
    """Every cross-story and clock-dependent problem, for stories that passed the reader."""
    problems: list[Problem] = []
    problems += scheduled_stories(stories, as_of)
    problems += late_sources(stories)
    problems += possible_duplicates(stories, as_of)
    problems += unlisted_companies(stories, registries["company"])
    problems += placeholders(stories)
    problems += same_page(stories)
    problems += link_problems(stories)
    return problems


def is_published(story: Story, as_of: datetime | None) -> bool:
    return not story.draft and (as_of is None or story.date <= as_of)


def scheduled_stories(stories: list[Story], as_of: datetime | None) -> Iterator[Problem]:
    if as_of is None:
        return
    for story in stories:
        if story.date > as_of:
            yield Problem(story.source_path, story.field_lines.get("date", 1), "date",
                          f"{iso(story.date)} is after the build time ({iso(as_of)}): the story is "
                          "scheduled and stays hidden until a build runs after that date",
                          "Nothing to do if that is intended; otherwise correct the date.",
                          Severity.ADVISORY)


def late_sources(stories: list[Story]) -> Iterator[Problem]:
    for story in stories:
        latest = story.modified  # `updated`, or a correction that drew on a later page
        for source in story.sources:
            if source.date is not None and source.date > latest + SOURCE_GRACE:
                days = (source.date - latest).days
                yield Problem(story.source_path, source.line or 1, f"sources[{source.number}].date",
                              f"{source.date:%Y-%m-%d} is {days} days after the story "
                              f"({latest:%Y-%m-%d}); a story cannot draw on a later page",
                              "Check both dates; if the story was revised with this source, "
                              "set `updated:` to the day of the revision.")


def possible_duplicates(stories: list[Story], as_of: datetime | None) -> Iterator[Problem]:
    """Published stories sharing two or more source pages (by `source_key`), through a URL index."""
    published = sorted((s for s in stories if is_published(s, as_of)),
                       key=lambda s: (s.date, s.source_path))
    cited = [[(source, source_key(source.url)) for source in story.sources if source.url]
             for story in published]
    citing: dict[str, list[int]] = defaultdict(list)
    for index, keyed in enumerate(cited):
        for key in dict.fromkeys(key for _, key in keyed):
            citing[key].append(index)
    for index, story in enumerate(published):
        shared: dict[int, list[tuple[Source, str]]] = defaultdict(list)  # earlier story -> (ours, its key)
        for source, key in cited[index]:
            others = citing[key]
            if len(others) == 1 or len(others) > POPULAR_URL:
                continue
            for other in others:
                if other < index and all(key != seen for _, seen in shared[other]):
                    shared[other].append((source, key))
        for other, pairs in shared.items():
            if len(pairs) < 2:
                continue
            first = published[other]
            theirs = {key: source for source, key in reversed(cited[other])}
            listed = "; ".join(_pair(ours, theirs[key]) for ours, key in pairs)
            yield Problem(story.source_path, pairs[0][0].line or 1, "sources",
                          f"possible duplicate of {first.source_path} (\"{first.title}\"): both cite "
                          f"the same pages: {listed}",
                          "If both stories report the same news, merge them; otherwise ignore this.",
                          Severity.ADVISORY)


def _pair(ours: Source, theirs: Source) -> str:
    """Our source and the other story's, each address as written."""
    if ours.url == theirs.url:
        return f"source {ours.number} = its source {theirs.number} ({ours.url})"
    return f"source {ours.number} ({ours.url}) = its source {theirs.number} ({theirs.url})"


def headline_key(title: str) -> str:
    """A headline without case, punctuation or spacing: how two copies of one page are matched."""
    return " ".join(re.sub(r"[\W_]+", " ", title.casefold()).split())


def origin_key(origin: str) -> str:
    """An import's origin as compared: an address in its canonical form, a hash as it is."""
    return source_key(origin) if is_web_url(origin) else origin


def same_page(stories: list[Story]) -> Iterator[Problem]:
    """Two stories (drafts too) imported from one page, or with one headline: the later one is
    probably a second copy. Each is reported against the earliest story of its group."""
    ordered = sorted(stories, key=lambda s: (s.date, s.source_path))
    # (field, its key, what to say, the fix): a story is reported once, by the first that matches.
    checks = (
        ("origin", lambda s: origin_key(s.origin) if s.origin else None,
         lambda first: f"imported from the same page as {first.source_path} (\"{first.title}\")",
         "Keep one of the two stories: merge what the other adds, then delete it."),
        ("title", lambda s: headline_key(s.title),
         lambda first: f"the same headline as {first.source_path}",
         "If both report the same news, merge them; otherwise make the headlines differ."),
    )
    firsts: dict[tuple[str, str], Story] = {}
    for story in ordered:
        for field, key_of, message, fix in checks:
            key = key_of(story)
            if key is None:
                continue
            first = firsts.setdefault((field, key), story)
            if first is not story:
                yield Problem(story.source_path, story.field_lines.get(field, 1), field, message(first), fix,
                              Severity.ADVISORY)
                break


# A company the body names this often is part of the story; fewer mentions are mostly a rival,
# a customer or a former employer named in passing, which need not be listed.
BODY_MENTIONS = 3


@dataclass(frozen=True)
class Unlisted:
    """A registry company a story names but does not list, where and as what it is named."""

    story: Story
    term: Term
    line: int
    written: str  # the name or alias as the story has it
    where: str  # "in the title", "in the summary", "4 times in the body"

    def describe(self) -> str:
        alias = f" (as \"{self.written}\")" if self.written != self.term.name else ""
        return f"{self.term.name}{alias} {self.where}"


def unlisted_companies(stories: list[Story], companies: Registry) -> Iterator[Problem]:
    """A registry company named in the title or summary, or often in the body, but missing from
    `companies:`."""
    for found in unlisted_mentions(stories, companies):
        yield Problem(found.story.source_path, found.line, "companies",
                      f"the story names {found.describe()} but `companies:` does not list it",
                      f"Add `{found.term.name}` to `companies:` if the story is about it.",
                      Severity.ADVISORY)


def unlisted_mentions(stories: list[Story], companies: Registry) -> Iterator[Unlisted]:
    """Each company a story names in its title or summary, or BODY_MENTIONS times in its body,
    without listing it."""
    matcher = TermMatcher(companies)
    for story in stories:
        listed = {term.slug for term in story.companies}
        for field in ("title", "summary"):
            for mention in matcher.find(getattr(story, field)):
                if mention.term.slug not in listed:
                    listed.add(mention.term.slug)
                    yield Unlisted(story, mention.term, story.field_lines.get(field, 1), mention.written,
                                   f"in the {field}")
        for mention in matcher.find(story.body):
            if mention.term.slug not in listed and mention.count >= BODY_MENTIONS:
                line = story.body_line + story.body.count("\n", 0, mention.offset)
                yield Unlisted(story, mention.term, line, mention.written, f"{mention.count} times in the body")


def placeholders(stories: list[Story]) -> Iterator[Problem]:
    """`TODO` text left by `hub new` or `hub import`: fine in a draft, an error once published."""
    for story in stories:
        severity = Severity.ADVISORY if story.draft else Severity.ERROR
        fix = ("Fill it in before removing `draft: true`." if story.draft
               else "Replace the placeholder, or set `draft: true` until it is done.")
        found: list[tuple[int, str]] = []
        for field in ("title", "summary"):
            if getattr(story, field).startswith(PLACEHOLDER):
                found.append((story.field_lines.get(field, 1), field))
        for source in story.sources:
            for key in ("publisher", "title"):
                if getattr(source, key).startswith(PLACEHOLDER):
                    found.append((source.line or 1, f"sources[{source.number}].{key}"))
        for offset, line in enumerate(story.body.split("\n")):
            if line.lstrip().startswith(PLACEHOLDER):
                found.append((story.body_line + offset, "body"))
        for line, field in found:
            yield Problem(story.source_path, line, field, "still holds a `TODO` placeholder", fix, severity)
