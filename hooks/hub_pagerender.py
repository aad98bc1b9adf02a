"""Render the hub's pages with one reused Markdown instance instead of a new one per page.

MkDocs' `Page.render` builds a fresh `markdown.Markdown` for every page: with the configured
extensions that costs about 1.7 ms (pymdownx.highlight deep-copies its config), 40% of
converting a 600-word story. Python-Markdown supports converting many documents with one
instance (`Markdown.reset()` between them; every bundled and pymdownx extension resets its own
state), so the hub renders its generated pages (stories, listing intros) through one instance
per build. This is `Page.render` of MkDocs 1.6 line for line, except for where `md` comes from;
hand-written pages keep MkDocs' own path.
"""
from __future__ import annotations

from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc
import logging

log = logging.getLogger("mkdocs.structure.pages")


class MarkdownPool:
    """One Markdown instance per build (per config object: `serve` loads a new one each time)."""

    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self._config: Any = None

    def reset(self) -> None:
        self._md, self._config = None, None

    def _instance(self, config: MkDocsConfig) -> markdown.Markdown:
        if self._md is None or self._config is not config:
            self._md = markdown.Markdown(extensions=config["markdown_extensions"],
                                         extension_configs=config["mdx_configs"] or {})
            self._config = config
        else:
            self._md.reset()
        return self._md

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """What `Page.render` does, with the shared instance."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self._instance(config)

        raw_html_ext = _RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = _ExtractAnchorsTreeprocessor(page.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = _RelativePathTreeprocessor(page.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = _ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = extract_title_ext.title
        page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_path_ext.links_to_anchors

    def bind(self, page: Page) -> None:
        """Make `page.render` use the pool."""
        pool = self

        def render(config: MkDocsConfig, files: Files) -> None:
            pool.render(page, config, files)

        page.render = render  # type: ignore[method-assign]
