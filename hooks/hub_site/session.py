"""The two sessions a build runs in, and nothing else holds state.

`ProcessSession` lives as long as the MkDocs process: one `mkdocs build`, or a `mkdocs serve`
with all its rebuilds (MkDocs loads a hook module once per process and never reloads it). It
holds what a rebuild reuses: the render cache's connection settings, reader results of unchanged
story files, page fingerprints of the last build, what the served site held, and the speed
layer's helpers, each of which starts afresh at every build.

`BuildSession` is everything one build knows. `on_config` makes a new one and `on_post_build`
(or `on_build_error`) drops it: nothing of a build leaks into the next except through the
process session's documented parts.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files

from hub.catalogue import Catalogue
from hub.channels import Channel
from hub.model import Story
from hub.pages import PageSpec
from hub.settings import HubSettings
from hub.siteinfo import SiteInfo
from hub_speed.folders import KeptFolders
from hub_speed.frames import FrameRenderer
from hub_speed.incremental import Incremental
from hub_speed.render_cache import RenderCache
from hub_speed.storymemo import StoryMemo
from hub_speed.worker import PageWorker

# Citation markers travel through Markdown as this word (unguessable: a story cannot forge it).
CITE_TOKEN = "hubcite" + secrets.token_hex(8) + "q"
# Cards and rows are rendered once a build with links from this root, then placed on each listing.
CARD_ROOT = "hubroot" + secrets.token_hex(8) + "/"


class WarningCounter(logging.Handler):
    """Counts what MkDocs' strict mode counts (WARNING and up under `mkdocs`): MkDocs aborts a
    strict build only after on_post_build, so the hook must know by then not to keep the
    build's pages in the render cache."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def start(self) -> None:
        self.count = 0
        mkdocs_log = logging.getLogger("mkdocs")
        if self not in mkdocs_log.handlers:
            mkdocs_log.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class ProcessSession:
    """What one MkDocs process keeps from build to build (see the module docstring)."""

    command: str = "build"  # "build" or "serve", from on_startup
    dirty: bool = False  # `--dirty`: MkDocs rebuilds only the pages it is told changed
    render_cache: RenderCache = field(default_factory=RenderCache)
    story_memo: StoryMemo = field(default_factory=StoryMemo)
    incremental: Incremental = field(init=False)
    frames: FrameRenderer = field(default_factory=FrameRenderer)
    worker: PageWorker = field(default_factory=PageWorker)
    warnings: WarningCounter = field(default_factory=WarningCounter)
    served_dir: Path | None = None  # serve: the site folder of the last build, and its files
    served: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.incremental = Incremental(self.story_memo.source_key)


@dataclass
class BuildSession:
    """Everything one build knows; made at on_config, dropped when the build ends."""

    settings: HubSettings
    preview: bool  # `serve`: drafts and scheduled stories shown
    catalogue: Catalogue | None = None
    stories: dict[str, Story] = field(default_factory=dict)  # doc path -> story
    listings: dict[str, PageSpec] = field(default_factory=dict)  # doc path -> listing spec
    views: dict[str, Any] = field(default_factory=dict)  # doc path -> the story template's view
    rendered: dict[str, str] = field(default_factory=dict)  # story doc path -> body HTML
    site: SiteInfo | None = None  # None without site_url: no feeds, API or social metadata
    published: Catalogue | None = None  # drafts and scheduled stories left out, even in previews
    channels: dict[str, Channel] = field(default_factory=dict)  # feed key ('' = hub) -> channel
    feed_html: frozenset[str] = frozenset()  # doc paths of the stories whose HTML the hub feed carries
    nav: Any = None
    files: Files | None = None
    # (story doc path, "card", "compact" or "row") -> its card or row, links from CARD_ROOT
    cards: dict[tuple[str, str], str] = field(default_factory=dict)
    folders: KeptFolders = field(default_factory=KeptFolders)  # the previous site's, reused
    machine_paths: set[str] = field(default_factory=set)  # feeds, OPML, API: written or kept this build
