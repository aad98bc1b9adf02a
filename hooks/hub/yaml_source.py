"""YAML that keeps line numbers and refuses YAML's traps.

PyYAML's loader silently keeps the last of duplicate keys, turns `no` into False and `012` into
10, and expands alias bombs. We only *compose* the document (libyaml, fast) and walk the node
tree ourselves: scalars stay the text the editor typed, each value knows its line, and
duplicate keys, aliases and explicit tags become problems instead of surprises.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

import yaml

_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))


class _TextResolver(yaml.resolver.BaseResolver):
    """Plain scalars are text (or null): we never use YAML 1.1's bool/int/float/timestamp
    guesses, and skipping them makes composing a story about twice as fast."""

    def resolve(self, kind: type, value: object, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _NULL if value in _NULL_WORDS else _STR
        return super().resolve(kind, value, implicit)


try:
    class _Loader(yaml.cyaml.CParser, yaml.constructor.BaseConstructor, _TextResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.BaseConstructor.__init__(self)
            _TextResolver.__init__(self)
except AttributeError:  # PyYAML built without libyaml
    class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore[no-redef]
                  yaml.composer.Composer, yaml.constructor.BaseConstructor, _TextResolver):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.BaseConstructor.__init__(self)
            _TextResolver.__init__(self)

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
# Front matter is three levels deep (story -> sources -> source); deeper is hostile or a mistake,
# and unbounded depth would exhaust Python's recursion limit in the walk below.
MAX_DEPTH = 16


@dataclass(frozen=True)
class Scalar:
    """A scalar exactly as written; `is_null` for `~`, `null` or nothing."""

    text: str
    line: int
    is_null: bool = False


@dataclass(frozen=True)
class Sequence:
    items: list["Value"]
    line: int


@dataclass(frozen=True)
class Mapping:
    """Keys in document order, with the line of each key."""

    entries: dict[str, "Value"]
    key_lines: dict[str, int]
    line: int


Value = Union[Scalar, Sequence, Mapping]


class YamlError(Exception):
    """A document that cannot be used; `line` is 1-based in the file."""

    def __init__(self, line: int, message: str, fix: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.fix = fix


_HINTS = {
    "found character '\\t'": "YAML does not allow tabs for indentation; indent with spaces.",
    "mapping values are not allowed": "Put quotes around a value that contains ': '.",
    "could not find expected ':'": "Each line needs `key: value`; quote values that contain ': ' or start with a special character.",
    "found undefined alias": "Anchors and aliases (&name, *name) are not allowed; write the value out.",
}


def compose(text: str, first_line: int) -> Value | None:
    """Compose `text` (YAML that starts at file line `first_line`) into plain nodes."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # The parser notices an unclosed quote lines later (at the next quote, or the end); the
        # editor's mistake is the line where it opened.
        opened = _unclosed_quote(text, mark.line if mark else len(text))
        if opened is None and exc.context == "while scanning a quoted scalar" and exc.context_mark:
            opened = exc.context_mark.line
        if opened is not None:
            raise YamlError(first_line + opened, "invalid YAML: a quoted value is never closed",
                            "End the value with the quote mark it starts with, on this line.") from None
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or exc.context or "invalid YAML"
        fix = next((hint for key, hint in _HINTS.items() if key in problem),
                   "Check the indentation and quoting on this line.")
        raise YamlError(line, f"invalid YAML: {problem}", fix) from None
    except yaml.YAMLError as exc:
        raise YamlError(first_line, f"invalid YAML: {exc}", "Check the front matter syntax.") from None
    if node is None:
        return None
    if "&" in text:  # an alias needs an anchor; name the line where the alias is used
        _reject_aliases(text, first_line)
    return _convert(node, first_line, set())


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s:"'#][^:#]*:\s+)?(?P<quote>["'])(?P<rest>.*)$""")


def _unclosed_quote(text: str, before: int) -> int | None:
    """The first line (0-based, up to `before`) whose value opens a quote the line never closes."""
    for number, line in enumerate(text.split("\n")[:before + 1]):
        match = _QUOTED_VALUE.match(line)
        if match is None:
            continue
        rest = match["rest"]
        if match["quote"] == '"':
            closed = re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None
        else:
            closed = "'" in rest.replace("''", "")
        if not closed:
            return number
    return None


def _reject_aliases(text: str, first_line: int) -> None:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(first_line + event.start_mark.line,
                            "YAML anchors and aliases (&name, *name) are not allowed",
                            "Write the value out in full where the alias is used.")


def _convert(node: yaml.Node, first_line: int, seen: set[int], depth: int = 0) -> Value:
    line = first_line + node.start_mark.line
    if depth > MAX_DEPTH:
        raise YamlError(line, f"values are nested more than {MAX_DEPTH} levels deep",
                        "Front matter needs at most three levels; flatten the value.")
    if id(node) in seen:
        raise YamlError(line, "YAML anchors and aliases (&name, *name) are not allowed",
                        "Write the value out in full where the alias is used.")
    if node.tag not in _STANDARD_TAGS:
        raise YamlError(line, f"YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed",
                        "Remove the `!` tag; write plain values.")
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, line, is_null=node.tag == _NULL and node.style is None)
    if isinstance(node, yaml.SequenceNode):
        return Sequence([_convert(item, first_line, seen, depth + 1) for item in node.value], line)
    entries: dict[str, Value] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key_line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlError(key_line, "a key must be plain text", "Write `key: value`.")
        key = key_node.value
        if key in entries:
            raise YamlError(key_line, f"duplicate key `{key}` (first on line {key_lines[key]})",
                            "Keep one of the two entries; YAML would silently drop the first.")
        entries[key] = _convert(value_node, first_line, seen, depth + 1)
        key_lines[key] = key_line
    return Mapping(entries, key_lines, line)
