"""Read only the story files whose bytes changed since the last build.

Reading and validating a story is ~1 ms, 5 s of every `serve` rebuild of a 5,000-story hub.
Each file's reader result (the Story and its problems) is kept with a digest of its bytes, the
registries and the settings, and reused while they are the same: in memory between `serve`
rebuilds (the hook module stays loaded), and through a `store` (the render cache) between
builds. The checks that compare stories (duplicates, integrity) run on the whole set; their
result is reused only for the very same set (`check_integrity`).

Each story read here also has a source key (`source_key`): its path, the digest of its bytes
and of the registries and settings, which is all the reader's result depends on.
hub_incremental fingerprints a story by it (hashing the Story itself cost ~0.2 ms a story).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from hub.integrity import check_integrity
from hub.loader import read_files
from hub.model import Story
from hub.problems import Problem
from hub.parallel import read_stories_parallel
from hub.registry import Registry
from hub.settings import HubSettings


Result = tuple[Story | None, list[Problem]]


class ResultStore(Protocol):
    def get(self, key: str) -> Any: ...

    def put(self, key: str, value: Any) -> None: ...


class StoryMemo:
    def __init__(self) -> None:
        self._context: bytes = b""
        self._memo: dict[str, tuple[bytes, Result]] = {}
        self.store: ResultStore | None = None  # set per build
        self._sources: dict[str, str] = {}  # source path -> source key, of the last `read`

    def read(self, docs_dir: Path, rel_paths: list[str], registries: dict[str, Registry],
             settings: HubSettings) -> Iterator[tuple[Story | None, list[Problem]]]:
        """A `StoryReader` for `load_hub`: the same results as `read_files`. Files neither in
        memory nor in the store are read on every core (hub.parallel) when there are many."""
        context = hashlib.sha256(repr((registries, settings)).encode("utf-8", "surrogatepass")).digest()
        if context != self._context:
            self._context, self._memo = context, {}
        fresh: dict[str, tuple[bytes, Result]] = {}
        unreadable: dict[str, Result] = {}
        to_read: list[tuple[str, bytes]] = []
        for rel_path in rel_paths:
            try:
                data = (docs_dir / rel_path).read_bytes()
            except OSError:
                unreadable[rel_path] = next(iter(read_files(docs_dir, [rel_path], registries, settings)))
                continue
            digest = hashlib.sha256(data).digest()
            known = self._memo.get(rel_path)
            result = known[1] if known is not None and known[0] == digest else self._stored(rel_path, digest, context)
            if result is None:
                to_read.append((rel_path, data))
                result = (None, [])  # placeholder, filled below
            fresh[rel_path] = (digest, result)
        for (rel_path, _), result in zip(to_read, read_stories_parallel(to_read, registries, settings)):
            digest = fresh[rel_path][0]
            fresh[rel_path] = (digest, result)
            if self.store is not None:
                self.store.put(self._key(rel_path, digest, context), result)
        self._memo = fresh
        self._sources = {rel_path: self._key(rel_path, digest, context) for rel_path, (digest, _) in fresh.items()}
        for rel_path in rel_paths:
            yield unreadable[rel_path] if rel_path in unreadable else fresh[rel_path][1]

    def source_key(self, story: Story) -> str | None:
        """What `story` was read from (None: not read by the last `read`)."""
        return self._sources.get(story.source_path)

    @staticmethod
    def _key(rel_path: str, digest: bytes, context: bytes) -> str:
        return f"story\x00{rel_path}\x00{context.hex()}\x00{digest.hex()}"

    def _stored(self, rel_path: str, digest: bytes, context: bytes) -> Result | None:
        stored = self.store.get(self._key(rel_path, digest, context)) if self.store is not None else None
        if (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[1], list)
                and (stored[0] is None or isinstance(stored[0], Story))):
            return stored
        return None

    def check_integrity(self, stories: list[Story], registries: dict[str, Registry],
                        as_of: datetime | None) -> list[Problem]:
        """hub.integrity's problems (an `IntegrityCheck` for `load_hub`), from the store when
        the same stories (by source key) were checked at the same build time before."""
        keys = [self.source_key(story) for story in stories]
        if self.store is None or None in keys:
            return check_integrity(stories, registries, as_of)
        key = "integrity\x00" + hashlib.sha256(repr((self._context, keys, as_of)).encode()).hexdigest()
        stored = self.store.get(key)
        if isinstance(stored, list) and all(isinstance(problem, Problem) for problem in stored):
            return stored
        problems = check_integrity(stories, registries, as_of)
        self.store.put(key, problems)
        return problems
