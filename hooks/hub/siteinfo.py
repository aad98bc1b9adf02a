"""The published site as machines see it: its absolute address and the stable ids of stories.

Feeds, the JSON API and page metadata all need absolute URLs and ids; they get them here so
the three never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .model import Story
from .paths import doc_url


@dataclass(frozen=True)
class SiteInfo:
    """What the outputs say about the site. `url` is absolute and ends with a slash."""

    name: str
    url: str
    description: str = ""
    language: str = "en"
    use_directory_urls: bool = True

    @classmethod
    def create(cls, name: str, url: str, description: str = "", language: str = "en",
               use_directory_urls: bool = True) -> "SiteInfo":
        """Normalise the base URL once so every join below is a plain string join."""
        return cls(name, url if url.endswith("/") else url + "/", description or "",
                   language or "en", use_directory_urls)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or "localhost"

    def page_url(self, doc_path: str) -> str:
        """Absolute URL of the page a document becomes."""
        return self.url + doc_url(doc_path, self.use_directory_urls)

    def file_url(self, site_path: str) -> str:
        """Absolute URL of a file written at `site_path` inside the site folder."""
        return urljoin(self.url, site_path)

    def story_id(self, story: Story) -> str:
        """A tag: URI (RFC 4151) from the host, the story's year and its path in the site.

        It never depends on other stories, on the build time or on URL style, so feed readers
        see the same item after any rebuild.
        """
        stem = story.doc_path.removesuffix(".md")
        prefix = urlsplit(self.url).path.strip("/")  # project sites share a host
        return f"tag:{self.host},{story.date.year}:{prefix + '/' if prefix else ''}{stem}"
