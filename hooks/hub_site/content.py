"""on_files: every story read and validated once, its page and the listings added, the feeds
planned, and every hub page's key computed from the view its template will receive."""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel

import hub_speed
from hub import clock
from hub.catalogue import Catalogue, build_catalogue
from hub.channels import plan_channels, published_catalogue
from hub.linktargets import candidate_targets
from hub.loader import is_story_path, load_hub
from hub.pages import Paging, generate_pages
from hub.problems import ProblemList
from hub.reader import split_front_matter
from hub.siteinfo import SiteInfo
from hub.text import read_text
from hub_site.machine import project_dir
from hub_site.pages import HubFile, HubPage
from hub_site.session import BuildSession, ProcessSession
from hub_site.views import story_view
from hub_speed.incremental import Incremental

log = get_plugin_logger("hub")


def _page_settings(config: MkDocsConfig) -> list[object]:
    """Resolved settings that shape every page (part of every render-cache key)."""
    return [config.site_url, config.use_directory_urls, config.site_name,
            sorted((k, repr(v)) for k, v in config.theme.items()),
            config.markdown_extensions, config.mdx_configs, config.extra,
            config.nav, config.copyright, config.extra_css,
            config.extra_javascript, config.repo_url, config.edit_uri]


def add_content(files: Files, config: MkDocsConfig, process: ProcessSession, build: BuildSession) -> Files:
    docs_dir = Path(config.docs_dir)
    registry_prefix = build.settings.registry_dir.rstrip("/") + "/"
    for file in list(files):
        if file.src_uri.startswith(registry_prefix):
            files.remove(file)
    story_files = {f.src_uri: f for f in files if is_story_path(f.src_uri, build.settings)}
    project = project_dir(config)
    when = clock.build_time(project or Path("."), docs_dir=docs_dir)
    if when.reason:
        log.info(when.reason)
    process.render_cache.begin(project, _page_settings(config))
    if hub_speed.enabled():
        memo = process.story_memo
        memo.store = process.render_cache if process.render_cache.enabled else None
        loaded = load_hub(docs_dir, story_files, build.settings, when.time, read=memo.read,
                          check=memo.check_integrity)
    else:
        loaded = load_hub(docs_dir, story_files, build.settings, when.time)
    for problem in loaded.problems:
        (log.error if problem.is_error else log.info)(str(problem))
    if loaded.errors and config.strict and not build.preview:
        raise Abort(f"Aborted: {len(loaded.errors)} problem(s) in the content (listed above).")
    if loaded.advisories:
        log.info(f"{len(loaded.advisories)} advisory note(s) on the content (listed above); "
                 "they do not fail the build. `./dev hub check` lists them again.")
    catalogue = build_catalogue(loaded.stories, loaded.registries["tag"], loaded.registries["company"],
                                when.time, include_unpublished=build.preview)
    build.catalogue = catalogue
    for file in story_files.values():
        files.remove(file)
    for story in catalogue.stories:
        level = InclusionLevel.DRAFT if catalogue.status(story) else InclusionLevel.NOT_IN_NAV
        file = HubFile.generated(config, story.doc_path, abs_src_path=story_files[story.source_path].abs_src_path,
                              inclusion=level)
        files.append(file)
        HubPage(file, config, build)
        build.stories[story.doc_path] = story
    intros = _hand_written_pages(files)
    paging = Paging(build.settings.per_page, build.settings.rows_per_page)
    for spec in generate_pages(catalogue, paging, config.site_name, intros):
        existing = files.get_file_from_path(spec.doc_path)
        if existing is not None:
            files.remove(existing)
        file = HubFile.generated(config, spec.doc_path, content=spec.intro, inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(file)
        HubPage(file, config, build)
        build.listings[spec.doc_path] = spec
    _plan_feeds(config, build)
    _track_pages(config, files, process, build)
    return files


def _track_pages(config: MkDocsConfig, files: Files, process: ProcessSession, build: BuildSession) -> None:
    """Every hub page's fingerprint (hub_speed.incremental): what `serve --dirty` redoes, and
    the render cache's keys."""
    catalogue, incremental, cache = build.catalogue, process.incremental, process.render_cache
    assert catalogue is not None
    generated = build.stories.keys() | build.listings.keys()
    inputs = [f.abs_src_path for f in files.documentation_pages()
              if f.abs_src_path and f.src_uri not in generated]
    inputs += [str(path) for path in sorted((Path(config.docs_dir) / build.settings.registry_dir).glob("*"))]
    channels = [(c.key, c.name, c.title, c.description, c.page, c.links()) for c in build.channels.values()]
    # Not the build time itself: what it decides is in each story's status and each channel's
    # `updated` (with uncommitted content the build time is now, new at every `serve` rebuild).
    incremental.begin([build.settings, build.preview, build.site, channels],
                      config.config_file_path, config.theme.custom_dir, inputs, remember=hub_speed.enabled())
    _remember_related(catalogue, build.settings.related_count, process)
    status = catalogue.status
    for doc_path, story in build.stories.items():
        view = build.views[doc_path] = story_view(catalogue, story, build.settings.related_count)
        _track(files, doc_path, incremental, (incremental.view_fingerprint(view, status),
                                              _link_state(story.body, doc_path, files)))
    for doc_path, spec in build.listings.items():
        _track(files, doc_path, incremental, (incremental.view_fingerprint(spec, status),
                                              _link_state(spec.intro, doc_path, files)))
    for channel in build.channels.values():
        incremental.track_channel(channel.key, (channel.name, channel.title, channel.description,
                                                channel.page, channel.updated), channel.stories, status)
    # Keys even without the cache: a page's entry is also how the helper process hands its
    # pages over (hub_speed.worker).
    if hub_speed.enabled():
        cache.keys = {uri: cache.key(fp) for uri, fp in incremental.current.items()}


def _track(files: Files, doc_path: str, incremental: Incremental, fingerprint: object) -> None:
    file = files.get_file_from_path(doc_path)
    assert isinstance(file, HubFile)
    file.unchanged = incremental.track(doc_path, fingerprint)


def _link_state(markdown: str, src_uri: str, files: Files) -> list[tuple[str, str | None, str]]:
    """What the page's links resolve to (hub.linktargets): part of its key, so a cached page
    is not reused once a page or image it links to has come, gone or moved."""
    state = []
    for uri in candidate_targets(markdown, src_uri):
        target = files.get_file_from_path(uri)
        state.append((uri, None, "") if target is None else (uri, target.url, str(target.inclusion)))
    return state


def _remember_related(catalogue: Catalogue, limit: int, process: ProcessSession) -> None:
    """Related stories from the render cache when the catalogue is the same as last build's."""
    cache = process.render_cache
    if not cache.enabled:
        return
    fingerprint = "related\x00" + catalogue.related_digest(limit)
    table = cache.get(fingerprint)
    if not (isinstance(table, dict) and catalogue.use_related(limit, table)):
        cache.put(fingerprint, catalogue.related_table(limit))


def _plan_feeds(config: MkDocsConfig, build: BuildSession) -> None:
    """Decide the feeds before pages render, so page heads can announce them."""
    if not config.site_url:
        log.warning("site_url is not set in mkdocs.yml: feeds, the JSON API and social "
                    "metadata need absolute addresses and are left out.")
        return
    assert build.catalogue is not None
    language = config.theme.get("language") or "en"
    build.site = SiteInfo.create(config.site_name, config.site_url, config.site_description or "",
                                 language, config.use_directory_urls)
    build.published = published_catalogue(build.catalogue)
    channels = plan_channels(build.published, config.site_name, build.settings.feed_size,
                             build.settings.subject_feed_size)
    build.channels = {channel.key: channel for channel in channels}
    hub_channel = build.channels.get("")
    build.feed_html = frozenset(story.doc_path for story in hub_channel.stories) if hub_channel else frozenset()


def _hand_written_pages(files: Files) -> dict[str, str]:
    """Bodies of hand-written pages that a generated page of the same path takes in."""
    intros = {}
    for file in files.documentation_pages():
        if file.abs_src_path and not file.generated_by:
            problems = ProblemList(file.src_uri)
            text = read_text(Path(file.abs_src_path).read_bytes(), problems)
            for problem in problems:
                log.error(str(problem))
            if text is None:
                continue
            parts = split_front_matter(text, problems) if text.startswith("---\n") else None
            intros[file.src_uri] = parts[2] if parts else text
    return intros
