"""Consistency flags: where an article disagrees with itself (issue 6, in progress)."""

from __future__ import annotations

from spacy.tokens import Doc

from stancegraph.extract.actors import ActorIndex
from stancegraph.records import Article, Claim, Flag, Quote, Stance

__all__ = ["find_flags"]


def find_flags(doc: Doc, article: Article, actors: ActorIndex, quotes: list[Quote],
               stances: list[Stance], claims: list[Claim]) -> list[Flag]:
    """Self-contradictions of a parsed article (being written)."""
    return []
