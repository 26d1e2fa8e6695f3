"""Claims: the figures an article reports (issue 6, in progress)."""

from __future__ import annotations

from spacy.tokens import Doc

from stancegraph.extract.actors import ActorIndex
from stancegraph.records import Claim, Quote

__all__ = ["find_claims"]


def find_claims(doc: Doc, actors: ActorIndex, quotes: list[Quote]) -> list[Claim]:
    """The figures of a parsed article (being written)."""
    return []
