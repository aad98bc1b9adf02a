"""Walk a built site: every internal link and #anchor must resolve to a file and an id."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if value and ((tag == "a" and name == "href") or (tag in ("img", "script") and name == "src")
                          or (tag == "link" and name == "href")):
                self.links.append(value)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(site: Path, page: Path, href: str, base_path: str) -> Path:
    path = unquote(urlsplit(href).path)
    if path.startswith("/"):
        target = site / path.removeprefix(base_path.rstrip("/")).lstrip("/")
    else:
        target = (page.parent / path) if path else page
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """`page: href` for each internal link whose file or anchor is missing.

    `base_path` is the path of site_url (`/ai-news-hub/`): 404.html links from there.
    """
    parsed = {path: _parse(path) for path in site.rglob("*.html")}
    broken = []
    for page, info in sorted(parsed.items()):
        for href in info.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "data:")):
                continue
            target = _target(site, page, href, base_path).resolve()
            _, fragment = urldefrag(href)
            if not target.exists() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)}: {href}")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {href} (no id {fragment!r})")
    return broken
