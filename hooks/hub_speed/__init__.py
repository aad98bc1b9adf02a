"""The speed layer: what makes builds faster, and nothing that may change what they publish.

- `render_cache`: finished hub pages, feed files and compiled templates in `.cache/hub/`,
  each under a key of everything it is made from and checked against its hash when read.
- `incremental`: page fingerprints (the keys above), and which pages `serve --dirty` redoes.
- `storymemo`: reader results reused for story files whose bytes did not change.
- `frames`: Material's page frame rendered once per layout and filled per page.
- `worker`: a forked helper process that renders and writes part of a cold build's pages.
- `folders`: the previous site's folders kept, emptied, for the next build.
- `engine`: every use of MkDocs' and Material's private internals, behind a version check.

One switch turns all of it off: `HUB_SPEED=0` (the plain path: every page read, rendered
and written by MkDocs as it comes, every story read from its file). It is also off when the
installed MkDocs or Material is not a version the private uses were checked against. The
finer switches (`HUB_RENDER_CACHE=0`, `HUB_FRAMES=0`, `HUB_WORKERS=0`) turn off one part.
"""
from __future__ import annotations

import os

from hub_speed import engine


def enabled() -> bool:
    """Whether this build may use the speed layer at all."""
    return os.environ.get("HUB_SPEED", "1") != "0" and engine.supported()


def part_enabled(switch: str) -> bool:
    """Whether one part may run: the layer is on and the part's own switch is not 0."""
    return enabled() and os.environ.get(switch, "1") != "0"
