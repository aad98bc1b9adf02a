"""A hub page's way through the build, decided in one place.

Every story and listing page is a `HubPage` (MkDocs uses a page a plugin puts on `File.page`).
At on_pre_page, `choose_route` decides how its body is made, once:
- STORED: a finished entry from the helper process or the render cache (hub_speed) stands in
  for Markdown, sanitising and the template;
- NO_MARKDOWN: a listing with no intro has no body to render (a Markdown instance costs
  ~0.6 ms a page, and most listing pages have no intro);
- RENDER: the plain path, MkDocs' own `Page.render`, then the hook's sanitising.
With the speed layer off (`HUB_SPEED=0`) every page takes RENDER.
"""
from __future__ import annotations

import enum
import os
from html import escape
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

import hub_speed
from hub.citations import expand_markers, link_markers
from hub.minify import minify_page
from hub.sanitize import clean_html
from hub_site import views
from hub_site.session import CITE_TOKEN, BuildSession, ProcessSession
from hub_speed import engine
from hub_speed.render_cache import Entry, toc_tokens


TITLE_ID = "__title"  # a hub page's <h1>, where its skip link goes


class Route(enum.Enum):
    RENDER = "render"
    STORED = "stored"
    NO_MARKDOWN = "no markdown"


class HubFile(File):
    """A story or listing page's file. `serve --dirty` re-renders a page only when its file
    `is_modified()`; for a hub page that is decided by the page's fingerprint
    (hub_speed.incremental), not by file times: a listing changes when a story it shows does."""

    unchanged = False  # set by _track_pages: same fingerprint as the last build's

    def is_modified(self) -> bool:
        return not (self.unchanged and os.path.isfile(self.abs_dest_path))


class HubPage(Page):
    """A story or listing page of this build."""

    def __init__(self, file: File, config: MkDocsConfig, build: BuildSession) -> None:
        super().__init__(None, file, config)
        self.build = build
        self.route = Route.RENDER
        self.entry: Entry | None = None  # the stored page, on the STORED route

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.route is Route.STORED:
            assert self.entry is not None
            engine.fill_page(self, self.entry, files)
        elif self.route is Route.NO_MARKDOWN:
            engine.fill_page(self, Entry("", [], None, set()), files)
        else:
            super().render(config, files)


def choose_route(page: Page, process: ProcessSession, build: BuildSession) -> None:
    if not isinstance(page, HubPage):
        return
    uri = page.file.src_uri
    worker, cache = process.worker, process.render_cache
    entry = worker.read(uri) if uri in worker.reading else None
    if entry is None and uri in cache.keys:
        entry = cache.load(cache.keys[uri])
    spec = build.listings.get(uri)
    if entry is not None:
        page.route, page.entry = Route.STORED, entry
    elif spec is not None and not spec.intro.strip() and hub_speed.enabled():
        page.route = Route.NO_MARKDOWN
    else:
        page.route = Route.RENDER


def read_source(page: Page, build: BuildSession) -> str | None:
    """Hand MkDocs the body we already read: no second YAML parse, no MultiMarkdown meta."""
    uri = page.file.src_uri
    if uri in build.stories:
        return "\n" + build.stories[uri].body
    if uri in build.listings:
        return "\n" + build.listings[uri].intro
    return None


def prepare_markdown(markdown: str, page: Page, build: BuildSession) -> str:
    uri = page.file.src_uri
    story = build.stories.get(uri)
    if story is not None:
        page.meta = views.meta(story.title, story.summary)
        entry = page.entry if isinstance(page, HubPage) else None
        if entry is None:
            return link_markers(markdown, len(story.sources), CITE_TOKEN)
        return markdown  # not rendered: the stored body stands in
    spec = build.listings.get(uri)
    if spec is not None:
        page.meta = views.meta(spec.title, spec.description)
    else:
        views.escape_meta(page)
    return markdown


