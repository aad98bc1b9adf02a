"""The words search matches, and the plain text its snippets show.

`tokens` is the one tokenizer of the hub's search: theme_overrides/assets/javascripts/search.js
has its twin (lower-case, NFKD, combining marks dropped, runs of letters and digits), and
tests/test_search_tokens.py feeds both the same strings. "Café", "CAFÉ" and "cafe" are one word.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")  # letters and digits (str.isalnum), as \p{L}\p{N} in JavaScript


@lru_cache(maxsize=4096)
def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def fold(text: str) -> str:
    """Lower-case without accents: what both tokenizers compare."""
    text = text.lower()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    marks = {ord(char): None for char in set(text) if not char.isascii() and _is_mark(char)}
    return text.translate(marks) if marks else text


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


# Markdown to the text a reader sees. Citation markers go with the space before them, so a
# snippet never shows "tightened ." where "tightened [1]." was.
_MARKDOWN = [  # (a character the syntax needs, the pattern, its replacement): most bodies skip most
    ("[", re.compile(r"[ \t]*\[\d+\](?!\()"), ""),                      # citation markers [1]
    ("](", re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),         # links and images: their text
    ("<", re.compile(r"<[^>\n]*>"), " "),                                # inline HTML tags
    ("", re.compile(r"^[ \t]*(?:#{1,6}|>|[-*+]|\d+[.)])[ \t]+", re.M), ""),  # headings, quotes, list items
    ("", re.compile(r"^[ \t]*(?:```|~~~|[-*_]{3,}[ \t]*$).*$", re.M), ""),   # fences, rules
    ("", re.compile(r"\*\*|__|\*|`"), ""),                                 # emphasis, code
]
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')  # the "¶" after each heading
_TAG = re.compile(r"<[^>]*>")


def markdown_text(markdown: str) -> str:
    for needed, pattern, replacement in _MARKDOWN:
        if needed in markdown:
            markdown = pattern.sub(replacement, markdown)
    return " ".join(html.unescape(markdown).split())


def html_text(fragment: str) -> str:
    """A rendered page's text (hand-written pages), tags and entities gone."""
    return " ".join(html.unescape(_TAG.sub(" ", _PERMALINK.sub("", fragment))).split())
