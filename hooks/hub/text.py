"""Turning a file's bytes into text the rest of the code can trust."""
from __future__ import annotations

import unicodedata

from .problems import ProblemList

_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def read_text(data: bytes, problems: ProblemList) -> str | None:
    """Decode UTF-8 (a BOM is dropped), normalise line endings; report bad bytes by line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(line, "file", f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                     "Save the file as UTF-8 in your editor.")
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.add(line, "file", "the file contains a NUL character", "Remove the binary content.")
        return None
    return text


def clean_text(text: str) -> str:
    """Plain one-line text: whitespace collapsed, bidi overrides and control characters dropped."""
    if not text:
        return ""
    text = text.translate(_BIDI_CONTROLS)
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() or ch.isspace() else "" for ch in text
                       if unicodedata.category(ch) != "Cc" or ch.isspace())
    return " ".join(text.split())
