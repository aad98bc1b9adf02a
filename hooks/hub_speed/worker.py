"""A forked helper process renders and writes part of the hub's pages while MkDocs does the rest.

MkDocs renders one page at a time, so a build of a large hub used one core of two. At `on_nav`
(every story read, the nav known, no page rendered yet) the hub forks one helper. It takes a
share of the hub pages, spread evenly over MkDocs' page order: those the render cache lacks it
renders as this process would (MkDocs' own `_populate_page`, with Markdown and every plugin's
and the hub's page events, then context, template and `on_post_page`); those the cache has it
copies out of it; it writes the files of both. Through an unlinked temporary file it sends, in
the order MkDocs will reach the pages, what reading a rendered page produced (body HTML, table
of contents, title, anchors) and then, for every page of its share, whether it wrote the
file. This process takes each message when MkDocs reaches the page,
uses it like a render-cache entry (render_cache) and leaves the page's output empty. Then
the helper runs a closing job that needs no page (the hub writes the feeds that carry no story
HTML, the OPML and the JSON API there) while MkDocs finishes.

The helper only saves time. It is not started for `serve` or `--dirty` builds, on one core,
with `HUB_WORKERS=0`, while other threads run, or for fewer than MIN_PAGES pages and no job of
MIN_JOB. If it fails, exits or sends anything unexpected, this process renders and writes the
remaining pages (and runs the job) itself, and the output is the same byte for byte. Log
records the helper makes for its pages are replayed here when the page is reached, so the
console shows them and `--strict` counts them.
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from typing import IO, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file

from hub.parallel import worker_count
from hub_speed import enabled
from hub_speed.engine import SkippedPages, populate_page, render_page
from hub_speed.forking import die_with_parent
from hub_speed.render_cache import Entry, RenderCache

log = logging.getLogger("mkdocs.plugins.hub")

MIN_PAGES = 200  # below this, forking and handing pages over cost about what the helper saves
MIN_JOB = 100  # the same for the helper's closing job, in the caller's units (feed channels)
# The helper's share of the pages to render and of those to copy out of the render cache (it
# writes the files of both), set so that neither process waits long for the other at 1,000 to
# 10,000 stories (`./dev bench` logs how long this process waited). The helper then writes most feeds; this process the hub feed, the search
# index, the sitemap and the render cache.
SHARE = 0.45
COPY_SHARE = 0.4


def split_share(uris: Iterable[str], share: float) -> list[str]:
    """Every page whose running count crosses a multiple of 1/share: spread evenly, so both
    processes reach their pages at about the same pace and the spool stays short."""
    chosen = []
    for index, uri in enumerate(uris):
        if int((index + 1) * share) > int(index * share):
            chosen.append(uri)
    return chosen


def available() -> bool:
    return hasattr(os, "fork") and worker_count() >= 2 and enabled()


class _Collector(logging.Handler):
    """The helper's log records, kept to be replayed in the main process."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_info = None
        self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        records, self.records = self.records, []
        return records


class _Spool:
    """The helper's messages, appended to an unlinked temporary file and read here in order.

    A pipe holds ~1 MB, so the helper would wait for this process whenever it got ahead and
    could start its job only as this process finished its pages; a file lets it go at its own
    pace. The file lives in the page cache and is gone once both ends are closed."""

    def __init__(self) -> None:
        self.write_fd, path = tempfile.mkstemp(prefix="hub-helper-")
        try:
            self.read_fd = os.open(path, os.O_RDONLY)
        except OSError:
            os.close(self.write_fd)
            raise
        finally:
            os.unlink(path)
        self._offset = 0

    def receive(self, alive: Callable[[], bool]) -> bytes | None:
        """The next message, waiting for the helper to write it; None if it exited first."""
        header = self._exactly(8, alive)
        return None if header is None else self._exactly(int.from_bytes(header, "little"), alive)

    def _exactly(self, size: int, alive: Callable[[], bool]) -> bytes | None:
        data, pause, running = b"", 0.0005, True
        while len(data) < size:
            chunk = os.pread(self.read_fd, size - len(data), self._offset)
            if chunk:
                data += chunk
                self._offset += len(chunk)
                pause = 0.0005
                continue
            if not running:  # read once more after it exited: what it wrote last is there
                return None
            running = alive()
            if running:
                time.sleep(pause)
                pause = min(2 * pause, 0.01)
        return data

    def close_writer(self) -> None:
        """This process only reads (the helper has its own copy of the descriptor)."""
        if self.write_fd >= 0:
            os.close(self.write_fd)
            self.write_fd = -1

    def close(self) -> None:
        self.close_writer()
        if self.read_fd >= 0:
            os.close(self.read_fd)
            self.read_fd = -1


