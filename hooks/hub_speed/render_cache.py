"""A render cache for the hub's own pages (stories and listings), outside site/: `.cache/hub/`.

An entry is one finished page (its body HTML, table of contents and anchors, and
its complete output HTML), stored under a key that is the SHA-256 of everything the page is
made from:
- the page's fingerprint from `incremental` (the story with its status and its related
  stories, or the listing's spec with every story it lists) and that module's site-wide key
  (mkdocs.yml, every file of the theme's custom_dir, hand-written pages and registries,
  preview or not, the hub settings, the feed channels; the build time only through what it
  decides: each story's status and each channel's date);
- the resolved settings that shape every page (site_url, which `serve` rewrites,
  use_directory_urls, theme, Markdown extensions and their options);
- the source of the hooks (hooks/*.py and hooks/hub/*.py) and the name and version of every
  installed Python distribution (MkDocs, Material, Markdown, pymdownx, Pygments, Jinja2, nh3 ...).
A changed input is a new key, so an entry is never stale; entries whose key is not one of the
last complete build's pages are deleted at its end. Deleting the folder is always safe: the next
build renders everything again. Set `HUB_RENDER_CACHE=0` to build without it.

Entries live in one SQLite file (`.cache/hub/pages.sqlite`, standard library): on this kind of
machine creating a file costs ~0.3 ms, and one file per page made the cache cost more than it
saved. A build that cannot open or write it (locked by another build, damaged) goes on without
the cache: it only costs time.

On a hit the page skips Markdown, sanitising and its template. A plugin whose `on_post_page` is not idempotent
would see its own output again; none is configured.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import os
import pickle
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.plugins import get_plugin_logger

from hub_speed import part_enabled

FORMAT = 5  # 4: every value stored behind the SHA-256 of its bytes; 5: no search entries
_DIGEST = 32
log = get_plugin_logger("hub")
_OUTPUT = "/output"  # the row holding a page entry's finished HTML
HOOKS_DIR = Path(__file__).resolve().parent.parent


def environment_key() -> str:
    """Hooks' source and installed distributions: code that shapes every page."""
    hasher = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(HOOKS_DIR.rglob("*.py")):
        hasher.update(str(path.relative_to(HOOKS_DIR)).encode() + b"\x00" + path.read_bytes() + b"\x00")
    versions = sorted({(dist.metadata["Name"] or "", dist.version) for dist in importlib.metadata.distributions()})
    hasher.update(repr(versions).encode())
    return hasher.hexdigest()


@dataclass
class Entry:
    content: str  # body HTML as on_page_content leaves it (citation links expanded, sanitised)
    toc: list[dict[str, Any]]  # Markdown toc tokens
    title: str | None
    anchors: set[str]
    output: str = ""  # the finished page
    anchor_links: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)  # to check: src_uri -> links


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def toc_tokens(toc: Any) -> list[dict[str, Any]]:
    """MkDocs' TableOfContents back to the Markdown tokens `get_toc` reads."""
    return [{"level": item.level, "id": item.id, "name": item.title, "children": toc_tokens(item.children)}
            for item in toc]


