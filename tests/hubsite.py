"""Build small fixture hubs in-process, the way MkDocs' own tests do: load_config + build.

`make_hub` writes a site folder (mkdocs.yml pointing at the real hooks and theme overrides,
registries, stories); `build_hub` builds it and returns the output folder and the log.
"""
from __future__ import annotations

import logging
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

ROOT = Path(__file__).resolve().parent.parent

TAGS = [
    {"name": "Large language models", "slug": "llm", "description": "Models trained on text.",
     "aliases": ["LLM", "LLMs"]},
    {"name": "AI chips", "description": "Processors built for AI.", "aliases": ["chips"]},
    {"name": "Regulation", "description": "Laws and rules about AI."},
    {"name": "Nothing", "description": "A tag spelled like a YAML 1.1 boolean.", "aliases": ["no"]},
]
COMPANIES = [
    {"name": "OpenAI", "description": "An AI research company.", "homepage": "https://openai.com/"},
    {"name": "NVIDIA", "description": "A chip maker.", "homepage": "https://www.nvidia.com/",
     "aliases": ["Nvidia Corporation"]},
]


def story_text(title: str = "A story", date: str = "2024-05-01", *, tags: str = "[LLM]",
               companies: str | None = "[OpenAI]", sources: list[dict] | None = None,
               body: str = "Something happened [1].", extra: str = "") -> str:
    """A valid story file; pass keyword arguments to vary one field at a time."""
    sources = sources if sources is not None else [
        {"publisher": "Example News", "url": "https://news.example.com/a", "title": "It happened"}]
    lines = [f"title: {yaml.safe_dump(title, default_style=chr(34)).strip()}", f"date: {date}",
             "summary: A short summary of the story.", f"tags: {tags}"]
    if companies is not None:
        lines.append(f"companies: {companies}")
    lines.append("sources:")
    for source in sources:
        first = True
        for key, value in source.items():
            lines.append(("  - " if first else "    ") + f"{key}: {yaml.safe_dump(value, default_style=chr(34)).strip()}")
            first = False
    if extra:
        lines.append(extra.rstrip("\n"))
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


@dataclass
class BuildResult:
    site: Path
    log: list[tuple[str, str]]
    aborted: str | None = None
    docs: Path = field(default_factory=Path)

    def messages(self, level: str = "ERROR") -> list[str]:
        return [message for lvl, message in self.log if lvl == level]

    def html(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def make_hub(root: Path, stories: dict[str, str], *, tags: list | None = None,
             companies: list | None = None, extra_hub: dict | None = None,
             pages: dict[str, str] | None = None, config: dict | None = None) -> Path:
    """Write a fixture site under `root`; `stories` maps `2024/slug.md` to file text."""
    docs = root / "content"
    (docs / "_registry").mkdir(parents=True, exist_ok=True)
    (docs / "_registry" / "tags.yml").write_text(yaml.safe_dump(TAGS if tags is None else tags, sort_keys=False))
    (docs / "_registry" / "companies.yml").write_text(
        yaml.safe_dump(COMPANIES if companies is None else companies, sort_keys=False))
    for rel, text in stories.items():
        path = docs / "stories" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    pages = {"about.md": "# About\n\nA fixture hub.\n", **(pages or {})}
    for rel, text in pages.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text)
    settings = {
        "site_name": "Fixture Hub",
        "site_url": "https://hub.example.org/",
        "docs_dir": str(docs),
        "site_dir": str(root / "site"),
        "theme": {"name": "material", "custom_dir": str(ROOT / "theme_overrides"), "font": False},
        "hooks": [str(ROOT / "hooks" / "hub_mkdocs.py")],
        "extra_css": ["assets/stylesheets/hub.css"],
        "plugins": [],  # as mkdocs.yml: the hub's own search, not Material's (MkDocs adds it by default)
        "markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables",
                                {"toc": {"permalink": True}}],
        "nav": [{"Latest": "index.md"}, {"Topics": "tags/index.md"},
                {"Companies": "companies/index.md"}, {"Sources": "sources/index.md"},
                {"Archive": "archive/index.md"}, {"About": "about.md"}],
        # Unminified, so tests can read attributes as templates write them (test_minify.py: minified)
        "extra": {"hub": {"per_page": 20, "minify_html": False, **(extra_hub or {})}},
        **(config or {}),
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False))
    return root / "mkdocs.yml"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelname, record.getMessage()))


