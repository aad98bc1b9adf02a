"""MkDocs wiring: each `on_*` event handed to the hub's MkDocs layer (`hub_site`) over the
engine-independent core (`hub`) and the speed layer (`hub_speed`).

State lives in two objects only (hub_site.session): `_process`, kept for the life of the MkDocs
process (a `serve` and its rebuilds), and `_build`, made at on_config and dropped when the
build ends. Every story is read and validated once, in on_files, before anything renders.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

import hub_speed
from hub.parallel import worker_count
from hub.settings import HubSettings
from hub_site import content, machine, pages, theme, views
from hub_site.session import BuildSession, ProcessSession
from hub_speed.render_cache import template_bytecode_cache

log = get_plugin_logger("hub")

_process = ProcessSession()
_build: BuildSession | None = None


def _current() -> BuildSession:
    if _build is None:  # an event outside a build (MkDocs calls none): a clear error, not a None
        raise RuntimeError("hub: no build in progress")
    return _build


def on_startup(command: str, dirty: bool) -> None:
    _process.command, _process.dirty = command, dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    settings, complaints = HubSettings.from_mapping(config.extra.get("hub"))
    for complaint in complaints:
        log.error(f"mkdocs.yml: {complaint}")
    if complaints and config.strict:
        raise Abort("Aborted: fix the hub settings in mkdocs.yml (see above).")
    _build = BuildSession(settings=settings, preview=_process.command == "serve")
    theme.render_assets_as_templates(config)
    _process.warnings.start()
    _process.worker.reset()
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """MkDocs is about to delete the previous site: keep its folders (hub_speed.folders)."""
    if not _process.dirty and hub_speed.enabled():
        _current().folders.hide(Path(config.site_dir), background=worker_count() >= 2)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    return content.add_content(files, config, _process, _current())


def on_nav(nav: Any, config: MkDocsConfig, files: Files) -> Any:
    build = _current()
    build.nav = nav
    build.folders.restore()  # before the first file is written (the helper starts below)
    if _process.command == "build" and not _process.dirty and hub_speed.enabled():
        cache = _process.render_cache
        keys, stored = cache.keys, cache.stored_keys()
        hub_pages = [file.src_uri for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
                     if file.src_uri in keys]
        cached = {uri for uri in hub_pages if keys[uri] in stored}
        job = None
        if build.site is not None and build.published is not None:
            site_dir = Path(config.site_dir)
            job = lambda: machine.write_machine_files(  # noqa: E731
                site_dir, lambda channel: channel.is_hub, _process, build)
        _process.worker.start(hub_pages, cached, config, files, nav, cache, job, len(build.channels))
    return nav


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    build = _current()
    build.files = files
    views.install_filters(env, build, config.use_directory_urls)
    if _process.dirty and build.catalogue is not None:
        _process.incremental.restore_html(build.rendered, build.stories, build.catalogue.status)
    env.bytecode_cache = template_bytecode_cache(machine.project_dir(config))
    env.auto_reload = False  # a new environment every build; no template changes during one
    _process.frames.begin(env, config, build.nav)
    return env


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    pages.choose_route(page, _process, _current())
    return page


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    return pages.read_source(page, _current())


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return pages.prepare_markdown(markdown, page, _current())


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return pages.finish_content(html, page, _process, _current())


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    pages.render_context(context, page, _process, _current())
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return pages.store_output(output, page, _process, _current())


def on_build_error(error: Exception) -> None:
    global _build
    _process.worker.stop()
    _process.render_cache.finish(prune=False, succeeded=False)
    if _build is not None:
        _build.folders.abandon()
    _build = None


def on_post_build(config: MkDocsConfig) -> None:
    """Feeds, OPML and the JSON API, written once every story's HTML is known; then the build's
    state is dropped."""
    global _build
    machine.finish_build(config, _process, _current())
    _build = None
