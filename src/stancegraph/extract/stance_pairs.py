"""Classifier pairs: the people named in what an actor says, asked of a model where no rule answered."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from stancegraph import lang
from stancegraph.extract.stance_context import Found, Holder, Pair
from stancegraph.extract.stance_targets import TargetReader
from stancegraph.extract.stance_words import asks_or_supposes
from stancegraph.token_columns import token_columns

if TYPE_CHECKING:  # stances imports this module
    from stancegraph.extract.stances import StancePredictor

__all__ = ["PairReader"]


class PairReader:
    """Asks a classifier about pairs the rules left open, for one :class:`FinderState`."""

    def __init__(self, finder: TargetReader) -> None:
        self.finder = finder


    def regions(self) -> list[tuple[list[str], list[int], set[int]]]:
        """Where actors are talked about: (holders, token indexes to look at, evidence tokens).

        A quote's content belongs to its actor; a clause a reporting verb governs belongs to
        the verb's subject.
        """
        found: list[tuple[list[str], list[int], set[int]]] = []
        for quote in self.finder.quotes:
            span = self.finder.doc.char_span(quote.content.start, quote.content.end, alignment_mode="expand")
            if quote.actor is not None and span is not None:
                found.append(([quote.actor], list(range(span.start, span.end)), set(range(span.start, span.end))))
        for verb in self.finder.with_lemma(lang.lines("stance_reporting_verbs.txt")):
            if verb.pos_ != "VERB" or verb.i in self.finder.headline:
                continue
            subject = self.finder.subject(verb)
            holders = [h.actor for h in self.finder.holders(subject)] if subject is not None else []
            for clause in (c for c in verb.children if c.dep_ == "ccomp"):
                tokens = sorted(t.i for t in clause.subtree)  # a non-projective subtree comes unsorted
                named = range(subject.left_edge.i, subject.i + 1) if subject is not None else range(0)
                evidence = {verb.i, *named, *tokens}
                found.append((holders, tokens, evidence))
        return found

    def classifier_pairs(self) -> dict[Pair, dict[str, set[int]]]:
        """Each person named in what a holder says: holder -> evidence.

        Only pairs no rule found a stance for anywhere in the article are asked about: the
        rules are the surer reading, and a classifier answer against them is most likely
        wrong. What is said is cut to one sentence; a person is asked about once per holder
        and sentence (a quote first, since a quote and its reporting clause often say the same).
        """
        ruled = {(f.holder, f.target) for f in self.finder.found}
        # words a rule already reads as someone's stance on that person ("Trump's praise for
        # Putin") are not asked again on behalf of another holder whose quote holds them
        owned = {(i, f.target): f.holder for f in self.finder.found for i in f.tokens}
        spoken: set[tuple[str, str, int]] = set()
        pairs: dict[Pair, dict[str, set[int]]] = defaultdict(dict)
        columns = token_columns(self.finder.doc)
        for holders, tokens, evidence in self.regions():
            for i in tokens:
                if columns.pos[i] != "PRON" and self.finder.actors.mention_at(i) is None:
                    continue  # names no actor (see TargetReader.actor_at), and building a Token costs
                token = self.finder.doc[i]
                named = self.finder.actor_at(token, [Holder(h) for h in holders])
                if named is None or named[1][0] != token.i or not self.finder.is_person(named[0]) \
                        or asks_or_supposes(token):
                    continue  # "whether the public chose X or Y, ..." says nothing of X
                number = self.finder.sentence_of[token.i]
                owner = owned.get((token.i, named[0]))
                waiting = [h for h in holders if h != named[0] and (h, named[0]) not in ruled
                           and (h, named[0], number) not in spoken and owner in (None, h)]
                if not waiting:
                    continue
                first, end = self.finder.sentences[number]
                said = [j for j in tokens if first <= j < end and not columns.is_space[j]]
                last = min(named[1][-1], said[-1])
                pair = Pair(columns.idx[said[0]], columns.idx[said[-1]] + len(columns.text[said[-1]]), token.idx,
                            columns.idx[last] + len(columns.text[last]), token.i, named[0])
                for holder in waiting:
                    pairs[pair][holder] = {i for i in evidence if first <= i < end}
                    spoken.add((holder, named[0], number))
        return pairs

    def classify(self, classifier: StancePredictor) -> None:
        """Ask the classifier, in one call, about every (holder, person) pair no rule covered."""
        pairs = self.classifier_pairs()
        by_text: dict[tuple[int, int], list[Pair]] = defaultdict(list)
        for pair in sorted(pairs, key=lambda p: (p.text_start, p.text_end, p.start)):
            by_text[(pair.text_start, pair.text_end)].append(pair)
        if not by_text:
            return
        items = [(self.finder.text[start:end], [(p.start - start, p.end - start) for p in asked])
                 for (start, end), asked in by_text.items()]
        for asked, answers in zip(by_text.values(), classifier.predict(items), strict=True):
            for pair, (polarity, confidence) in zip(asked, answers, strict=True):
                if polarity == 0:
                    continue
                for holder, evidence in sorted(pairs[pair].items()):
                    self.finder.found.append(Found(holder, pair.actor, polarity, confidence, evidence, pair.token))
