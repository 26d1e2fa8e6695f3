"""Stance holders: who takes a stance, from the subject, a coordination, a plural, a relative
pronoun, a passive agent, or the speaker of the clause (a quote's actor or a reporting verb's subject)."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from stancegraph import lang
from stancegraph.extract.stance_context import FinderState, Holder
from stancegraph.extract.stance_words import plural_holder_nouns
from stancegraph.records import Quote

__all__ = ["FIRST_PERSON", "RELATIVE_PRONOUNS", "SUBJECTS", "HolderReader", "unique_holders"]

PLURAL_FACTOR = 0.9
FIRST_PERSON = frozenset({"i", "we", "me", "us"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
SUBJECTS = frozenset({"nsubj", "csubj"})


class HolderReader(FinderState):
    """Reads who holds a stance."""


    def subject(self, verb: Token) -> Token | None:
        """The subject of a verb, through infinitives and coordinated verbs."""
        for child in verb.children:
            if child.dep_ in SUBJECTS:
                return child
        if verb.dep_ == "relcl":
            # "a demand Moscow rejects" is sometimes read as a noun compound
            return next((c for c in verb.lefts if c.dep_ in {"compound", "nmod"}
                         and self.actors.mention_at(c.i) is not None), None)
        if verb.dep_ in {"xcomp", "conj"} or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
            head = verb.head
            if verb.dep_ == "xcomp" and any(c.dep_ == "dobj" and (c.pos_ == "PRON" or self.actors.mention_at(c.i))
                                            for c in head.children):
                return None  # "asked Europe to back ...": the asker does not back
            return self.subject(head) if head.i != verb.i else None
        return None

    def holders(self, subject: Token) -> list[Holder]:
        """The actors a subject stands for."""
        if subject.lower_ in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
            subject = subject.head.head
        if subject.lower_ in FIRST_PERSON:
            return self.speakers(subject)
        holders: list[Holder] = []
        for member in [subject, *subject.conjuncts]:
            span = self.doc[member.left_edge.i : member.i + 1]
            tokens = tuple(range(span.start, span.end))
            mention = self.actors.mention_at(member.i)
            if mention is not None:
                holders.append(Holder(mention.actor, tuple(range(mention.token_start, mention.token_end))))
            elif member.lower_ == "they" or (
                member.tag_ in {"NNS", "NNPS"} and member.lemma_.lower() in plural_holder_nouns()
            ):
                holders.extend(Holder(a, tokens, PLURAL_FACTOR) for a in self.actors.resolve_all(span))
            elif member.pos_ == "PRON" and (actor := self.actors.resolve(span)) is not None:
                holders.append(Holder(actor, tokens))
            elif (modifier := next((self.actors.mention_at(c.i) for c in member.lefts if c.dep_ in {"compound", "amod"}
                                    and self.actors.mention_at(c.i)), None)) is not None:
                holders.append(Holder(modifier.actor, tokens))  # "Labour MPs", "French officials"
        return unique_holders(holders)

    def quote_at(self, token: Token) -> Quote | None:
        return next((q for q in self.quotes if q.actor and q.content.start <= token.idx < q.content.end), None)

    def speakers(self, token: Token) -> list[Holder]:
        """Who says the clause a token is in: the quote's actor, else the reporting verb's subject.

        Where the two agree, the reporting verb and its subject join the evidence; where they
        differ, the quote (the attribution step's answer) wins, with its speaker and cue.
        """
        reporters = self.reporters(token)
        quote = self.quote_at(token)
        if quote is None or quote.actor is None:
            return reporters
        agreeing = [h for h in reporters if h.actor == quote.actor]
        if agreeing:
            return agreeing
        spans = [self.doc.char_span(s.start, s.end, alignment_mode="expand") for s in (quote.speaker, quote.cue) if s]
        return [Holder(quote.actor, tuple(t.i for span in spans if span is not None for t in span))]

    def reporters(self, token: Token) -> list[Holder]:
        """The subject of the reporting verb that governs the clause a token is in, if any."""
        current = token
        while current.pos_ not in {"VERB", "AUX"} and current.head.i != current.i:
            current = current.head
        while current.head.i != current.i:
            head = current.head
            reporting = head.lemma_.lower() in lang.lines("stance_reporting_verbs.txt")
            if current.dep_ in {"ccomp", "parataxis"} and reporting:
                subject = self.subject(head)
                holders = self.holders(subject) if subject is not None else []
                return [replace(h, tokens=(*h.tokens, head.i)) for h in holders]
            if current.dep_ not in {"conj", "xcomp", "advcl", "ccomp"}:
                return []
            current = head
        return []


def unique_holders(holders: list[Holder]) -> list[Holder]:
    seen: dict[str, Holder] = {}
    for holder in holders:
        seen.setdefault(holder.actor, holder)
    return list(seen.values())
