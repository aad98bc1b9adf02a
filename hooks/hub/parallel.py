"""Reading many story files on every core: `hub check` and cold builds of large hubs.

Each file is validated on its own (the cross-story checks run afterwards, in one process), so
the files split into chunks that worker processes read independently. Small hubs, one-core
machines, a process with other threads running (forking it could copy a held lock), or a
platform without process pools read in this process: same results, in order.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import TypeVar

from .loader import read_files
from .model import Story
from .problems import Problem
from .reader import read_story
from .registry import Registry
from .settings import HubSettings

MIN_PARALLEL = 400  # below this, starting workers costs more than it saves
CHUNK = 250

Item = TypeVar("Item")
Result = tuple[Story | None, list[Problem]]


def worker_count() -> int:
    """Processes a build may use: 1 with `HUB_WORKERS=0` or `HUB_SPEED=0` or while other threads
    run (forking then can copy a lock some thread holds: `serve`'s server threads), else the
    cores (up to 8)."""
    if "0" in (os.environ.get("HUB_WORKERS", "1"), os.environ.get("HUB_SPEED", "1")) or threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, 8)


def _read_chunk(docs_dir: Path, rel_paths: list[str], registries: dict[str, Registry],
                settings: HubSettings) -> list[Result]:
    return list(read_files(docs_dir, rel_paths, registries, settings))


def _read_data_chunk(items: list[tuple[str, bytes]], registries: dict[str, Registry],
                     settings: HubSettings) -> list[Result]:
    results = []
    for rel_path, data in items:
        story, problems = read_story(rel_path, data, registries, settings)
        results.append((story, list(problems)))
    return results


def _chunked(items: Sequence[Item], task: Callable[[list[Item]], list[Result]]) -> Iterator[Result]:
    """`task` (a picklable partial) over chunks of `items` in worker processes, or over all of
    them in this process when that would not pay; results in order."""
    workers = worker_count()
    if workers < 2 or len(items) < MIN_PARALLEL:
        yield from task(list(items))
        return
    chunks = [list(items[i:i + CHUNK]) for i in range(0, len(items), CHUNK)]
    try:
        pool = ProcessPoolExecutor(max_workers=workers)
    except (OSError, NotImplementedError):
        yield from task(list(items))
        return
    with pool:
        futures = [pool.submit(task, chunk) for chunk in chunks]
        for future in futures:
            yield from future.result()


def read_files_parallel(docs_dir: Path, rel_paths: list[str], registries: dict[str, Registry],
                        settings: HubSettings) -> Iterator[Result]:
    """`read_files` (a `StoryReader` for `load_hub`) on every core."""
    return _chunked(rel_paths, partial(_read_chunk, docs_dir, registries=registries, settings=settings))


def read_stories_parallel(items: list[tuple[str, bytes]], registries: dict[str, Registry],
                          settings: HubSettings) -> list[Result]:
    """`read_story` of each (path, file bytes) on every core, in order."""
    return list(_chunked(items, partial(_read_data_chunk, registries=registries, settings=settings)))
