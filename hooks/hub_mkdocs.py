"""MkDocs wiring: thin `on_*` handlers over the engine-independent `hub` package.

Every story is read and validated once, in on_files, before anything renders; all state is
rebuilt per build in on_config, so `mkdocs serve` rebuilds never accumulate.
"""
from __future__ import annotations

import html
import logging
from html import escape as html_escape
import secrets
import types
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from hub import clock, paths
from hub.catalogue import Catalogue, build_catalogue
from hub.citations import expand_markers, link_markers
from hub_speed.folders import KeptFolders
from hub.linktargets import candidate_targets
from hub.loader import is_story_path, load_hub
from hub.minify import minify_page
from hub.model import Story
from hub.pages import PageSpec, generate_pages
from hub.reader import split_front_matter
from hub.sanitize import clean_html
from hub.parallel import worker_count
from hub.problems import ProblemList
from hub.settings import HubSettings
from hub import metadata, sitesize
from hub.channels import FORMATS, OPML_PATH, Channel, listing_channel_key, plan_channels, published_catalogue
from hub.outputs import machine_files, write_files
from hub.siteinfo import SiteInfo
from hub.text import read_text
from hub_speed.frames import FrameRenderer
from hub_speed.incremental import Incremental
import hub_speed
from hub_speed.storymemo import StoryMemo
from hub_speed.worker import PageWorker
from hub_speed.render_cache import Entry, RenderCache, SearchCapture, template_bytecode_cache, toc_tokens

log = get_plugin_logger("hub")


@dataclass
class BuildState:
    """Everything one build knows; replaced wholesale at the start of each build."""

    settings: HubSettings = field(default_factory=HubSettings)
    preview: bool = False
    catalogue: Catalogue | None = None
    stories: dict[str, Story] = field(default_factory=dict)
    listings: dict[str, PageSpec] = field(default_factory=dict)
    rendered: dict[str, str] = field(default_factory=dict)  # story doc path -> body HTML
    site: SiteInfo | None = None  # None without site_url: no feeds, API or social metadata
    published: Catalogue | None = None  # drafts and scheduled stories left out, even in previews
    channels: dict[str, Channel] = field(default_factory=dict)  # feed key ('' = hub) -> channel
    nav: Any = None
    cards: dict[str, str] = field(default_factory=dict)  # story doc path -> its card, links from _CARD_ROOT
    lastmods: dict[int, str | None] = field(default_factory=dict)  # id(a listing's stories) -> sitemap date
    folders: KeptFolders = field(default_factory=KeptFolders)  # the previous site's, reused
    feed_html: frozenset[str] = frozenset()  # doc paths of the stories whose HTML the hub feed carries
    files: Files | None = None
    machine_paths: set[str] = field(default_factory=set)  # feeds, OPML, API: written or kept this build


_command: dict[str, Any] = {"name": "build", "dirty": False}
# Citation markers travel through Markdown as this word (unguessable: a story cannot forge it).
_CITE_TOKEN = "hubcite" + secrets.token_hex(8) + "q"
_CARD_ROOT = "hubroot" + secrets.token_hex(8) + "/"
_render_cache = RenderCache()
_search_capture = SearchCapture()
_story_memo = StoryMemo()  # reader results reused across serve rebuilds and, via the cache, builds
_incremental = Incremental(_story_memo.source_key)  # kept across `serve` rebuilds: the hook module is loaded once
_frames = FrameRenderer()
_worker = PageWorker()  # a forked helper renders part of a cold build's pages
_state = BuildState()
_served_outputs: tuple[Path | None, set[str]] = (None, set())  # serve: the last build's site folder and files


