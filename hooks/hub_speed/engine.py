"""Every use of MkDocs' and Material's private internals sits behind this module's check.

The speed layer was written against the versions in CHECKED. On any other version (MkDocs 1.x
is frozen, Material is in maintenance until 2027-05-05, ProperDocs forks MkDocs 1.6) the build
takes the plain path, which uses public MkDocs events only, and says so in one INFO line.

Private uses, all of them here (the speed layer's other modules call these functions):
- `page._title_from_render`, `page.present_anchor_ids` and `page.links_to_anchors` read after a
  render and set from a stored entry (`fill_page`, `entry_of`, `title_from_heading`);
- `mkdocs.commands.build._populate_page` (`populate_page`), and `get_context` in a copy of
  `_build_page` that sets `config._current_page` (`render_page`), for the helper process;
- a log filter on the text of MkDocs' "Page skipped" line (`SkippedPages`);
- MkDocs' site cleaning leaving dot-entries alone (`HIDDEN_PREFIX`, for kept folders).
"""
from __future__ import annotations

import functools
import importlib.metadata
import logging
from collections.abc import Callable
from typing import Any

from mkdocs.structure.toc import get_toc

# Distribution -> version prefixes the private uses above were checked against.
CHECKED = {"mkdocs": ("1.6.1",), "mkdocs-material": ("9.7.", "9.8.")}
log = logging.getLogger("mkdocs.plugins.hub")


@functools.cache
def supported() -> bool:
    """True when every checked distribution is installed at a checked version; else logs why
    the build takes the plain path (once a process)."""
    found = {}
    for name in CHECKED:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    odd = [f"{name} {version or 'not installed'}" for name, version in found.items()
           if version is None or not version.startswith(CHECKED[name])]
    if _running_properdocs():
        odd.append("ProperDocs")
    if odd:
        log.info(f"hub: speed layer off: it was checked against {', '.join(f'{n} {v[0]}' for n, v in CHECKED.items())}, "
                 f"not {', '.join(odd)}; every page takes the plain path")
        return False
    return True


def _running_properdocs() -> bool:
    """ProperDocs answers `import mkdocs` with its own package."""
    import mkdocs
    return mkdocs.__name__ != "mkdocs" or "properdocs" in (getattr(mkdocs, "__file__", "") or "")


def fill_page(page: Any, entry: Any, files: Any) -> None:
    """Stand a stored entry in for `Page.render`: the body, table of contents, title from the
    first heading and the anchors MkDocs checks links against (MkDocs 1.6 attributes)."""
    page.content = entry.content
    page.toc = get_toc(entry.toc)
    page._title_from_render = entry.title
    page.present_anchor_ids = set(entry.anchors)
    page.links_to_anchors = {}
    for uri, links in entry.anchor_links.items():
        target = files.get_file_from_path(uri)
        if target is not None:
            page.links_to_anchors[target] = links


def entry_of(page: Any, html: str, toc_tokens: Callable[[Any], list[dict[str, Any]]]) -> Any:
    """What `fill_page` needs to stand in for this page's render next time."""
    from hub_speed.render_cache import Entry

    links = {target.src_uri: dict(anchors) for target, anchors in (page.links_to_anchors or {}).items()}
    return Entry(html, toc_tokens(page.toc), page._title_from_render, set(page.present_anchor_ids or ()),
                 anchor_links=links)


def title_from_heading(page: Any) -> str | None:
    return getattr(page, "_title_from_render", None)


# MkDocs' `clean_directory` skips names starting with a dot: a folder renamed to this prefix
# survives the cleaning of the site folder (hub_speed.folders).
HIDDEN_PREFIX = "."


def populate_page(page: Any, config: Any, files: Any) -> None:
    """Read and render one page's Markdown as MkDocs' build loop does. (Imported here, not at
    the top: on an unchecked version the plain path must not depend on these names.)"""
    from mkdocs.commands.build import _populate_page

    _populate_page(page, config, files)


def render_page(page: Any, config: Any, doc_files: Any, nav: Any, env: Any) -> str:
    """MkDocs' `_build_page` up to writing the file."""
    from mkdocs.commands.build import get_context

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


class SkippedPages(logging.Filter):
    """MkDocs logs "Page skipped ... Generated empty output" for a page that this process
    leaves empty because the helper wrote its file: not news to the reader of the log."""

    def __init__(self, written: set[str]) -> None:
        super().__init__()
        self.written = written

    def reset(self) -> set[str]:
        self.written.clear()
        return self.written

    def install(self) -> None:
        logger = logging.getLogger("mkdocs.commands.build")
        if self not in logger.filters:
            logger.addFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.written or not isinstance(record.msg, str) or not record.msg.startswith("Page skipped: '"):
            return True
        return record.msg.split("'")[1] not in self.written
