"""Directed pairs: which actor pairs are asked of the directed model, and how answers become stances.

Sentences are written for these tests; the model is a stub that answers one fixed label, so the
tests check the pairing and the direction, not the model.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language

from stancegraph.extract.actors import find_actors
from stancegraph.extract.stances import RULES_ONLY, find_stances
from stancegraph.records import Quote, Span


class FixedPairs:
    """Answers one label for every pair and records what it was asked."""

    def __init__(self, label: str, probability: float = 0.8) -> None:
        self.answer = (label, probability)
        self.calls: list[list[tuple[str, tuple[int, int], tuple[int, int]]]] = []

    def predict_pairs(self, items: Sequence[tuple[str, tuple[int, int], tuple[int, int]]]) -> list[tuple[str, float]]:
        self.calls.append(list(items))
        return [self.answer for _ in items]


def stances(nlp: Language, text: str, model: FixedPairs, quotes: Sequence[Quote] = ()) -> set[tuple[str, str, int]]:
    doc = nlp(text)
    found = find_stances(doc, find_actors(doc), list(quotes), classifier=RULES_ONLY, directed=model)
    return {(s.actor, s.target, s.polarity) for s in found}


def test_actors_sharing_a_sentence_are_asked_once_in_one_call(nlp: Language) -> None:
    model = FixedPairs("p->q negative")
    text = "Senator Ada Quist had a good morning with Governor Rolf Amsel. Later Ada Quist met Mina Torvik on a great day."
    found = stances(nlp, text, model)
    assert len(model.calls) == 1
    asked = {(t[p[0]:p[1]], t[q[0]:q[1]]) for t, p, q in model.calls[0]}
    assert asked == {("Senator Ada Quist", "Governor Rolf Amsel"), ("Ada Quist", "Mina Torvik")}
    assert found == {("ada-quist", "rolf-amsel", -1), ("ada-quist", "mina-torvik", -1)}


def test_a_sentence_without_a_word_of_stance_is_not_asked(nlp: Language) -> None:
    model = FixedPairs("p->q negative")
    assert stances(nlp, "Senator Ada Quist spent the morning with Governor Rolf Amsel.", model) == set()
    assert model.calls == []


def test_the_direction_of_the_answer_picks_the_holder(nlp: Language) -> None:
    text = "Senator Ada Quist had a good morning with Governor Rolf Amsel."
    assert stances(nlp, text, FixedPairs("q->p positive")) == {("rolf-amsel", "ada-quist", 1)}
    assert stances(nlp, text, FixedPairs("neutral", 0.99)) == set()
    assert stances(nlp, text, FixedPairs("p->q positive", 0.3)) == set()


def test_a_pair_the_rules_relate_is_not_asked(nlp: Language) -> None:
    model = FixedPairs("p->q positive")
    found = stances(nlp, "Senator Ada Quist condemned Governor Rolf Amsel.", model)
    assert model.calls == []
    assert found == {("ada-quist", "rolf-amsel", -1)}


def test_a_quote_speaker_is_asked_about_actors_the_quote_names(nlp: Language) -> None:
    text = "Ada Quist spoke in Tromsø on Monday. “Rolf Amsel has failed this town.”"
    start = text.index("Rolf")
    quote = Quote("direct", Span.of(text, start, len(text) - 1), None, None, "ada-quist", 0.9)
    model = FixedPairs("p->q negative")
    assert stances(nlp, text, model, [quote]) == {("ada-quist", "rolf-amsel", -1)}
    ((said, p, q),) = model.calls[0]
    assert said[p[0]:p[1]] == "Ada Quist" and said[q[0]:q[1]] == "Rolf Amsel"
    # only the speaker's direction counts for a quote
    assert stances(nlp, text, FixedPairs("q->p negative"), [quote]) == set()
