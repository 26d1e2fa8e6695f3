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
    A noun issue is the lemmatised head with its compound and adjective modifiers ("heavy
    sanctions" -> "heavy sanction", "EU sanctions" -> "eu sanction"); a verb issue is the
    verb lemma, its particle, and its object's head with the object's noun compounds
    ("withholding U.S. support" -> "withhold us support", "end Europe's bloodiest conflict"
    -> "end conflict"). Determiners, possessors (they are owners, see Targets), numbers,
    participles, comparatives, prepositional phrases and pickers such as "other"
    (``issue_stop_words.txt``) are left out; a general noun (``issue_generic_nouns.txt``:
    "point", "decision") names no issue unless a noun compound makes it specific, and a
    verb without an object ("refused to comment") names none either. Within one article,
    labels with the same head (and verb) fold together when their modifiers, once
    qualifiers (``issue_qualifiers.txt``: "heavy", "full", "sustained") are dropped, are
    nested: each folds to the most general of them, so "heavy sanction" and "eu sanction"
    are both "sanction" while "military aid" and "humanitarian aid" stay apart; a label
    that folds with nothing keeps its full form (folding across articles is the networks'
    job).

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
    :func:`find_relations` relates two actors that took non-zero stances on one target:
    ``agree`` for the same polarity, ``conflict`` for opposite ones. Given the article's
    actors, a person who heads a country in the article (a role of office class ``head``
    with that country, and no past role there) and the country are one target: the relation
    is ``on`` the country unless both stances name the person.

Example
-------
>>> from stancegraph.extract.actors import find_actors
>>> from stancegraph.nlp import load_pipeline
>>> doc = load_pipeline()("Jane Doe backed new tariffs. John Roe opposes tariffs.")
>>> index = find_actors(doc)
>>> stances = find_stances(doc, index, [], classifier=RULES_ONLY)
>>> [(s.actor, s.target, s.polarity) for s in stances]
[('jane-doe', 'tariff', 1), ('john-roe', 'tariff', -1)]
>>> [(r.a, r.b, r.kind, r.on) for r in find_relations(stances)]
[('jane-doe', 'john-roe', 'conflict', 'tariff')]
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

import numpy
from spacy.strings import hash_string
from spacy.tokens import Doc, Token

from stancegraph import lang
from stancegraph.extract.actors import ActorIndex, headline_lines
from stancegraph.extract.quotemarks import inside, quoted_regions
from stancegraph.records import Actor, Quote, Relation, Span, Stance

__all__ = [
    "StancePredictor",
    "RulesOnly",
    "RULES_ONLY",
    "IssueLabel",
    "fold_labels",
    "find_stances",
    "find_relations",
]

VERB_CONFIDENCE = 0.9
NOUN_CONFIDENCE = 0.85
JUDGEMENT_CONFIDENCE = 0.8
HEDGE_FACTOR = 0.7
PLURAL_FACTOR = 0.9
DEMONSTRATIVE_FACTOR = 0.7
PROPOSER_FACTOR = 0.6
OWNER_FACTOR = 0.6
DEMONSTRATIVE_WINDOW_SENTENCES = 3
DEFINITE_WINDOW_SENTENCES = 8

COPULAS = frozenset({"be", "become", "remain", "seem", "prove"})
FIRST_PERSON = frozenset({"i", "we", "me", "us"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those", "such"})
CONDITIONAL_MARKS = frozenset({"whether", "if"})
QUESTION_WORDS = frozenset({"how", "why", "what", "which", "whether"})
SUBJECTS = frozenset({"nsubj", "csubj"})
CLOSING_QUOTES = frozenset({"”", '"', "’", "»"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
MODIFIER_POS = frozenset({"NOUN", "PROPN", "ADJ"})
NOT_ISSUE_ENTITIES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})


class StancePredictor(Protocol):
    """What :func:`find_stances` needs from a target-stance classifier.

    For each sentence, for each target character span in it: polarity (-1, 0, 1) and
    confidence. :class:`~stancegraph.extract.target_stance.TargetStanceClassifier` is one.
    """

    def predict(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[tuple[int, float]]]: ...


class RulesOnly:
    """A predictor that finds every target neutral: stances come from the rules alone."""

    def predict(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[tuple[int, float]]]:
        return [[(0, 1.0) for _ in spans] for _, spans in items]


RULES_ONLY = RulesOnly()
"""Pass as ``classifier`` to :func:`find_stances` to use the rules alone."""


# --------------------------------------------------------------------------------------
# lexicons


@dataclass(frozen=True)
class _VerbFrame:
    polarity: int
    frame: str  # dobj, xcomp, oprd, prep:<word>
    kind: str  # evaluate, position, light, describe
    required: tuple[str, str] | None  # (preposition, object lemma) that must hang on the verb


@functools.cache
def _verb_frames() -> dict[str, tuple[_VerbFrame, ...]]:
    frames: dict[str, list[_VerbFrame]] = defaultdict(list)
    for lemma, polarity, frame, kind, *required in lang.rows("stance_verbs.tsv"):
        need = tuple(required[0].split()) if required else None
        frames[lemma].append(_VerbFrame(int(polarity), frame, kind, need))  # type: ignore[arg-type]
    return {lemma: tuple(found) for lemma, found in frames.items()}


@dataclass(frozen=True)
class _NounFrame:
    polarity: int
    preps: frozenset[str]  # prepositions that introduce the target; "to" also an infinitive
    kind: str  # evaluate, position


@functools.cache
def _noun_frames() -> dict[str, _NounFrame]:
    rows = lang.rows("stance_nouns.tsv")
    return {noun: _NounFrame(int(polarity), frozenset(preps.split(",")), kind) for noun, polarity, preps, kind in rows}


@functools.cache
def _judgements() -> dict[str, int]:
    return {word: int(polarity) for word, polarity in lang.rows("stance_evaluations.tsv")}


@functools.cache
def _plural_holder_nouns() -> frozenset[str]:
    offices = {row[0] for row in lang.rows("titles.tsv") if " " not in row[0]}
    return frozenset(offices | lang.lines("stance_plural_holders.txt"))


# --------------------------------------------------------------------------------------
# issue labels


@dataclass(frozen=True)
class IssueLabel:
    """The short, stable name of an issue: an optional verb, modifiers and a head, lemmatised.

    >>> IssueLabel("withhold", ("us",), "support").text
    'withhold us support'
    >>> IssueLabel(None, ("heavy",), "sanction").general().text
    'sanction'
    """

    verb: str | None
    modifiers: tuple[str, ...]
    head: str

    @property
    def text(self) -> str:
        return " ".join(word for word in (self.verb, *self.modifiers, self.head) if word)

    def general(self) -> IssueLabel:
        """The label without qualifiers ("heavy", "sustained"), as used for folding."""
        qualifiers = lang.lines("issue_qualifiers.txt")
        return replace(self, modifiers=tuple(m for m in self.modifiers if m not in qualifiers))


def fold_labels(labels: Iterable[IssueLabel]) -> dict[IssueLabel, IssueLabel]:
    """Fold the issue labels of one article: each label to the label it is reported under.

    Labels with the same verb and head whose modifiers, qualifiers dropped, are nested fold
    to the most general of them; a label nested with no other keeps its full form.

    >>> heavy, eu = IssueLabel(None, ("heavy",), "sanction"), IssueLabel(None, ("eu",), "sanction")
    >>> sorted(label.text for label in fold_labels([heavy, eu]).values())
    ['sanction', 'sanction']
    >>> military = IssueLabel(None, ("military",), "aid")
    >>> fold_labels([military, IssueLabel(None, ("humanitarian",), "aid")])[military].text
    'military aid'
    """
    unique = sorted(set(labels), key=lambda label: (label.verb or "", label.modifiers, label.head))
    folded: dict[IssueLabel, IssueLabel] = {}
    for label in unique:
        mine = set(label.general().modifiers)
        nested = [
            other.general() for other in unique
            if other != label and (other.verb, other.head) == (label.verb, label.head)
            and (set(other.general().modifiers) <= mine or mine <= set(other.general().modifiers))
        ]
        if not nested:
            folded[label] = label
            continue
        below = [other for other in [*nested, label.general()] if set(other.modifiers) <= mine]
        folded[label] = min(below, key=lambda other: (len(other.modifiers), other.modifiers))
    return folded


def _word(token: Token) -> str:
    """A token as a label word: lemma for common words, lower case, no dots."""
    text = token.lemma_ if token.pos_ in {"NOUN", "VERB", "ADJ", "AUX"} else token.text
    return text.lower().replace(".", "").replace("’", "'")


def _modifier_tokens(head: Token, deps: frozenset[str]) -> list[Token]:
    """The modifiers of a noun kept in its label, with their own noun compounds."""
    kept: list[Token] = []
    for child in head.lefts:
        if child.dep_ in deps and child.pos_ in MODIFIER_POS and child.tag_ not in {"JJS", "JJR"} \
                and child.lower_ not in lang.lines("issue_stop_words.txt"):
            kept.extend(_modifier_tokens(child, frozenset({"compound"})))
            kept.append(child)
    return kept


def _words(tokens: list[Token]) -> tuple[str, ...]:
    """Label words of tokens in text order; tokens joined by a hyphen make one word."""
    doc = tokens[0].doc
    positions = {token.i for token in tokens}
    words: list[str] = []
    glue = False
    for token in sorted(tokens, key=lambda t: t.i):
        word = _word(token).strip("'\"‘“”")
        if glue and words:
            words[-1] = words[-1].rstrip("-") + "-" + word
        elif word:
            words.append(word)
        after = token.i + 1
        glue = word.endswith("-") or (after + 1 < len(doc) and doc[after].text == "-" and after + 1 in positions
                                      and not token.whitespace_)
    return tuple(words)


def _gerund(noun: Token) -> Token | None:
    """A gerund parsed as a compound of its object ("withholding farm subsidies")."""
    return next((c for c in noun.lefts if c.dep_ == "compound" and c.tag_ == "VBG" and c.pos_ == "VERB"), None)


def _generic(noun: Token) -> bool:
    """Whether a noun is too general to name an issue: no noun compound makes it specific."""
    return noun.lemma_.lower() in lang.lines("issue_generic_nouns.txt") and \
        not any(c.dep_ == "compound" and c.pos_ in {"NOUN", "PROPN"} for c in noun.lefts)


def _noun_label(head: Token) -> tuple[IssueLabel, list[Token]] | None:
    """The label of a noun issue and the tokens it is read from."""
    if head.pos_ not in {"NOUN", "PROPN"} or head.ent_type_ in NOT_ISSUE_ENTITIES:
        return None  # "agreed on Wednesday": a date, a time or a number names no issue
    gerund = _gerund(head)
    if gerund is not None:
        modifiers = [t for t in _modifier_tokens(head, frozenset({"compound"})) if t.i != gerund.i]
        words = _words([*modifiers, head])
        return IssueLabel(_word(gerund), words[:-1], words[-1]), [gerund, *modifiers, head]
    if _generic(head):
        return None
    modifiers = _modifier_tokens(head, MODIFIER_DEPS)
    words = _words([*modifiers, head])
    if not words or sum(ch.isalnum() for ch in words[-1]) < 2:
        return None
    return IssueLabel(None, words[:-1], words[-1]), [*modifiers, head]


def _verb_label(verb: Token) -> tuple[IssueLabel, list[Token]] | None:
    """The label of a verb issue ("withhold us support") and the tokens it is read from."""
    particles = [child for child in verb.children if child.dep_ == "prt"]
    name = " ".join(_word(token) for token in [verb, *particles])
    target = next((child for child in verb.children if child.dep_ == "dobj"), None)
    if target is None or target.pos_ not in {"NOUN", "PROPN"} or _generic(target) \
            or target.ent_type_ in NOT_ISSUE_ENTITIES:
        return None  # "refused to comment", "change things" name no issue
    modifiers = _modifier_tokens(target, frozenset({"compound"}))
    words = _words([*modifiers, target])
    return IssueLabel(name, words[:-1], words[-1]), [verb, *particles, *modifiers, target]


# --------------------------------------------------------------------------------------
# the finder


@dataclass(frozen=True)
class _Holder:
    actor: str
    tokens: tuple[int, ...] = ()  # the tokens that name the holder, if any
    factor: float = 1.0


@dataclass(frozen=True)
class _Proposal:
    """A proposal pointing back ("this approach", "the plan"), resolved once every other stance is known."""

    token: int
    window: int  # how many sentences back it may point


@dataclass(frozen=True)
class _Target:
    value: str | IssueLabel | _Proposal  # an actor id, an issue, or a pending proposal
    polarity: int
    tokens: tuple[int, ...]
    factor: float = 1.0


@dataclass(frozen=True)
class _Pair:
    """A person named in what a holder says, to ask the classifier about.

    ``text_start``/``text_end`` bound what is said (a quote or a reported clause, within one
    sentence); ``start``/``end`` bound the person's first mention in it.
    """

    text_start: int
    text_end: int
    start: int
    end: int
    token: int  # first token of the mention
    actor: str


@dataclass
class _Found:
    holder: str
    target: str | IssueLabel | _Proposal
    polarity: int
    confidence: float
    tokens: set[int]
    anchor: int  # the predicate token (the target, for the classifier)


@dataclass
class _Finder:
    """Finds the stances of one parsed article; :func:`find_stances` is its only user."""

    doc: Doc
    actors: ActorIndex
    quotes: list[Quote]
    found: list[_Found] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)  # predicates already read through a governing one
    text: str = field(init=False)  # the document's text (``Doc.text`` rebuilds it on each call)
    headline: set[int] = field(init=False)
    quoted: list[tuple[int, int]] = field(init=False)  # character ranges between quotation marks
    sentences: list[tuple[int, int]] = field(init=False)  # token bounds of each sentence
    sentence_of: list[int] = field(init=False)  # sentence number of each token
    prose_before: list[int] = field(init=False)  # per sentence: how many sentences with words precede it

    def __post_init__(self) -> None:
        self.text = self.doc.text
        self.headline = set()
        for start, end in headline_lines(self.text):
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                self.headline.update(range(span.start, span.end))
        self.quoted = quoted_regions(self.text)
        self.sentences = [(sent.start, sent.end) for sent in self.doc.sents]
        self.sentence_of = [0] * len(self.doc)
        self.prose_before = []
        prose = 0
        for number, (start, end) in enumerate(self.sentences):
            self.sentence_of[start:end] = [number] * (end - start)
            self.prose_before.append(prose)
            prose += any(token.is_alpha for token in self.doc[start:end])

    def with_lemma(self, lemmas: Iterable[str]) -> list[Token]:
        """The tokens whose lemma is one of ``lemmas`` (lexicon lemmas are lower case), in order.

        Compares lemma hashes in one array, since building a Token for each word of an
        article costs more than the rest of the step.
        """
        wanted = numpy.array([hash_string(lemma) for lemma in lemmas], dtype=numpy.uint64)
        found = numpy.flatnonzero(numpy.isin(self.doc.to_array("LEMMA"), wanted))
        return [self.doc[int(i)] for i in found]

    def sentence(self, token_index: int) -> tuple[int, int]:
        """Token bounds of the sentence a token is in."""
        return self.sentences[self.sentence_of[token_index]]

    # --- holders ---

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

    def holders(self, subject: Token) -> list[_Holder]:
        """The actors a subject stands for."""
        if subject.lower_ in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
            subject = subject.head.head
        if subject.lower_ in FIRST_PERSON:
            return self.speakers(subject)
        holders: list[_Holder] = []
        for member in [subject, *subject.conjuncts]:
            span = self.doc[member.left_edge.i : member.i + 1]
            tokens = tuple(range(span.start, span.end))
            mention = self.actors.mention_at(member.i)
            if mention is not None:
                holders.append(_Holder(mention.actor, tuple(range(mention.token_start, mention.token_end))))
            elif member.lower_ == "they" or (
                member.tag_ in {"NNS", "NNPS"} and member.lemma_.lower() in _plural_holder_nouns()
            ):
                holders.extend(_Holder(a, tokens, PLURAL_FACTOR) for a in self.actors.resolve_all(span))
            elif member.pos_ == "PRON" and (actor := self.actors.resolve(span)) is not None:
                holders.append(_Holder(actor, tokens))
            elif (modifier := next((self.actors.mention_at(c.i) for c in member.lefts if c.dep_ in {"compound", "amod"}
                                    and self.actors.mention_at(c.i)), None)) is not None:
                holders.append(_Holder(modifier.actor, tokens))  # "Labour MPs", "French officials"
        return _unique_holders(holders)

    def quote_at(self, token: Token) -> Quote | None:
        return next((q for q in self.quotes if q.actor and q.content.start <= token.idx < q.content.end), None)

    def speakers(self, token: Token) -> list[_Holder]:
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
        return [_Holder(quote.actor, tuple(t.i for span in spans if span is not None for t in span))]

    def reporters(self, token: Token) -> list[_Holder]:
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

    # --- targets ---

    def actor_at(self, token: Token, holders: list[_Holder]) -> tuple[str, tuple[int, ...]] | None:
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

    def targets(self, argument: Token, kind: str, holders: list[_Holder]) -> list[_Target]:
        """What an argument of a stance predicate is about, with the polarity it adds."""
        found: list[_Target] = []
        for item in [argument, *argument.conjuncts]:
            if item.i < argument.i:
                continue
            found.extend(self.item_targets(item, kind, holders))
        return found

    def item_targets(self, item: Token, kind: str, holders: list[_Holder]) -> list[_Target]:
        if any(c.tag_ in {"WDT", "WP$"} for c in item.children):
            return []  # "which party they vote for" asks, it does not say
        actor = self.actor_at(item, holders)
        if actor is not None:
            return [_Target(actor[0], 1, actor[1])]
        lemma = item.lemma_.lower()
        if item.pos_ in {"VERB", "AUX"}:
            self.consumed.add(item.i)
            frames = [f for f in _verb_frames().get(lemma, ()) if f.kind in {"position", "evaluate"}]
            if frames:
                return [replace(t, polarity=t.polarity * _sign(item), tokens=(item.i, *t.tokens))
                        for t in self.frame_targets(item, frames, holders)]
            labelled = _verb_label(item)
            return [_Target(labelled[0], 1, tuple(t.i for t in labelled[1]))] if labelled else []
        if item.pos_ not in {"NOUN", "PROPN"}:
            return []
        proposal = lemma in lang.lines("stance_proposal_nouns.txt")
        if proposal and (item.dep_ == "appos" or _pointing_back(item)):
            return self.proposal_targets(item, holders)
        if lemma in _noun_frames():
            self.consumed.add(item.i)
            return [replace(t, polarity=t.polarity * _sign(item), tokens=(item.i, *t.tokens))
                    for t in self.noun_targets(item, holders)]
        if proposal:
            return self.proposal_targets(item, holders)
        owner = self.possessor(item)
        owned = self.actor_at(owner, holders) if owner is not None else None
        toward_owner = -1 if lemma in lang.lines("issue_against_owner.txt") else 1
        if kind == "evaluate" and owned is not None and toward_owner > 0:
            return [_Target(owned[0], 1, (*owned[1], item.i))]
        labelled = _noun_label(item)
        found = [_Target(labelled[0], 1, tuple(t.i for t in labelled[1]))] if labelled else []
        if owned is not None:  # backing "Ukraine's territorial integrity" backs Ukraine, less surely
            found.append(_Target(owned[0], toward_owner, (*owned[1], item.i), OWNER_FACTOR))
        return found

    def proposal_targets(self, noun: Token, holders: list[_Holder]) -> list[_Target]:
        """A proposal noun: its apposition, the proposal it points back to, or its owner."""
        if noun.dep_ == "appos":
            return self.item_targets(noun.head, "position", holders)
        if (window := _pointing_back(noun)):
            return [_Target(_Proposal(noun.i, window), 1, (noun.i,), DEMONSTRATIVE_FACTOR)]
        content = next((c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"), None)
        if content is not None and (labelled := _verb_label(content)) is not None:
            return [_Target(labelled[0], 1, (noun.i, *(t.i for t in labelled[1])))]
        owner = self.possessor(noun) or next(
            (c for c in noun.lefts if c.dep_ == "compound" and self.actors.mention_at(c.i)), None)
        if owner is not None and (actor := self.actor_at(owner, holders)) is not None:
            return [_Target(actor[0], 1, (*actor[1], noun.i))]
        return []

    def frame_arguments(self, verb: Token, frame: str) -> list[Token]:
        """The tokens that fill one frame of a verb."""
        children = list(verb.children)
        if frame == "dobj":
            passive = [c for c in children if c.dep_ == "nsubjpass"]
            if passive:
                return passive
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
                    or (c.dep_ == "dobj" and _gerund(c) is not None)]
        if frame == "oprd":
            return [c for c in children if c.dep_ == "dobj"]
        word = frame.removeprefix("prep:")
        if any(c.dep_ == "prt" and c.lower_ == word for c in children):
            return [c for c in children if c.dep_ == "dobj"]
        return [g for c in children if c.dep_ in {"prep", "agent"} and c.lower_ == word
                for g in c.children if g.dep_ in {"pobj", "pcomp"}]

    def frame_targets(self, verb: Token, frames: Sequence[_VerbFrame], holders: list[_Holder]) -> list[_Target]:
        found: list[_Target] = []
        for frame in frames:
            phrase = _phrase_tokens(verb, frame.required) if frame.required else []
            if frame.required and not phrase:
                continue
            for argument in self.frame_arguments(verb, frame.frame):
                if frame.kind == "light" and argument.lemma_.lower() not in _noun_frames():
                    continue
                if frame.kind == "describe":
                    found.extend(self.described(verb, frame, argument, holders))
                else:
                    found.extend(replace(t, polarity=t.polarity * frame.polarity, tokens=(*t.tokens, *phrase))
                                 for t in self.targets(argument, frame.kind, holders))
        return found

    def described(self, verb: Token, frame: _VerbFrame, target: Token, holders: list[_Holder]) -> list[_Target]:
        """ "called France a great ally": the judgement of the object's complement."""
        complements = [c for c in verb.children if c.dep_ == "oprd"] if frame.frame == "oprd" else \
            [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children if g.dep_ == "pobj"]
        for complement in complements:
            polarity = _judgement(complement)
            if polarity:
                return [replace(t, polarity=t.polarity * polarity, tokens=(*t.tokens, *_phrase(complement)))
                        for t in self.targets(target, "evaluate", holders)]
        return []

    def noun_targets(self, noun: Token, holders: list[_Holder]) -> list[_Target]:
        frame = _noun_frames()[noun.lemma_.lower()]
        found: list[_Target] = []
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

    # --- predicates ---

    def add(self, holders: list[_Holder], targets: list[_Target], anchor: Token, confidence: float,
            subject: Token | None = None) -> None:
        """Record a stance of each holder on each target; ``subject`` joins the evidence."""
        first, end = self.sentence(anchor.i)
        for holder in holders:
            for target in targets:
                if target.value == holder.actor:
                    continue
                tokens = {anchor.i, *target.tokens, *_modal_tokens(anchor)}
                if subject is not None:
                    tokens.update(range(subject.left_edge.i, subject.i + 1))
                tokens.update(i for i in holder.tokens if first <= i < end)
                self.found.append(_Found(holder.actor, target.value, target.polarity,
                                         confidence * holder.factor * target.factor * _hedge(anchor), tokens, anchor.i))

    def verb(self, verb: Token) -> None:
        frames = _verb_frames()[verb.lemma_.lower()]
        passive = any(c.dep_ == "nsubjpass" for c in verb.children)
        if passive:
            agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
            holders = self.holders(agent) if agent is not None else self.speakers(verb)
            subject = None
        else:
            subject = self.subject(verb)
            holders = self.holders(subject) if subject is not None else []
        if not holders:
            return
        targets = [replace(t, polarity=t.polarity * _sign(verb)) for t in self.frame_targets(verb, frames, holders)]
        self.add(holders, targets, verb, VERB_CONFIDENCE, subject)

    def noun(self, noun: Token) -> None:
        owner = self.possessor(noun)
        agent = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"
                      for g in c.children if g.dep_ == "pobj"), None)
        holder_token = owner if owner is not None else agent
        if holder_token is None:
            return
        holders = self.holders(holder_token)
        targets = [replace(t, polarity=t.polarity * _sign(noun)) for t in self.noun_targets(noun, holders)]
        self.add(holders, targets, noun, NOUN_CONFIDENCE)

    def judgement(self, copula: Token) -> None:
        subject = next((c for c in copula.children if c.dep_ == "nsubj"), None)
        complement = next((c for c in copula.children if c.dep_ in {"attr", "acomp"}), None)
        if subject is None or complement is None or (
            subject.pos_ in {"PRON", "DET"} and self.actors.mention_at(subject.i) is None
        ):
            return
        polarity = _judgement(complement)
        holders = self.speakers(copula) if polarity else []
        if not holders:
            return
        targets = [replace(t, polarity=t.polarity * polarity * _sign(copula), tokens=(*t.tokens, *_phrase(complement)))
                   for t in self.item_targets(subject, "evaluate", holders)]
        self.add(holders, targets, copula, JUDGEMENT_CONFIDENCE)

    def apposed_proposal(self, noun: Token) -> None:
        """ "X — a demand Moscow rejects": X is proposed by whoever says the clause X is in."""
        holders = self.speakers(noun.head)
        targets = [replace(t, tokens=(*t.tokens, noun.i)) for t in self.item_targets(noun.head, "position", holders)]
        self.add(holders, targets, noun, NOUN_CONFIDENCE)

    def run(self) -> None:
        """Find every stance the rules can, governing predicates first, demonstratives last."""
        words = {*_verb_frames(), *_noun_frames(), *COPULAS, *lang.lines("stance_proposal_nouns.txt")}
        predicates = [t for t in self.with_lemma(words) if t.i not in self.headline and not _open_question(t)]
        predicates.sort(key=lambda t: (sum(1 for _ in t.ancestors), t.i))
        for token in predicates:
            if token.i in self.consumed:
                continue
            lemma = token.lemma_.lower()
            if lemma in _verb_frames() and (token.pos_ == "VERB" or token.dep_ == "relcl"):
                self.verb(token)
            elif token.dep_ == "appos" and lemma in lang.lines("stance_proposal_nouns.txt"):
                self.apposed_proposal(token)
            elif token.pos_ == "NOUN" and lemma in _noun_frames():
                self.noun(token)
            elif lemma in COPULAS:
                self.judgement(token)
        self.resolve_proposals()

    def resolve_proposals(self) -> None:
        """Point each proposal that points back at the nearest issue someone backed before it."""
        def sentences_back(later: int, earlier: int) -> int:  # paragraph breaks do not count
            return self.prose_before[self.sentence_of[later]] - self.prose_before[self.sentence_of[earlier]]

        resolved: list[_Found] = []
        for found in self.found:
            if not isinstance(found.target, _Proposal):
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

    # --- classifier pairs ---

    def regions(self) -> list[tuple[list[str], list[Token], set[int]]]:
        """Where actors are talked about: (holders, tokens to look at, evidence tokens).

        A quote's content belongs to its actor; a clause a reporting verb governs belongs to
        the verb's subject.
        """
        found: list[tuple[list[str], list[Token], set[int]]] = []
        for quote in self.quotes:
            span = self.doc.char_span(quote.content.start, quote.content.end, alignment_mode="expand")
            if quote.actor is not None and span is not None:
                found.append(([quote.actor], list(span), {t.i for t in span}))
        for verb in self.with_lemma(lang.lines("stance_reporting_verbs.txt")):
            if verb.pos_ != "VERB" or verb.i in self.headline:
                continue
            subject = self.subject(verb)
            holders = [h.actor for h in self.holders(subject)] if subject is not None else []
            for clause in (c for c in verb.children if c.dep_ == "ccomp"):
                tokens = sorted(clause.subtree, key=lambda t: t.i)  # a non-projective subtree comes unsorted
                named = range(subject.left_edge.i, subject.i + 1) if subject is not None else range(0)
                evidence = {verb.i, *named, *(t.i for t in tokens)}
                found.append((holders, tokens, evidence))
        return found

    def classifier_pairs(self) -> dict[_Pair, dict[str, set[int]]]:
        """Each person named in what a holder says: holder -> evidence.

        Only pairs no rule found a stance for anywhere in the article are asked about: the
        rules are the surer reading, and a classifier answer against them is most likely
        wrong. What is said is cut to one sentence; a person is asked about once per holder
        and sentence (a quote first, since a quote and its reporting clause often say the same).
        """
        ruled = {(f.holder, f.target) for f in self.found}
        # words a rule already reads as someone's stance on that person ("Trump's praise for
        # Putin") are not asked again on behalf of another holder whose quote holds them
        owned = {(i, f.target): f.holder for f in self.found for i in f.tokens}
        spoken: set[tuple[str, str, int]] = set()
        pairs: dict[_Pair, dict[str, set[int]]] = defaultdict(dict)
        for holders, tokens, evidence in self.regions():
            for token in tokens:
                named = self.actor_at(token, [_Holder(h) for h in holders])
                if named is None or named[1][0] != token.i or not self.is_person(named[0]):
                    continue
                number = self.sentence_of[token.i]
                owner = owned.get((token.i, named[0]))
                waiting = [h for h in holders if h != named[0] and (h, named[0]) not in ruled
                           and (h, named[0], number) not in spoken and owner in (None, h)]
                if not waiting:
                    continue
                first, end = self.sentences[number]
                said = [t for t in tokens if first <= t.i < end and not t.is_space]
                last = self.doc[min(named[1][-1], said[-1].i)]
                pair = _Pair(said[0].idx, said[-1].idx + len(said[-1].text), token.idx, last.idx + len(last.text),
                             token.i, named[0])
                for holder in waiting:
                    pairs[pair][holder] = {i for i in evidence if first <= i < end}
                    spoken.add((holder, named[0], number))
        return pairs

    def classify(self, classifier: StancePredictor) -> None:
        """Ask the classifier, in one call, about every (holder, person) pair no rule covered."""
        pairs = self.classifier_pairs()
        by_text: dict[tuple[int, int], list[_Pair]] = defaultdict(list)
        for pair in sorted(pairs, key=lambda p: (p.text_start, p.text_end, p.start)):
            by_text[(pair.text_start, pair.text_end)].append(pair)
        if not by_text:
            return
        items = [(self.text[start:end], [(p.start - start, p.end - start) for p in asked])
                 for (start, end), asked in by_text.items()]
        for asked, answers in zip(by_text.values(), classifier.predict(items), strict=True):
            for pair, (polarity, confidence) in zip(asked, answers, strict=True):
                if polarity == 0:
                    continue
                for holder, evidence in sorted(pairs[pair].items()):
                    self.found.append(_Found(holder, pair.actor, polarity, confidence, evidence, pair.token))


# --------------------------------------------------------------------------------------
# small token helpers


def _sign(token: Token) -> int:
    """-1 when a negator modifies the token ("did not back", "no support"), else 1."""
    negators = lang.lines("stance_negators.txt")
    negated = any(c.dep_ == "neg" or (c.lower_ in negators and c.dep_ in {"det", "advmod", "preconj"})
                  for c in token.children)
    return -1 if negated else 1


def _hedge(token: Token) -> float:
    hedges = lang.lines("stance_hedges.txt")
    return HEDGE_FACTOR if any(c.lower_ in hedges and c.dep_ in {"aux", "advmod"} for c in token.children) else 1.0


def _modal_tokens(token: Token) -> list[int]:
    """Negators, hedges and auxiliaries on a predicate: part of its evidence."""
    return [c.i for c in token.children if c.dep_ in {"neg", "aux", "auxpass"}]


def _pointing_back(noun: Token) -> int:
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


def _open_question(token: Token) -> bool:
    """Whether a token heads a clause that asks rather than states.

    "whether Putin can be trusted", "if he backs it", "how he would like ...".
    """
    return any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in token.children) or (
        token.dep_ in {"ccomp", "pcomp", "xcomp"}
        and any(c.lower_ in QUESTION_WORDS and c.i < token.i for c in token.children)
    )