class RenderCache:
    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None
        self._had_entries = False
        self.hits = 0
        self.damaged = 0  # entries whose bytes did not match their hash, this build
        self.used: set[str] = set()
        self._environment: str | None = None
        self.base = ""
        self.keys: dict[str, str] = {}  # src_uri -> key, this build
        self.pending: dict[str, Entry] = {}  # src_uri -> entry of a page being rendered
        self._folder: Path | None = None
        self._sink: Callable[[str, Entry], None] | None = None  # set in a helper process
        self._inherited: sqlite3.Connection | None = None
        self._side: sqlite3.Connection | None = None

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def begin(self, project_dir: Path | None, settings: list[Any]) -> None:
        """Start a build; `settings` are resolved values that shape every page."""
        self.close()
        self.used, self.hits, self.damaged = set(), 0, 0
        self.keys, self.pending = {}, {}
        if project_dir is None or not part_enabled("HUB_RENDER_CACHE"):
            return
        if self._environment is None:
            self._environment = environment_key()
        self.base = hashlib.sha256(repr((self._environment, settings)).encode("utf-8", "surrogatepass")).hexdigest()
        folder = self._folder = project_dir / ".cache" / "hub"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(folder / "pages", ignore_errors=True)  # format 1: a file per page
            for side in folder.glob("helper-*.sqlite"):  # left by a helper that was killed
                if not _alive(side.stem.removeprefix("helper-")):
                    side.unlink(missing_ok=True)
            self._db = sqlite3.connect(folder / "pages.sqlite", timeout=0.5, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # No fsync: committing a cold build's ~90 MB took 1.1 s with it, 0.3 s without. A
            # power cut can damage the file; a damaged file is deleted and the cache rebuilt.
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, entry BLOB NOT NULL)")
            self._db.execute("BEGIN")
            self._had_entries = self._db.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is not None
        except sqlite3.Error as error:
            self._failed(error)  # locked by another build: without it; damaged: deleted
        except OSError:
            self.close()

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()  # an open transaction is rolled back: nothing half-written
            except sqlite3.Error:
                pass
            self._db = None

    def key(self, fingerprint: str) -> str:
        return hashlib.sha256(f"{self.base}\x00{fingerprint}".encode()).hexdigest()

    def _get(self, key: str) -> Any:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT entry FROM pages WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as error:
            self._failed(error)
            return None
        if row is None:
            return None
        blob = bytes(row[0])
        payload = blob[_DIGEST:]
        if len(blob) < _DIGEST or hashlib.sha256(payload).digest() != blob[:_DIGEST]:
            self.damaged += 1
            if self.damaged == 1:
                log.info("render cache: a damaged entry was dropped and its page is made again")
            self._forget(key)
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # a format this code does not read: as good as absent
            self._forget(key)
            return None

    def _forget(self, key: str) -> None:
        if self._db is None or self._sink is not None:
            return
        try:
            self._db.execute("DELETE FROM pages WHERE key = ?", (key,))
        except sqlite3.Error as error:
            self._failed(error)

    def _failed(self, error: sqlite3.Error) -> None:
        """Any cache I/O error: this build goes on without the cache. A damaged file (not a
        lock held by another build) is deleted, so the next build starts a new one."""
        self.close()
        if isinstance(error, sqlite3.OperationalError) and "malformed" not in str(error):
            return
        if self._folder is not None and self._sink is None:
            log.info(f"render cache: {self._folder / 'pages.sqlite'} is damaged ({error}); deleted, "
                     "this build goes on without it and the next starts a new one")
            for suffix in ("", "-wal", "-shm"):
                (self._folder / f"pages.sqlite{suffix}").unlink(missing_ok=True)

    def stored_keys(self) -> set[str]:
        """Every key in the cache: one scan, where a query per page took ~20 µs each."""
        if self._db is None:
            return set()
        try:
            return {key for (key,) in self._db.execute("SELECT key FROM pages")}
        except sqlite3.Error as error:
            self._failed(error)
            return set()

    def load(self, key: str) -> Entry | None:
        """A page's entry without its output (`load_output`): MkDocs reads every page before it
        writes any, and holding every finished page meanwhile cost ~40 KB a page."""
        entry = self._get(key)
        if not isinstance(entry, Entry):
            return None
        self.used.update((key, key + _OUTPUT))
        self.hits += 1
        return entry

    def load_output(self, key: str) -> str | None:
        output = self._get(key + _OUTPUT)
        return output if isinstance(output, str) else None

    def detach(self, sink: Callable[[str, Entry], None]) -> None:
        """In a forked helper (hub_worker). An SQLite connection must not cross a fork, so
        the helper leaves the main process's one alone (unclosed: it exits without cleaning
        up), reads earlier builds' entries through a read-only connection of its own, hands
        finished pages to `sink`, and writes what it stores to a side file that the main
        process copies in (`adopt`): SQLite allows one writer."""
        self._inherited, self._db, self._sink = self._db, None, sink
        self.used = set()
        if self._inherited is None or self._folder is None:
            return
        try:
            self._db = sqlite3.connect(f"file:{self._folder / 'pages.sqlite'}?mode=ro", uri=True,
                                       timeout=0.5, isolation_level=None)
            self._side = sqlite3.connect(self._folder / f"helper-{os.getpid()}.sqlite", isolation_level=None)
            self._side.execute("PRAGMA journal_mode=OFF")  # a scratch file: a crash only loses it
            self._side.execute("PRAGMA synchronous=OFF")
            self._side.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, entry BLOB NOT NULL)")
            self._side.execute("BEGIN")
        except sqlite3.Error:
            self._db = self._side = None

    def handover(self) -> tuple[set[str], str | None]:
        """In a helper, at its end: the keys it used and the side file with what it stored."""
        if self._side is None:
            return self.used, None
        try:
            self._side.execute("COMMIT")
            self._side.close()
        except sqlite3.Error:
            return set(), None
        assert self._folder is not None
        return self.used, str(self._folder / f"helper-{os.getpid()}.sqlite")

    def adopt(self, used: set[str], side_file: str | None) -> None:
        """Take in a helper's `handover`: its entries copied as stored, its keys kept."""
        self.used.update(used)
        if side_file is None:
            return
        try:
            if self._db is not None:
                side = sqlite3.connect(side_file)
                try:
                    self._db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?)",
                                         side.execute("SELECT key, entry FROM pages"))
                finally:
                    side.close()
        except sqlite3.Error:
            pass  # entries it made are only missing from the cache: rendered again next time
        finally:
            Path(side_file).unlink(missing_ok=True)

    def store(self, key: str, entry: Entry) -> None:
        """A finished page; in a helper, into its side file and to `sink` as well."""
        self._put(key + _OUTPUT, entry.output)
        self._put(key, dataclasses.replace(entry, output=""))
        if self._sink is not None:
            self._sink(key, entry)

    def _put(self, key: str, value: Any) -> None:
        db = self._side if self._sink is not None else self._db
        if db is None:
            return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?)",
                       (key, hashlib.sha256(payload).digest() + payload))
            self.used.add(key)
        except sqlite3.Error as error:
            if db is self._side:
                self._side = None
            else:
                self._failed(error)  # locked by another build, full disk or damaged

    def get(self, fingerprint: str) -> Any:
        """Any value stored with `put` under `fingerprint` (keyed like pages, so it is dropped
        when the hooks, packages or site settings change)."""
        key = self.key(fingerprint)
        value = self._get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, fingerprint: str, value: Any) -> None:
        self._put(self.key(fingerprint), value)

    def finish(self, prune: bool, succeeded: bool) -> None:
        """At the end of a build: only a build that succeeded commits (what a failed build
        rendered, say a page whose link did not resolve, is rolled back). With `prune`, drop every
        entry this build did not read or write. A dirty (`serve`) build does not prune: it skips
        unchanged pages and feeds and reuses reader results from memory, so it does not see
        everything it uses."""
        if self._db is None:
            return
        if not succeeded:
            self.close()
            return
        try:
            if prune and self._had_entries:  # else everything in it was written by this build
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
                self._db.execute("DELETE FROM keep")
                self._db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in self.used))
                self._db.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM keep)")
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            self._failed(error)
        self.close()


