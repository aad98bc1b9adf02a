"""How big a built site is, part by part, and whether it fits its size budget.

GitHub Pages refuses a published site over 1 GB, so a hub that grows every day needs to know
where its bytes go long before it reaches that. Sizes count file bytes (what the Pages artifact
holds), in decimal units: 1 GB is 10^9 bytes, the stricter reading of the limit.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

UNITS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "kib": 2**10, "mib": 2**20, "gib": 2**30}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*", re.IGNORECASE)
WARN_SHARE = 0.8  # a build at this share of its budget says so (and still succeeds)

# The first folder of a file's path names its part; stories live under the stories folder.
LISTING_FOLDERS = {"tags": "topic listings", "companies": "company listings",
                   "sources": "publisher listings", "archive": "archive listings",
                   "threads": "thread listings", "corrections": "corrections listing",
                   "page": "home listings"}
LISTING_PARTS = tuple(dict.fromkeys(LISTING_FOLDERS.values()))  # every part made of listing pages
FOLDER_PARTS = {"feeds": "feeds", "api": "API", "search": "search index",
                "assets": "assets", **LISTING_FOLDERS}
PARTS = ("story pages", "home listings", "topic listings", "company listings", "publisher listings",
         "archive listings", "thread listings", "corrections listing", "feeds", "API",
         "search index", "assets", "other")


def parse_size(value: object) -> int | None:
    """Bytes of a size written as `1 GB`, `800 MB`, `1.5 MiB`; None if it is not one."""
    match = _SIZE.fullmatch(value) if isinstance(value, str) else None
    if not match or match.group(2).lower() not in UNITS:
        return None
    size = int(float(match.group(1)) * UNITS[match.group(2).lower()])
    return size if size > 0 else None


def format_size(size: int) -> str:
    """`1.23 GB`, `812 MB`, `45.6 KB`: three significant figures, decimal units."""
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= factor:
            value = size / factor
            return f"{value:.3g} {unit}" if value < 1000 else f"{value:.0f} {unit}"
    return f"{size} B"


def part_of(rel_path: str, stories_folder: str = "stories") -> str:
    """The part of the site a file (path relative to the site folder, `/`-separated) belongs to."""
    first, _, rest = rel_path.partition("/")
    if not rest:
        return "home listings" if first == "index.html" else "other"
    if first == stories_folder:
        return "story pages"
    return FOLDER_PARTS.get(first, "other")


@dataclass(frozen=True)
class SiteSize:
    """Bytes of each part of a built site (every part in PARTS, zero if absent), and how many
    pages (index.html files) each part holds, for the bytes of an average page."""

    parts: dict[str, int]
    pages: dict[str, int] = field(default_factory=dict)

    def page_average(self, names: tuple[str, ...]) -> int:
        """Average bytes of one page of these parts (0 without pages)."""
        count = sum(self.pages.get(name, 0) for name in names)
        return sum(self.parts[name] for name in names) // count if count else 0

    @property
    def total(self) -> int:
        return sum(self.parts.values())

    def largest(self, count: int = 3) -> list[tuple[str, int]]:
        return sorted(self.parts.items(), key=lambda item: (-item[1], PARTS.index(item[0])))[:count]

    def describe(self, parts: list[tuple[str, int]] | None = None) -> str:
        """`story pages 340 MB, feeds 150 MB, ...`"""
        return ", ".join(f"{name} {format_size(size)}" for name, size in (parts or self.largest(len(PARTS))))


def measure(site_dir: Path, stories_folder: str = "stories") -> SiteSize:
    """Walk a built site folder and add up its files' bytes by part."""
    parts = dict.fromkeys(PARTS, 0)
    pages = dict.fromkeys(PARTS, 0)
    root = str(site_dir)
    for folder, _, names in os.walk(root):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        part = part_of(prefix + "x", stories_folder) if prefix else None
        for name in names:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            part_name = part or part_of(name, stories_folder)
            parts[part_name] += os.path.getsize(path)
            pages[part_name] += name == "index.html"
    return SiteSize(parts, pages)


@dataclass(frozen=True)
class Verdict:
    """What a build says about its size: `over` fails it, `near` is said and the build goes on."""

    over: bool
    near: bool
    line: str


def judge(size: SiteSize, budget: int, setting: str = "extra.hub.site_budget") -> Verdict:
    """One line with the size, the budget and the three largest parts."""
    total = size.total
    largest = size.describe(size.largest(3))
    if total > budget:
        return Verdict(True, False, f"The site is {format_size(total)}, over its budget of "
                                    f"{format_size(budget)} ({setting}); largest parts: {largest}.")
    if total >= WARN_SHARE * budget:
        return Verdict(False, True, f"The site is {format_size(total)}, {100 * total / budget:.0f}% of its "
                                    f"budget of {format_size(budget)} ({setting}); largest parts: {largest}.")
    return Verdict(False, False, f"The site is {format_size(total)}, {100 * total / budget:.0f}% of its "
                                 f"budget of {format_size(budget)}.")