def _judgement(word: Token) -> int:
    """The judgement a complement makes: -1 if any of its words is negative, +1 if positive, else 0."""
    judgements = _judgements()
    polarities = [judgements[t.lemma_.lower()] for t in [word, *(c for c in word.children if c.dep_ == "amod")]
                  if t.lemma_.lower() in judgements]
    if not polarities:
        return 0
    return (-1 if min(polarities) < 0 else 1) * _sign(word)


def _phrase(token: Token) -> list[int]:
    """A complement with its modifiers and prepositional phrases, without clauses hanging off it."""
    clauses = {t.i for c in token.children if c.dep_ in {"relcl", "acl", "advcl"} for t in c.subtree}
    return [t.i for t in token.subtree if t.i not in clauses]


def _phrase_tokens(verb: Token, phrase: tuple[str, str]) -> list[int]:
    """The tokens of a required phrase on a verb ("at his word"), or [] when it is missing."""
    word, lemma = phrase
    for child in verb.children:
        if child.lower_ == word and any(g.lemma_.lower() == lemma for g in child.children):
            return [t.i for t in child.subtree]
    return []


def _unique_holders(holders: list[_Holder]) -> list[_Holder]:
    seen: dict[str, _Holder] = {}
    for holder in holders:
        seen.setdefault(holder.actor, holder)
    return list(seen.values())


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