class _WarningCounter(logging.Handler):
    """Counts what MkDocs' strict mode counts (WARNING and up under `mkdocs`): MkDocs aborts a
    strict build only after on_post_build, so the hook must know by then not to keep the
    build's pages in the render cache."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


_warnings = _WarningCounter()


def on_startup(command: str, dirty: bool) -> None:
    _command["name"] = command
    _command["dirty"] = dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    settings, complaints = HubSettings.from_mapping(config.extra.get("hub"))
    for complaint in complaints:
        log.error(f"mkdocs.yml: {complaint}")
    if complaints and config.strict:
        raise Abort("Aborted: fix the hub settings in mkdocs.yml (see above).")
    _state = BuildState(settings=settings, preview=_command["name"] == "serve")
    _warnings.count = 0
    mkdocs_log = logging.getLogger("mkdocs")
    if _warnings not in mkdocs_log.handlers:
        mkdocs_log.addHandler(_warnings)
    _worker.reset()
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """MkDocs is about to delete the previous site: keep its folders (hub.folders)."""
    if not _command["dirty"] and hub_speed.enabled():
        _state.folders.hide(Path(config.site_dir), background=worker_count() >= 2)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = _state
    docs_dir = Path(config.docs_dir)
    registry_prefix = state.settings.registry_dir.rstrip("/") + "/"
    for file in list(files):
        if file.src_uri.startswith(registry_prefix):
            files.remove(file)
    story_files = {f.src_uri: f for f in files if is_story_path(f.src_uri, state.settings)}
    project = _project_dir(config)
    when = clock.build_time(project or Path("."), docs_dir=docs_dir)
    if when.reason:
        log.info(when.reason)
    as_of = when.time
    _render_cache.begin(project, [config.site_url, config.use_directory_urls, config.site_name,
                                  sorted((k, repr(v)) for k, v in config.theme.items()),
                                  config.markdown_extensions, config.mdx_configs, config.extra,
                                  config.nav, config.copyright, config.extra_css,
                                  config.extra_javascript, config.repo_url, config.edit_uri])
    if hub_speed.enabled():
        _story_memo.store = _render_cache if _render_cache.enabled else None
        loaded = load_hub(docs_dir, story_files, state.settings, as_of, read=_story_memo.read,
                          check=_story_memo.check_integrity)
    else:
        loaded = load_hub(docs_dir, story_files, state.settings, as_of)
    for problem in loaded.problems:
        (log.error if problem.is_error else log.info)(str(problem))
    if loaded.errors and config.strict and not state.preview:
        raise Abort(f"Aborted: {len(loaded.errors)} problem(s) in the content (listed above).")
    if loaded.advisories:
        log.info(f"{len(loaded.advisories)} advisory note(s) on the content (listed above); "
                 "they do not fail the build. `./dev hub check` lists them again.")
    catalogue = build_catalogue(loaded.stories, loaded.registries["tag"], loaded.registries["company"],
                                as_of, include_unpublished=state.preview)
    state.catalogue = catalogue
    for file in story_files.values():
        files.remove(file)
    for story in catalogue.stories:
        level = InclusionLevel.DRAFT if catalogue.status(story) else InclusionLevel.NOT_IN_NAV
        original = story_files[story.source_path]
        files.append(File.generated(config, story.doc_path, abs_src_path=original.abs_src_path,
                                    inclusion=level))
        state.stories[story.doc_path] = story

    intros = _hand_written_pages(files)
    for spec in generate_pages(catalogue, state.settings.per_page, config.site_name, intros):
        existing = files.get_file_from_path(spec.doc_path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, spec.doc_path, content=spec.intro,
                                    inclusion=InclusionLevel.NOT_IN_NAV))
        state.listings[spec.doc_path] = spec
    _plan_feeds(config, catalogue)
    _track_pages(config, files)
    return files


def _project_dir(config: MkDocsConfig) -> Path | None:
    """The folder of mkdocs.yml: the build time's git checkout and where `.cache/hub/` lives."""
    return Path(config.config_file_path).parent if config.config_file_path else None


