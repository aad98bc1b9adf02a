"""A render cache for the hub's own pages (stories and listings), outside site/: `.cache/hub/`.

An entry is one finished page (its body HTML and table of contents, for the search index, and
its complete output HTML), stored under a key that is the SHA-256 of everything the page is
made from:
- the page's fingerprint from `hub_incremental` (the story with its status and its related
  stories, or the listing's spec with every story it lists) and that module's site-wide key
  (mkdocs.yml, every file of the theme's custom_dir, hand-written pages and registries, the
  build time, preview or not, the hub settings, the feed channels);
- the resolved settings that shape every page (site_url, which `serve` rewrites,
  use_directory_urls, theme, Markdown extensions and their options);
- the source of the hooks (hooks/*.py and hooks/hub/*.py) and the name and version of every
  installed Python distribution (MkDocs, Material, Markdown, pymdownx, Pygments, Jinja2, nh3 ...).
A changed input is a new key, so an entry is never stale; entries whose key is not one of the
last complete build's pages are deleted at its end. Deleting the folder is always safe: the next
build renders everything again. Set `HUB_RENDER_CACHE=0` to build without it.

On a hit the page skips Markdown and its template: `hub/cached.html` prints the stored output.
MkDocs' search plugin still indexes the stored body. A plugin whose `on_post_page` is not
idempotent would see its own output again; none is configured.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 1
HOOKS_DIR = Path(__file__).resolve().parent


def environment_key() -> str:
    """Hooks' source and installed distributions: code that shapes every page."""
    hasher = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(HOOKS_DIR.glob("*.py")) + sorted(HOOKS_DIR.glob("hub/*.py")):
        hasher.update(path.name.encode() + b"\x00" + path.read_bytes() + b"\x00")
    versions = sorted({(dist.metadata["Name"] or "", dist.version) for dist in importlib.metadata.distributions()})
    hasher.update(repr(versions).encode())
    return hasher.hexdigest()


@dataclass
class Entry:
    content: str  # body HTML as Markdown rendered it (citation links expanded), before on_page_content
    toc: list[dict[str, Any]]  # Markdown toc tokens
    title: str | None
    anchors: set[str]
    output: str  # the finished page


def toc_tokens(toc: Any) -> list[dict[str, Any]]:
    """MkDocs' TableOfContents back to the Markdown tokens `get_toc` reads."""
    return [{"level": item.level, "id": item.id, "name": item.title, "children": toc_tokens(item.children)}
            for item in toc]


class RenderCache:
    def __init__(self) -> None:
        self.folder: Path | None = None
        self.base = ""
        self.used: set[str] = set()
        self.hits = 0
        self._environment: str | None = None
        self.keys: dict[str, str] = {}  # src_uri -> key, this build
        self.cached: dict[str, Entry] = {}  # src_uri -> entry found
        self.pending: dict[str, tuple[str, list[dict[str, Any]], str | None, set[str]]] = {}

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def begin(self, project_dir: Path | None, settings: list[Any]) -> None:
        """Start a build; `settings` are resolved values that shape every page."""
        self.used, self.hits = set(), 0
        self.keys, self.cached, self.pending = {}, {}, {}
        if project_dir is None or os.environ.get("HUB_RENDER_CACHE", "1") == "0":
            self.folder = None
            return
        if self._environment is None:
            self._environment = environment_key()
        self.folder = project_dir / ".cache" / "hub" / "pages"
        self.base = hashlib.sha256(repr((self._environment, settings)).encode("utf-8", "surrogatepass")).hexdigest()

    def key(self, fingerprint: str) -> str:
        return hashlib.sha256(f"{self.base}\x00{fingerprint}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.pickle"

    def load(self, key: str) -> Entry | None:
        if self.folder is None:
            return None
        try:
            with open(self._path(key), "rb") as handle:
                entry = pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
            return None
        if not isinstance(entry, Entry):
            return None
        self.used.add(key)
        self.hits += 1
        return entry

    def store(self, key: str, entry: Entry) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            scratch = path.with_suffix(f".{os.getpid()}.tmp")
            with open(scratch, "wb") as handle:
                pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(scratch, path)
            self.used.add(key)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def finish(self) -> None:
        """After a complete build: drop the entries of pages that are no longer what they were."""
        if self.folder is None or not self.folder.is_dir():
            return
        keep = self.used | set(self.keys.values())  # a dirty build skips pages but they still count
        for shard in self.folder.iterdir():
            if not shard.is_dir():
                continue
            for path in shard.iterdir():
                if path.stem not in keep:
                    try:
                        path.unlink()
                    except OSError:
                        pass