# --------------------------------------------------------------------------------------
# the steps


def find_stances(doc: Doc, actors: ActorIndex, quotes: list[Quote],
                 classifier: StancePredictor | None = None) -> list[Stance]:
    """Where each actor stands on other actors and on issues, with evidence, in text order.

    ``classifier`` answers for people named in quotes and reported clauses where no rule
    did, in at most one call; by default the shipped target-stance model.
    """
    finder = _Finder(doc, actors, quotes)
    finder.run()
    if classifier is None:
        from stancegraph.extract.target_stance import load_classifier  # onnxruntime only once needed

        classifier = load_classifier()
    finder.classify(classifier)
    folded = fold_labels(f.target for f in finder.found if isinstance(f.target, IssueLabel))
    best: dict[tuple[str, str, int, int], tuple[Stance, int]] = {}
    for found in finder.found:
        kind: Literal["actor", "issue"] = "issue" if isinstance(found.target, IssueLabel) else "actor"
        target = folded[found.target].text if isinstance(found.target, IssueLabel) else found.target
        assert isinstance(target, str)
        polarity: Literal[-1, 0, 1] = 1 if found.polarity > 0 else -1 if found.polarity < 0 else 0
        evidence = _evidence(doc, finder.text, found.tokens, finder.sentence(found.anchor))
        stance = Stance(found.holder, target, kind, polarity, evidence, round(min(1.0, found.confidence), 3), actors.members(found.holder))
        key = (found.holder, target, polarity, found.anchor)
        if key not in best or best[key][0].confidence < stance.confidence:
            best[key] = (stance, found.anchor)
    ordered = sorted(best.values(), key=lambda item: (item[0].evidence.start, item[1], item[0].actor, item[0].target))
    return [stance for stance, _ in ordered]


