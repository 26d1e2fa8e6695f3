"""Quotes: direct, partial and indirect speech with cue, speaker and actor (issue 2, in progress)."""

from __future__ import annotations

from spacy.tokens import Doc

from stancegraph.extract.actors import ActorIndex
from stancegraph.records import Quote

__all__ = ["find_quotes"]


def find_quotes(doc: Doc, actors: ActorIndex) -> list[Quote]:
    """The quotes of a parsed article (being written)."""
    return []
