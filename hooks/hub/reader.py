"""Reader: one story file's bytes in, a validated Story (or the problems with it) out.

Every problem is collected, not just the first, and each names the line and the field.
"""
from __future__ import annotations

import difflib
import re
import posixpath
from datetime import datetime

from .citations import find_markers
from .dates import DateError, parse_datetime
from .model import Correction, Source, Story
from .problems import ProblemList, Severity
from .registry import Registry, Term
from .removals import find_removals
from .settings import HubSettings
from .slugs import is_valid_slug, slugify
from .text import clean_text, read_text
from .urls import is_web_url, source_key
from .yaml_source import Mapping, Scalar, Sequence, Value, YamlError, compose

REQUIRED = ("title", "date", "summary", "sources", "tags")
OPTIONAL = ("companies", "slug", "curator", "updated", "draft", "image", "origin", "corrections", "follows")
SOURCE_FIELDS = ("publisher", "url", "title", "author", "date", "pending")
CORRECTION_FIELDS = ("date", "text")
MAX_SUMMARY = 600
MAX_TITLE = 200
MAX_TERMS = 20
MAX_BODY = 200_000  # characters; a long feature is ~40,000. Bounds Markdown time per story.

# Bidirectional overrides can make text display differently from what it says.
def split_front_matter(text: str, problems: ProblemList) -> tuple[str, int, str, int] | None:
    """(yaml text, its first line, body, body's first line), or None with a problem added."""
    if not text.strip():
        problems.add(1, "file", "the file is empty", "Start it with front matter between `---` lines.")
        return None
    if not text.startswith("---\n"):
        problems.add(1, "file", "the file does not start with front matter",
                     "Put `---` on the first line, the fields, then `---` again.")
        return None
    end = -1
    for marker in ("\n---\n", "\n...\n"):
        found = text.find(marker, 3)
        if found != -1 and (end == -1 or found < end):
            end = found
    if end == -1:
        if text.endswith(("\n---", "\n...")):
            end = len(text) - 4
        else:
            problems.add(1, "file", "the front matter has no closing `---`",
                         "Add a line with `---` after the last field.")
            return None
    yaml_text = text[4:end + 1]
    body_start = min(end + 5, len(text))
    body_line = text.count("\n", 0, body_start) + 1
    return yaml_text, 2, text[body_start:], body_line