def _track_pages(config: MkDocsConfig, files: Files) -> None:
    """`serve --dirty` re-renders only the hub pages whose content changed: see hub_incremental."""
    state, catalogue = _state, _state.catalogue
    assert catalogue is not None
    generated = state.stories.keys() | state.listings.keys()
    inputs = [f.abs_src_path for f in files.documentation_pages()
              if f.abs_src_path and f.src_uri not in generated]
    inputs += [str(path) for path in sorted((Path(config.docs_dir) / state.settings.registry_dir).glob("*"))]
    channels = [(c.key, c.name, c.title, c.description, c.page, c.links()) for c in state.channels.values()]
    # Not the build time itself: what it decides is in each story's status and each channel's
    # `updated` (with uncommitted content the build time is now, new at every `serve` rebuild).
    _incremental.begin([state.settings, state.preview, state.site, channels],
                       config.config_file_path, config.theme.custom_dir, inputs, remember=hub_speed.enabled())
    _remember_related(catalogue, state.settings.related_count)
    status = catalogue.status
    for doc_path, story in state.stories.items():
        related = catalogue.related(story, state.settings.related_count)
        thread = catalogue.thread(story)
        _incremental.track(files.get_file_from_path(doc_path),
                           (_incremental.story_fingerprint(story, status(story), related, status,
                                                           thread.stories if thread else ()),
                            _link_state(story.body, doc_path, files)))
    for doc_path, spec in state.listings.items():
        _incremental.track(files.get_file_from_path(doc_path),
                           (_incremental.listing_fingerprint(spec, status), _link_state(spec.intro, doc_path, files)))
    for channel in state.channels.values():
        _incremental.track_channel(channel.key, (channel.name, channel.title, channel.description,
                                                 channel.page, channel.updated), channel.stories, status)
    # Keys even without the cache: a page's entry is also how the helper process (hub_worker)
    # hands its pages over.
    if hub_speed.enabled():
        _render_cache.keys = {uri: _render_cache.key(fp) for uri, fp in _incremental.current.items()}


def _link_state(markdown: str, src_uri: str, files: Files) -> list[tuple[str, str | None, str]]:
    """What the page's links resolve to (hub.linktargets): part of its key, so a cached page
    is not reused once a page or image it links to has come, gone or moved."""
    state = []
    for uri in candidate_targets(markdown, src_uri):
        target = files.get_file_from_path(uri)
        state.append((uri, None, "") if target is None else (uri, target.url, str(target.inclusion)))
    return state


def _remember_related(catalogue: Catalogue, limit: int) -> None:
    """Related stories from the render cache when the catalogue is the same as last build's."""
    if not _render_cache.enabled:
        return
    fingerprint = "related\x00" + catalogue.related_digest(limit)
    table = _render_cache.get(fingerprint)
    if not (isinstance(table, dict) and catalogue.use_related(limit, table)):
        _render_cache.put(fingerprint, catalogue.related_table(limit))


def _plan_feeds(config: MkDocsConfig, catalogue: Catalogue) -> None:
    """Decide the feeds before pages render, so page heads can announce them."""
    if not config.site_url:
        log.warning("site_url is not set in mkdocs.yml: feeds, the JSON API and social "
                    "metadata need absolute addresses and are left out.")
        return
    language = config.theme.get("language") or "en"
    _state.site = SiteInfo.create(config.site_name, config.site_url, config.site_description or "",
                                  language, config.use_directory_urls)
    _state.published = published_catalogue(catalogue)
    channels = plan_channels(_state.published, config.site_name, _state.settings.feed_size)
    _state.channels = {channel.key: channel for channel in channels}
    hub_channel = _state.channels.get("")
    _state.feed_html = frozenset(story.doc_path for story in hub_channel.stories) if hub_channel else frozenset()


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


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    """A listing without an intro skips Markdown: building a Markdown instance costs ~0.6 ms
    a page, and most listing pages (page 2 onwards, sources, months) have no intro."""
    uri = page.file.src_uri
    spec = _state.listings.get(uri)
    key = _render_cache.keys.get(uri)
    entry = _worker.read(uri) if uri in _worker.reading else None
    if entry is None and key:
        entry = _render_cache.load(key)
    if entry is not None:  # a page from the helper process or .cache/hub: see hub_render_cache
        _render_cache.cached[uri] = entry
        page.render = types.MethodType(_render_cached, page)  # type: ignore[method-assign]
    elif spec is not None and not spec.intro.strip():
        page.render = types.MethodType(_render_nothing, page)  # type: ignore[method-assign]
    return page


