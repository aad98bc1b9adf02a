"""Numbered citation markers `[1]` in story bodies: finding them and linking them to sources."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# `[3]` that is not a link `[3](...)`, a reference link `[3][x]` / `[text][3]`, nor an image;
# runs of markers such as `[1][2]` are citations. Reference definitions (`[3]: https://...`
# at the start of a line) are not prose.
# The pattern starts with the literal `[` so the regex engine can jump from one `[` to the
# next; the look-behinds then look back past that `[`.
MARKER = re.compile(
    r"\[(?<![!\\]\[)(?:(?<!\]\[)|(?<=\[\d\]\[)|(?<=\[\d\d\]\[)|(?<=\[\d\d\d\]\[))"
    r"(\d{1,3})\](?!\()(?!\[(?!\d{1,3}\]))"
)
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")


def _prose_lines(body: str) -> Iterator[tuple[int, str, bool]]:
    """Yield (index, line, is_prose): fenced code and reference definitions are not prose."""
    fence = ""
    for index, line in enumerate(body.split("\n")):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            yield index, line, False
        elif match:
            fence = match.group(1)
            yield index, line, False
        else:
            yield index, line, not _REFERENCE_DEFINITION.match(line)


def find_markers(body: str) -> list[tuple[int, int]]:
    """Every (line offset, number) cited in prose, code excluded."""
    if "`" not in body and "~~~" not in body and "]:" not in body:
        # No code and no reference definitions (the usual story): one pass over the whole body.
        return [(body.count("\n", 0, m.start()), int(m.group(1))) for m in MARKER.finditer(body)]
    found = []
    for index, line, is_prose in _prose_lines(body):
        if is_prose and "[" in line:
            text = _CODE_SPAN.sub("", line)
            found.extend((index, int(m.group(1))) for m in MARKER.finditer(text))
    return found


# U+2060 WORD JOINER: written before every marker instead of the space the editor typed, so a
# marker never wraps away from the word it follows ("[2]." must not start a line).
JOINER = "\u2060"


def cite_id(number: int, occurrence: int) -> str:
    """The id of the `occurrence`-th `[number]`: what the source list's back-links point to."""
    return f"cite-{number}" + (f"-{occurrence}" if occurrence > 1 else "")


def cite_html(number: int, occurrence: int) -> str:
    """The superscript link for the `occurrence`-th `[number]` of a story, glued to the word before.
    As on Wikipedia, the link's text "[n]" is its name and its id marks it as a citation (hub.css
    styles `sup[id^="cite-"]`): no class and no aria-label, 23 markers a story on average."""
    return f'{JOINER}<sup id="{cite_id(number, occurrence)}"><a href="#source-{number}">[{number}]</a></sup>'


def link_markers(body: str, source_count: int, token: str = "") -> str:
    """Replace each `[n]` with a superscript link to source n (a back-link target too).

    With a `token` (letters and digits only), markers outside headings become `<token>N_Kx`
    words that Markdown leaves alone, and `expand_markers` turns them into the links in the
    rendered HTML: raw inline HTML doubles the cost of converting a story. Headings keep the
    raw HTML so that their anchors and table-of-contents entries leave the marker out.
    """
    seen: dict[int, int] = {}
    heading = [False]

    def replace(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if not 1 <= number <= source_count:
            return match.group(0)
        seen[number] = seen.get(number, 0) + 1
        if token and not heading[0]:
            return f"{JOINER}{token}{number}n{seen[number]}x"
        return cite_html(number, seen[number])

    lines = list(_prose_lines(body))
    out = []
    for position, (_, line, is_prose) in enumerate(lines):
        if is_prose and "[" in line:
            following = lines[position + 1][1] if position + 1 < len(lines) else ""
            heading[0] = bool(_ATX_HEADING.match(line) or (line.strip() and _SETEXT_RULE.match(following)))
            line = _SPACE_BEFORE_MARKER.sub("", _replace_outside_code(line, replace))
        out.append(line)
    return "\n".join(out)


# The space typed between a word (or another marker) and a marker goes; after anything else
# ("- [1]", "1. [1]") it is Markdown syntax and stays (the joiner still keeps them together).
_SPACE_BEFORE_MARKER = re.compile(r"(?<=[\w>\]\"'\u2019\u201d%])[ \t]+(?=\u2060)")
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_SETEXT_RULE = re.compile(r"^\s{0,3}(=+|-+)\s*$")


def expand_markers(html: str, token: str) -> str:
    """Turn the `token` words left by `link_markers` into the citation links."""
    if token not in html:
        return html
    pattern = re.compile(JOINER + re.escape(token) + r"(\d{1,3})n(\d{1,4})x")
    return pattern.sub(lambda m: cite_html(int(m.group(1)), int(m.group(2))), html)


def _replace_outside_code(line: str, replace: Callable[[re.Match[str]], str]) -> str:
    pieces, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        pieces.append(MARKER.sub(replace, line[last:span.start()]))
        pieces.append(span.group(0))
        last = span.end()
    pieces.append(MARKER.sub(replace, line[last:]))
    return "".join(pieces)
