"""`hub import`: a raw news page (like seeds/*.txt) in, a draft story out.

The seed pages are text copied from an aggregator: a title, "Curated by ...", a dated line
("On Mon, 26 Aug, 4:02 PM UTC", no year), "N Sources", "Share", the lead paragraph, headed
body paragraphs whose citations are bare numbers ("... race 1."), then "Continue Reading" and
footer boilerplate. Parsing is a pure function of the text (and today's date, to place a
year-less date), so it is tested without files.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from .integrity import headline_key, origin_key
from .mentions import TermMatcher
from .model import Story
from .registry import Registry
from .storyfile import DraftSource, DraftStory, story_slug
from .urls import is_web_url, source_key

MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
WEEKDAYS = {name: number for number, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
MAX_SUMMARY_SENTENCES = 3
MAX_SUMMARY = 600
MAX_TAGS = 5

_TIME = r"(?:,?\s*(?:at\s+)?(?P<h>\d{1,2}):(?P<mi>\d{2})\s*(?P<ap>[ap]\.?m\.?)?)?\s*(?P<tz>utc|gmt|z)?"
_DAY_FIRST = re.compile(
    r"^(?:on\s+)?(?:(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?P<d>\d{1,2})\s+"
    r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?(?:\s+(?P<y>\d{4}))?" + _TIME + r"$",
    re.IGNORECASE)
_MONTH_FIRST = re.compile(
    r"^(?:on\s+)?(?:(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<y>\d{4}))?" + _TIME + r"$",
    re.IGNORECASE)
_CURATED = re.compile(r"^curated by\s+(?P<who>.+)$", re.IGNORECASE)
_COUNT = re.compile(r"^(?P<n>\d{1,3})\s+sources?$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?P<y>(?:19|20)\d{2})", re.IGNORECASE)
_END = re.compile(r"^(continue reading|read more|related stories)\b", re.IGNORECASE)
# The page's own address, when the copy names it on a line of its own ("URL: https://...").
_ADDRESS = re.compile(r"^(?:(?:url|source|link|original|address)\s*:\s*)?(?P<url>https?://\S+)$", re.IGNORECASE)
_BOILERPLATE = re.compile(r"^(share|share this|advertisement)$", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:(?P<n>\d{1,2})[.)]|[-*\u2022])\s+(?P<text>\S.*)$")
# Bare citation numbers after a word, before punctuation or the end: "race 1." "costs 2 3,"
_CITATION = re.compile(r"(?<=\S)[ \t]+(?P<nums>\d{1,2}(?:[ \t,]+\d{1,2})*)(?=[.,;:!?]?$|[.,;:!?]\s)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


class SeedError(Exception):
    """The text does not look like a news page; the message says what was not found."""


@dataclass
class SeedPage:
    title: str
    published: datetime | None
    has_time: bool
    year_inferred: bool
    curator: str
    source_count: int
    lead: str
    blocks: list[str] = field(default_factory=list)  # Markdown blocks, citations as [n]
    address: str = ""  # the page's own address, if the copy names it
    origin: str = ""  # the address, else sha256:<hex> of the text: how a second import is caught


@dataclass
class ImportResult:
    draft: DraftStory
    slug: str
    year: int
    notes: list[str]  # what the editor must do before publishing


def parse_seed(text: str, today: date) -> SeedPage:
    """Split a seed page into its parts; raise SeedError if there is no title or no body."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    content = [line for line in lines if line.strip()]
    if not content:
        raise SeedError("the file is empty")
    title = " ".join(content[0].split())
    footer = "\n".join(lines)
    copyright_year = _COPYRIGHT.search(footer)
    reference_year = int(copyright_year["y"]) if copyright_year else today.year
    curator, source_count = "", 0
    published, has_time, inferred = None, False, False
    address = ""
    body_lines: list[str] = []
    for raw in content[1:]:
        line = " ".join(raw.split())
        if _END.match(line):
            break
        if not body_lines:  # header lines come before the first paragraph
            if (match := _CURATED.match(line)) and not curator:
                curator = match["who"].strip()
                continue
            if (match := _COUNT.match(line)) and not source_count:
                source_count = int(match["n"])
                continue
            if published is None and (found := _parse_date(line, reference_year, today)):
                published, has_time, inferred = found
                continue
            if (match := _ADDRESS.match(line)) and not address and is_web_url(match["url"]):
                address = match["url"]
                continue
            if _BOILERPLATE.match(line):
                continue
        body_lines.append(raw)
    if not body_lines:
        raise SeedError("no body paragraphs found after the title and dated lines")
    lead = _strip_citations(" ".join(body_lines[0].split()))
    blocks = _blocks(body_lines[1:], source_count)
    digest = hashlib.sha256("\n".join(lines).strip().encode("utf-8", "surrogatepass")).hexdigest()
    return SeedPage(title, published, has_time, inferred, curator, source_count, lead, blocks,
                    address, address or f"sha256:{digest}")