def _render_cached(page: Page, config: MkDocsConfig, files: Files) -> None:
    entry = _render_cache.cached[page.file.src_uri]
    page.content = entry.content
    page.toc = get_toc(entry.toc)
    page._title_from_render = entry.title
    page.present_anchor_ids = set(entry.anchors)
    page.links_to_anchors = {}
    for uri, links in entry.anchor_links.items():
        target = files.get_file_from_path(uri)
        if target is not None:
            page.links_to_anchors[target] = links


def _render_nothing(page: Page, config: MkDocsConfig, files: Files) -> None:
    page.content = ""
    page.toc = get_toc([])
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    """Hand MkDocs the body we already read: no second YAML parse, no MultiMarkdown meta."""
    uri = page.file.src_uri
    if uri in _state.stories:
        return "\n" + _state.stories[uri].body
    if uri in _state.listings:
        return "\n" + _state.listings[uri].intro
    return None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    uri = page.file.src_uri
    story = _state.stories.get(uri)
    if story is not None:
        page.meta = _meta(story.title, story.summary)
        entry = _render_cache.cached.get(uri)
        if _search_capture.active and (entry is None or entry.search is not None):
            page.meta["search"] = {"exclude": True}  # the hook indexes it: stored entries, or hub_search
        if entry is None:
            return link_markers(markdown, len(story.sources), _CITE_TOKEN)
        return markdown  # not rendered: the stored body stands in
    spec = _state.listings.get(uri)
    if spec is not None:
        page.meta = _meta(spec.title, spec.description)
        page.meta["search"] = {"exclude": True}
    else:  # a hand-written page: its own front matter reaches Material's templates raw too
        for key, value in page.meta.items():
            if isinstance(value, str) and not isinstance(value, Markup) and key != "template":
                page.meta[key] = Markup(html.escape(value))
    return markdown


def _plain(value: Any) -> str:
    """Plain text of a meta value that on_page_markdown pre-escaped for Material's templates."""
    return value.unescape() if isinstance(value, Markup) else str(value)


def _meta(title: str, description: str) -> dict[str, Any]:
    """Page meta with values pre-escaped: Material prints title and description raw. The hook
    renders hub pages itself (on_page_context); `hub/rendered.html` prints what it made."""
    return {
        "title": Markup(html.escape(title)),
        "description": Markup(html.escape(description)),
        "template": "hub/rendered.html",
    }


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Every page body sanitised (stories, listing intros, hand-written pages); story bodies
    kept for the feeds, so feeds get the sanitised HTML too."""
    uri = page.file.src_uri
    if uri in _render_cache.cached:  # stored as this function left it
        if uri in _state.stories and _keeps_html(uri):
            _state.rendered[uri] = html
        return html
    html = clean_html(expand_markers(html, _CITE_TOKEN))
    if uri in _render_cache.keys:
        links = {target.src_uri: dict(anchors) for target, anchors in (page.links_to_anchors or {}).items()}
        _render_cache.pending[uri] = Entry(html, toc_tokens(page.toc), page._title_from_render,
                                           set(page.present_anchor_ids or ()), anchor_links=links)
    story = _state.stories.get(uri)
    if story is None:
        if "title" not in page.meta and not getattr(page, "_title_from_render", None) and page.title:
            # A hand-written page with no title and no heading is titled from its file name, as
            # raw text (`<svg onload=...>.md`), and Material prints page.title raw in the header.
            # (A title from the first heading is already HTML, entities kept.)
            page.meta["title"] = Markup(html_escape(page.title))
        return html
    if _keeps_html(story.doc_path):
        _state.rendered[story.doc_path] = html
    return html


def _keeps_html(doc_path: str) -> bool:
    """Whether a story's HTML outlives its page: the hub feed carries it, and a dirty build
    keeps every story's for the next (hub_incremental). At 10,000 stories that is 75 MB less."""
    return bool(_command["dirty"]) or doc_path in _state.feed_html


