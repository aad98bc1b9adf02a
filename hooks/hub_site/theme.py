"""Theme files of `theme_overrides/` that MkDocs renders with Jinja instead of copying.

`assets/javascripts/hub-palette.js` draws the palette's toggle from `theme.palette` in
mkdocs.yml, so it is a theme static template (MkDocs' own mechanism, as for `sitemap.xml`).
Registered by the hook rather than in mkdocs.yml so that every configuration using the hooks
(tests, the benchmark) renders it: copied as is, its Jinja would reach readers.
"""
from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

RENDERED_ASSETS = ("assets/javascripts/hub-palette.js",)


def render_assets_as_templates(config: MkDocsConfig) -> None:
    config.theme.static_templates.update(RENDERED_ASSETS)