def _leaders(actors: Sequence[Actor]) -> dict[str, str]:
    """Person id -> id of the country the article makes them the head of (now, not formerly)."""
    countries = {actor.name: actor.id for actor in actors if actor.type == "country"}
    leaders: dict[str, str] = {}
    for actor in actors:
        if actor.type != "person":
            continue
        headed = {role.country for role in actor.roles if role.office_class == "head" and role.country in countries}
        former = {role.country for role in actor.roles if role.tense == "past"}
        current = sorted(headed - former)
        if len(current) == 1:
            leaders[actor.id] = countries[current[0]]
    return leaders


def find_relations(stances: list[Stance], actors: Sequence[Actor] = ()) -> list[Relation]:
    """Agreement and conflict between actors with non-zero stances on one target.

    Every pair of their stances counts, so an actor who took both sides of a target both
    agrees and conflicts with another; each (pair, target, kind) is one relation, ``a``
    before ``b``, sorted. With the article's ``actors``, a stance toward a country's current
    head and one toward the country count as one target (the relation is then ``on`` the
    country).
    """
    leaders = _leaders(actors)
    by_target: dict[tuple[str, str], dict[str, list[Stance]]] = defaultdict(lambda: defaultdict(list))
    for stance in stances:
        if stance.polarity == 0:
            continue
        target = leaders.get(stance.target, stance.target) if stance.target_kind == "actor" else stance.target
        if target in {stance.actor, leaders.get(stance.actor)}:
            continue
        by_target[(stance.target_kind, target)][stance.actor].append(stance)
    relations: set[tuple[str, str, str, str]] = set()
    for (_, target), holders in by_target.items():
        for a, b in itertools.combinations(sorted(holders), 2):
            for first, second in itertools.product(holders[a], holders[b]):
                kind = "agree" if first.polarity == second.polarity else "conflict"
                on = first.target if first.target == second.target else target
                relations.add((a, b, on, kind))
    return [Relation(a, b, kind, on) for a, b, on, kind in sorted(relations)]  # type: ignore[arg-type]
