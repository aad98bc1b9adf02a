"""The site's search index: Pagefind over the built pages, made reproducible.

Pagefind (`pagefind[bin]`, a pinned binary) reads the HTML the build wrote and splits the index
into fragments that the browser fetches per query, so a reader's download does not grow with
the hub. It indexes only elements marked `data-pagefind-body` by the templates: story pages
(drafts and scheduled stories are never marked), page 1 of each topic, company and publisher
listing, and hand-written pages. Citation markers are left out.

Pagefind writes its filter files in the order of a Rust hash map, which is seeded at random:
two runs over the same pages gave different bytes (and so different file names). `canonicalise`
sorts them and renames them by their content, so two builds of one commit are byte-identical.

Pagefind cannot update an index in part, so a build whose indexed pages are byte-identical to the
last one's reuses that index from `.cache/hub/search/` (keyed by Pagefind's binary, its
arguments and every page it reads); any other build indexes every page again.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BUNDLE = "pagefind"  # the folder under the site, also what the search box script loads
# Only these folders hold marked pages (plus hand-written pages at the top two levels);
# reading the thousands of listing pages under page/ and archive/ would be wasted time. Pagefind
# and pathlib read these patterns alike (`*` stops at "/"): the cache key reads the same files.
PATTERNS = ("*.html", "*/index.html", "stories/**/*.html", "tags/*/index.html", "companies/*/index.html",
            "sources/*/index.html")
GLOB = "{" + ",".join(PATTERNS) + "}"
# Citation markers ([1] [2]: never in a snippet), back-links (↩) and heading anchors (¶).
EXCLUDE = "sup.hub-cite, a.hub-backref, a.headerlink"
SIGNATURE = b"pagefind_dcd"
NOTHING_TO_INDEX = "Pagefind was not able to build an index"


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says what to do."""


@dataclass(frozen=True)
class IndexReport:
    pages: int
    seconds: float


