"""Incremental rebuilds for `mkdocs serve --dirty` (what `./dev serve` runs).

MkDocs' dirty mode re-renders a page only when `page.file.is_modified()` says so, and for its
own files that means "the source is newer than the output". That is wrong for the hub in both
directions: a listing is generated (MkDocs always calls it modified), and a story page shows
other stories (its related list) that can change while its own file does not.

So the hub answers `is_modified` itself (a hub page's file is a `hub_site.pages.HubFile`), from
a fingerprint of everything a hub page shows:
- the view its template receives (hub_site.views: a story's `StoryView`, a listing's
  `PageSpec`), walked field by field, each story in it by its digest and status;
- what its links resolve to (hub.linktargets);
- for every page, a site-wide key: mkdocs.yml, every file of the theme's custom_dir, every
  hand-written page and registry, preview or not, the hub settings and
  the feed channels' names and addresses.
A page is re-rendered when its fingerprint differs from the one it had in the previous build of
this process, or its output file is missing. The first build of a process renders everything,
and so does every build that is not dirty (MkDocs does not ask then). Python code is not
watched: `serve` never reloads hooks, so a code change needs a restart, which starts afresh.

The same fingerprints key the render cache (render_cache). Because the key is computed from the
view itself, a template can only show what its view carries, and the view never carries the
catalogue, a new thing on a page is in its key by construction (tests/test_cache_safety.py).

Feeds need every story's HTML, also of stories not re-rendered: it is kept between builds,
keyed by the story's digest. A feed channel is rewritten only when its own fingerprint (the
site-wide key, the channel, and each of its stories with its status) changed or its files are
missing.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import weakref
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any


from hub.catalogue import Catalogue
from hub.model import Story


def _digest(*parts: object) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(repr(part).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def _tree(folder: str | None) -> list[tuple[str, bytes]]:
    if not folder or not os.path.isdir(folder):
        return []
    found = []
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            found.append((str(path.relative_to(folder)), path.read_bytes()))
    return found


class Incremental:
    """Page fingerprints and story HTML, kept from one build to the next in this process."""

    def __init__(self, source_key: Callable[[Story], str | None] = lambda story: None) -> None:
        self.previous: dict[str, str] = {}  # src_uri -> fingerprint of the last finished build
        self.current: dict[str, str] = {}
        self.html: dict[str, tuple[str, str]] = {}  # doc_path -> (story digest, body HTML)
        self.site_key = ""
        # Digest per story object and status, kept across builds: `serve` reuses the Story of
        # every unchanged file (hub_storymemo), and hashing a story costs ~0.3 ms.
        self._stories: weakref.WeakKeyDictionary[Story, dict[str, str]] = weakref.WeakKeyDictionary()
        # What a story was read from (hub_storymemo), which is all it depends on: digesting
        # that instead of the Story's repr saves ~0.2 ms a story.
        self._source_key = source_key
        self.previous_channels: dict[str, str] = {}  # feed channel key -> fingerprint
        self.current_channels: dict[str, str] = {}

    def begin(self, site_parts: Iterable[Any], config_file: str | None, custom_dir: str | None,
              hand_written: Iterable[str], remember: bool = True) -> None:
        """Start a build: the site-wide key from the inputs every hub page depends on. Without
        `remember` (speed layer off) nothing of earlier builds counts: every page is redone."""
        if not remember:
            self.previous, self.previous_channels, self.html = {}, {}, {}
        config_text = Path(config_file).read_bytes() if config_file and os.path.isfile(config_file) else b""
        pages = [(path, Path(path).read_bytes()) for path in sorted(hand_written) if os.path.isfile(path)]
        self.site_key = _digest(list(site_parts), config_text, _tree(custom_dir), pages)
        self.current = {}
        self.current_channels = {}

    def story_digest(self, story: Story, status: str) -> str:
        known = self._stories.get(story)
        if known is None:
            known = self._stories[story] = {}
        found = known.get(status)
        if found is None:
            found = known[status] = _digest(self._source_key(story) or story, status)
        return found

    def track(self, src_uri: str, fingerprint: Any) -> bool:
        """Note a page's fingerprint; whether it is the one of the last finished build (a dirty
        build then keeps the page's file: hub_site.pages.HubFile)."""
        fingerprint = _digest(self.site_key, fingerprint)
        self.current[src_uri] = fingerprint
        return self.previous.get(src_uri) == fingerprint

    def view_fingerprint(self, view: Any, status_of: Callable[[Story], str]) -> str:
        """A page's fingerprint from exactly the view its template receives (hub_site.views):
        every field, walked, each story in it by its digest and status. A field added to a
        view is in the key with no change here."""
        return _digest(type(view).__name__, self._shape(view, status_of))

    def _shape(self, value: Any, status_of: Callable[[Story], str]) -> Any:
        if isinstance(value, Story):
            return "story", self.story_digest(value, status_of(value))
        if isinstance(value, Catalogue):
            raise TypeError("a template view must not carry the catalogue: give it the values it shows")
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return type(value).__name__, tuple((f.name, self._shape(getattr(value, f.name), status_of))
                                               for f in dataclasses.fields(value))
        if isinstance(value, (list, tuple)):
            return tuple(self._shape(item, status_of) for item in value)
        if isinstance(value, dict):
            return tuple((key, self._shape(item, status_of)) for key, item in value.items())
        if isinstance(value, (set, frozenset)):
            return tuple(sorted(repr(self._shape(item, status_of)) for item in value))
        if value is None or isinstance(value, (str, int, float, date)):
            return value
        raise TypeError(f"a template view cannot carry a {type(value).__name__}: give it plain values")

    def track_channel(self, key: str, parts: Any, stories: list[Story], status_of: Any) -> None:
        self.current_channels[key] = _digest(self.site_key, parts, [self.story_digest(s, status_of(s)) for s in stories])

    def channel_unchanged(self, key: str, files: Iterable[Path]) -> bool:
        """Whether a feed channel's files from the previous build are still what it would write."""
        return (self.previous_channels.get(key) == self.current_channels.get(key)
                and all(path.is_file() for path in files))

    def restore_html(self, rendered: dict[str, str], stories: dict[str, Story], status_of: Any) -> None:
        """Fill in the HTML of stories this (dirty) build did not re-render."""
        for doc_path, story in stories.items():
            if doc_path in rendered:
                continue
            kept = self.html.get(doc_path)
            if kept is not None and kept[0] == self.story_digest(story, status_of(story)):
                rendered[doc_path] = kept[1]

    def finish(self, rendered: dict[str, str], stories: dict[str, Story], status_of: Any) -> None:
        """The build got to the end: its fingerprints and story HTML are the new reference."""
        self.previous, self.previous_channels = self.current, self.current_channels
        self.current, self.current_channels = {}, {}
        self.html = {doc_path: (self.story_digest(story, status_of(story)), rendered[doc_path])
                     for doc_path, story in stories.items() if doc_path in rendered}
