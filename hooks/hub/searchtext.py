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


# Every ASCII character but letters and digits, and the punctuation news text is full of, to a
# space: when nothing else is left, str.split finds the words several times faster than the
# pattern (same words: none of these is a letter or digit).
_SPACES = str.maketrans({char: " " for char in
                         [chr(code) for code in range(128) if not chr(code).isalnum()] + list("‘’“”–—…·•«»€£")})


def tokens(text: str) -> list[str]:
    text = fold(text)
    spaced = text.translate(_SPACES)
    return spaced.split() if spaced.isascii() else _WORD.findall(text)


# Markdown to the text a reader sees. Citation markers go with the space before them, so a
# snippet never shows "tightened ." where "tightened [1]." was.
_CITATION = re.compile(r"\[\d+\](?!\()")
_MARKDOWN = [  # (a character the syntax needs, the pattern, its replacement): most bodies skip most.
    # Line starts are matched as "\n" (the text gets one in front): several times faster than ^ with re.M.
    ("](", re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),        # links and images: their text
    ("<", re.compile(r"<[^>\n]*>"), " "),                               # inline HTML tags
    ("", re.compile(r"\n[ \t]*(?:#{1,6}|>|[-*+]|\d+[.)])[ \t]+"), "\n"),  # headings, quotes, list items
    ("", re.compile(r"\n[ \t]*(?:```|~~~|[-*_]{3,}[ \t]*(?=\n|$))[^\n]*"), "\n"),  # fences, rules
]


def markdown_text(markdown: str) -> str:
    markdown = "\n" + _CITATION.sub("\0", markdown)  # a marker, removed with its space once spaces are one
    if "![" in markdown:
        markdown = markdown.replace("![", "[")  # an image: its alt text, as a link gives its text
    for needed, pattern, replacement in _MARKDOWN:
        if needed in markdown:
            markdown = pattern.sub(replacement, markdown)
    for emphasis in ("**", "__", "*", "`"):
        markdown = markdown.replace(emphasis, "")
    text = " ".join(html.unescape(markdown).split())
    return text.replace(" \0", "").replace("\0", "") if "\0" in text else text
