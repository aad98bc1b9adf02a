"""Finding registry terms (companies, tags) named in free text.

Used by the integrity check (a company named in a story but not listed in its front matter), by
the report and by the seed importer. One compiled alternation per registry: the regex engine
skips every position whose first character cannot start a name, so 10,000 story bodies scan in
well under a second; word boundaries are checked on the few hits, not at every position.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .registry import Registry, Term


@dataclass(frozen=True)
class Mention:
    term: Term
    offset: int  # character offset of the first mention in the scanned text
    written: str = ""  # the name or alias as the text has it there ("Facebook" for Meta)
    count: int = 1  # how often the text names the term, by any of its names


class TermMatcher:
    """Finds the terms of one registry in text, by canonical name or alias.

    `ignore_case=False` suits companies (proper nouns: "Apple" the company, not "apple"), while
    `ignore_case=True, plurals=True` suits topics ("AI chips", "investments").
    """

    def __init__(self, registry: Registry, *, ignore_case: bool = False, plurals: bool = False) -> None:
        self.ignore_case = ignore_case
        self._names: dict[str, Term] = {}
        for term in registry.terms:
            for name in (term.name, *term.aliases):
                name = " ".join(name.split())
                if len(name) >= 2:
                    self._names.setdefault(self._key(name), term)
        # Longest first, so "Alibaba Group" wins over "Alibaba" at the same position.
        alternatives = sorted(self._names, key=len, reverse=True)
        flags = re.IGNORECASE if ignore_case else 0
        body = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in alternatives)
        suffix = "(?:e?s)?" if plurals else ""
        self._pattern = re.compile(f"(?:{body}){suffix}", flags) if alternatives else None
        self._plurals = plurals

    def _key(self, name: str) -> str:
        return name.casefold() if self.ignore_case else name

    def _term_for(self, matched: str) -> Term | None:
        text = " ".join(matched.split())
        for candidate in (text, text[:-1], text[:-2]) if self._plurals else (text,):
            term = self._names.get(self._key(candidate))
            if term is not None:
                return term
        return None

    def _hits(self, text: str) -> Iterator[tuple[Term, int, str]]:
        """(term, offset, matched text) for every whole-word mention."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(text):
            start, end = match.span()
            if (start and _is_word(text[start - 1])) or (end < len(text) and _is_word(text[end])):
                continue
            term = self._term_for(match.group(0))
            if term is not None:
                yield term, start, match.group(0)

    def find(self, text: str) -> list[Mention]:
        """Each term named in `text` once, at its first mention (with how often it is named), in
        order of appearance."""
        seen: dict[str, Mention] = {}
        for term, start, written in self._hits(text):
            first = seen.get(term.slug)
            seen[term.slug] = (Mention(term, start, " ".join(written.split())) if first is None
                               else Mention(term, first.offset, first.written, first.count + 1))
        return list(seen.values())

    def count(self, text: str) -> Counter[str]:
        """How often each term (by slug) is named: the importer ranks suggested tags by it."""
        return Counter(term.slug for term, _, _ in self._hits(text))


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"