def finish_content(html: str, page: Page, process: ProcessSession, build: BuildSession) -> str:
    """Every page body sanitised (stories, listing intros, hand-written pages); story bodies
    kept for the feeds, so feeds get the sanitised HTML too."""
    uri = page.file.src_uri
    cache = process.render_cache
    if isinstance(page, HubPage) and page.route is Route.STORED:  # stored as this function left it
        if uri in build.stories and _keeps_html(uri, process, build):
            build.rendered[uri] = html
        return html
    html = clean_html(expand_markers(html, CITE_TOKEN))
    if uri in cache.keys:
        cache.pending[uri] = engine.entry_of(page, html, toc_tokens)
    story = build.stories.get(uri)
    if story is None:
        if "title" not in page.meta and not engine.title_from_heading(page) and page.title:
            # A hand-written page with no title and no heading is titled from its file name, as
            # raw text (`<svg onload=...>.md`), and Material prints page.title raw in the header.
            # (A title from the first heading is already HTML, entities kept.)
            page.meta["title"] = Markup(escape(page.title))
        return html
    if _keeps_html(story.doc_path, process, build):
        build.rendered[story.doc_path] = html
    return html


def _keeps_html(doc_path: str, process: ProcessSession, build: BuildSession) -> bool:
    """Whether a story's HTML outlives its page: the hub feed carries it, and a dirty build
    keeps every story's for the next (hub_speed.incremental). At 10,000 stories that is 75 MB less."""
    return process.dirty or doc_path in build.feed_html


def render_context(context: dict[str, Any], page: Page, process: ProcessSession, build: BuildSession) -> None:
    """Hub pages are rendered here (frames, render cache); `hub/rendered.html` prints them."""
    uri = page.file.src_uri
    if build.catalogue is None:
        return
    entry = page.entry if isinstance(page, HubPage) else None
    if entry is not None:
        page.entry = None
        output = _finished_output(uri, entry, process)
        if output is not None:
            context["hub_rendered"] = Markup(output)
            return
    context.update(views.machine_context(build, page))
    frames = process.frames
    if uri in build.stories or uri in build.listings:
        context["hub_title_id"] = TITLE_ID
        skip_to_title(page)
    if uri in build.stories:
        context["hub"] = build.views[uri]
        context["hub_rendered"] = Markup(frames.render(page, context, "hub/story.html"))
    elif uri in build.listings:
        context["hub"] = spec = build.listings[uri]
        base_url = context["base_url"]
        context["hub_cards"] = views.cards(build, spec, "" if base_url == "." else base_url + "/",
                                           frames.template)
        context["hub_rendered"] = Markup(frames.render(page, context, "hub/listing.html"))


def skip_to_title(page: Page) -> None:
    """Material's "Skip to content" link goes to the first entry of the page's table of contents.
    A hub page's headline is its template's `<h1 id=__title>`, not a Markdown heading, so without
    this the link skipped the headline, byline, summary and opening paragraphs to the body's first
    subheading (and a page without one had no link). The headline leads the table as a level-1
    entry, which Material's table of contents shows by its children, as for a Markdown `# Title`.
    (`__` ids are Material's and the hub's: the sanitiser keeps them out of bodies.)"""
    top = AnchorLink(page.title or "", TITLE_ID, 1)
    top.children = list(page.toc or [])
    page.toc = TableOfContents([top])


def _finished_output(uri: str, entry: Entry, process: ProcessSession) -> str | None:
    """The finished page from the helper process or the render cache; "" if the helper wrote
    the page's file; None: render it here."""
    worker, cache = process.worker, process.render_cache
    if uri in worker.finishing:
        rendered_there = uri in worker.read_pages
        finished = worker.finished(uri)
        if finished is None and rendered_there:  # the helper stopped after reading the page: finish it here
            cache.pending[uri] = entry
            return None
        if finished is not None:  # the helper stored what it rendered in its side file
            return "" if finished[0] is None else finished[0]
    return cache.load_output(cache.keys[uri])


def store_output(output: str, page: Page, process: ProcessSession, build: BuildSession) -> str:
    """A freshly rendered page is minified (hub.minify), once, and a hub page goes into the
    render cache. Its body is let go: MkDocs keeps every page until the build ends, and nothing
    reads a body after its page is done."""
    uri = page.file.src_uri
    cache = process.render_cache
    pending = cache.pending.pop(uri, None)
    # A page from the render cache or the helper is minified already.
    if build.settings.minify_html and output and (pending is not None or uri not in cache.keys):
        output = minify_page(output)
    if pending is not None:
        pending.output = output
        cache.store(cache.keys[uri], pending)
    if uri in cache.keys and not process.dirty:
        page.content = None
    return output
