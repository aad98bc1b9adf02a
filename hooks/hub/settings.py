"""The hub's settings, read from `extra.hub` in mkdocs.yml (or built directly in tests)."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .sitesize import parse_size


SIZES = {"site_budget"}  # settings written as a size with a unit, held in bytes


@dataclass(frozen=True)
class HubSettings:
    """Every key is optional; the README documents each one."""

    stories_dir: str = "stories"
    registry_dir: str = "_registry"
    curator: str = "The AI Hub editors"
    per_page: int = 20  # full cards on the first page of a listing
    rows_per_page: int = 100  # compact rows on each later page (older stories)
    related_count: int = 5
    feed_size: int = 50
    subject_feed_size: int = 20  # a topic, company, publisher or thread feed (at most feed_size)
    api_page_size: int = 100
    site_budget: int = 10**9  # bytes; written as a size (`1 GB`, `800 MB`) in mkdocs.yml
    minify_html: bool = True

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> tuple["HubSettings", list[str]]:
        """Settings plus a list of complaints about unknown keys or wrong types."""
        data = data or {}
        known = {f.name: f for f in fields(cls)}
        complaints = [f"extra.hub.{key}: unknown setting; known are {', '.join(known)}"
                      for key in data if key not in known]
        values: dict[str, Any] = {}
        for key, spec in known.items():
            if key not in data:
                continue
            value = data[key]
            if key in SIZES:
                size = parse_size(value)
                if size is None:
                    complaints.append(f"extra.hub.{key}: must be a size such as `1 GB`, `800 MB` or `1 MB`")
                else:
                    values[key] = size
                continue
            wanted = {"int": int, "bool": bool}.get(spec.type, str)
            if wanted is bool and not isinstance(value, bool):
                complaints.append(f"extra.hub.{key}: must be true or false")
            elif wanted is int and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                complaints.append(f"extra.hub.{key}: must be a whole number of at least 1")
            elif wanted is str and (not isinstance(value, str) or not value.strip()):
                complaints.append(f"extra.hub.{key}: must be non-empty text")
            else:
                values[key] = value
        return cls(**values), complaints