class PageWorker:
    """The helper, seen from the main process: which pages it renders and their results."""

    def __init__(self) -> None:
        self.reading: set[str] = set()  # pages the helper renders, not yet read from it
        self.read_pages: set[str] = set()  # read from the helper, not yet finished
        self.finishing: set[str] = set()  # pages the helper finishes (renders or copies from the cache)
        self.written: set[str] = set()  # pages whose file the helper wrote
        self._skipped = SkippedPages(self.written)
        self.used = 0  # pages the helper finished
        self.rendered = 0  # of those, pages it rendered (the others it copied from the cache)
        self.waited = 0.0  # seconds this process waited for the helper
        self.has_job = False  # the helper runs the closing job (see `finish`)
        self.started = False  # a helper was forked for this build
        self._pid: int | None = None
        self._spool: _Spool | None = None

    def reset(self) -> None:
        """A new build: no helper, nothing it wrote, no figures of the last one."""
        self.stop()
        self._skipped.reset()
        self.used, self.rendered, self.read_pages, self.waited, self.started = 0, 0, set(), 0.0, False

    def start(self, uris: list[str], cached: set[str], config: MkDocsConfig, files: Files, nav: Any,
              cache: RenderCache,
              job: Callable[[], None] | None = None, job_size: int = 0) -> bool:
        """Fork the helper for a share of `uris` (the hub pages, in MkDocs' order; `cached`:
        those the render cache has, which it only copies out) and, once it has finished them,
        `job` (work that needs no page: see `finish`)."""
        self.reset()
        self.finishing = set()
        share = []
        if len(uris) >= MIN_PAGES:
            chosen = set(split_share([u for u in uris if u not in cached], SHARE))
            chosen.update(split_share([u for u in uris if u in cached], COPY_SHARE))
            share = [uri for uri in uris if uri in chosen]
        if job_size < MIN_JOB:
            job = None
        if not (share or job) or not available():
            return False
        try:
            spool = _Spool()
        except OSError:
            return False
        gc.freeze()  # the helper's collector then leaves the shared objects' pages alone
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            gc.unfreeze()
            spool.close()
            return False
        if pid == 0:  # the helper: never returns into MkDocs
            code = 1
            try:
                die_with_parent(parent)
                os.close(spool.read_fd)
                with os.fdopen(spool.write_fd, "wb", buffering=1 << 16) as writer:
                    code = _Helper(writer, config, files, nav, cache).run(share, cached, job)
            finally:
                os._exit(code)
        gc.unfreeze()
        spool.close_writer()
        self._pid, self._spool = pid, spool
        self.reading, self.finishing = set(share) - cached, set(share)
        self.has_job, self.started = job is not None, True
        self._skipped.install()
        return True

    def read(self, uri: str) -> Entry | None:
        """What reading `uri` produced, or None: render it here (the helper stopped)."""
        self.reading.discard(uri)
        payload = self._next("read", uri)
        if payload is None:
            return None
        self.read_pages.add(uri)
        return Entry(**payload)

    def finished(self, uri: str) -> tuple[str | None] | None:
        """(the finished page, or None if the helper wrote its file,), or None: finish the page
        here."""
        rendered = uri in self.read_pages
        self.read_pages.discard(uri)
        self.finishing.discard(uri)
        payload = self._next("built", uri)
        if payload is None:
            return None
        self.used += 1
        self.rendered += rendered
        if payload[0] is None:
            self.written.add(uri)
        return payload

    def finish(self) -> tuple[set[str], str | None] | None:
        """Wait for the helper's end: its render-cache handover (RenderCache.adopt) once it has
        done its job (if it `has_job`), or None if it stopped before: do the job here."""
        payload = self._next("done", "")
        self.stop()
        return payload

    def _next(self, kind: str, uri: str) -> Any:
        if self._spool is None:
            return None
        start = time.perf_counter()
        try:
            data = self._spool.receive(self._alive)
            self.waited += time.perf_counter() - start
            got_kind, got_uri, payload, records = pickle.loads(data) if data is not None else ("", "", None, [])
        except (EOFError, OSError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
            self.stop()
            return None
        if data is None:  # the helper exited without a word (killed, out of memory)
            self.stop()
            return None
        if got_kind == "failed":
            log.debug(f"The helper process stopped; rendering its pages here: {payload}")
            self.stop()
            return None
        if (got_kind, got_uri) != (kind, uri):
            log.debug(f"The helper process sent {got_kind} {got_uri}, expected {kind} {uri}; "
                      "rendering its pages here")
            self.stop()
            return None
        for record in records:
            logging.getLogger(record.name).handle(record)
        return payload

    def _alive(self) -> bool:
        if self._pid is None:
            return False
        try:
            pid, _ = os.waitpid(self._pid, os.WNOHANG)
        except ChildProcessError:
            pid = self._pid
        if pid:
            self._pid = None  # exited and reaped
            return False
        return True

    def stop(self) -> None:
        """End the helper (normally it has already exited). Pages read from it stay in
        `read_pages`: the caller finishes them itself, and runs the job if the helper had one.
        Pages it wrote stay `written`."""
        self.reading, self.finishing, self.has_job = set(), set(self.read_pages), False
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(self._pid, 0)
            except ChildProcessError:
                pass
            self._pid = None


class _Helper:
    """The helper process's side."""

    def __init__(self, writer: IO[bytes], config: MkDocsConfig, files: Files, nav: Any,
                 cache: RenderCache) -> None:
        self.writer, self.config, self.files, self.nav = writer, config, files, nav
        self.cache = cache
        self.stored: Entry | None = None

    def send(self, kind: str, uri: str, payload: Any, records: list[logging.LogRecord]) -> None:
        data = pickle.dumps((kind, uri, payload, records), protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(len(data).to_bytes(8, "little"))
        self.writer.write(data)
        self.writer.flush()

    def run(self, share: list[str], cached: set[str], job: Callable[[], None] | None) -> int:
        logger = logging.getLogger("mkdocs")
        levels = [handler.level for handler in logger.handlers]
        collector = _Collector(min(levels) if levels else logging.NOTSET)
        logger.handlers = [collector]  # the main process prints what the helper's pages log
        try:
            self._render(share, cached, collector)
            collector.take()
            if job is not None:
                job()
            self.send("done", "", self.cache.handover(), collector.take())
        except BaseException:  # noqa: BLE001 - the main process renders the rest and reports
            try:
                self.send("failed", "", traceback.format_exc(limit=-3), [])
            except (OSError, ValueError):
                pass
            return 1
        return 0

    def _render(self, share: list[str], cached: set[str], collector: _Collector) -> None:
        config, files = self.config, self.files
        self.cache.detach(self._store)
        to_render = set(share) - cached
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        pages: dict[str, Page] = {}
        if to_render:  # nav pages are read too: their titles are in every page's navigation
            wanted = to_render | {page.file.src_uri for page in self.nav.pages}
            for file in doc_files:
                if file.src_uri not in wanted:
                    continue
                page = file.page if file.page is not None else Page(None, file, config)
                collector.take()
                populate_page(page, config, files)
                if file.src_uri in to_render:
                    entry = self.cache.pending[file.src_uri]
                    payload = {"content": entry.content, "toc": entry.toc, "title": entry.title,
                               "anchors": entry.anchors, "anchor_links": entry.anchor_links}
                    self.send("read", file.src_uri, payload, collector.take())
                    pages[file.src_uri] = page
            env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        for uri in share:
            collector.take()
            page = pages.get(uri)
            if page is None:  # cached: the finished page is copied out of the render cache
                output = self.cache.load_output(self.cache.keys[uri])
            else:
                self.stored = None
                render_page(page, config, doc_files, self.nav, env)
                if self.stored is None:
                    raise RuntimeError(f"{uri}: the hub did not finish the page")
                output = self.stored.output  # on_post_page let the body go
            if output is not None and output.strip():  # as MkDocs writes a page
                target = files.get_file_from_path(uri)
                assert target is not None
                write_file(output.encode("utf-8", errors="xmlcharrefreplace"), target.abs_dest_path)
                output = None
            self.send("built", uri, (output,), collector.take())

    def _store(self, key: str, entry: Entry) -> None:
        self.stored = entry