def already_imported(page: SeedPage, stories: list[Story]) -> tuple[Story, str] | None:
    """The story the hub already has for this page, and how we know; None if there is none.

    Known by the `origin:` an earlier import wrote, by a story citing the page's address, or
    by the same headline (stories written before imports recorded their origin).
    """
    origin, headline = origin_key(page.origin), headline_key(page.title)
    address = source_key(page.address) if page.address else None
    for story in sorted(stories, key=lambda s: s.source_path):
        if story.origin and origin_key(story.origin) == origin:
            return story, "this page was imported before, as"
    for story in sorted(stories, key=lambda s: s.source_path):
        cited = next((s.number for s in story.sources if address and s.url and source_key(s.url) == address), None)
        if cited is not None:
            return story, f"this page is source {cited} of"
        if headline_key(story.title) == headline:
            return story, "a story with this headline exists:"
    return None


def _parse_date(line: str, reference_year: int, today: date) -> tuple[datetime, bool, bool] | None:
    """(UTC datetime, has a time, year was inferred) for a dated line, else None."""
    match = _DAY_FIRST.match(line) or _MONTH_FIRST.match(line)
    if not match:
        return None
    month, day = MONTHS[match["mon"][:3].lower()], int(match["d"])
    weekday = WEEKDAYS[match["wd"][:3].lower()] if match["wd"] else None
    if match["y"]:
        year, inferred = int(match["y"]), False
    else:
        year, inferred = _infer_year(month, day, weekday, reference_year, today), True
        if year is None:
            return None
    hour, minute = int(match["h"] or 0), int(match["mi"] or 0)
    if match["ap"]:
        hour = hour % 12 + (12 if match["ap"][0].lower() == "p" else 0)
    try:
        value = datetime(year, month, day, hour, minute, tzinfo=timezone.utc)
    except ValueError:
        return None
    return value, match["h"] is not None, inferred


def _infer_year(month: int, day: int, weekday: int | None, reference: int, today: date) -> int | None:
    """The latest year up to the page's copyright year (or this year) that fits the weekday."""
    for year in range(min(reference, today.year), min(reference, today.year) - 12, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 Feb
            continue
        if candidate <= today and (weekday is None or candidate.weekday() == weekday):
            return year
    return None


def _cite(text: str, source_count: int) -> str:
    """Bare citation numbers (1 to source_count) become [n] markers."""
    def replace(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"[ \t,]+", match["nums"])]
        if not all(1 <= n <= source_count for n in numbers):
            return match.group(0)
        return " " + " ".join(f"[{n}]" for n in numbers)
    return _CITATION.sub(replace, text)


def _strip_citations(text: str) -> str:
    return _CITATION.sub("", text)


def _is_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 12 and len(line) <= 100 and not re.search(r"[.!?:;,\"”)]$", line)


