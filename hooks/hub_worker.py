"""A forked helper process renders part of the hub's pages while MkDocs renders the rest.

MkDocs renders one page at a time, so a cold build of a large hub used one core of two. At
`on_nav` (every story read, the nav known, no page rendered yet) the hub forks one helper. It
takes a share of the hub pages that the render cache does not have, spread evenly over MkDocs'
page order, and renders each one as this process would: MkDocs' own `_populate_page` (Markdown
and every plugin's and the hub's page events), then context, template and `on_post_page`. It
sends two messages a page (through a temporary file), in the order MkDocs will reach the pages: what reading
the page produced (body HTML, table of contents, title, anchors) and, once its template is
rendered, the finished page with its search-index entries. This process takes each message when
it reaches the page and uses it like a render-cache entry (hub_render_cache), then stores it in
the cache. Then the helper runs a closing job that needs no page (the hub writes the feeds that
carry no story HTML, the OPML and the JSON API there) while MkDocs finishes its pages; a warm
build, with no page to render, still gets this.

The helper only saves time. It is not started for `serve` or `--dirty` builds, on one core,
with `HUB_WORKERS=0`, while other threads run, or for fewer than MIN_PAGES pages and no job of
MIN_JOB. If it fails, exits or sends anything unexpected, this process renders the remaining
pages (and runs the job) itself and the output is the same byte for byte. Log records the helper makes for its pages are replayed here
when the page is reached, so the console shows them and `--strict` counts them.
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from typing import IO, Any

from mkdocs.commands.build import _populate_page, get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

from hub_render_cache import Entry, RenderCache, SearchCapture

log = logging.getLogger("mkdocs.plugins.hub")

MIN_PAGES = 200  # below this, forking and handing pages over cost about what the helper saves
MIN_JOB = 100  # the same for the helper's closing job, in the caller's units (feed channels)
# Of the pages to render (measured at 1,000 stories: with 0.5 the helper finished early, with
# 0.62 this process waited for it). The helper then writes most feeds; this process the hub
# feed, the search index, the sitemap and the render cache.
SHARE = 0.55


def split_share(uris: Iterable[str], share: float = SHARE) -> list[str]:
    """Every page whose running count crosses a multiple of 1/share: spread evenly, so both
    processes reach their pages at about the same pace and the spool stays short."""
    chosen = []
    for index, uri in enumerate(uris):
        if int((index + 1) * share) > int(index * share):
            chosen.append(uri)
    return chosen


def available() -> bool:
    if os.environ.get("HUB_WORKERS", "1") == "0" or not hasattr(os, "fork"):
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    # Forking while other threads run can copy a lock some thread holds (serve's server threads).
    return cores >= 2 and threading.active_count() == 1


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
        self.share: set[str] = set()  # pages to take from the helper, not yet read
        self.read_pages: set[str] = set()  # read from the helper, not yet finished
        self.used = 0  # pages whose results this process took
        self.waited = 0.0  # seconds this process waited for the helper
        self.has_job = False  # the helper runs the closing job (see `finish`)
        self.started = False  # a helper was forked for this build
        self._pid: int | None = None
        self._spool: _Spool | None = None

    def start(self, uris: list[str], config: MkDocsConfig, files: Files, nav: Any,
              cache: RenderCache, search: SearchCapture,
              job: Callable[[], None] | None = None, job_size: int = 0) -> bool:
        """Fork the helper for a share of `uris` (the hub pages to render, in MkDocs' order)
        and, once it has rendered them, `job` (work that needs no page: see `finish`)."""
        self.stop()
        self.used, self.read_pages, self.waited, self.started = 0, set(), 0.0, False
        share = split_share(uris) if len(uris) >= MIN_PAGES else []
        if job_size < MIN_JOB:
            job = None
        if not (share or job) or not available():
            return False
        try:
            spool = _Spool()
        except OSError:
            return False
        gc.freeze()  # the helper's collector then leaves the shared objects' pages alone
        try:
            pid = os.fork()
        except OSError:
            gc.unfreeze()
            spool.close()
            return False
        if pid == 0:  # the helper: never returns into MkDocs
            code = 1
            try:
                os.close(spool.read_fd)
                with os.fdopen(spool.write_fd, "wb", buffering=1 << 16) as writer:
                    code = _Helper(writer, config, files, nav, cache, search).run(share, job)
            finally:
                os._exit(code)
        gc.unfreeze()
        spool.close_writer()
        self._pid, self._spool = pid, spool
        self.share, self.has_job, self.started = set(share), job is not None, True
        return True

    def read(self, uri: str) -> Entry | None:
        """What reading `uri` produced, or None: render it here (the helper stopped)."""
        self.share.discard(uri)
        payload = self._next("read", uri)
        if payload is None:
            return None
        self.read_pages.add(uri)
        return Entry(**payload)

    def finished(self, uri: str) -> tuple[str, list[dict[str, Any]] | None] | None:
        """The finished page and its search entries, or None: finish it here."""
        self.read_pages.discard(uri)
        payload = self._next("built", uri)
        if payload is None:
            return None
        self.used += 1
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
        `read_pages`: the caller finishes them itself, and runs the job if the helper had one."""
        self.share, self.has_job = set(), False
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
                 cache: RenderCache, search: SearchCapture) -> None:
        self.writer, self.config, self.files, self.nav = writer, config, files, nav
        self.cache, self.search = cache, search
        self.stored: Entry | None = None

    def send(self, kind: str, uri: str, payload: Any, records: list[logging.LogRecord]) -> None:
        data = pickle.dumps((kind, uri, payload, records), protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(len(data).to_bytes(8, "little"))
        self.writer.write(data)
        self.writer.flush()

    def run(self, share: list[str], job: Callable[[], None] | None) -> int:
        logger = logging.getLogger("mkdocs")
        levels = [handler.level for handler in logger.handlers]
        collector = _Collector(min(levels) if levels else logging.NOTSET)
        logger.handlers = [collector]  # the main process prints what the helper's pages log
        try:
            self._render(set(share), collector)
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

    def _render(self, share: set[str], collector: _Collector) -> None:
        config, files = self.config, self.files
        self.cache.detach(self._store)
        if not share:
            return
        # Nav pages are read too: their titles are in every page's navigation.
        wanted = share | {page.file.src_uri for page in self.nav.pages}
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        pages = []
        for file in doc_files:
            if file.src_uri not in wanted:
                continue
            page = file.page if file.page is not None else Page(None, file, config)
            collector.take()
            _populate_page(page, config, files)
            if file.src_uri in share:
                entry = self.cache.pending[file.src_uri]
                payload = {"content": entry.content, "toc": entry.toc, "title": entry.title,
                           "anchors": entry.anchors, "anchor_links": entry.anchor_links,
                           "search": [] if self.search.active else None}
                self.send("read", file.src_uri, payload, collector.take())
                pages.append(page)
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        for page in pages:
            collector.take()
            self.stored = None
            _render_page(page, config, doc_files, self.nav, env)
            stored = self.stored
            if stored is None:
                raise RuntimeError(f"{page.file.src_uri}: the hub did not finish the page")
            self.send("built", page.file.src_uri, (stored.output, stored.search), collector.take())
            page.content = None  # sent: the helper keeps nothing of its pages
            self.search.drain()

    def _store(self, key: str, entry: Entry) -> None:
        self.stored = entry


def _render_page(page: Page, config: MkDocsConfig, doc_files: Any, nav: Any, env: Any) -> str:
    """MkDocs' `_build_page` without writing the file (the main process writes it)."""
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
        return config.plugins.on_post_page(output, page=page, config=config)
    finally:
        page.active = False
        config._current_page = None