def on_nav(nav: Any, config: MkDocsConfig, files: Files) -> Any:
    _state.nav = nav
    _state.folders.restore()  # before the first file is written (the helper starts below)
    # Before pages are read: cache hits skip the search parse.
    _search_capture.begin(config.plugins if hub_speed.enabled() else {})
    if _command["name"] == "build" and not _command["dirty"] and hub_speed.enabled():
        keys, stored = _render_cache.keys, _render_cache.stored_keys()
        hub_pages = [file.src_uri for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
                     if file.src_uri in keys]
        cached = {uri for uri in hub_pages if keys[uri] in stored}
        job = None
        if _state.site is not None and _state.published is not None:
            site_dir = Path(config.site_dir)
            job = lambda: _write_machine_files(site_dir, lambda channel: channel.kind == "hub")  # noqa: E731
        _worker.start(hub_pages, cached, config, files, nav, _render_cache, _search_capture, job,
                      len(_state.channels))
    return nav


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    _state.files = files
    use_directory_urls = config.use_directory_urls
    env.filters["doc_url"] = lambda doc_path: paths.doc_url(doc_path, use_directory_urls)
    env.filters["hub_date"] = lambda value: f"{value.day} {value:%b %Y}"
    env.filters["hub_iso"] = lambda value: value.strftime("%Y-%m-%dT%H:%M:%SZ")
    env.filters["hub_lastmod"] = _lastmod
    if _command.get("dirty") and _state.catalogue is not None:
        _incremental.restore_html(_state.rendered, _state.stories, _state.catalogue.status)
    env.bytecode_cache = template_bytecode_cache(_project_dir(config))
    env.auto_reload = False  # a new environment every build; no template changes during one
    _frames.begin(env, config, _state.nav)
    return env


@dataclass(frozen=True)
class StoryView:
    """What the story template needs beyond the story itself."""

    story: Story
    status: str
    related: list[Story]
    catalogue: Catalogue


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Hub pages are rendered here (frames, render cache); `hub/rendered.html` prints them."""
    uri = page.file.src_uri
    catalogue = _state.catalogue
    if catalogue is None:
        return context
    entry = _render_cache.cached.pop(uri, None)
    output = _finished_output(uri, entry, page) if entry is not None else None
    if output is not None:
        context["hub_rendered"] = Markup(output)
        return context
    if entry is None:
        searched = _index_story(page)
        pending = _render_cache.pending.get(uri)
        if pending is not None:
            pending.search = searched
    context.update(_machine_context(page))
    story = _state.stories.get(uri)
    if story is not None:
        related = catalogue.related(story, _state.settings.related_count)
        context["hub"] = StoryView(story, catalogue.status(story), related, catalogue)
        context["hub_rendered"] = Markup(_frames.render(page, context, "hub/story.html"))
    elif uri in _state.listings:
        context["hub"] = spec = _state.listings[uri]
        base_url = context["base_url"]
        context["hub_cards"] = _cards(spec, "" if base_url == "." else base_url + "/")
        context["hub_rendered"] = Markup(_frames.render(page, context, "hub/listing.html"))
    return context


def _index_story(page: Page) -> list[dict[str, Any]] | None:
    """The page's search entries; a story page, which on_page_markdown kept from the search
    plugin, is indexed here first (hub_search)."""
    if page.meta.get("search") and page.file.src_uri in _state.stories:
        _search_capture.index(page)
    return _search_capture.take()


def _finished_output(uri: str, entry: Entry, page: Page) -> str | None:
    """The finished page from the helper process or the render cache, its stored search
    entries added to the index; "" if the helper wrote the page's file; None: render it here."""
    output = None
    if uri in _worker.finishing:
        rendered_there = uri in _worker.read_pages
        finished = _worker.finished(uri)
        if finished is None and rendered_there:  # the helper stopped after reading the page: finish it here
            entry.search = _index_story(page)
            _render_cache.pending[uri] = entry
            return None
        if finished is not None:  # the helper stored what it rendered in its side file
            output = "" if finished[0] is None else finished[0]
            if rendered_there:
                entry.search = finished[1]
    if page.meta.get("search") and entry.search is not None and uri in _state.stories:
        _search_capture.add(entry.search)
    else:
        _search_capture.take()
    return output if output is not None else _render_cache.load_output(_render_cache.keys[uri])