def _blocks(lines: list[str], source_count: int) -> list[str]:
    """Markdown blocks: `## ` headings, paragraphs, and numbered or bulleted lists."""
    blocks: list[str] = []
    items: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        item = _LIST_ITEM.match(raw)
        if item:
            marker = f"{item['n']}." if item["n"] else "-"
            items.append(f"{marker} {_cite(item['text'].strip(), source_count)}")
            continue
        if items:
            blocks.append("\n".join(items))
            items = []
        blocks.append(f"## {line}" if _is_heading(line) else _cite(line, source_count))
    if items:
        blocks.append("\n".join(items))
    return blocks


def summary_from_lead(lead: str) -> str:
    """The lead's first sentences, at most three and within the summary's length limit."""
    sentences = _SENTENCE_END.split(lead)
    summary = ""
    for sentence in sentences[:MAX_SUMMARY_SENTENCES]:
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > MAX_SUMMARY:
            break
        summary = candidate
    return summary or lead[:MAX_SUMMARY].rsplit(" ", 1)[0]


def draft_from_seed(page: SeedPage, registries: dict[str, Registry],
                    fallback_day: date | None = None) -> ImportResult:
    """The draft story for a parsed page, with companies and suggested tags from the registries.

    `fallback_day` (from --date) is used only when the page has no dated line.
    """
    if page.published is not None:
        year = page.published.year
        date_text = page.published.strftime("%Y-%m-%dT%H:%M:%SZ" if page.has_time else "%Y-%m-%d")
    elif fallback_day is not None:
        year, date_text = fallback_day.year, fallback_day.isoformat()
    else:
        raise SeedError("no dated line found (like \"On Mon, 26 Aug, 4:02 PM UTC\"); pass --date YYYY-MM-DD")
    text = "\n".join([page.title, page.lead, *page.blocks])
    companies = [m.term.name for m in TermMatcher(registries["company"]).find(text)]
    tag_counts = TermMatcher(registries["tag"], ignore_case=True, plurals=True).count(text)
    order = {term.slug: index for index, term in enumerate(registries["tag"].terms)}
    ranked = sorted(tag_counts, key=lambda slug: (-tag_counts[slug], order[slug]))[:MAX_TAGS]
    by_slug = registries["tag"].by_slug()
    tags = [by_slug[slug].name for slug in ranked]
    sources = [DraftSource(pending=True) for _ in range(page.source_count)]
    body = ("TODO: this is the imported page's own text. Rewrite it in your own words, check "
            "every citation marker against its source, then delete this line.\n\n"
            + "\n\n".join(page.blocks))
    draft = DraftStory(title=page.title, date=date_text, summary=summary_from_lead(page.lead),
                       tags=tags, companies=companies, sources=sources, body=body,
                       curator=page.curator, origin=page.origin)
    return ImportResult(draft, story_slug(page.title), year, _notes(page, draft))


def _notes(page: SeedPage, draft: DraftStory) -> list[str]:
    notes = []
    if page.source_count:
        span = "source 1" if page.source_count == 1 else f"sources 1-{page.source_count}"
        notes.append(f"{span}: the page counts {page.source_count}; for each, fill publisher, url "
                     "and title, then delete `pending: true`")
    else:
        notes.append("sources: the page gives no source count; add at least one source")
    notes.append("body: rewrite the page's text in your own words, keep the [n] markers on "
                 "the facts each source gives, and delete the TODO line")
    notes.append("summary: taken from the lead paragraph; make it your own")
    if draft.tags:
        notes.append(f"tags: suggested from the text ({', '.join(draft.tags)}); keep, drop or add")
    else:
        notes.append("tags: none found in the text; add at least one from the tags registry")
    if draft.companies:
        notes.append(f"companies: found in the text ({', '.join(draft.companies)}); check them")
    if page.year_inferred and page.published is not None:
        notes.append(f"date: the page gives no year; {page.published.year} is the latest year "
                     "that matches its weekday; check it")
    if page.published is not None and not page.has_time:
        notes.append("date: the page gives no time of day; add one if you know it")
    if page.curator:
        notes.append(f"curator: \"{page.curator}\" as the page credits it; change it to the "
                     "hub's curator if you rewrite the story")
    notes.append("then remove `draft: true` to publish")
    return notes
