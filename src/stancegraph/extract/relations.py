"""Relations: two actors that took stances on one target agree or conflict.

    :func:`find_relations` relates two actors that took non-zero stances on one target:
``agree`` for the same polarity, ``conflict`` for opposite ones. Given the article's
actors, a person who heads a country in the article (a role of office class ``head``
with that country, and no past role there) and the country are one target: the relation
is ``on`` the country unless both stances name the person.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence

from stancegraph.records import Actor, Relation, Stance, holders

__all__ = ["find_relations"]


def _leaders(actors: Sequence[Actor]) -> dict[str, str]:
    """Person id -> id of the country the article makes them the head of (now, not formerly)."""
    countries = {actor.name: actor.id for actor in actors if actor.type == "country"}
    leaders: dict[str, str] = {}
    for actor in actors:
        if actor.type != "person":
            continue
        headed = {role.country for role in actor.roles if role.office_class == "head" and role.country in countries}
        former = {role.country for role in actor.roles if role.tense == "past"}
        current = sorted(headed - former)
        if len(current) == 1:
            leaders[actor.id] = countries[current[0]]
    return leaders


def find_relations(stances: list[Stance], actors: Sequence[Actor] = ()) -> list[Relation]:
    """Agreement and conflict between actors with non-zero stances on one target.

    Every pair of their stances counts, so an actor who took both sides of a target both
    agrees and conflicts with another; each (pair, target, kind) is one relation, ``a``
    before ``b``, sorted. A stance held by a group ("both leaders") counts for each of its
    members (:func:`stancegraph.records.holders`). With the article's ``actors``, a stance toward a country's
    current head and one toward the country count as one target (the relation is then ``on``
    the country).
    """
    leaders = _leaders(actors)
    by_target: dict[tuple[str, str], dict[str, list[Stance]]] = defaultdict(lambda: defaultdict(list))
    for stance in stances:
        if stance.polarity == 0:
            continue
        target = leaders.get(stance.target, stance.target) if stance.target_kind == "actor" else stance.target
        for holder in holders(stance, actors):
            if target not in {holder, leaders.get(holder)}:
                by_target[(stance.target_kind, target)][holder].append(stance)
    relations: set[tuple[str, str, str, str]] = set()
    for (_, target), held in by_target.items():
        for a, b in itertools.combinations(sorted(held), 2):
            for first, second in itertools.product(held[a], held[b]):
                kind = "agree" if first.polarity == second.polarity else "conflict"
                on = first.target if first.target == second.target else target
                relations.add((a, b, on, kind))
    return [Relation(a, b, kind, on) for a, b, on, kind in sorted(relations)]  # type: ignore[arg-type]