class CheckedBytecodeCache(BytecodeCache):
    """Jinja's compiled templates in files, each behind the SHA-256 of its bytes.

    Jinja's own FileSystemBytecodeCache trusts what it reads (a flipped byte ended in a
    traceback, or would be published) and lets a write error (full disk, read-only folder) fail
    the build. Here a file that does not match its hash is ignored and compiled again, and the
    first write error turns the cache off for the rest of the build.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.writable = True
        self.damaged = 0

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            blob = self._path(bucket).read_bytes()
        except OSError:
            return
        payload = blob[_DIGEST:]
        if len(blob) < _DIGEST or hashlib.sha256(payload).digest() != blob[:_DIGEST]:
            self.damaged += 1
            if self.damaged == 1:
                log.info("render cache: a damaged compiled template was dropped and is compiled again")
            return
        try:
            bucket.bytecode_from_string(payload)
        except Exception:  # another Python's marshal format: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not self.writable:
            return
        payload = bucket.bytecode_to_string()
        target = self._path(bucket)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, target)
        except OSError as error:
            self.writable = False
            log.info(f"render cache: compiled templates are not kept this build ({error})")
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass


def template_bytecode_cache(project_dir: Path | None) -> Any:
    """Jinja's compiled templates in `.cache/hub/jinja/`: MkDocs makes a new environment every
    build, so every build (and every `serve` rebuild) compiled ~40 templates again (~0.5 s).
    Jinja keys each entry by template name and a checksum of its source; the bytes are checked
    against their hash (CheckedBytecodeCache). None with the cache turned off."""
    if project_dir is None or not part_enabled("HUB_RENDER_CACHE"):
        return None
    folder = project_dir / ".cache" / "hub" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return CheckedBytecodeCache(folder)
