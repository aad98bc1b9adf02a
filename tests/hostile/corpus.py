"""The hostile-input corpus (cases.yml) turned into fixture hubs, and what each case expects.

Used by tests/test_hostile.py (builds and assertions) and scripts/verify_site.py (opens every
rendered hostile page in Chromium). Cases are batched: every `error` case goes into one strict
build (it must abort before writing anything), every `render` case into another (it must pass
`--strict` and every page must be safe); `own_build` cases get a build each.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent.parent / "hooks"))

from hubsite import TAGS, COMPANIES, make_hub  # noqa: E402

CLASSES = (
    "malformed YAML", "tabs", "duplicate keys", "YAML anchors and aliases", "YAML tags",
    "YAML 1.1 booleans and octals", "impossible dates", "naive datetimes", "non-UTF-8 bytes",
    "BOM and line endings", "empty or shapeless files", "size (5 MB body, 100,000 tags)",
    "script URLs in sources and image", "script URLs in body links and images",
    "raw script, iframe and event handlers in the body",
    "attribute breakout in title, summary and source fields",
    "right-to-left and zero-width characters", "path traversal in slug",
    "slugs that collide after normalisation", "tags that collide by case",
)

CONTROL = "control"  # a plain valid story in every build: the baseline for scripts on a page

_HEAD = ("---\ntitle: {title}\ndate: 2024-05-01\nsummary: A short summary of the story.\n"
         "tags: {tags}\nsources:\n  - publisher: Example News\n    url: https://news.example.com/a\n"
         "    title: It happened\n---\n")


def _generated(name: str) -> bytes:
    """Cases too big to commit."""
    if name == "huge-body":  # 5 MB of prose
        return (_HEAD.format(title="Huge body", tags="[LLM]")
                + "Something happened [1]. " * (5 * 1024 * 1024 // 24) + "\n").encode()
    if name == "many-tags":  # 100,000 tags
        return (_HEAD.format(title="Many tags", tags="[" + ", ".join(["LLM"] * 100_000) + "]")
                + "Something happened [1].\n").encode()
    if name == "huge-title":  # a one-million-character title
        return (_HEAD.format(title="A" * 1_000_000, tags="[LLM]") + "Something happened [1].\n").encode()
    if name == "deep-nesting":  # 600 levels of flow sequences on line 6
        head = _HEAD.format(title="Deep nesting", tags="[LLM]")
        lines = head.split("\n")
        lines.insert(5, "deep: " + "[" * 600 + "]" * 600)
        return ("\n".join(lines) + "Something happened [1].\n").encode()
    raise KeyError(name)


@dataclass
class Case:
    id: str
    klass: str
    raw: dict
    stories: dict[str, bytes] = field(default_factory=dict)  # name -> bytes, in stories/<id>/
    registry: str | None = None  # "tags" or "companies"
    entry: str = ""
    pages: dict[str, str] = field(default_factory=dict)

    @property
    def expect(self) -> dict:
        return self.raw["expect"]

    @property
    def is_error(self) -> bool:
        return "error" in self.expect

    @property
    def own_build(self) -> bool:
        return bool(self.raw.get("own_build"))

    def story_path(self, name: str | None = None) -> str:
        """The story's path as problems name it (relative to the docs folder)."""
        return f"stories/{self.id}/{name or next(iter(self.stories), 'story.md')}"

    def rendered_pages(self) -> list[str]:
        """Output pages (relative to the site folder) this render case must produce."""
        render = self.expect["render"]
        if "page" in render:
            return [render["page"]]
        pages = [f"stories/{self.id}/{_slug(name)}/index.html" for name in self.stories]
        return pages + list(render.get("pages", []))


def _slug(name: str) -> str:
    from hub.slugs import slugify
    return slugify(name.removesuffix(".md"))


def load_cases() -> list[Case]:
    cases = []
    for raw in yaml.safe_load((HERE / "cases.yml").read_text(encoding="utf-8")):
        case = Case(raw["id"], raw["class"], raw)
        if "text" in raw:
            case.stories["story.md"] = raw["text"].encode("utf-8")
        if "file" in raw:
            case.stories["story.md"] = (HERE / "files" / raw["file"]).read_bytes()
        if "generate" in raw:
            case.stories["story.md"] = _generated(raw["generate"])
        for name, text in (raw.get("files") or {}).items():
            case.stories[name] = text.encode("utf-8")
        if "registry" in raw:
            case.registry, case.entry = raw["registry"], raw["entry"]
        case.pages = dict(raw.get("page") or {})
        cases.append(case)
    return cases


def control_story() -> bytes:
    return (_HEAD.format(title="Control story", tags="[LLM]") + "Something happened [1].\n").encode()


@dataclass
class Batch:
    """One fixture hub holding several cases, and where each registry entry starts."""

    name: str
    config: Path
    cases: list[Case]
    entry_lines: dict[str, int]  # case id -> first line of its registry entry

    @property
    def expects_error(self) -> bool:
        return any(case.is_error for case in self.cases)


def write_batch(root: Path, name: str, cases: list[Case]) -> Batch:
    """A fixture hub at root/name with the control story and every case in `cases`."""
    stories = {f"{CONTROL}/story.md": control_story()}
    pages: dict[str, str] = {}
    for case in cases:
        for story_name, data in case.stories.items():
            stories[f"{case.id}/{story_name}"] = data
        pages.update(case.pages)
    config = make_hub(root / name, stories, pages=pages)
    entry_lines: dict[str, int] = {}
    registry_dir = root / name / "content" / "_registry"
    for kind, base in (("tags", TAGS), ("companies", COMPANIES)):
        path = registry_dir / f"{kind}.yml"
        text = yaml.safe_dump(base, sort_keys=False, allow_unicode=True)
        for case in cases:
            if case.registry == kind:
                entry_lines[case.id] = text.count("\n") + 1
                text += case.entry if case.entry.endswith("\n") else case.entry + "\n"
        path.write_text(text, encoding="utf-8")
    return Batch(name, config, cases, entry_lines)


def plan(root: Path, cases: list[Case] | None = None) -> list[Batch]:
    """Every case in a batch: errors together, renders together, isolated cases alone."""
    cases = load_cases() if cases is None else cases
    batches = [
        write_batch(root, "errors", [c for c in cases if c.is_error and not c.own_build]),
        write_batch(root, "renders", [c for c in cases if not c.is_error and not c.own_build]),
    ]
    batches += [write_batch(root, f"own-{c.id}", [c]) for c in cases if c.own_build]
    return batches


def expected_errors(case: Case, batch: Batch) -> list[tuple[str, str]]:
    """(start, message) of each log line the case must produce: the start is
    `hub: path:line: field: ` and the message must appear after it."""
    out = []
    for item in case.expect["error"]:
        file = item.get("file")
        if file and file.startswith("_registry/"):
            path, line = file, batch.entry_lines[case.id] + item["line"] - 1
        else:
            path, line = case.story_path(file), item["line"]
        out.append((f"hub: {path}:{line}: {item['field']}: ", item.get("message", "")))
    return out
