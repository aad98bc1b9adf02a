"""Writing a new story file: the one place that turns a draft into front matter and a path.

`hub new` and `hub import` both end here, so both produce the same layout, quote values the
same way and refuse to overwrite the same way.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .slugs import slugify

MAX_SLUG = 80


class StoryExists(Exception):
    """The target file is already there; we never overwrite an editor's work."""


def exists_message(shown: str) -> str:
    """One wording for `hub new` and `hub import` when the file is taken."""
    return f"{shown} already exists and was left as it is; pass --slug to choose another file name"


@dataclass
class DraftSource:
    url: str = ""
    publisher: str = ""
    title: str = ""
    pending: bool = False


@dataclass
class DraftStory:
    title: str
    date: str  # as written in front matter: 2024-08-26 or 2024-08-26T16:02:00Z
    summary: str
    tags: list[str]
    companies: list[str] = field(default_factory=list)
    sources: list[DraftSource] = field(default_factory=list)
    body: str = ""
    curator: str = ""
    origin: str = ""  # hub import: the seed's address or content hash
    draft: bool = True

    def front_matter(self) -> str:
        lines = [f"title: {_quote(self.title)}", f"date: {self.date}",
                 f"summary: {_quote(self.summary)}", f"tags: {_names(self.tags)}"]
        if self.companies:
            lines.append(f"companies: {_names(self.companies)}")
        if self.curator:
            lines.append(f"curator: {_quote(self.curator)}")
        if self.origin:
            lines.append(f"origin: {_quote(self.origin)}")
        if self.draft:
            lines.append("draft: true")
        lines.append("sources:")
        for source in self.sources:
            entry = [f"publisher: {_quote(source.publisher)}", f"url: {_quote(source.url)}",
                     f"title: {_quote(source.title)}"]
            if source.pending:
                entry.insert(0, "pending: true")
            lines.append("  - " + entry[0])
            lines.extend("    " + item for item in entry[1:])
        return "\n".join(lines) + "\n"

    def text(self) -> str:
        return "---\n" + self.front_matter() + "---\n" + self.body.rstrip("\n") + "\n"


def _quote(text: str) -> str:
    """A JSON string is a valid YAML double-quoted scalar: no `no`/`on`/`012` surprises."""
    return json.dumps(text, ensure_ascii=False)


def _names(names: list[str]) -> str:
    return "[" + ", ".join(_quote(name) for name in names) + "]"


def story_slug(title: str) -> str:
    """The file name for a title: its slug, cut at a word boundary to keep URLs readable."""
    slug = slugify(title)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug


def write_story(path: Path, text: str) -> None:
    """Create `path` (and its year folder); raise StoryExists rather than overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise StoryExists(str(path)) from None
