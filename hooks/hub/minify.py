"""Finished pages minified before they are written (and before the render cache keeps them).

Whitespace between tags, comments and redundant quotes are most of what Material's templates
and ours repeat on every page; minify-html (maintained, Rust, ~1 ms a page) removes them by the
HTML spec's rules, leaving the text, `<pre>` blocks and every element a reader sees. Closing
tags and the `<html>`/`<head>` tags stay, so the pages stay easy to read and to check. The same
input always gives the same bytes, so a cached page equals a freshly rendered one.
"""
from __future__ import annotations

import minify_html


def minify_page(html: str) -> str:
    """The page with insignificant whitespace, comments and attribute quotes removed."""
    return minify_html.minify(html, keep_closing_tags=True, keep_html_and_head_opening_tags=True)
