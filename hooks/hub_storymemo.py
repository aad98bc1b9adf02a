"""`mkdocs serve`: a rebuild re-reads only the story files whose bytes changed.

The hook module stays loaded between serve rebuilds, so each story's reader result (the Story
and its problems) is kept with a digest of the file's bytes; a rebuild with the same registries
and settings reuses the result of every unchanged file (reading and validating is ~1 ms a story,
5 s of every rebuild of a 5,000-story hub). Anything else that changed (registries, settings)
starts from empty. Comparisons between stories (duplicates, integrity) always run on the whole
set: only the per-file work is reused. A `build` reads every file, as it is a new process.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from hub.loader import read_files
from hub.model import Story
from hub.problems import Problem
from hub.reader import read_story
from hub.registry import Registry
from hub.settings import HubSettings


class StoryMemo:
    def __init__(self) -> None:
        self._context: bytes = b""
        self._memo: dict[str, tuple[bytes, tuple[Story | None, list[Problem]]]] = {}

    def reset(self) -> None:
        self._context, self._memo = b"", {}

    def read(self, docs_dir: Path, rel_paths: list[str], registries: dict[str, Registry],
             settings: HubSettings) -> Iterator[tuple[Story | None, list[Problem]]]:
        """A `StoryReader` for `load_hub`: the same results as `read_files`."""
        context = hashlib.sha256(repr((registries, settings)).encode("utf-8", "surrogatepass")).digest()
        if context != self._context:
            self._context, self._memo = context, {}
        fresh: dict[str, tuple[bytes, tuple[Story | None, list[Problem]]]] = {}
        for rel_path in rel_paths:
            try:
                data = (docs_dir / rel_path).read_bytes()
            except OSError:
                yield from read_files(docs_dir, [rel_path], registries, settings)
                continue
            digest = hashlib.sha256(data).digest()
            known = self._memo.get(rel_path)
            if known is not None and known[0] == digest:
                result = known[1]
            else:
                story, problems = read_story(rel_path, data, registries, settings)
                result = (story, list(problems))
            fresh[rel_path] = (digest, result)
            yield result
        self._memo = fresh
