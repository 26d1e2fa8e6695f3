"""Statements from what actors say: the speaker's stance on an issue from evaluative and modal language.

In a quote's content or a clause a reporting verb governs, an issue that is the subject of

* a change verb under a modal of demand: "the congestion charge must double", "taxes have to
  rise", "fares should not increase" (``stance_deontic_modals.txt``, ``issue_change_words.tsv``):
  the speaker backs (or, negated, opposes) that change of the issue;
* a consequence verb: "the charge will empty our high streets" (against the charge), "the line
  will help commuters" (for it) (``stance_consequences.tsv``), turned around by a negator;

and "we cannot wait for X" (for X). Clauses that ask or suppose ("if", "whether", a question)
state nothing. The holder is the speaker (:meth:`HolderReader.speakers`).
"""

from __future__ import annotations

import functools

from spacy.tokens import Token

from stancegraph import lang
from stancegraph.extract.issues import IssueLabel, change_word, noun_label
from stancegraph.extract.stance_context import Found
from stancegraph.extract.stance_targets import TargetReader
from stancegraph.extract.stance_words import asks_or_supposes, hedge, sign

__all__ = ["STATEMENT_CONFIDENCE", "SaidStatements"]

STATEMENT_CONFIDENCE = 0.75
URGENT_WAIT = "wait"


@functools.cache
def _consequences() -> dict[str, int]:
    return {lemma: int(polarity) for lemma, polarity in lang.rows("stance_consequences.tsv")}


def _demanded(verb: Token) -> bool:
    """Whether a verb is demanded: "must double", "should rise", "has to rise", "needs to fall"."""
    modals = lang.lines("stance_deontic_modals.txt")
    if any(c.dep_ == "aux" and c.lemma_.lower() in modals and c.lemma_.lower() not in {"have", "need"}
           for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in {"have", "need"} and \
        any(c.lower_ == "to" for c in verb.children)



class SaidStatements:
    """Finds the speaker's issue stances in what actors say, for one finder; adds them to ``finder.found``."""

    def __init__(self, finder: TargetReader) -> None:
        self.finder = finder

    def find(self) -> None:
        words = {*_consequences(), *lang.table("issue_change_words.tsv"), URGENT_WAIT}
        for verb in self.finder.with_lemma(words):
            if verb.pos_ != "VERB" or verb.i in self.finder.headline or verb.i in self.finder.consumed \
                    or asks_or_supposes(verb):
                continue
            read = self.urgency(verb) if verb.lemma_.lower() == URGENT_WAIT else self.subject_statement(verb)
            if read is None:
                continue
            label, polarity, tokens = read
            for holder in self.finder.speakers(verb):
                evidence = {verb.i, *tokens, *(c.i for c in verb.children if c.dep_ in {"aux", "neg"})}
                evidence.update(i for i in holder.tokens if self.finder.sentence_of[i] == self.finder.sentence_of[verb.i])
                self.finder.found.append(Found(holder.actor, label, polarity,
                                               STATEMENT_CONFIDENCE * hedge(verb), evidence, verb.i))

    def subject_statement(self, verb: Token) -> tuple[IssueLabel, int, list[int]] | None:
        """An issue subject of a demanded change or of a consequence verb."""
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or self.finder.actors.mention_at(subject.i) is not None or subject.pos_ == "PRON":
            return None
        labelled = noun_label(subject)
        if labelled is None:
            return None
        label, tokens = labelled
        change = change_word(verb)
        if change is not None and _demanded(verb):
            words = tuple(w for w in (label.verb, *label.modifiers, label.head) if w)
            return IssueLabel(None, words, change, label.phrase), sign(verb), [t.i for t in tokens]
        polarity = _consequences().get(verb.lemma_.lower())
        return (label, polarity * sign(verb), [t.i for t in tokens]) if polarity is not None else None

    def urgency(self, verb: Token) -> tuple[IssueLabel, int, list[int]] | None:
        """ "We cannot wait for the tram line": for the tram line."""
        negated = sign(verb) < 0 and any(c.lemma_.lower() == "can" for c in verb.children)
        argument = next((g for c in verb.children if c.dep_ == "prep" and c.lower_ == "for"
                         for g in c.children if g.dep_ == "pobj"), None)
        if not negated or argument is None or (labelled := noun_label(argument)) is None:
            return None
        return labelled[0], 1, [t.i for t in labelled[1]]