def _cards(spec: PageSpec, root: str) -> Markup:
    """The listing's story cards: each rendered once a build, its links then made relative to
    this page (a card is on ~4 listings; rendering it each time was a fifth of a cold build)."""
    cards = _state.cards
    catalogue = _state.catalogue
    assert catalogue is not None
    for story in spec.stories:
        if story.doc_path not in cards:
            cards[story.doc_path] = _frames.template("hub/card.html").render(
                {"s": story, "status": catalogue.status(story), "hub_root": _CARD_ROOT})
    return Markup("".join(cards[story.doc_path] for story in spec.stories).replace(_CARD_ROOT, root))


def _machine_context(page: Page) -> dict[str, Any]:
    """`hub_head` (meta tags, feed links, JSON-LD) and, on listings, `hub_follow`."""
    site = _state.site
    if site is None:
        return {}
    uri = page.file.src_uri
    hub_channel = _state.channels.get("")
    story = _state.stories.get(uri)
    if story is not None:
        return {"hub_head": metadata.story_head(story, site, hub_channel, _state.settings.curator)}
    spec = _state.listings.get(uri)
    if spec is None:
        description = _plain((page.meta or {}).get("description") or site.description)
        return {"hub_head": metadata.page_head(_plain(page.title or site.name), description, uri, site,
                                               [hub_channel])}
    key = listing_channel_key(spec.kind, spec.doc_path)
    own = _state.channels.get(key) if key is not None else None
    head = metadata.page_head(spec.title, spec.description, uri, site,
                              [own] if own is hub_channel else [own, hub_channel])
    follow = None
    if own is not None:
        follow = metadata.FollowView(own.name, tuple(own.links()), OPML_PATH if own is hub_channel else "")
    return {"hub_head": head, "hub_follow": follow}


def _lastmod(file: File) -> str | None:
    """Sitemap date: a story's own date, a listing's newest story, else the build's date."""
    uri = file.src_uri
    catalogue = _state.published or _state.catalogue
    if uri in _state.stories:
        return metadata.lastmod([_state.stories[uri]])
    if uri in _state.listings and catalogue is not None:
        spec = _state.listings[uri]
        stories = metadata.listing_stories(spec.kind, spec.doc_path, catalogue)
        # Every page of a listing's pagination has the listing's date: work it out once (per
        # page, the home listing's 500 pages each went through all 10,000 stories).
        if id(stories) not in _state.lastmods:
            _state.lastmods[id(stories)] = metadata.lastmod(stories)
        return _state.lastmods[id(stories)]
    if catalogue is not None and catalogue.as_of is not None:
        return catalogue.as_of.strftime("%Y-%m-%d")
    return file.page.update_date if file.page else None


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """A freshly rendered hub page goes into the render cache. Its body is let go: MkDocs
    keeps every page until the build ends, and nothing reads a body after its page is done."""
    uri = page.file.src_uri
    pending = _render_cache.pending.pop(uri, None)
    # Minified once (hub.minify): a page from the render cache or the helper is minified already.
    if _state.settings.minify_html and output and (pending is not None or uri not in _render_cache.keys):
        output = minify_page(output)
    if pending is not None:
        pending.output = output
        _render_cache.store(_render_cache.keys[uri], pending)
    if uri in _render_cache.keys and not _command["dirty"]:
        page.content = None
    return output


class _CachedFeeds:
    """A feed channel's files in the render cache, under its fingerprint (hub_incremental:
    the site-wide key, the channel, each of its stories with its status)."""

    @staticmethod
    def _fingerprint(channel: Channel) -> str:
        return "feed\x00" + _incremental.current_channels[channel.key]

    def get(self, channel: Channel) -> list[tuple[str, bytes]] | None:
        files = _render_cache.get(self._fingerprint(channel))
        return files if isinstance(files, list) else None

    def put(self, channel: Channel, files: list[tuple[str, bytes]]) -> None:
        # The hub feed carries story HTML: not kept if a summary stood in for a story's body.
        if channel.kind != "hub" or all(story.doc_path in _state.rendered for story in channel.stories):
            _render_cache.put(self._fingerprint(channel), files)


