"""URL slugs: lowercase ASCII words joined by hyphens, nothing that can escape a folder."""
from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """`Large Language Models` -> `large-language-models`; accents folded, the rest dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub("-", folded.lower()).strip("-")


def is_valid_slug(text: str) -> bool:
    return bool(SLUG_PATTERN.match(text)) and len(text) <= 120
