"""Every use of MkDocs' and Material's private internals sits behind this module's check.

The speed layer was written against the versions in CHECKED. On any other version (MkDocs 1.x
is frozen, Material is in maintenance until 2027-05-05, ProperDocs forks MkDocs 1.6) the build
takes the plain path, which uses public MkDocs events only, and says so in one INFO line.

Private uses, and where they are:
- `Page.render` replaced per page instance, `page._title_from_render`, `page.present_anchor_ids`
  and `page.links_to_anchors` set from a stored entry (hub_mkdocs `_render_cached`);
- `File.is_modified` replaced per file instance (incremental.track);
- `mkdocs.commands.build._populate_page`, `get_context` and a copy of `_build_page` that sets
  `config._current_page` (worker), and a log filter on the text of MkDocs' "Page skipped" line;
- Material's search plugin: `search_index.entries`, `SearchIndex.create_entry_for_section`,
  its `Element`, `Section` and `void` (render_cache.SearchCapture, search_sections);
- MkDocs' site cleaning leaving dot-entries alone (folders).
"""
from __future__ import annotations

import functools
import importlib.metadata
import logging

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
