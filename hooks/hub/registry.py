"""Tag and company registries: the canonical names, slugs, descriptions and aliases.

Front matter may name a term by any alias in any letter case; pages always show the canonical
name. Unknown names get the closest known names as a suggestion.
"""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .problems import ProblemList
from .slugs import is_valid_slug, slugify
from .text import clean_text, read_text
from .urls import is_web_url
from .yaml_source import Mapping, Scalar, Sequence, YamlError, compose


@dataclass(frozen=True)
class Term:
    """One tag or company."""

    name: str
    slug: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    homepage: str = ""


@dataclass
class Registry:
    """Terms of one kind (`tag` or `company`), looked up by name, slug or alias, any case."""

    kind: str
    terms: list[Term] = field(default_factory=list)
    _by_key: dict[str, Term] = field(default_factory=dict, repr=False)

    def add(self, term: Term) -> Term | None:
        """Add a term; return the term it clashes with, if a name or alias is already taken."""
        keys = {_key(term.name), _key(term.slug), *(_key(alias) for alias in term.aliases)}
        for key in keys:
            if key in self._by_key and self._by_key[key] is not term:
                return self._by_key[key]
        self.terms.append(term)
        self._by_key.update(dict.fromkeys(keys, term))
        return None

    def find(self, name: str) -> Term | None:
        return self._by_key.get(_key(name))

    def suggest(self, name: str) -> list[str]:
        """Canonical names closest to `name`, best first."""
        close = difflib.get_close_matches(_key(name), self._by_key, n=6, cutoff=0.6)
        names = dict.fromkeys(self._by_key[key].name for key in close)
        return list(names)[:3]

    def by_slug(self) -> dict[str, Term]:
        return {term.slug: term for term in self.terms}


def _key(text: str) -> str:
    """Lookup key: case-folded, whitespace collapsed, invisible format characters (zero-width
    spaces, bidi overrides) dropped, so `LL\u200bM` finds `LLM` instead of a look-alike."""
    if not text.isprintable():
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch.isspace())
    return " ".join(text.casefold().split())


_TERM_FIELDS = {"name", "slug", "description", "aliases", "homepage"}


def load_registry(path: Path, display_path: str, kind: str, problems: ProblemList) -> Registry:
    """Read a registry file: a YAML list of terms. A missing file is an empty registry."""
    registry = Registry(kind)
    if not path.exists():
        return registry
    text = read_text(path.read_bytes(), problems)
    if text is None:
        return registry
    try:
        document = compose(text, 1)
    except YamlError as exc:
        problems.add(exc.line, kind, exc.message, exc.fix)
        return registry
    if document is None:
        return registry
    if not isinstance(document, Sequence):
        problems.add(document.line, kind, "the registry must be a YAML list of entries",
                     "Start each entry with `- name: ...`.")
        return registry
    for item in document.items:
        term = _read_term(item, kind, problems)
        if term is None:
            continue
        clash = registry.add(term)
        if clash is not None:
            problems.add(item.line, "name", f"{kind} `{term.name}` clashes with `{clash.name}`: "
                         "a name, slug or alias is used twice", "Make names, slugs and aliases unique.")
    return registry


def _read_term(item: object, kind: str, problems: ProblemList) -> Term | None:
    if not isinstance(item, Mapping):
        line = getattr(item, "line", 1)
        problems.add(line, kind, "each entry must be a mapping with `name:`", "Write `- name: ...`.")
        return None
    for key in item.entries.keys() - _TERM_FIELDS:
        problems.add(item.key_lines[key], key, f"unknown field in {kind} registry",
                     f"Use only {', '.join(sorted(_TERM_FIELDS))}.")
    values: dict[str, str] = {}
    for key in ("name", "slug", "description", "homepage"):
        value = item.entries.get(key)
        if value is None:
            continue
        if not isinstance(value, Scalar):
            problems.add(value.line, key, "must be plain text", "Write a single value.")
            continue
        if not value.is_null:
            values[key] = clean_text(value.text)
    name = values.get("name", "")
    if not name:
        problems.add(item.line, "name", f"{kind} entry has no name", "Add `name: ...`.")
        return None
    slug = values.get("slug") or slugify(name)
    if not is_valid_slug(slug):
        line = item.key_lines.get("slug", item.line)
        problems.add(line, "slug", f"`{slug}` is not a valid slug",
                     "Use lowercase ASCII letters, digits and single hyphens, e.g. `open-ai`.")
        return None
    homepage = values.get("homepage", "")
    if homepage and not is_web_url(homepage):
        problems.add(item.key_lines["homepage"], "homepage", f"`{homepage}` is not an http(s) URL",
                     "Write the full address, starting with https://.")
        homepage = ""
    aliases_node = item.entries.get("aliases")
    aliases: list[str] = []
    if isinstance(aliases_node, Sequence):
        aliases = [clean_text(a.text) for a in aliases_node.items if isinstance(a, Scalar) and not a.is_null]
    elif isinstance(aliases_node, Scalar) and not aliases_node.is_null:
        aliases = [clean_text(aliases_node.text)]
    return Term(name, slug, values.get("description", ""), tuple(aliases), homepage)
