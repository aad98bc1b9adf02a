"""The machine-readable files of a build (feeds, OPML, JSON API) and writing them out.

They are made after every page is rendered, because feeds carry each story's rendered HTML,
and written straight into the output folder, which `mkdocs serve` serves as well.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path

from .catalogue import Catalogue
from .channels import OPML_PATH, Channel
from .feeds import FeedStore, build_feed_files, render_opml
from .jsonapi import build_api_files
from .siteinfo import SiteInfo


def machine_files(published: Catalogue, channels: list[Channel], site: SiteInfo,
                  rendered: Mapping[str, str], api_page_size: int,
                  skip_feed: Callable[[Channel], bool] | None = None,
                  feed_store: FeedStore | None = None, *, indexes: bool = True) -> Iterator[tuple[str, bytes]]:
    """Every feed (but those `skip_feed` leaves out: up to date, or made elsewhere), then with
    `indexes` the OPML and every API file, as (path inside the site folder, bytes); see
    `build_feed_files`."""
    feeds = build_feed_files(channels, site, rendered, skip_feed, feed_store)
    if not indexes:
        return feeds
    return chain(feeds, [(OPML_PATH, render_opml(channels, site))],
                 build_api_files(published, channels, site, api_page_size).items())


def write_files(site_dir: Path, outputs: Iterable[tuple[str, bytes]]) -> None:
    """Write each file as it is made: the whole set can run to hundreds of megabytes."""
    for relative, data in outputs:
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