def _write_machine_files(site_dir: Path, skip: Callable[[Channel], bool], indexes: bool = True) -> None:
    """Feeds (but those `skip` leaves out) and, with `indexes`, the OPML and the JSON API."""
    if _state.site is None or _state.published is None:
        return
    outputs = machine_files(_state.published, list(_state.channels.values()), _state.site, _state.rendered,
                            _state.settings.api_page_size, skip, _CachedFeeds() if _render_cache.enabled else None,
                            indexes=indexes)
    write_files(site_dir, _recorded(outputs))


def _recorded(outputs: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    for path, data in outputs:
        _state.machine_paths.add(path)
        yield path, data


def on_build_error(error: Exception) -> None:
    _worker.stop()
    _render_cache.finish(prune=False, succeeded=False)
    _state.folders.abandon()


def on_post_build(config: MkDocsConfig) -> None:
    """Feeds, OPML and the JSON API, written once every story's HTML is known."""
    if _render_cache.enabled:
        log.info(f"render cache: {_render_cache.hits} of {len(_render_cache.keys)} hub pages reused")
    if _frames.enabled:
        log.info(f"page frames: {_frames.filled} hub pages filled in from {_frames.layouts} checked layouts")
    dirty = bool(_command.get("dirty")) and _state.catalogue is not None
    site_dir = Path(config.site_dir)

    def up_to_date(channel: Channel) -> bool:
        if dirty and _incremental.channel_unchanged(channel.key, [site_dir / channel.path(fmt) for fmt in FORMATS]):
            _state.machine_paths.update(channel.path(fmt) for fmt in FORMATS)
            return True
        return False

    helper_job = _worker.has_job
    if helper_job:  # the hub feed here (it needs the stories' HTML), the rest in the helper
        _write_machine_files(site_dir, lambda channel: channel.kind != "hub" or up_to_date(channel), indexes=False)
    handover = _worker.finish()
    if _worker.started:
        job = ", wrote the other feeds and the API" if helper_job and handover is not None else ""
        log.info(f"helper process: rendered {_worker.rendered} hub pages, wrote {len(_worker.written)} page "
                 f"files{job}; waited {_worker.waited:.1f} s for it")
    if handover is not None:
        _render_cache.adopt(*handover)
    if not helper_job:
        _write_machine_files(site_dir, up_to_date)
    elif handover is None:  # the helper stopped before its job was done: all of it here
        _write_machine_files(site_dir, lambda channel: channel.kind == "hub")
    _render_cache.finish(prune=not _command.get("dirty"), succeeded=not (config.strict and _warnings.count))
    _state.folders.prune()
    if dirty:
        _incremental.finish(_state.rendered, _state.stories, _state.catalogue.status)
    if _command["name"] == "serve":
        _remove_stale(site_dir, dirty)
    else:  # the size budget (hub.sitesize); Abort leaves `./dev build`'s previous site/ in place
        verdict = sitesize.judge(sitesize.measure(site_dir, _state.settings.stories_dir), _state.settings.site_budget)
        if verdict.over:
            raise Abort(verdict.line)
        log.info(verdict.line)  # info, not warning: at 80% a --strict deploy must still succeed


def _remove_stale(site_dir: Path, dirty: bool) -> None:
    """`serve --dirty` writes only what changed and MkDocs never deletes there: the outputs of
    a story renamed or deleted since the last build (its page, the listings and feeds only it
    made) are removed here, so the preview holds what a fresh build would."""
    global _served_outputs
    files = _state.files
    if files is None:
        return
    outputs = {file.dest_uri for file in files if file.inclusion.is_included()} | _state.machine_paths
    served_dir, served = _served_outputs
    if dirty and served_dir == site_dir:
        for stale in sorted(served - outputs):
            path = site_dir / stale
            try:
                path.unlink(missing_ok=True)
                for folder in path.parents:
                    if folder == site_dir or any(folder.iterdir()):
                        break
                    folder.rmdir()
            except OSError:
                continue  # removed already (a folder emptied by an earlier path)
    _served_outputs = (site_dir, outputs)
