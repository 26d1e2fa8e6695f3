"""Stance targets: the actor, issue or proposal an argument of a stance predicate is about."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from stancegraph import lang
from stancegraph.extract.issues import change_word, noun_label, verb_label
from stancegraph.extract.quotemarks import inside
from stancegraph.extract.stance_context import Holder, Proposal, Target
from stancegraph.extract.stance_frames import FrameReader
from stancegraph.extract.stance_words import (
    DEMONSTRATIVE_WINDOW_SENTENCES,
    noun_frames,
    pointing_back,
    sign,
    verb_frames,
)

__all__ = ["TargetReader"]

OWNER_FACTOR = 0.6
DEMONSTRATIVE_FACTOR = 0.7
POINTING_PRONOUNS = frozenset({"it", "this", "that"})


class TargetReader(FrameReader):
    """Reads what stance arguments are about."""


    def actor_at(self, token: Token, holders: list[Holder]) -> tuple[str, tuple[int, ...]] | None:
        """The actor a target token names and the tokens that name it; pronouns skip the holders."""
        mention = self.actors.mention_at(token.i)
        if mention is not None:
            return mention.actor, tuple(range(mention.token_start, mention.token_end))
        if token.pos_ == "PRON" and inside(self.quoted, token.idx):  # outside, the actors step resolved it
            actor = self.actors.resolve_pronoun(token, exclude={h.actor for h in holders})
            if actor is not None:
                return actor, (token.i,)
        return None

    def is_person(self, actor_id: str) -> bool:
        actor = self.actors.get(actor_id)
        return actor is not None and actor.type == "person"

    def possessor(self, noun: Token) -> Token | None:
        return next((c for c in noun.children if c.dep_ in {"poss", "nmod"} and c.i < noun.i
                     and any(g.dep_ == "case" for g in c.children)), None) or \
            next((c for c in noun.children if c.dep_ == "poss"), None)

    def targets(self, argument: Token, kind: str, holders: list[Holder]) -> list[Target]:
        """What an argument of a stance predicate is about, with the polarity it adds."""
        found: list[Target] = []
        for item in [argument, *argument.conjuncts]:
            if item.i < argument.i:
                continue
            found.extend(self.item_targets(item, kind, holders))
        return found

    def item_targets(self, item: Token, kind: str, holders: list[Holder]) -> list[Target]:
        if any(c.tag_ in {"WDT", "WP$"} for c in item.children):
            return []  # "which party they vote for" asks, it does not say
        actor = self.actor_at(item, holders)
        if actor is not None:
            return [Target(actor[0], 1, actor[1])]
        lemma = item.lemma_.lower()
        if (item.pos_ == "PRON" and item.lower_ in POINTING_PRONOUNS) or \
                (change_word(item) is not None and pointing_back(item)):
            # "backed it", "rejected the rise": the proposal made before
            window = pointing_back(item) or DEMONSTRATIVE_WINDOW_SENTENCES
            return [Target(Proposal(item.i, window), 1, (item.i,), DEMONSTRATIVE_FACTOR)]
        if item.pos_ in {"VERB", "AUX"}:
            self.consumed.add(item.i)
            frames = [f for f in verb_frames().get(lemma, ()) if f.kind in {"position", "evaluate"}]
            if frames:
                return [replace(t, polarity=t.polarity * sign(item), tokens=(item.i, *t.tokens))
                        for t in self.frame_targets(item, frames, holders)]
            labelled = verb_label(item)
            return [Target(labelled[0], 1, tuple(t.i for t in labelled[1]))] if labelled else []
        if item.pos_ not in {"NOUN", "PROPN"}:
            return []
        proposal = lemma in lang.lines("stance_proposal_nouns.txt")
        if proposal and (item.dep_ == "appos" or pointing_back(item)):
            return self.proposal_targets(item, holders)
        if lemma in noun_frames():
            self.consumed.add(item.i)
            return [replace(t, polarity=t.polarity * sign(item), tokens=(item.i, *t.tokens))
                    for t in self.noun_targets(item, holders)]
        if proposal:
            return self.proposal_targets(item, holders)
        owner = self.possessor(item)
        owned = self.actor_at(owner, holders) if owner is not None else None
        toward_owner = -1 if lemma in lang.lines("issue_against_owner.txt") else 1
        if kind == "evaluate" and owned is not None and toward_owner > 0:
            return [Target(owned[0], 1, (*owned[1], item.i))]
        labelled = noun_label(item)
        found = [Target(labelled[0], 1, tuple(t.i for t in labelled[1]))] if labelled else []
        if owned is not None:  # backing "Ukraine's territorial integrity" backs Ukraine, less surely
            found.append(Target(owned[0], toward_owner, (*owned[1], item.i), OWNER_FACTOR))
        return found

    def proposal_targets(self, noun: Token, holders: list[Holder]) -> list[Target]:
        """A proposal noun: its apposition, the proposal it points back to, or its owner."""
        if noun.dep_ == "appos":
            return self.item_targets(noun.head, "position", holders)
        if (window := pointing_back(noun)):
            return [Target(Proposal(noun.i, window), 1, (noun.i,), DEMONSTRATIVE_FACTOR)]
        content = next((c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"), None)
        if content is not None and (labelled := verb_label(content)) is not None:
            return [Target(labelled[0], 1, (noun.i, *(t.i for t in labelled[1])))]
        owner = self.possessor(noun) or next(
            (c for c in noun.lefts if c.dep_ == "compound" and self.actors.mention_at(c.i)), None)
        if owner is not None and (actor := self.actor_at(owner, holders)) is not None:
            return [Target(actor[0], 1, (*actor[1], noun.i))]
        return []