class _StoryReader:
    """Holds what one file's checks share; `read` returns the Story or None."""

    def __init__(self, path: str, doc_path_dir: str, registries: dict[str, Registry],
                 settings: HubSettings, problems: ProblemList) -> None:
        self.path = path
        self.doc_dir = doc_path_dir
        self.registries = registries
        self.settings = settings
        self.problems = problems

    def read(self, data: bytes) -> Story | None:
        text = read_text(data, self.problems)
        if text is None:
            return None
        parts = split_front_matter(text, self.problems)
        if parts is None:
            return None
        yaml_text, yaml_line, body, body_line = parts
        try:
            document = compose(yaml_text, yaml_line)
        except YamlError as exc:
            self.problems.add(exc.line, "front matter", exc.message, exc.fix)
            return None
        if not isinstance(document, Mapping):
            line = document.line if document is not None else 1
            self.problems.add(line, "front matter", "front matter must be `field: value` lines",
                              "Write fields such as `title: ...` between the `---` lines.")
            return None
        return self._story(document, body, body_line)

    # -- fields ---------------------------------------------------------------------------

    def _story(self, fm: Mapping, body: str, body_line: int) -> Story | None:
        errors_before = len(self.problems)
        for key in fm.entries.keys() - set(REQUIRED) - set(OPTIONAL):
            close = difflib.get_close_matches(key, REQUIRED + OPTIONAL, n=1)
            hint = f"Did you mean `{close[0]}`?" if close else f"Known fields: {', '.join(REQUIRED + OPTIONAL)}."
            self.problems.add(fm.key_lines[key], key, "unknown field", hint)
        for key in REQUIRED:
            if key not in fm.entries:
                self.problems.add(fm.line, key, "required field is missing", _FIX_MISSING[key])
        title = self._text(fm, "title", MAX_TITLE)
        summary = self._text(fm, "summary", MAX_SUMMARY)
        date, has_time = self._date(fm, "date")
        updated, _ = self._date(fm, "updated")
        if date and updated and updated < date:
            self.problems.add(fm.key_lines["updated"], "updated", "is earlier than `date`",
                              "`updated` must be the same as or after `date`.")
        curator = self._text(fm, "curator", MAX_TITLE) or self.settings.curator
        draft = self._flag(fm, "draft")
        image = self._url(fm.entries.get("image"), "image") if "image" in fm.entries else ""
        slug = self._slug(fm)
        origin = self._origin(fm.entries.get("origin"))
        corrections = self._corrections(fm.entries.get("corrections"), date)
        follows = self._follows(fm.entries.get("follows"))
        tags = self._terms(fm, "tags", self.registries["tag"])
        companies = self._terms(fm, "companies", self.registries["company"])
        sources = self._sources(fm, draft)
        if len(body) > MAX_BODY:
            self.problems.add(body_line, "body", f"is {len(body):,} characters long; the limit is {MAX_BODY:,}",
                              "A story sums up its sources; cut the text or split it into two stories.")
            cited: dict[int, int] = {}
        else:
            cited = self._check_citations(body, body_line, sources, fm)
        if len(self.problems) > errors_before or not (title and summary and date and slug):
            return None
        for removal in find_removals(body):
            self.problems.add(body_line + removal.offset, "body",
                              f"the page leaves out {removal.what}", removal.fix, Severity.ADVISORY)
        return Story(
            source_path=self.path, doc_path=posixpath.join(self.doc_dir, slug + ".md"),
            slug=slug, title=title, summary=summary, date=date, has_time=has_time,
            curator=curator, tags=tags, companies=companies, sources=sources, body=body,
            body_line=body_line, updated=updated, draft=draft, image=image or "", origin=origin,
            corrections=corrections, follows=follows,
            cited=frozenset(cited), cite_counts=cited, field_lines=dict(fm.key_lines),
        )

    def _scalar(self, node: Value | None, field: str) -> str | None:
        """Text of a scalar field; None (with a problem) if it is a list or mapping."""
        if node is None:
            return None
        if not isinstance(node, Scalar):
            self.problems.add(node.line, field, "must be a single value, not a list or mapping",
                              f"Write `{field}: value` on one line.")
            return None
        return None if node.is_null else node.text

    def _text(self, fm: Mapping, field: str, limit: int) -> str:
        node = fm.entries.get(field)
        value = self._scalar(node, field)
        if node is None:
            return ""
        text = clean_text(value or "")
        if not text:
            self.problems.add(node.line, field, "is empty", f"Write the {field} as plain text.")
        elif len(text) > limit:
            self.problems.add(node.line, field, f"is {len(text)} characters long; the limit is {limit}",
                              f"Shorten the {field}.")
        return text

    def _date(self, fm: Mapping, field: str) -> tuple[datetime | None, bool]:
        node = fm.entries.get(field)
        value = self._scalar(node, field)
        if node is None:
            return None, False
        if not value:
            self.problems.add(node.line, field, "is empty", "Write a date such as 2024-08-26 or 2024-08-26T16:02:00Z.")
            return None, False
        try:
            return parse_datetime(value)
        except DateError as exc:
            self.problems.add(node.line, field, str(exc), "Write a real date such as 2024-08-26 or 2024-08-26T16:02:00Z.")
            return None, False

    def _flag(self, fm: Mapping, field: str) -> bool:
        node = fm.entries.get(field)
        value = self._scalar(node, field)
        if node is None or value is None:
            return False
        if value.lower() not in ("true", "false"):
            self.problems.add(node.line, field, f"`{value}` is not true or false", f"Write `{field}: true` or `{field}: false`.")
            return False
        return value.lower() == "true"

    def _url(self, node: Value | None, field: str) -> str | None:
        value = self._scalar(node, field)
        if node is None:
            return None
        if not value or not is_web_url(value.strip()):
            self.problems.add(node.line, field, f"`{value or ''}` is not an http(s) address",
                              "Only full http:// or https:// addresses are allowed.")
            return None
        return value.strip()

    def _corrections(self, node: Value | None, published: datetime | None) -> tuple[Correction, ...]:
        """`corrections:` is a list of `- date: ...` / `text: ...`, none before the story's date."""
        if node is None:
            return ()
        if not isinstance(node, Sequence):
            self.problems.add(node.line, "corrections", "must be a list of corrections",
                              "Write `corrections:` then `- date: 2024-08-27` and `text: What was wrong.`")
            return ()
        found: list[Correction] = []
        for number, item in enumerate(node.items, start=1):
            label = f"corrections[{number}]"
            if not isinstance(item, Mapping):
                self.problems.add(item.line, label, "must have a date and a text",
                                  "Write `- date: 2024-08-27` and `text: What was wrong.` below it.")
                continue
            for key in item.entries.keys() - set(CORRECTION_FIELDS):
                self.problems.add(item.key_lines[key], f"{label}.{key}", "unknown field",
                                  f"A correction has only {' and '.join(CORRECTION_FIELDS)}.")
            for key in CORRECTION_FIELDS:
                if key not in item.entries:
                    self.problems.add(item.line, f"{label}.{key}", "is missing",
                                      "Give the day of the correction and what it corrects.")
            when, _ = self._date(item, "date")
            text = self._text(item, "text", MAX_SUMMARY) if "text" in item.entries else ""
            if when and published and when < published:
                self.problems.add(item.key_lines["date"], f"{label}.date",
                                  f"{when:%Y-%m-%d} is before the story ({published:%Y-%m-%d}); a "
                                  "story cannot be corrected before it is published",
                                  "Give the day the correction was made.")
            elif when and text:
                found.append(Correction(when, text, item.line))
        return tuple(sorted(found, key=lambda c: c.date))

    def _follows(self, node: Value | None) -> str:
        """The earlier story's slug, or `<year>/<slug>` where two years share one."""
        value = (self._scalar(node, "follows") or "").strip()
        if node is None:
            return ""
        year, _, slug = value.rpartition("/")
        if not is_valid_slug(slug) or (year and not (year.isdigit() and len(year) == 4)):
            self.problems.add(node.line, "follows", f"`{value}` is not a story's slug",
                              "Write the earlier story's file name without `.md`, e.g. `follows: meta-releases-llama-3`.")
            return ""
        return value

    def _origin(self, node: Value | None) -> str:
        """`hub import` writes where the draft came from; it must stay an address or a hash."""
        value = (self._scalar(node, "origin") or "").strip()
        if node is None:
            return ""
        if not (is_origin_hash(value) or is_web_url(value)):
            self.problems.add(node.line, "origin", f"`{value}` is neither an http(s) address nor "
                              "`sha256:` and 64 hex digits",
                              "Keep the value `hub import` wrote, or delete the line.")
            return ""
        return value

    def _slug(self, fm: Mapping) -> str:
        default = slugify(posixpath.splitext(posixpath.basename(self.path))[0])
        node = fm.entries.get("slug")
        if node is None:
            if not is_valid_slug(default):
                self.problems.add(1, "slug", f"the file name does not give a usable slug (`{default}`)",
                                  "Rename the file to lowercase-words-with-hyphens.md or add `slug:`.")
                return ""
            return default
        value = (self._scalar(node, "slug") or "").strip()
        if not is_valid_slug(value):
            self.problems.add(node.line, "slug", f"`{value}` is not a valid slug",
                              f"Use lowercase ASCII letters, digits and single hyphens, e.g. `{slugify(value) or default}`.")
            return ""
        return value

    def _terms(self, fm: Mapping, field: str, registry: Registry) -> tuple[Term, ...]:
        node = fm.entries.get(field)
        if node is None:
            return ()
        items: list[Scalar] = []
        if isinstance(node, Scalar):
            items = [] if node.is_null else [node]
        elif isinstance(node, Sequence):
            for item in node.items:
                if isinstance(item, Scalar) and not item.is_null:
                    items.append(item)
                else:
                    self.problems.add(item.line, field, "each entry must be a name",
                                      f"Write `{field}: [Name, Other name]`.")
        else:
            self.problems.add(node.line, field, "must be a list of names", f"Write `{field}: [Name, Other name]`.")
            return ()
        if field == "tags" and not items and isinstance(node, (Scalar, Sequence)):
            self.problems.add(node.line, field, "needs at least one tag", "Add a tag from the tags registry.")
        if len(items) > MAX_TERMS:
            self.problems.add(node.line, field, f"has {len(items)} entries; the limit is {MAX_TERMS}",
                              f"Keep the {MAX_TERMS} that matter most.")
            return ()
        terms: list[Term] = []
        for item in items:
            term = registry.find(item.text)
            if term is None:
                close = registry.suggest(item.text)
                add = f"add `{item.text}` to the {registry.kind} registry"
                fix = (f"Did you mean {' or '.join(f'`{c}`' for c in close)}? Or {add}." if close
                       else f"Use a name from the {registry.kind} registry, or {add}.")
                self.problems.add(item.line, field, f"unknown {registry.kind} `{item.text}`", fix)
            elif term in terms:
                self.problems.add(item.line, field, f"`{item.text}` repeats {registry.kind} `{term.name}`",
                                  "List each one once.")
            else:
                terms.append(term)
        return tuple(terms)

    def _sources(self, fm: Mapping, draft: bool) -> tuple[Source, ...]:
        node = fm.entries.get("sources")
        if node is None:
            return ()
        if not isinstance(node, Sequence) or not node.items:
            self.problems.add(node.line, "sources", "needs a list of at least one source",
                              "Add `- publisher: ...`, `url: ...`, `title: ...` under `sources:`.")
            return ()
        sources: list[Source] = []
        seen_urls: dict[str, Source] = {}
        for number, item in enumerate(node.items, start=1):
            source = self._source(item, number, draft)
            if source is None:
                continue
            if source.url:
                key = source_key(source.url)
                first = seen_urls.setdefault(key, source)
                if first is not source:
                    self.problems.add(item.line, f"sources[{number}].url",
                                      f"`{source.url}` is the same page as source {first.number} "
                                      f"(`{first.url}`)",
                                      "Cite each page once; remove the repeat and renumber the markers.")
            sources.append(source)
        return tuple(sources)

    def _source(self, item: Value, number: int, draft: bool) -> Source | None:
        label = f"sources[{number}]"
        if not isinstance(item, Mapping):
            self.problems.add(item.line, label, "must be a mapping with publisher, url and title",
                              "Write `- publisher: ...` then `url:` and `title:` indented below it.")
            return None
        for key in item.entries.keys() - set(SOURCE_FIELDS):
            close = difflib.get_close_matches(key, SOURCE_FIELDS, n=1)
            self.problems.add(item.key_lines[key], f"{label}.{key}", "unknown field",
                              f"Did you mean `{close[0]}`?" if close else f"Known: {', '.join(SOURCE_FIELDS)}.")
        pending = self._flag(item, "pending")
        if pending:
            if not draft:
                self.problems.add(item.line, label, "is still pending",
                                  "Fill in publisher, url and title and remove `pending`, or keep the story a draft.")
            return Source(number, clean_text(self._scalar(item.entries.get("publisher"), label) or ""), "",
                          clean_text(self._scalar(item.entries.get("title"), label) or ""), pending=True,
                          line=item.line)
        values: dict[str, str] = {}
        for key in ("publisher", "title", "author"):
            node = item.entries.get(key)
            text = clean_text(self._scalar(node, f"{label}.{key}") or "")
            if key != "author" and not text:
                self.problems.add(node.line if node else item.line, f"{label}.{key}",
                                  "is missing" if node is None else "is empty", f"Give the source's {key}.")
            values[key] = text
        url_node = item.entries.get("url")
        url = ""
        if url_node is None:
            self.problems.add(item.line, f"{label}.url", "is missing", "Give the page's full https:// address.")
        else:
            url = self._url(url_node, f"{label}.url") or ""
        when, _ = self._date(item, "date") if "date" in item.entries else (None, False)
        return Source(number, values["publisher"], url, values["title"], values["author"], when,
                      line=item.line)

    def _check_citations(self, body: str, body_line: int, sources: tuple[Source, ...],
                         fm: Mapping) -> dict[int, int]:
        """How often each source is cited (the source list's back-links); problems for the rest."""
        count = len(fm.entries["sources"].items) if isinstance(fm.entries.get("sources"), Sequence) else 0
        cited: dict[int, int] = {}
        for offset, number in find_markers(body):
            if 1 <= number <= count:
                cited[number] = cited.get(number, 0) + 1
            else:
                self.problems.add(body_line + offset, "body", f"citation [{number}] has no source {number}",
                                  f"The story has {count} source(s); cite [1] to [{count}] or add the source.")
        for source in sources:
            if source.number not in cited and not source.pending:
                self.problems.add(fm.key_lines["sources"], f"sources[{source.number}]",
                                  f"source {source.number} ({source.publisher}) is never cited in the body",
                                  f"Cite it with [{source.number}] where the story uses it, or remove it.")
        return cited


_FIX_MISSING = {
    "title": "Add `title: Plain text headline`.",
    "date": "Add `date: 2024-08-26` or `date: 2024-08-26T16:02:00Z`.",
    "summary": "Add `summary: One to three sentences.`",
    "sources": "Add `sources:` with at least one `- publisher: ...`, `url: ...`, `title: ...`.",
    "tags": "Add `tags: [Some tag]` using names from the tags registry.",
}


_ORIGIN_HASH = re.compile(r"sha256:[0-9a-f]{64}\Z")


def is_origin_hash(value: str) -> bool:
    return bool(_ORIGIN_HASH.match(value))


def read_story(path: str, data: bytes, registries: dict[str, Registry],
               settings: HubSettings) -> tuple[Story | None, ProblemList]:
    """Read one story. `path` is relative to the docs folder, e.g. `stories/2024/x.md`."""
    problems = ProblemList(path)
    reader = _StoryReader(path, posixpath.dirname(path), registries, settings, problems)
    return reader.read(data), problems
