"""The state stance finding keeps for one article, and the small records it passes around."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IS_ALPHA
from spacy.strings import hash_string  # type: ignore[attr-defined]  # missing from spaCy's stub
from spacy.tokens import Doc, Token

from stancegraph.extract.actors import ActorIndex, headline_lines
from stancegraph.extract.issues import IssueLabel
from stancegraph.extract.quotemarks import quoted_regions
from stancegraph.records import Quote
from stancegraph.token_columns import doc_text, sentence_numbers, sentence_ranges

__all__ = ["FinderState", "Found", "Holder", "Pair", "Proposal", "Target"]


@dataclass(frozen=True)
class Holder:
    actor: str
    tokens: tuple[int, ...] = ()  # the tokens that name the holder, if any
    factor: float = 1.0


@dataclass(frozen=True)
class Proposal:
    """A proposal pointing back ("this approach", "the plan"), resolved once every other stance is known."""

    token: int
    window: int  # how many sentences back it may point


@dataclass(frozen=True)
class Target:
    value: str | IssueLabel | Proposal  # an actor id, an issue, or a pending proposal
    polarity: int
    tokens: tuple[int, ...]
    factor: float = 1.0


@dataclass(frozen=True)
class Pair:
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
class Found:
    holder: str
    target: str | IssueLabel | Proposal
    polarity: int
    confidence: float
    tokens: set[int]
    anchor: int  # the predicate token (the target, for the classifier)


@dataclass
class FinderState:
    """What stance finding knows of one parsed article: its parse, actors, quotes, sentences, and the stances found so far."""

    doc: Doc
    actors: ActorIndex
    quotes: list[Quote]
    found: list[Found] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)  # predicates already read through a governing one
    text: str = field(init=False)  # the document's text (``Doc.text`` rebuilds it on each call)
    headline: set[int] = field(init=False)
    quoted: list[tuple[int, int]] = field(init=False)  # character ranges between quotation marks
    sentences: list[tuple[int, int]] = field(init=False)  # token bounds of each sentence
    sentence_of: list[int] = field(init=False)  # sentence number of each token
    prose_before: list[int] = field(init=False)  # per sentence: how many sentences with words precede it
    lemma_ids: numpy.ndarray | None = field(init=False, default=None)  # every token's lemma hash, read once

    def __post_init__(self) -> None:
        self.text = doc_text(self.doc)
        self.headline = set()
        for start, end in headline_lines(self.text):
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                self.headline.update(range(span.start, span.end))
        self.quoted = quoted_regions(self.text)
        self.sentence_of = sentence_numbers(self.doc)
        self.sentences = sentence_ranges(self.sentence_of)
        with_words = [False] * len(self.sentences)
        for i in numpy.flatnonzero(self.doc.to_array(IS_ALPHA)).tolist():
            with_words[self.sentence_of[i]] = True
        self.prose_before = [0, *itertools.accumulate(map(int, with_words))][: len(self.sentences)]

    def with_lemma(self, lemmas: Iterable[str]) -> list[Token]:
        """The tokens whose lemma is one of ``lemmas`` (lexicon lemmas are lower case), in order.

        Compares lemma hashes in one array, since building a Token for each word of an
        article costs more than the rest of the step.
        """
        if self.lemma_ids is None:
            self.lemma_ids = self.doc.to_array("LEMMA")
        found = numpy.flatnonzero(numpy.isin(self.lemma_ids, _lemma_ids(frozenset(lemmas))))
        return [self.doc[int(i)] for i in found]

    def sentence(self, token_index: int) -> tuple[int, int]:
        """Token bounds of the sentence a token is in."""
        return self.sentences[self.sentence_of[token_index]]


@functools.lru_cache(maxsize=32)
def _lemma_ids(lemmas: frozenset[str]) -> numpy.ndarray:
    """The string hashes of a lexicon's lemmas (each step asks for the same few lexicons)."""
    return numpy.array([hash_string(lemma) for lemma in lemmas], dtype=numpy.uint64)
