"""Stance language: the lexicons of stance verbs, nouns and judgements, and token tests on negation,
hedging, questions and proposals that every part of stance finding shares.

The word lists live in :mod:`stancegraph.lang` (``stance_verbs.tsv``, ``stance_nouns.tsv``,
``stance_evaluations.tsv``, ``stance_negators.txt``, ``stance_hedges.txt``, ...).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from spacy.tokens import Token

from stancegraph import lang

__all__ = [
    "NounFrame",
    "VerbFrame",
    "asks_or_supposes",
    "hedge",
    "judged",
    "judgement_words",
    "modal_tokens",
    "noun_frames",
    "open_question",
    "phrase_of",
    "phrase_tokens",
    "plural_holder_nouns",
    "pointing_back",
    "sign",
    "verb_frames",
]

HEDGE_FACTOR = 0.7
DEMONSTRATIVE_WINDOW_SENTENCES = 3
DEFINITE_WINDOW_SENTENCES = 8
DEMONSTRATIVES = frozenset({"this", "that", "these", "those", "such"})
CONDITIONAL_MARKS = frozenset({"whether", "if"})
QUESTION_WORDS = frozenset({"how", "why", "what", "which", "whether"})



@dataclass(frozen=True)
class VerbFrame:
    polarity: int
    frame: str  # dobj, xcomp, oprd, prep:<word>
    kind: str  # evaluate, position, light, describe
    required: tuple[str, str] | None  # (preposition, object lemma) that must hang on the verb


@functools.cache
def verb_frames() -> dict[str, tuple[VerbFrame, ...]]:
    frames: dict[str, list[VerbFrame]] = defaultdict(list)
    for lemma, polarity, frame, kind, *required in lang.rows("stance_verbs.tsv"):
        need = tuple(required[0].split()) if required else None
        frames[lemma].append(VerbFrame(int(polarity), frame, kind, need))  # type: ignore[arg-type]
    return {lemma: tuple(found) for lemma, found in frames.items()}


@dataclass(frozen=True)
class NounFrame:
    polarity: int
    preps: frozenset[str]  # prepositions that introduce the target; "to" also an infinitive
    kind: str  # evaluate, position


@functools.cache
def noun_frames() -> dict[str, NounFrame]:
    rows = lang.rows("stance_nouns.tsv")
    return {noun: NounFrame(int(polarity), frozenset(preps.split(",")), kind) for noun, polarity, preps, kind in rows}


@functools.cache
def judgement_words() -> dict[str, int]:
    return {word: int(polarity) for word, polarity in lang.rows("stance_evaluations.tsv")}


@functools.cache
def plural_holder_nouns() -> frozenset[str]:
    offices = {row[0] for row in lang.rows("titles.tsv") if " " not in row[0]}
    return frozenset(offices | lang.lines("stance_plural_holders.txt"))


def sign(token: Token) -> int:
    """-1 when a negator modifies the token ("did not back", "no support"), else 1."""
    negators = lang.lines("stance_negators.txt")
    negated = any(c.dep_ == "neg" or (c.lower_ in negators and c.dep_ in {"det", "advmod", "preconj"})
                  for c in token.children)
    return -1 if negated else 1


def hedge(token: Token) -> float:
    hedges = lang.lines("stance_hedges.txt")
    return HEDGE_FACTOR if any(c.lower_ in hedges and c.dep_ in {"aux", "advmod"} for c in token.children) else 1.0


def modal_tokens(token: Token) -> list[int]:
    """Negators, hedges and auxiliaries on a predicate: part of its evidence."""
    return [c.i for c in token.children if c.dep_ in {"neg", "aux", "auxpass"}]


def pointing_back(noun: Token) -> int:
    """How many sentences back a proposal noun may point: "this approach" to the last few,
    a bare "the plan" (nothing else to say which) to the article's recent topic; 0 if it
    names its own content ("the Labour plan", "the plan to cut taxes")."""
    children = list(noun.children)
    if any(c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in children):
        return DEMONSTRATIVE_WINDOW_SENTENCES
    bare = all(c.dep_ in {"det", "punct", "cc", "conj"} for c in children)
    if bare and any(c.dep_ == "det" and c.lower_ == "the" for c in children):
        return DEFINITE_WINDOW_SENTENCES
    return 0


def open_question(token: Token) -> bool:
    """Whether a token heads a clause that asks rather than states.

    "whether Putin can be trusted", "if he backs it", "how he would like ...".
    """
    return any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in token.children) or (
        token.dep_ in {"ccomp", "pcomp", "xcomp"}
        and any(c.lower_ in QUESTION_WORDS and c.i < token.i for c in token.children)
    )


def judged(word: Token) -> int:
    """The judgement a complement makes: -1 if any of its words is negative, +1 if positive, else 0."""
    judgements = judgement_words()
    polarities = [judgements[t.lemma_.lower()] for t in [word, *(c for c in word.children if c.dep_ == "amod")]
                  if t.lemma_.lower() in judgements]
    if not polarities:
        return 0
    return (-1 if min(polarities) < 0 else 1) * sign(word)


def phrase_of(token: Token) -> list[int]:
    """A complement with its modifiers and prepositional phrases, without clauses hanging off it."""
    clauses = {t.i for c in token.children if c.dep_ in {"relcl", "acl", "advcl"} for t in c.subtree}
    return [t.i for t in token.subtree if t.i not in clauses]


def phrase_tokens(verb: Token, phrase: tuple[str, str]) -> list[int]:
    """The tokens of a required phrase on a verb ("at his word"), or [] when it is missing."""
    word, lemma = phrase
    for child in verb.children:
        if child.lower_ == word and any(g.lemma_.lower() == lemma for g in child.children):
            return [t.i for t in child.subtree]
    return []


def asks_or_supposes(token: Token) -> bool:
    """Whether a token stands in a clause that asks or supposes ("if ...", "whether ...", a question)."""
    sentence = token.sent
    if sentence[-1].text == "?" or (len(sentence) > 1 and sentence[-2].text == "?"):
        return True
    for node in [token, *token.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ in {"if", "whether", "unless"} for c in node.children):
            return True
    return False
