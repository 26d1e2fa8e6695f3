"""Stances and relations: where each actor stands on other actors and on issues.

A stance is found by rules over the dependency parse, with lexicons kept as data files in
:mod:`stancegraph.lang`, and by the target-dependent classifier of
:mod:`stancegraph.extract.target_stance` for the people named in what an actor says (a
quote, or a clause a reporting verb governs) where the rules found no stance of that actor
toward that person anywhere in the article. The classifier was trained on sentiment toward
people, so it is asked about people only, on the words said (cut to one sentence), in one
call per article.

Predicates (what states a stance)
    * stance verbs (``stance_verbs.tsv``): "backed sanctions", "opposes EU sanctions",
      "criticized this approach", "suggested withholding support", "call for", "warn against";
      an infinitive or gerund complement is composed with its verb, so "refused to back
      sanctions" is against sanctions; a verb of polarity 0 ("abstained on") gives the only
      neutral stances;
    * stance nouns (``stance_nouns.tsv``) with their owner: "Trump's praise for Putin",
      and passed through light verbs ("expressed support for") or stance verbs ("agreed on the
      need to end the war", "rejected the call for quotas");
    * judgements (``stance_evaluations.tsv``) in a copula or a "call X Y" verb: "Russia cannot
      be a credible guarantor", "called France a great ally"; a passive stance verb judges its
      subject ("Putin cannot be trusted").

Holders (who takes the stance)
    The subject of the verb, resolved with :class:`~stancegraph.extract.actors.ActorIndex`:
    names, descriptors and pronouns, or an actor modifying the subject ("Labour MPs",
    "French officials"); the antecedent of a relative pronoun ("Orbán, who opposes ...");
    the passive agent ("rejected by X"); each member of a coordination ("Trump and Macron
    vowed ..."); a plural ("both leaders", "they", "the presidents") through
    ``resolve_all``, but only when its noun can stand for actors (an office or
    ``stance_plural_holders.txt``: "analysts" hold nothing); the subject of the verb an
    infinitive or a coordinated verb depends on, unless that verb has an actor as object
    ("urged Hale to back X": the urger backs X, Hale nothing). "I" and "we", and the
    judgements of a clause, belong to the speaker: the actor of the quote that holds them,
    else the subject of the reporting verb (``stance_reporting_verbs.txt``) the clause
    depends on; where both exist and differ, the quote wins. The owner of a stance noun is
    its possessor or its "by" agent.

Targets
    An actor mention (a pronoun inside a quote is resolved without the speaker), the owner of
    a judged quality for verbs of judgement ("praised Trump's pragmatism" is +1 Trump), or an
    issue; the owner of a backed or opposed issue shares the stance at lower confidence
    ("backed Ukraine's territorial integrity" is also +1 Ukraine), turned around for nouns
    of removal (``issue_against_owner.txt``: "called for X's resignation" is -1 X). A
    proposal noun (``stance_proposal_nouns.txt``) in apposition names its content
    ("integrity — a demand Moscow rejects", which is also a demand of whoever says the
    clause it stands in); with a demonstrative ("this approach") it stands for the nearest
    issue someone backed in the three sentences before (a bare "the plan", with nothing to
    say which, in the eight before), and the stance then also goes
    to that proposal's holder (at lower confidence); with an actor as owner ("Tory plans")
    it stands for that actor. An object followed by its own complement ("urged the
    government to act") is not a target, nor is a questioned one ("which party").

Negation and modality
    A negator (``stance_negators.txt``: "not", "never", "no") on the verb, noun or copula
    turns the stance around ("did not back", "cannot be trusted"); a hedge
    (``stance_hedges.txt``: "may", "could") lowers its confidence. A clause that asks rather
    than states ("whether Putin can be trusted", "if ...", "how he would ...") states
    nothing. Lines that read as headlines are skipped: their parses are unreliable.

Issue labels
    See :mod:`stancegraph.extract.issues`.

Confidence
    Verb stances start at 0.9, noun stances at 0.85, judgements at 0.8; a hedge multiplies by
    0.7, a plural holder by 0.9; a stance through a demonstrative is 0.7 of its verb's, and
    0.6 toward the proposal's holder; a stance toward an issue's owner is 0.6 of the
    issue's. Classifier stances carry the classifier's probability; its neutral answers are
    dropped. The evidence is the smallest stretch of one sentence that holds the holder's
    words (or the reporting verb), the predicate, any negator or hedge and the target, with
    a quotation mark it cuts closed; a classifier stance's evidence is the words said, with
    the reporting verb and its subject when they are in the sentence.

Relations
    See :mod:`stancegraph.extract.relations`.

Example
-------
>>> from stancegraph.extract.actors import find_actors
>>> from stancegraph.nlp import load_pipeline
>>> doc = load_pipeline()("Jane Doe backed new tariffs. John Roe opposes tariffs.")
>>> index = find_actors(doc)
>>> stances = find_stances(doc, index, [], classifier=RULES_ONLY, directed=RULES_ONLY)
>>> [(s.actor, s.target, s.polarity) for s in stances]
[('jane-doe', 'tariff', 1), ('john-roe', 'tariff', -1)]
>>> [(r.a, r.b, r.kind, r.on) for r in find_relations(stances)]
[('jane-doe', 'john-roe', 'conflict', 'tariff')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal, Protocol

from spacy.tokens import Doc, Token

from stancegraph import lang
from stancegraph.extract.actors import ActorIndex
from stancegraph.extract.directed_pairs import DirectedPairs, DirectedPredictor
from stancegraph.extract.issues import IssueLabel, fold_labels
from stancegraph.extract.relations import find_relations
from stancegraph.extract.stance_context import Found, Holder, Proposal, Target
from stancegraph.extract.stance_pairs import PairReader
from stancegraph.extract.stance_targets import DEMONSTRATIVE_FACTOR, TargetReader
from stancegraph.extract.stance_words import (
    DEFINITE_WINDOW_SENTENCES,
    hedge,
    judged,
    modal_tokens,
    noun_frames,
    open_question,
    phrase_of,
    sign,
    verb_frames,
)
from stancegraph.extract.statements import SaidStatements
from stancegraph.records import Quote, Span, Stance

__all__ = [
    "RULES_ONLY",
    "IssueLabel",
    "RulesOnly",
    "StancePredictor",
    "find_relations",
    "find_stances",
    "fold_labels",
]

VERB_CONFIDENCE = 0.9
NOUN_CONFIDENCE = 0.85
JUDGEMENT_CONFIDENCE = 0.8
PROPOSER_FACTOR = 0.6
COPULAS = frozenset({"be", "become", "remain", "seem", "prove"})
CLOSING_QUOTES = frozenset({"”", '"', "’", "»"})



class StancePredictor(Protocol):
    """What :func:`find_stances` needs from a target-stance classifier.

    For each sentence, for each target character span in it: polarity (-1, 0, 1) and
    confidence. :class:`~stancegraph.extract.target_stance.TargetStanceClassifier` is one.
    """

    def predict(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[tuple[int, float]]]: ...


class RulesOnly:
    """A predictor that finds every target and every pair neutral: stances come from the rules alone."""

    def predict(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[tuple[int, float]]]:
        return [[(0, 1.0) for _ in spans] for _, spans in items]

    def predict_pairs(self, items: Sequence[tuple[str, tuple[int, int], tuple[int, int]]]) -> list[tuple[str, float]]:
        return [("neutral", 1.0) for _ in items]


RULES_ONLY = RulesOnly()
"""Pass as ``classifier`` to :func:`find_stances` to use the rules alone."""


class _Finder(TargetReader):
    """Finds the stances of one parsed article; :func:`find_stances` is its only user."""


    def add(self, holders: list[Holder], targets: list[Target], anchor: Token, confidence: float,
            subject: Token | None = None) -> None:
        """Record a stance of each holder on each target; ``subject`` joins the evidence."""
        first, end = self.sentence(anchor.i)
        for holder in holders:
            for target in targets:
                if target.value == holder.actor:
                    continue
                tokens = {anchor.i, *target.tokens, *modal_tokens(anchor)}
                if subject is not None:
                    tokens.update(range(subject.left_edge.i, subject.i + 1))
                tokens.update(i for i in holder.tokens if first <= i < end)
                self.found.append(Found(holder.actor, target.value, target.polarity,
                                         confidence * holder.factor * target.factor * hedge(anchor), tokens, anchor.i))

    def verb(self, verb: Token) -> None:
        frames = verb_frames()[verb.lemma_.lower()]
        passive = any(c.dep_ == "nsubjpass" for c in verb.children)
        reduced = verb.dep_ == "acl" and verb.tag_ == "VBN"  # "the rise proposed by X": X's, or no one's
        if passive or reduced:
            agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
            holders = self.holders(agent) if agent is not None else [] if reduced else self.speakers(verb)
            subject = None
        else:
            subject = self.subject(verb)
            holders = self.holders(subject) if subject is not None else []
        if not holders:
            return
        targets = [replace(t, polarity=t.polarity * sign(verb)) for t in self.frame_targets(verb, frames, holders)]
        self.add(holders, targets, verb, VERB_CONFIDENCE, subject)

    def noun(self, noun: Token) -> None:
        owner = self.possessor(noun)
        agent = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"
                      for g in c.children if g.dep_ == "pobj"), None)
        holder_token = owner if owner is not None else agent
        if holder_token is None:
            return
        holders = self.holders(holder_token)
        targets = [replace(t, polarity=t.polarity * sign(noun)) for t in self.noun_targets(noun, holders)]
        self.add(holders, targets, noun, NOUN_CONFIDENCE)

    def judgement(self, copula: Token) -> None:
        subject = next((c for c in copula.children if c.dep_ == "nsubj"), None)
        complement = next((c for c in copula.children if c.dep_ in {"attr", "acomp"}), None)
        if subject is None or complement is None or (
            subject.pos_ in {"PRON", "DET"} and self.actors.mention_at(subject.i) is None
        ):
            return
        polarity = judged(complement)
        holders = self.speakers(copula) if polarity else []
        if not holders:
            return
        targets = [replace(t, polarity=t.polarity * polarity * sign(copula), tokens=(*t.tokens, *phrase_of(complement)))
                   for t in self.item_targets(subject, "evaluate", holders)]
        self.add(holders, targets, copula, JUDGEMENT_CONFIDENCE)

    def apposed_proposal(self, noun: Token) -> None:
        """ "X — a demand Moscow rejects": X is proposed by whoever says the clause X is in."""
        holders = self.speakers(noun.head)
        targets = [replace(t, tokens=(*t.tokens, noun.i)) for t in self.item_targets(noun.head, "position", holders)]
        self.add(holders, targets, noun, NOUN_CONFIDENCE)

    def owned_proposal(self, noun: Token) -> None:
        """ "Duarte's plan to double the charge", "Duarte's plan for a tram line": the owner backs its content."""
        owner = self.possessor(noun)
        holders = self.holders(owner) if owner is not None else []
        content = [c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"] + \
            [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children if g.dep_ == "pobj"]
        for item in content if holders else []:
            targets = [replace(t, tokens=(*t.tokens, noun.i)) for t in self.item_targets(item, "position", holders)]
            self.add(holders, targets, noun, NOUN_CONFIDENCE)

    def run(self) -> None:
        """Find every stance the rules can, governing predicates first, demonstratives last."""
        words = {*verb_frames(), *noun_frames(), *COPULAS, *lang.lines("stance_proposal_nouns.txt")}
        predicates = [t for t in self.with_lemma(words) if t.i not in self.headline and not open_question(t)]
        predicates.sort(key=lambda t: (sum(1 for _ in t.ancestors), t.i))
        for token in predicates:
            if token.i in self.consumed:
                continue
            lemma = token.lemma_.lower()
            if lemma in verb_frames() and (token.pos_ == "VERB" or token.dep_ == "relcl"):
                self.verb(token)
            elif token.dep_ == "appos" and lemma in lang.lines("stance_proposal_nouns.txt"):
                self.apposed_proposal(token)
            elif lemma in lang.lines("stance_proposal_nouns.txt") and token.pos_ == "NOUN":
                self.owned_proposal(token)
            elif token.pos_ == "NOUN" and lemma in noun_frames():
                self.noun(token)
            elif lemma in COPULAS:
                self.judgement(token)
        self.resolve_proposals()

    def resolve_proposals(self) -> None:
        """Point each proposal that points back at the nearest issue someone backed before it."""
        def sentences_back(later: int, earlier: int) -> int:  # paragraph breaks do not count
            return self.prose_before[self.sentence_of[later]] - self.prose_before[self.sentence_of[earlier]]

        resolved: list[Found] = []
        for found in self.found:
            if not isinstance(found.target, Proposal):
                resolved.append(found)
                continue
            here = found.target.token
            earlier = [f for f in self.found if isinstance(f.target, IssueLabel) and f.polarity > 0 and f.anchor < here
                       and sentences_back(here, f.anchor) <= found.target.window]
            if not earlier:
                continue
            proposal = max(earlier, key=lambda f: f.anchor)
            resolved.append(replace(found, target=proposal.target))
            if proposal.holder != found.holder:
                resolved.append(replace(found, target=proposal.holder,
                                        confidence=found.confidence / DEMONSTRATIVE_FACTOR * PROPOSER_FACTOR))
        self.found = resolved

    def specify_bare_heads(self) -> None:
        """A one-word issue ("the toll will empty our shops") that names a word of an issue stated
        shortly before ("ferry toll increase") stands for that issue."""
        for index, found in enumerate(self.found):
            label = found.target
            if not isinstance(label, IssueLabel) or label.verb or label.modifiers:
                continue
            earlier = [(f.anchor, f.target) for f in self.found if isinstance(f.target, IssueLabel)
                       and f.anchor < found.anchor and label.head in f.target.modifiers
                       and self.prose_before[self.sentence_of[found.anchor]]
                       - self.prose_before[self.sentence_of[f.anchor]] <= DEFINITE_WINDOW_SENTENCES]
            if earlier:
                named = max(earlier, key=lambda anchored: anchored[0])[1]
                self.found[index] = replace(found, target=replace(named, phrase=label.phrase))


def _evidence(doc: Doc, text: str, tokens: set[int], sentence: tuple[int, int]) -> Span:
    """The smallest span of a sentence that covers the tokens in it, punctuation trimmed."""
    sentence_start, sentence_end = sentence
    kept = [i for i in tokens if sentence_start <= i < sentence_end and not doc[i].is_space]
    first, last = min(kept), max(kept)
    while last > first and doc[last].is_punct:
        last -= 1
    if sum(doc[i].is_quote for i in range(first, last + 1)) % 2:  # close the quotation the evidence cuts
        closing = next((i for i in range(last + 1, min(last + 3, sentence_end)) if doc[i].text in CLOSING_QUOTES), None)
        if first > sentence_start and doc[first - 1].is_quote and doc[first - 1].text not in CLOSING_QUOTES - {'"'}:
            first -= 1
        elif closing is not None and all(doc[i].is_punct for i in range(last + 1, closing)):
            last = closing
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    return Span.of(text, start, end)


def find_stances(doc: Doc, actors: ActorIndex, quotes: list[Quote], classifier: StancePredictor | None = None,
                 directed: DirectedPredictor | None = None) -> list[Stance]:
    """Where each actor stands on other actors and on issues, with evidence, in text order.

    ``classifier`` answers for people named in quotes and reported clauses where no rule
    did, in at most one call; by default the shipped target-stance model. ``directed``
    answers for actors sharing a sentence and a quote's speaker toward the actors it names
    (:mod:`stancegraph.extract.directed_pairs`), in one call; by default the shipped directed
    model. Pass :data:`RULES_ONLY` to either to leave it out.
    """
    finder = _Finder(doc, actors, quotes)
    finder.run()
    SaidStatements(finder).find()
    finder.specify_bare_heads()
    if classifier is None:
        from stancegraph.extract.target_stance import load_classifier  # onnxruntime only once needed

        classifier = load_classifier()
    PairReader(finder).classify(classifier)
    if directed is None:
        from stancegraph.extract.directed_stance import load_directed_classifier

        directed = load_directed_classifier()
    DirectedPairs(finder).classify(directed)
    folded = fold_labels(f.target for f in finder.found if isinstance(f.target, IssueLabel))
    best: dict[tuple[str, str, int, int], tuple[Stance, int]] = {}
    for found in finder.found:
        kind: Literal["actor", "issue"] = "issue" if isinstance(found.target, IssueLabel) else "actor"
        target = folded[found.target].text if isinstance(found.target, IssueLabel) else found.target
        assert isinstance(target, str)
        polarity: Literal[-1, 0, 1] = 1 if found.polarity > 0 else -1 if found.polarity < 0 else 0
        evidence = _evidence(doc, finder.text, found.tokens, finder.sentence(found.anchor))
        phrase = found.target.phrase or None if isinstance(found.target, IssueLabel) else None
        stance = Stance(found.holder, target, kind, polarity, evidence, round(min(1.0, found.confidence), 3), phrase,
                        actors.members(found.holder))
        key = (found.holder, target, polarity, found.anchor)
        if key not in best or best[key][0].confidence < stance.confidence:
            best[key] = (stance, found.anchor)
    ordered = sorted(best.values(), key=lambda item: (item[0].evidence.start, item[1], item[0].actor, item[0].target))
    return [stance for stance, _ in ordered]
