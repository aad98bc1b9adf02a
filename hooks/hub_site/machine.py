"""The end of a build: feeds, OPML and the JSON API (they need every story's HTML), the helper
process's hand-over, the render cache's commit, and `serve`'s stale outputs removed."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger
from mkdocs.utils.meta import get_data

from hub import searchindex, sitesize
from hub.channels import Channel
from hub.outputs import machine_files, write_files
from hub.searchtext import markdown_text
from hub_site.session import BuildSession, ProcessSession


def project_dir(config: MkDocsConfig) -> Path | None:
    """The folder of mkdocs.yml: the build time's git checkout and where `.cache/hub/` lives."""
    return Path(config.config_file_path).parent if config.config_file_path else None

log = get_plugin_logger("hub")


class CachedFeeds:
    """A feed channel's files in the render cache, under its fingerprint (hub_speed.incremental:
    the site-wide key, the channel, each of its stories with its status)."""

    def __init__(self, process: ProcessSession, build: BuildSession) -> None:
        self.process, self.build = process, build

    def _fingerprint(self, channel: Channel) -> str:
        return "feed\x00" + self.process.incremental.current_channels[channel.key]

    def get(self, channel: Channel) -> list[tuple[str, bytes]] | None:
        files = self.process.render_cache.get(self._fingerprint(channel))
        return files if isinstance(files, list) else None

    def put(self, channel: Channel, files: list[tuple[str, bytes]]) -> None:
        # The hub feed carries story HTML: not kept if a summary stood in for a story's body.
        if not channel.is_hub or all(story.doc_path in self.build.rendered for story in channel.stories):
            self.process.render_cache.put(self._fingerprint(channel), files)


def write_machine_files(site_dir: Path, skip: Callable[[Channel], bool], process: ProcessSession,
                        build: BuildSession, indexes: bool = True) -> None:
    """Feeds (but those `skip` leaves out) and, with `indexes`, the OPML and the JSON API."""
    if build.site is None or build.published is None:
        return
    store = CachedFeeds(process, build) if process.render_cache.enabled else None
    outputs = machine_files(build.published, list(build.channels.values()), build.site, build.rendered,
                            build.settings.api_page_size, skip, store, indexes=indexes)
    write_files(site_dir, _recorded(outputs, build))


def _recorded(outputs: Iterable[tuple[str, bytes]], build: BuildSession) -> Iterator[tuple[str, bytes]]:
    for path, data in outputs:
        build.machine_paths.add(path)
        yield path, data


def finish_build(config: MkDocsConfig, process: ProcessSession, build: BuildSession) -> None:
    cache, frames, worker, incremental = process.render_cache, process.frames, process.worker, process.incremental
    if cache.enabled:
        log.info(f"render cache: {cache.hits} of {len(cache.keys)} hub pages reused")
    if frames.enabled:
        log.info(f"page frames: {frames.filled} hub pages filled in from {frames.layouts} checked layouts")
    dirty = process.dirty and build.catalogue is not None
    site_dir = Path(config.site_dir)

    def up_to_date(channel: Channel) -> bool:
        if dirty and incremental.channel_unchanged(channel.key, [site_dir / path for path in channel.paths()]):
            build.machine_paths.update(channel.paths())
            return True
        return False

    helper_job = worker.has_job
    if helper_job:  # the hub feed here (it needs the stories' HTML), the rest in the helper
        write_machine_files(site_dir, lambda channel: not channel.is_hub or up_to_date(channel),
                            process, build, indexes=False)
    handover = worker.finish()
    if worker.started:
        job = ", wrote the other feeds and the API" if helper_job and handover is not None else ""
        log.info(f"helper process: rendered {worker.rendered} hub pages, wrote {len(worker.written)} page "
                 f"files{job}; waited {worker.waited:.1f} s for it")
    if handover is not None:
        cache.adopt(*handover)
    if not helper_job:
        write_machine_files(site_dir, up_to_date, process, build)
    elif handover is None:  # the helper stopped before its job was done: all of it here
        write_machine_files(site_dir, lambda channel: channel.is_hub, process, build)
    # The search index from the published catalogue; one made from the same sources is reused
    # from .cache/hub/search/ (before the cache closes below).
    published, root = build.published, project_dir(config)
    if published is not None:
        searchindex.index_site(
            site_dir, searchindex.Sources(published, tuple(hand_written(build)), config.use_directory_urls),
            root / ".cache" / "hub" / "search" if cache.enabled and root else None, log.info, log.error)
    if process.command != "serve":  # the size budget (hub.sitesize), search index included
        verdict = sitesize.judge(sitesize.measure(site_dir, build.settings.stories_dir), build.settings.site_budget)
        if verdict.over:  # on_build_error: nothing is committed; `./dev build` keeps the previous site/
            raise Abort(verdict.line)
        log.info(verdict.line)  # INFO at 80%, not WARNING: a --strict deploy must still succeed there
    cache.finish(prune=not process.dirty, succeeded=not (config.strict and process.warnings.count))
    build.folders.prune()
    if dirty:
        assert build.catalogue is not None
        incremental.finish(build.rendered, build.stories, build.catalogue.status)
    if process.command == "serve":
        remove_stale(site_dir, dirty, process, build)


def hand_written(build: BuildSession) -> Iterator[tuple[str, str, str]]:
    """The pages editors wrote besides stories (about, ...) for search: doc path, title, text,
    from their Markdown (a `--dirty` build does not render the unchanged ones again)."""
    for file in build.files.documentation_pages() if build.files is not None else ():
        if file.src_uri in build.stories or file.src_uri in build.listings:
            continue
        try:
            markdown, meta = get_data(file.content_string)
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs itself reports a page it cannot read
        heading = next((line[2:] for line in markdown.splitlines() if line.startswith("# ")), "")
        title = str(meta.get("title") or heading or file.name.replace("-", " ").capitalize())
        yield file.src_uri, markdown_text(title), markdown_text(markdown)


def remove_stale(site_dir: Path, dirty: bool, process: ProcessSession, build: BuildSession) -> None:
    """`serve --dirty` writes only what changed and MkDocs never deletes there: the outputs of
    a story renamed or deleted since the last build (its page, the listings and feeds only it
    made) are removed here, so the preview holds what a fresh build would."""
    if build.files is None:
        return
    outputs = {file.dest_uri for file in build.files if file.inclusion.is_included()} | build.machine_paths
    if dirty and process.served_dir == site_dir:
        for stale in sorted(process.served - outputs):
            path = site_dir / stale
            try:
                path.unlink(missing_ok=True)
                for folder in path.parents:
                    if folder == site_dir or any(folder.iterdir()):
                        break
                    folder.rmdir()
            except OSError:
                continue  # removed already (a folder emptied by an earlier path)
    process.served_dir, process.served = site_dir, outputs