def pagefind_executable() -> Path:
    """The binary the pinned `pagefind[bin]` package ships (no download at build time)."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-not-found]
        return Path(get_executable())
    except (ImportError, FileNotFoundError) as error:
        raise SearchIndexError("the search index needs Pagefind: install the pinned requirements "
                               "(`./dev test` or `pip install -r requirements.txt`)") from error


def index_site(site_dir: Path, project_dir: Path | None, info: Callable[[str], None],
               error: Callable[[str], None], keep: bool = False) -> None:
    """What the build runs once every page is written: index, then say how it went. With a
    `project_dir`, an index made from byte-identical pages is reused from `.cache/hub/search/`.
    With `keep` (a `serve` rebuild after an edit), an index already in the site stays as it is:
    indexing again would take longer than the rest of such a rebuild."""
    start = time.perf_counter()
    if keep and (site_dir / BUNDLE / "pagefind-entry.json").is_file():
        info("search index: kept from when serve started (restart serve to search edited stories)")
        return
    try:
        executable = pagefind_executable()
        cache = IndexCache(project_dir / ".cache" / "hub" / "search", _inputs_key(site_dir, executable)) \
            if project_dir is not None else None
        if cache is not None and cache.restore(site_dir / BUNDLE):
            info(f"search index: reused, its pages unchanged ({time.perf_counter() - start:.2f} s)")
            return
        report = build_index(site_dir, executable)
        if cache is not None:
            cache.store(site_dir / BUNDLE)
    except (SearchIndexError, OSError) as problem:
        error(f"search index: {problem}")
        return
    info(f"search index: {report.pages} pages indexed by Pagefind in {report.seconds:.2f} s")


def build_index(site_dir: Path, executable: Path | None = None) -> IndexReport:
    """Index `site_dir` into `site_dir/pagefind/`, replacing any earlier index."""
    start = time.perf_counter()
    shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)  # no fragment of an earlier index stays
    command = [str(executable or pagefind_executable()), *_arguments(site_dir)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(f"could not run Pagefind ({error}): reinstall the pinned requirements") from error
    if result.returncode != 0 and NOTHING_TO_INDEX in result.stdout + result.stderr:
        return IndexReport(0, time.perf_counter() - start)  # a hub with no story and no page yet
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({result.returncode}): "
                               f"{(result.stderr or result.stdout).strip()[-2000:]}")
    try:
        pages = canonicalise(site_dir / BUNDLE)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        raise SearchIndexError(f"Pagefind wrote an index this hub does not understand ({error!r}): "
                               "install the pinned pagefind[bin] version") from error
    return IndexReport(pages, time.perf_counter() - start)


def _arguments(site_dir: Path) -> list[str]:
    return ["--site", str(site_dir), "--output-subdir", BUNDLE, "--glob", GLOB, "--exclude-selectors", EXCLUDE,
            "--force-language", "en", "--silent"]


def _inputs_key(site_dir: Path, executable: Path) -> str:
    """Everything an index is made from: Pagefind itself, its arguments, every page it reads."""
    digest = hashlib.sha256()
    digest.update(executable.read_bytes())
    digest.update(repr(_arguments(Path("."))).encode())
    for path in sorted({path for pattern in PATTERNS for path in site_dir.glob(pattern) if path.is_file()}):
        data = path.read_bytes()
        digest.update(f"\0{path.relative_to(site_dir).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class IndexCache:
    """The last index made, in `folder/<key>/`. Files are hard-linked where the file system
    allows (a build deletes the site's files, never rewrites one in place), else copied."""

    folder: Path
    key: str

    def restore(self, bundle: Path) -> bool:
        stored = self.folder / self.key
        if not stored.is_dir():
            return False
        shutil.rmtree(bundle, ignore_errors=True)
        try:
            shutil.copytree(stored, bundle, copy_function=_link_or_copy)
        except OSError:
            shutil.rmtree(bundle, ignore_errors=True)
            return False
        return True

    def store(self, bundle: Path) -> None:
        if not bundle.is_dir():
            return
        partial = self.folder / f"{self.key}.{os.getpid()}.partial"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(partial, ignore_errors=True)
            shutil.copytree(bundle, partial, copy_function=_link_or_copy)
            shutil.rmtree(self.folder / self.key, ignore_errors=True)
            os.replace(partial, self.folder / self.key)
            for other in self.folder.iterdir():  # only the newest index is kept
                if other.name != self.key and not other.name.endswith(".partial"):
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)  # a cache that cannot be written is skipped


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def canonicalise(bundle: Path) -> int:
    """Sort every filter file's values, name filter and meta files by their content, and point
    the entry file at the new meta file. Returns the number of pages indexed."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    pages = 0
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, old_hash in meta[3]:
            old = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = _read(old)
            data = _encode([filter_name, sorted(values, key=lambda value: value[0])])
            new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
            old.unlink()
            _write(bundle / "filter" / f"{new_hash}.pf_filter", data)
            filters.append([name, new_hash])
        meta[3] = sorted(filters)
        data = _encode(meta)
        info["hash"] = f"{language}_{hashlib.sha256(data).hexdigest()[:10]}"
        meta_path.unlink()
        _write(bundle / f"pagefind.{info['hash']}.pf_meta", data)
        pages += info["page_count"]
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return pages


def _read(path: Path) -> list:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind file this version understands")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise SearchIndexError(f"{path}: unexpected data after the index")
    return value


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data, mtime=0))


# A CBOR subset (RFC 8949): what Pagefind writes (unsigned and negative integers, byte and text
# strings, arrays, maps; anything else kept as its raw bytes), encoded back in shortest form.

@dataclass(frozen=True)
class _Raw:
    data: bytes


def _decode(data: bytes, pos: int) -> tuple[object, int]:
    start = pos
    major, info = data[pos] >> 5, data[pos] & 31
    pos += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise SearchIndexError(f"unsupported CBOR item at byte {start}")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        raw = data[pos:pos + arg]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), pos + arg
    if major in (4, 5):
        items = []
        for _ in range(arg if major == 4 else 2 * arg):
            item, pos = _decode(data, pos)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2]))), pos
    return _Raw(data[start:pos]), pos  # simple values and floats


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise SearchIndexError("integer too large for CBOR")


def _encode_item(value: object) -> bytes:
    if isinstance(value, _Raw):
        return value.data
    if isinstance(value, bool) or value is None:
        raise SearchIndexError("unexpected value in a Pagefind file")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode_item(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode_item(k) + _encode_item(v) for k, v in value.items())
    raise SearchIndexError(f"unexpected value in a Pagefind file: {type(value).__name__}")


def _encode(value: object) -> bytes:
    return SIGNATURE + _encode_item(value)