def build_hub(config_file: Path, *, strict: bool = True, serve: bool = False,
              source_date_epoch: int | None = 1_735_689_600) -> BuildResult:
    """Build in-process. `serve=True` builds as `mkdocs serve` would (drafts shown).

    SOURCE_DATE_EPOCH defaults to 2025-01-01T00:00:00Z so "the future" is fixed in tests.
    """
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if source_date_epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    aborted = None
    try:
        config = load_config(str(config_file), strict=strict)
        config.plugins.on_startup(command="serve" if serve else "build", dirty=False)
        build(config, serve_url="http://127.0.0.1:8000/" if serve else None)
    except Abort as exc:
        aborted = str(exc)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return BuildResult(config_file.parent / "site", handler.records, aborted, config_file.parent / "content")


def load_bench():
    """bench/run.py as a module (its story generator makes realistic test input too)."""
    import importlib.util
    import sys
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def build_starter_hub(root: Path) -> BuildResult:
    """Copy the real content/ and mkdocs.yml under `root` (paths made absolute) and build it."""
    import shutil
    shutil.copytree(ROOT / "content", root / "content")
    config = (ROOT / "mkdocs.yml").read_text().replace("docs_dir: content", f"docs_dir: {root / 'content'}")
    config = config.replace("hooks/hub_mkdocs.py", str(ROOT / "hooks/hub_mkdocs.py"))
    config = config.replace("custom_dir: theme_overrides", f"custom_dir: {ROOT / 'theme_overrides'}")
    config = config.replace("  - hooks\n  - theme_overrides\n", f"  - {ROOT / 'hooks'}\n")
    (root / "mkdocs.yml").write_text(config + f"site_dir: {root / 'site'}\n")
    return build_hub(root / "mkdocs.yml", source_date_epoch=1_800_000_000)


def search_index(site: Path) -> tuple[dict, dict[str, dict[int, int]], list[list]]:
    """The site's search index (hooks/hub/searchindex.py) read back: its manifest, every term's
    postings (doc id -> weight) and every document record, checking the format on the way."""
    import gzip
    import json
    folder = site / "search"
    manifest = json.loads(gzip.decompress((folder / "manifest.bin").read_bytes()))
    postings: dict[str, dict[int, int]] = {}
    for number, first in enumerate(manifest["shards"]):
        data, at = gzip.decompress((folder / "terms" / f"{number}.bin").read_bytes()), 0

        def varint() -> int:
            nonlocal at
            value, shift = 0, 0
            while True:
                byte = data[at]
                at += 1
                value |= (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    return value
        terms = []
        while at < len(data):
            length = varint()
            term = data[at:at + length].decode()
            at += length
            ids, doc, count, size = [], 0, varint(), varint()
            end = at + size
            for _ in range(count):
                doc += varint()
                ids.append(doc)
            assert at == end, term
            postings[term] = dict(zip(ids, data[at:at + len(ids)]))
            at += len(ids)
            terms.append(term)
        assert terms[0] == first and terms == sorted(terms, key=lambda t: t.encode("utf-16-be")), number
    documents = [json.loads(gzip.decompress((folder / "doc" / f"{i}.bin").read_bytes()))
                 for i in range(manifest["documents"])]
    return manifest, postings, documents


def search_pages(site: Path) -> dict[str, dict]:
    """The documents in the site's search index by URL ("/stories/2024/x/"): kind, title,
    date, publishers, text, and the filter values (facet -> names) it is found under."""
    manifest, postings, documents = search_index(site)
    pages = {}
    for number, (url, kind, title, date, publishers, text) in enumerate(documents):
        filters: dict[str, list[str]] = {}
        for facet, values in manifest["facets"].items():
            found = [values[i][0] for i in range(len(values)) if number in postings.get(f"#{facet}:{i}", {})]
            if found:
                filters[facet] = found
        pages["/" + url] = {"kind": kind, "title": title, "date": date, "publishers": publishers,
                            "content": text, "filters": filters}
    return pages
