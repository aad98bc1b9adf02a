"""Reading many story files on every core, for `hub check` on large hubs.

Each file is validated on its own (the cross-story checks run afterwards, in one process), so
the files split into chunks that worker processes read independently. Small hubs, one-core
machines, or a platform without process pools read in this process: same results, in order.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .loader import read_files
from .model import Story
from .problems import Problem
from .registry import Registry
from .settings import HubSettings

MIN_PARALLEL = 1500  # below this, starting workers costs more than it saves
CHUNK = 500


def _read_chunk(docs_dir: Path, rel_paths: list[str], registries: dict[str, Registry],
                settings: HubSettings) -> list[tuple[Story | None, list[Problem]]]:
    return list(read_files(docs_dir, rel_paths, registries, settings))


def read_files_parallel(docs_dir: Path, rel_paths: list[str], registries: dict[str, Registry],
                        settings: HubSettings) -> Iterator[tuple[Story | None, list[Problem]]]:
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
    if workers < 2 or len(rel_paths) < MIN_PARALLEL:
        yield from read_files(docs_dir, rel_paths, registries, settings)
        return
    chunks = [rel_paths[i:i + CHUNK] for i in range(0, len(rel_paths), CHUNK)]
    try:
        pool = ProcessPoolExecutor(max_workers=workers)
    except (OSError, NotImplementedError):
        yield from read_files(docs_dir, rel_paths, registries, settings)
        return
    with pool:
        futures = [pool.submit(_read_chunk, docs_dir, chunk, registries, settings) for chunk in chunks]
        for future in futures:
            yield from future.result()
