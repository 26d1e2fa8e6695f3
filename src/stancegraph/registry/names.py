"""Names of actors as the corpus compares them: proper-name forms, person keys, surnames.

An article's actor carries every way the article named it: "French President Emmanuel
Macron", "Macron", "he", "the French leader". Across articles only the proper names count,
without the title before them (:func:`proper_form`); a person is then compared by first and
last name, middle names and initials ignored (:func:`person_key`), or by surname alone.

Example
-------
>>> proper_form("Prime Minister Tony Blair"), proper_form("Mervyn King"), proper_form("He")
('Tony Blair', 'Mervyn King', None)
>>> person_key("Donald J. Trump"), person_key("Donald Trump Jr."), surname("Hillary Rodham Clinton")
(('donald', 'trump'), ('donald', 'trump', 'jr'), 'clinton')
"""

from __future__ import annotations

import functools

from stancegraph import lang
from stancegraph.extract.gazetteer import gazetteer
from stancegraph.names import name_key
from stancegraph.records import Actor, Span

__all__ = [
    "NAME_PARTICLES",
    "NAME_SUFFIXES",
    "key",
    "mention_kinds",
    "person_key",
    "pronouns",
    "proper_form",
    "proper_forms",
    "surname",
    "titles",
]

NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "del", "della", "le", "la",
                            "bin", "ibn", "al", "el", "ter", "ten", "dos", "das", "y"})
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NAMES_CACHED = 1 << 16  # names recur across articles: each is worked out once


@functools.lru_cache(maxsize=_NAMES_CACHED)
def key(text: str) -> str:
    """:func:`~stancegraph.names.name_key`, remembered."""
    return name_key(text)


@functools.cache
def titles() -> dict[str, str]:
    """Title or office (lower case, dots dropped) -> office class, from ``lang/titles.tsv``."""
    return {row[0].replace(".", ""): row[1] for row in lang.rows("titles.tsv")}


@functools.cache
def _title_words() -> frozenset[str]:
    return frozenset(word for title in titles() for word in title.split())


@functools.cache
def pronouns() -> frozenset[str]:
    return frozenset(row[0] for row in lang.rows("pronouns.tsv"))


def _is_title_word(word: str) -> bool:
    key = word.lower().replace(".", "")
    return key in _title_words() or any(part in _title_words() for part in key.split("-") if part)


@functools.lru_cache(maxsize=_NAMES_CACHED)
def proper_form(text: str) -> str | None:
    """The proper name in a mention, without the titles before it; None when there is none.

    The cut is after the last title word that another capitalised word follows, so that
    surnames which are also titles ("Mervyn King") stay whole.
    """
    if text.lower() in pronouns():
        return None
    words = text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    cut = 0
    for i, word in enumerate(words[:-1]):
        if _is_title_word(word) and words[i + 1][:1].isupper():
            cut = i + 1
    words = words[cut:]
    if not words or not words[0][:1].isupper():
        return None
    if any(not w[:1].isupper() and w.lower() not in NAME_PARTICLES and not w[:1].isdigit() for w in words):
        return None
    return " ".join(words)


def proper_forms(actor: Actor) -> list[str]:
    """The distinct proper-name forms of an article's actor, longest first.

    A person named in full keeps, of its one-word forms, only its surname: "Michael" for
    "Michael Howard" is a first name, which says too little outside its article.
    """
    forms = {form for text in [actor.name, *actor.aliases] if (form := proper_form(text))}
    if actor.type == "person":
        surnames = {surname(form) for form in forms if len(person_key(form)) > 1}
        if surnames:
            forms = {form for form in forms if len(person_key(form)) > 1 or key(form) in surnames}
    return sorted(forms, key=lambda form: (-len(form.split()), -len(form), form))


@functools.lru_cache(maxsize=_NAMES_CACHED)
def person_key(text: str) -> tuple[str, ...]:
    """First and last name (plus a suffix such as Jr.), middle names and initials dropped."""
    words = [w for w in key(text).replace(",", " ").split() if w]
    suffix = words.pop() if len(words) > 2 and words[-1] in NAME_SUFFIXES else None
    if len(words) <= 1:
        return tuple(words)
    first_last = (words[0], words[-1])
    return (*first_last, suffix) if suffix else first_last


@functools.lru_cache(maxsize=_NAMES_CACHED)
def surname(text: str) -> str:
    """The family name of a person's name: its last word before any suffix."""
    words = [w for w in key(text).replace(",", " ").split() if w]
    if len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def mention_kinds(actor: Actor) -> dict[Span, str]:
    """How each mention of an article's actor names it: name, title, descriptor, pronoun, ...

    The analysis keeps the roles of title and descriptor mentions; the other kinds follow from
    the mention's words (pronouns, a leading honorific, demonyms and metonyms of countries).
    """
    roles = {role.span: role for role in actor.roles}
    gaz = gazetteer()
    kinds: dict[Span, str] = {}
    for mention in actor.mentions:
        role = roles.get(mention)
        first = mention.text.split()[0].lower().replace(".", "") if mention.text.split() else ""
        if role is not None:
            kinds[mention] = "descriptor" if mention.text.endswith(role.text) else "title"
        elif mention.text.lower() in pronouns():
            kinds[mention] = "pronoun"
        elif len(mention.text.split()) > 1 and titles().get(first) == "honorific":
            kinds[mention] = "title"
        elif actor.type == "country" and key(mention.text) in gaz.metonyms:
            kinds[mention] = "metonym"
        elif actor.type == "country" and not gaz.country(mention.text) and gaz.country_of_demonym(mention.text):
            kinds[mention] = "demonym"
        else:
            kinds[mention] = "name"
    return kinds
