"""French flags: the checks of :mod:`stancegraph.extract.consistency` on a French article.

Role conflicts are read here, since a French role's tense says it: "ancien", "ex-" give
``past``. A person given an office as past and, elsewhere in the article, as held now (a
title before the name: a descriptor alone may be another holder) is a ``role_conflict``, as
in English. The other checks are the English ones with the French data of ``lang/fr/``: a
speaker's own words that say they are out of office ("quand je reviendrai à l'Élysée",
``out_of_office_cues.tsv``), durations against the article's date and a stated start ("la
guerre a commencé en février 2022", ``event_verbs.tsv``, ``time_start_cues.txt``, dates read
with ``months.tsv``), one actor for and against one target, and figures that cannot all be
true (``figure_cues.tsv``: "dont", "au total", words of change). Ages are not checked: French
ages are not read yet.

Example
-------
>>> from stancegraph.records import Actor, Role, Span
>>> past = Role(Span(0, 18, "L'ancien président"), "L'ancien président", "président", "head", None, "past")
>>> now = Role(Span(40, 54, "Le président X"), "Le président", "président", "head", None, None)
>>> [f.kind for f in role_flags([Actor("x", "X", "person", roles=[past, now])])]
['role_conflict']
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from stancegraph.extract.consistency import (
    article_date,
    duration_flags,
    figure_flags,
    out_of_office_flags,
    stance_flags,
)
from stancegraph.extract.fr.actors import FrenchActors, same_office
from stancegraph.records import Actor, Article, Claim, Flag, Quote, Stance

__all__ = ["find_flags", "role_flags"]

LANG = "fr"


def role_flags(actors: Iterable[Actor]) -> list[Flag]:
    """A flag for each person whose one office the article gives as both past and present."""
    flags = []
    for actor in actors:
        past = [r for r in actor.roles if r.tense == "past" and r.office_class != "honorific"]
        for role in past:
            present = [r for r in actor.roles if r.tense is None and same_office(r.office, role.office)
                       and r.text != r.span.text]  # "le président" alone may be another president
            if present:
                flags.append(Flag(
                    "role_conflict", actor.id,
                    f"{actor.name} is called a former {role.office} (\u201c{role.span.text}\u201d) and the sitting "
                    f"{present[0].office} (\u201c{present[0].span.text}\u201d) in one article.",
                    sorted({role.span, *(r.span for r in present)}),
                ))
    return flags


def find_flags(doc: Doc, article: Article, actors: FrenchActors, quotes: list[Quote], stances: list[Stance],
               claims: list[Claim]) -> list[Flag]:
    """Self-contradictions of a parsed French article, by kind, as the English ones are reported."""
    return [
        *role_flags(actors.actors),
        *out_of_office_flags(actors, quotes, LANG),
        *duration_flags(doc, claims, article_date(article), language=LANG),
        *stance_flags(stances, {actor.id: actor.name for actor in actors.actors}),
        *figure_flags(doc, claims, LANG),
    ]
