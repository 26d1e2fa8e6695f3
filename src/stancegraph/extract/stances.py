"""Stances and relations (issue 3, in progress)."""

from __future__ import annotations

from spacy.tokens import Doc

from stancegraph.extract.actors import ActorIndex
from stancegraph.records import Quote, Relation, Stance

__all__ = ["find_stances", "find_relations"]


def find_stances(doc: Doc, actors: ActorIndex, quotes: list[Quote]) -> list[Stance]:
    """Where each actor stands on other actors and issues (being written)."""
    return []


def find_relations(stances: list[Stance]) -> list[Relation]:
    """Agreement and conflict between actors (being written)."""
    return []
