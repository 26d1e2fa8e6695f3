"""Score stances against hand-annotated ones (the ``stances`` of an ``eval quotes`` set).

A gold stance is a holder (the actor's name the set keys on), a target (an actor's name, or
an issue in the words the article names it by), its kind (``actor`` or ``issue``), a polarity
(+1 support, -1 opposition) and its evidence (a sentence of the article). A predicted stance
matches a gold one, one to one by largest evidence overlap
(:func:`stancegraph.evaluation.claims.match`), when the evidence spans overlap and:

* ``full``: the holder, the polarity and the target agree. A holder or an actor target agrees
  when the gold name equals (as :func:`~stancegraph.names.name_key`) the predicted actor's
  name or one of its aliases; an issue target agrees when the gold words and the predicted
  label or target words share a content word (see :func:`content_words`); the kinds must be
  the same;
* ``holder_polarity``: the holder and the polarity agree, whatever the target.

Predicted stances of polarity 0 are not counted: a neutral mention is not a stance.
Precision is over predicted stances, recall over gold ones (:func:`~stancegraph.evaluation.claims.field_score`).

Example
-------
>>> gold = [GoldStance(0, 30, "Marc Leroy", "réforme des retraites", "issue", -1)]
>>> predicted = [PredictedStance(0, 25, ("Marc Leroy",), ("retraites",), "issue", -1)]
>>> score(gold, predicted, lang="fr").full.f1
1.0
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from stancegraph.evaluation.claims import FieldScore, field_score, match
from stancegraph.names import name_key
from stancegraph.records import ArticleAnalysis

__all__ = ["GoldStance", "PredictedStance", "StanceScores", "content_words", "predicted_stances", "read_stance",
           "score", "total"]

KINDS = ("actor", "issue")
MIN_WORD = 3


@dataclass(frozen=True)
class GoldStance:
    """One annotated stance, its evidence located in the text."""

    start: int
    end: int
    actor: str
    target: str
    kind: str
    polarity: int


@dataclass(frozen=True)
class PredictedStance:
    """One predicted stance: its evidence span, the names of its holder and of its target."""

    start: int
    end: int
    actor_names: tuple[str, ...]
    target_names: tuple[str, ...]
    kind: str
    polarity: int


@dataclass(frozen=True)
class StanceScores:
    """Stance precision, recall and F1 with the target and without it, and the counts."""

    gold: int
    predicted: int
    full: FieldScore
    holder_polarity: FieldScore


def read_stance(text: str, item: dict[str, Any]) -> GoldStance:
    """A gold stance of an article; ValueError or KeyError says what is wrong with it."""
    evidence = item["evidence"]
    if text.count(evidence) != 1:
        raise ValueError(f"stance evidence {evidence!r} occurs {text.count(evidence)} times, not once")
    if item["kind"] not in KINDS:
        raise ValueError(f"stance kind {item['kind']!r} is not one of {', '.join(KINDS)}")
    if item["polarity"] not in (-1, 1):
        raise ValueError(f"stance polarity {item['polarity']!r} is not -1 or 1")
    if not item["actor"] or not item["target"]:
        raise ValueError("a stance needs an actor and a target")
    start = text.index(evidence)
    return GoldStance(start, start + len(evidence), item["actor"], item["target"], item["kind"], item["polarity"])


def predicted_stances(analysis: ArticleAnalysis) -> list[PredictedStance]:
    """The article's stances of polarity +1 or -1, with the names their actors are known by."""
    actors = {actor.id: (actor.name, *actor.aliases) for actor in analysis.actors}
    found = []
    for stance in analysis.stances:
        if stance.polarity == 0:
            continue
        if stance.target_kind == "actor":
            targets = actors.get(stance.target, (stance.target,))
        else:
            targets = tuple(words for words in (stance.target, stance.target_phrase) if words)
        found.append(PredictedStance(stance.evidence.start, stance.evidence.end, actors.get(stance.actor, (stance.actor,)),
                                     targets, stance.target_kind, stance.polarity))
    return found


@functools.cache
def _stop_words(lang: str) -> frozenset[str]:
    import spacy.util

    return frozenset(spacy.util.get_lang_class(lang).Defaults.stop_words)


def content_words(words: str, lang: str) -> set[str]:
    """The words of an issue that carry its meaning: alphabetic, at least three letters, not a
    stop word of the language (spaCy's list), case-folded, a final plural "s" or "x" dropped."""
    stop = _stop_words(lang)
    found = set()
    for word in re.findall(r"\w+", words.casefold()):
        if word.isalpha() and len(word) >= MIN_WORD and word not in stop:
            found.add(word[:-1] if len(word) > MIN_WORD and word[-1] in "sx" else word)
    return found


def _named(name: str, names: Sequence[str]) -> bool:
    return name_key(name) in {name_key(n) for n in names}


def _target_agrees(gold: GoldStance, predicted: PredictedStance, lang: str) -> bool:
    if gold.kind != predicted.kind:
        return False
    if gold.kind == "actor":
        return _named(gold.target, predicted.target_names)
    wanted = content_words(gold.target, lang)
    return any(wanted & content_words(words, lang) for words in predicted.target_names)


def _holder_polarity(gold: GoldStance, predicted: PredictedStance) -> bool:
    return gold.polarity == predicted.polarity and _named(gold.actor, predicted.actor_names)


def _matched(gold: Sequence[GoldStance], predicted: Sequence[PredictedStance],
             compatible: Callable[[GoldStance, PredictedStance], bool]) -> int:
    return sum(1 for g, p in match(gold, predicted, compatible=compatible) if g is not None and p is not None)


def score(gold: Sequence[GoldStance], predicted: Sequence[PredictedStance], *, lang: str) -> StanceScores:
    """The scores of one article's stances (``lang`` gives the stop words of issue targets)."""
    full = _matched(gold, predicted, lambda g, p: _holder_polarity(g, p) and _target_agrees(g, p, lang))
    loose = _matched(gold, predicted, _holder_polarity)
    return StanceScores(len(gold), len(predicted), field_score(full, len(predicted), len(gold)),
                        field_score(loose, len(predicted), len(gold)))


def total(scores: Sequence[StanceScores]) -> StanceScores:
    """Micro-averaged scores of several articles."""
    gold, predicted = sum(s.gold for s in scores), sum(s.predicted for s in scores)
    return StanceScores(gold, predicted,
                        field_score(sum(s.full.correct for s in scores), predicted, gold),
                        field_score(sum(s.holder_polarity.correct for s in scores), predicted, gold))
