"""Stance frames: the arguments a stance verb or noun takes ("backed X", "support for X", "called X a Y")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Token

from stancegraph.extract.issues import change_word, gerund_of
from stancegraph.extract.stance_context import Holder, Target
from stancegraph.extract.stance_holders import RELATIVE_PRONOUNS, HolderReader
from stancegraph.extract.stance_words import VerbFrame, judged, noun_frames, phrase_of, phrase_tokens

__all__ = ["FrameReader"]


class FrameReader(HolderReader):
    """Reads the arguments of stance predicates; what an argument is about is :class:`TargetReader`'s."""

    def targets(self, argument: Token, kind: str, holders: list[Holder]) -> list[Target]:
        """What one argument is about (read by :class:`~stancegraph.extract.stance_targets.TargetReader`)."""
        raise NotImplementedError

    def item_targets(self, item: Token, kind: str, holders: list[Holder]) -> list[Target]:
        """What each item of a listed argument is about (read by ``TargetReader``)."""
        raise NotImplementedError

    def frame_arguments(self, verb: Token, frame: str) -> list[Token]:
        """The tokens that fill one frame of a verb."""
        children = list(verb.children)
        if frame == "dobj":
            passive = [c for c in children if c.dep_ == "nsubjpass"]
            if passive:
                return passive
            if verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in children):
                head = verb.head  # "the rise in the charge proposed by X" is often hung on "charge"
                if head.dep_ == "pobj" and change_word(head.head.head) is not None:
                    head = head.head.head
                return [head]  # "the rise proposed by Mayor Duarte"
            objects = [c for c in children if c.dep_ == "dobj"]
            if any(c.dep_ in {"xcomp", "ccomp"} and c.i > o.i for c in children for o in objects):
                return []  # "urged the government to act": the object acts, it is not judged
            subject = self.subject(verb)
            if not objects and verb.dep_ == "relcl" and subject is not None and \
                    subject.lower_ not in RELATIVE_PRONOUNS and not any(c.tag_ == "WRB" for c in children):
                return [verb.head]  # "a demand Moscow rejects"
            return objects
        if frame == "xcomp":
            return [c for c in children if c.dep_ == "xcomp" or (c.dep_ in {"dobj", "ccomp"} and c.tag_ == "VBG")
                    or (c.dep_ == "dobj" and gerund_of(c) is not None)]
        if frame == "oprd":
            return [c for c in children if c.dep_ == "dobj"]
        word = frame.removeprefix("prep:")
        if any(c.dep_ == "prt" and c.lower_ == word for c in children):
            return [c for c in children if c.dep_ == "dobj"]
        return [g for c in children if c.dep_ in {"prep", "agent"} and c.lower_ == word
                for g in c.children if g.dep_ in {"pobj", "pcomp"}]

    def frame_targets(self, verb: Token, frames: Sequence[VerbFrame], holders: list[Holder]) -> list[Target]:
        found: list[Target] = []
        for frame in frames:
            phrase = phrase_tokens(verb, frame.required) if frame.required else []
            if frame.required and not phrase:
                continue
            for argument in self.frame_arguments(verb, frame.frame):
                if frame.kind == "light" and argument.lemma_.lower() not in noun_frames():
                    continue
                if frame.kind == "describe":
                    found.extend(self.described(verb, frame, argument, holders))
                else:
                    found.extend(replace(t, polarity=t.polarity * frame.polarity, tokens=(*t.tokens, *phrase))
                                 for t in self.targets(argument, frame.kind, holders))
        return found

    def described(self, verb: Token, frame: VerbFrame, target: Token, holders: list[Holder]) -> list[Target]:
        """ "called France a great ally": the judgement of the object's complement."""
        complements = [c for c in verb.children if c.dep_ == "oprd"] if frame.frame == "oprd" else \
            [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children if g.dep_ == "pobj"]
        for complement in complements:
            polarity = judged(complement)
            if polarity:
                return [replace(t, polarity=t.polarity * polarity, tokens=(*t.tokens, *phrase_of(complement)))
                        for t in self.targets(target, "evaluate", holders)]
        return []

    def noun_targets(self, noun: Token, holders: list[Holder]) -> list[Target]:
        frame = noun_frames()[noun.lemma_.lower()]
        found: list[Target] = []
        # "voiced opposition to X" is often parsed with "to X" on the verb
        attached = [c for c in noun.head.rights if c.i > noun.i and c.dep_ == "prep"] if noun.dep_ == "dobj" else []
        for child in [*noun.children, *attached]:
            if child.dep_ == "prep" and child.lower_ in frame.preps:
                for argument in child.children:
                    if argument.dep_ in {"pobj", "pcomp"}:
                        found.extend(replace(t, polarity=t.polarity * frame.polarity, tokens=(child.i, *t.tokens))
                                     for t in self.targets(argument, frame.kind, holders))
            elif child.dep_ in {"acl", "relcl"} and "to" in frame.preps and child.pos_ == "VERB" and \
                    any(g.lower_ == "to" for g in child.children):
                found.extend(replace(t, polarity=t.polarity * frame.polarity)
                             for t in self.item_targets(child, frame.kind, holders))
        return found
