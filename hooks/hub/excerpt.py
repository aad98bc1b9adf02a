"""A story's summary as a listing card carries it.

A card shows the summary on one line (two on phones; hub.css clamps it), yet each card carried
the whole summary, up to 600 characters, on every one of the ~11 listings that show the story. A
clamped line holds about 175 characters at the widths the river is laid out for (its column is
at most 61rem of .7rem text), so a card carries the first CARD_SUMMARY characters, cut after a
word and ended with "…": the line looks the same, and the story page and feeds keep it whole.
"""
from __future__ import annotations

CARD_SUMMARY = 200


def excerpt(text: str, limit: int = CARD_SUMMARY) -> str:
    """`text` if it fits in `limit` characters, else its words up to the limit and "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:  # a word boundary not too far back; else cut inside the long word
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"
