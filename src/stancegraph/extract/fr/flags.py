"""French flags: the checks of :mod:`stancegraph.extract.consistency` on a French article.

Role conflicts are read here, since a French role's tense says it: "ancien", "ex-" give
``past``. A person given an office as past and, elsewhere in the article, as held now (a
title before the name: a descriptor alone may be another holder) is a ``role_conflict``, as
in English. The other checks are the English ones with the French data of ``lang/fr/``: a
speaker's own words that say they are out of office ("quand je reviendrai à l'Élysée",
``out_of_office_cues.tsv``), durations against the article's date and a stated start ("la
guerre a commencé en février 2022", ``event_verbs.tsv``, ``time_start_cues.txt``, dates read
with ``months.tsv``), one actor for and against one target, and figures that cannot all be
true (``figure_cues.tsv``: "dont", "au total", words of change), and two ages of one person
that disagree or an age that does not fit a stated birth ("né en 1942", ``age_cues.tsv``).

Example
-------
>>> from stancegraph.records import Actor, Role, Span
>>> past = Role(Span(0, 18, "L'ancien président"), "L'ancien président", "président", "head", None, "past")
>>> now = Role(Span(40, 54, "Le président X"), "Le président", "président", "head", None, None)
>>> [f.kind for f in role_flags([Actor("x", "X", "person", roles=[past, now])])]
['role_conflict']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from spacy.tokens import Doc

from stancegraph.extract.claims import sentence_of
from stancegraph.extract.consistency import (
    age_flags,
    article_date,
    duration_flags,
    figure_flags,
    out_of_office_flags,
    sentence_dates,
    stance_flags,
)
from stancegraph.extract.fr.actors import FrenchActors, same_office
from stancegraph.extract.fr.claims import age_cues
from stancegraph.records import Actor, Article, Claim, Flag, Quote, Span, Stance

__all__ = ["find_flags", "role_flags"]

LANG = "fr"
NEAR_CHARS = 60
"""How far from an age or a birth cue the person it is given for is looked for."""


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
    day = article_date(article)
    return [
        *role_flags(actors.actors),
        *out_of_office_flags(actors, quotes, LANG),
        *duration_flags(doc, claims, day, language=LANG),
        *age_flags(actors, _ages(actors, claims), _births(doc, actors), day),
        *stance_flags(stances, {actor.id: actor.name for actor in actors.actors}),
        *figure_flags(doc, claims, LANG),
    ]


def _ages(actors: FrenchActors, claims: list[Claim]) -> list[tuple[Claim, str | None]]:
    """Each age claim with its person: the name just before it ("X, 81 ans", "X, âgée de 45
    ans"), else the one just after it ("Âgé de 81 ans, X …")."""
    ages = []
    for claim in claims:
        if claim.subject != "age":
            continue
        found = actors.mention_in(max(0, claim.span.start - NEAR_CHARS), claim.span.start, last=True) \
            or actors.mention_in(claim.span.end, claim.span.end + NEAR_CHARS)
        ages.append((claim, found[1] if found and actors.is_person(found[1]) else None))
    return ages


def _births(doc: Doc, actors: FrenchActors) -> dict[str, tuple[dt.date, str, Span]]:
    """Birth dates the text states: "X, né en 1942," -> X."""
    cues = {cue[0] for cue in age_cues("birth")}
    births: dict[str, tuple[dt.date, str, Span]] = {}
    for token in doc:
        if token.lower_ not in cues:
            continue
        dates = [(parsed, span) for parsed, span in sentence_dates(sentence_of(token), LANG)
                 if parsed and span.start > token.idx]
        owner = actors.mention_in(max(0, token.idx - NEAR_CHARS), token.idx, last=True)
        if dates and owner is not None and actors.is_person(owner[1]):
            (day, precision), span = dates[0]
            births.setdefault(owner[1], (day, precision, span))
    return births
