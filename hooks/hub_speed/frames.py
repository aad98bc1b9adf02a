"""Material's page frame, rendered once per layout and filled in for each hub page.

Two hub pages (stories, generated listings) outside the nav differ only in a few places: the
title, description and canonical URL, the head tags, the skip link and table of contents, and
the content block. Everything else Material prints (header, tabs, navigation, footer, scripts)
depends only on where the page sits, because its links are relative. Rendering that frame is two
thirds of a hub page's template time, so it is rendered once per *layout* (template, base URL,
the page's relative links to every nav page, which optional parts it has) with markers in those
places, and each page fills the markers with its own values (small templates for the head, the
table of contents and the content).

A layout is trusted only after it has been checked: the frame is made from one page, then the
next page of that layout is rendered both ways and the results compared; if they differ, every
page of the layout is rendered in full. `HUB_FRAMES=0` renders every page in full.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any, Callable

from markupsafe import Markup
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url

from hub_speed import part_enabled

_TOKEN = "hubslot" + secrets.token_hex(6)
_MARKER = re.compile(_TOKEN + "([a-z]+)Z")
CONTENT_TEMPLATES = {"hub/story.html": "hub/story_content.html", "hub/listing.html": "hub/listing_content.html"}


def _marker(name: str) -> str:
    return f"{_TOKEN}{name}Z"


@dataclass(frozen=True)
class Frame:
    """A rendered page split at its markers: literal text at even indexes, slot names at odd."""

    parts: tuple[str, ...]

    def fill(self, values: Callable[[str], str]) -> str:
        parts = list(self.parts)
        for index in range(1, len(parts), 2):
            parts[index] = values(parts[index])
        return "".join(parts)


@dataclass(frozen=True)
class _Unchecked:
    frame: Frame


_UNUSABLE = "unusable"


class FrameRenderer:
    """Renders hub pages through cached frames; one instance, reset by `begin` every build."""

    def __init__(self) -> None:
        self.enabled = True
        self._env: Any = None
        self._nav_pages: list[Page] = []
        self._in_nav: set[int] = set()
        self._lang: Any = None
        self._frames: dict[tuple, Frame | _Unchecked | str] = {}
        self._templates: dict[str, Any] = {}
        self.filled = 0

    def begin(self, env: Any, config: Any, nav: Any) -> None:
        self.enabled = part_enabled("HUB_FRAMES")
        self._env = env
        self._nav_pages = list(nav.pages)
        self._in_nav = {id(page) for page in self._nav_pages}
        # What base.html imports as `lang`, for rendering the table of contents on its own.
        self._lang = env.get_template("partials/language.html", None, {"config": config}).module
        self._frames, self._templates = {}, {}
        self.filled = 0

    def template(self, name: str) -> Any:
        """A template, looked up once a build (cheaper than Jinja's lookup, which is per call)."""
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = self._env.get_template(name)
        return found

    @property
    def layouts(self) -> int:
        return sum(isinstance(frame, Frame) for frame in self._frames.values())

    def render(self, page: Page, context: dict[str, Any], template: str) -> str:
        """The finished page: from its layout's frame where that is checked, else in full."""
        if not self.enabled or id(page) in self._in_nav or template not in CONTENT_TEMPLATES:
            return self._full(context, template)
        key = self._layout(page, context, template)
        known = self._frames.get(key)
        if known is None:
            frame = self._probe(page, context, template)
            self._frames[key] = _Unchecked(frame) if frame is not None else _UNUSABLE
            return self._full(context, template)
        if known is _UNUSABLE:
            return self._full(context, template)
        if isinstance(known, _Unchecked):  # made from another page, not yet checked against this one
            full = self._full(context, template)
            self._frames[key] = known.frame if self._fill(known.frame, page, context, template) == full else _UNUSABLE
            return full
        self.filled += 1
        return self._fill(known, page, context, template)

    def _full(self, context: dict[str, Any], template: str) -> str:
        return self.template(template).render(context)

    def _layout(self, page: Page, context: dict[str, Any], template: str) -> tuple:
        """What the frame depends on: the template, where the page sits, which parts it has."""
        meta = page.meta or {}
        return (template, context.get("base_url"), tuple(normalize_url(p.url, page) for p in self._nav_pages),
                bool(meta.get("description")), bool(page.canonical_url), bool(page.toc and list(page.toc)),
                tuple(sorted(key for key in meta if key not in ("title", "description", "template", "search"))))

    def _probe(self, page: Page, context: dict[str, Any], template: str) -> Frame | None:
        """Render the page with markers in every place that differs between pages."""
        saved = page.meta, page.canonical_url, page.toc
        try:
            page.meta = {**page.meta, "title": Markup(_marker("title")),
                         "description": Markup(_marker("description")) if page.meta.get("description") else ""}
            if page.canonical_url:
                page.canonical_url = _marker("canonical")
            if page.toc and list(page.toc):
                page.toc = get_toc([{"level": 2, "id": _marker("skip"), "name": "", "children": []}])
            slots = {"toc": _marker("toc"), "head": _marker("head"), "content": _marker("content")}
            output = self._full({**context, "hub_slot": slots}, template)
        finally:
            page.meta, page.canonical_url, page.toc = saved
        parts = tuple(_MARKER.split(output))
        names = parts[1::2]
        if names.count("content") != 1 or names.count("head") != 1 or names.count("toc") > 1:
            return None
        return Frame(parts)

    def _fill(self, frame: Frame, page: Page, context: dict[str, Any], template: str) -> str:
        def value(name: str) -> str:
            if name == "title":
                return str(page.meta["title"])
            if name == "description":
                return str(page.meta.get("description") or "")
            if name == "canonical":
                return str(page.canonical_url)
            if name == "skip":
                return next(iter(page.toc)).id
            if name == "toc":
                return self.template("partials/toc.html").render({**context, "lang": self._lang})
            if name == "head":
                return self.template("hub/head.html").render(context)
            if name == "content":
                return self.template(CONTENT_TEMPLATES[template]).render(context)
            raise KeyError(name)

        return frame.fill(value)
