"""Every use of MkDocs' and Material's private internals sits behind this module's check.

The speed layer was written against the versions in CHECKED. On any other version (MkDocs 1.x
is frozen, Material is in maintenance until 2027-05-05, ProperDocs forks MkDocs 1.6) the build
takes the plain path, which uses public MkDocs events only, and says so in one INFO line.

Private uses, and where they are:
- `page._title_from_render`, `page.present_anchor_ids` and `page.links_to_anchors` read after a
  render and set from a stored entry (here: `fill_page`, `entry_of`, `title_from_heading`);
- `File.is_modified` replaced per file instance (incremental.track);
- `mkdocs.commands.build._populate_page`, `get_context` and a copy of `_build_page` that sets
  `config._current_page` (worker), and a log filter on the text of MkDocs' "Page skipped" line;
- MkDocs' site cleaning leaving dot-entries alone (folders).
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
