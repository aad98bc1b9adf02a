"""Plain text placed inside generated Markdown, so it shows as typed and never as markup."""
from __future__ import annotations

import html
import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape_markdown(text: str) -> str:
    """HTML-escape, then backslash-escape every character Markdown could read as syntax."""
    return _SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
