"""French role flags: one person called both "l'ancien président" and "le président".

The English checks (:mod:`stancegraph.extract.consistency`) read English words ("former",
"then-"); here a French role's tense says it: "ancien", "ex-" give ``past``. A person given
an office as past and, elsewhere in the article, as held now (a title before the name: a
descriptor alone may be another holder) is a ``role_conflict``, as in English.

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

from stancegraph.extract.fr.actors import same_office
from stancegraph.records import Actor, Flag

__all__ = ["role_flags"]


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
