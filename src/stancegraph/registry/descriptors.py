"""Descriptors the article step left unresolved: "the former president" with no name near it.

Within an article the actor step resolves a descriptor to a person the article names. When the
article names nobody who fits, the descriptor can still stand for a corpus actor: the one whose
known office fits it on the article's date. :func:`find_descriptors` finds such descriptors in
the text, outside every mention the analysis already has; the resolver decides whom they name.

Example
-------
>>> [(r.span.text, r.office, r.country, r.tense)
...  for r in find_descriptors("The talks failed, the former U.S. president said.", [])]
[('the former U.S. president', 'president', 'United States', 'past')]
"""

from __future__ import annotations

import functools
import re

from stancegraph import lang
from stancegraph.extract.gazetteer import gazetteer
from stancegraph.records import Role, Span
from stancegraph.registry.names import titles

__all__ = ["find_descriptors"]

_MAX_MODIFIER_WORDS = 4


@functools.cache
def _pattern() -> re.Pattern[str]:
    offices = sorted((t for t, cls in titles().items() if cls != "honorific"), key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(word) for word in office.split()) for office in offices)
    return re.compile(
        rf"\b[Tt]he\s+(?P<mods>(?:[\w.'’\-]+\s+){{0,{_MAX_MODIFIER_WORDS}}}?)(?P<office>{alternatives})\b",
        re.IGNORECASE,
    )


@functools.cache
def _tenses() -> dict[str, str]:
    return {row[0]: row[1] for row in lang.rows("time_modifiers.tsv")}


def _modifiers(words: list[str]) -> tuple[str | None, str | None] | None:
    """(country, tense) of the words between "the" and the office, or None if one does not fit."""
    gaz = gazetteer()
    allowed = lang.lines("descriptor_modifiers.txt")
    country = tense = None
    i = 0
    while i < len(words):
        word = words[i].lower()
        if word in _tenses() or word in allowed:
            tense = tense or _tenses().get(word)
            i += 1
            continue
        for length in (3, 2, 1):
            phrase = " ".join(words[i : i + length])
            if i + length <= len(words) and phrase[:1].isupper():
                found = gaz.country(phrase) or gaz.country_of_demonym(phrase)
                if found:
                    country, i = found, i + length
                    break
        else:
            return None
    return country, tense


def find_descriptors(text: str, taken: list[tuple[int, int]]) -> list[Role]:
    """The descriptors of ``text`` that overlap no span in ``taken`` and precede no name.

    "the prime minister Tony Blair" (a title before a name), "the president of the
    Commission" (an office of something other than a country) and plurals are left out.
    """
    found: list[Role] = []
    for match in _pattern().finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        after = text[end : end + 40]
        if re.match(r"\s+(?:[A-Z]|of\b|for\b)", after) or re.match(r"[\w\-]", after):
            continue
        fitting = _modifiers(match.group("mods").split())
        if fitting is None:
            continue
        office = " ".join(match.group("office").lower().replace(".", "").split())
        found.append(Role(
            span=Span(start, end, text[start:end]),
            text=text[start + 4 : end].lstrip(),
            office=office,
            office_class=titles()[office],
            country=fitting[0],
            tense=fitting[1],
        ))
    return found
