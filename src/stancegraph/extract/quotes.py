"""Quotes: direct, partial and indirect speech, with cue, speaker and actor.

Two sources of quotes are merged:

1. The trained attribution tagger (:mod:`stancegraph.extract.attribution`) finds content,
   cue and source spans of reported speech of every kind ("Macron cautioned that ...",
   "according to ...", "“...,” Macron said").
2. Rules look at every quoted passage the tagger left alone: a passage governed by a
   reporting verb (or next to one in its sentence) is a quote of that verb's subject; a
   passage that follows an attributed quote with nothing between them but a short
   attribution ("“...,” he acknowledged. “...”") continues it, with the same cue and speaker.

The kind comes from the marks: ``direct`` when (nearly) all of the content is inside
quotation marks, ``partial`` when some of it is, ``indirect`` otherwise. Content is trimmed
of the marks (direct) and of the commas and stops around it. A quote with no cue is dropped:
the tagger finds such spans mostly in headlines and lists, where nobody is speaking.

Example
-------
>>> from stancegraph.extract.actors import find_actors
>>> from stancegraph.nlp import load_pipeline
>>> doc = load_pipeline()("“We will win,” Mayor Anna Berg said. “Nobody doubts it.”")
>>> [(q.kind, q.content.text, q.speaker.text) for q in find_quotes(doc, find_actors(doc))]
[('direct', 'We will win', 'Mayor Anna Berg'), ('direct', 'Nobody doubts it.', 'Mayor Anna Berg')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

from spacy.tokens import Doc, Token

from stancegraph.extract.actors import ActorIndex
from stancegraph.extract.attribution import (
    QUOTATION_SHARE,
    TaggedAttribution,
    TokenRange,
    cue_lemmas,
    is_cue_verb,
    load_tagger,
    referent,
    sentence_ranges,
    subject_of,
)
from stancegraph.extract.quotemarks import inside, quoted_passages, quoted_share
from stancegraph.extract.span_tagger import preferred_tagger
from stancegraph.records import Quote, QuoteKind, Span
from stancegraph.token_columns import doc_text, sentence_numbers

__all__ = ["CONTINUATION_GAP_WORDS", "MIN_QUOTE_WORDS", "UNATTRIBUTED_FACTOR", "find_quotes", "quote_kind"]

MIN_QUOTE_WORDS = 3
"""A quoted passage with fewer words is a title or a scare quote unless the tagger says otherwise."""
CONTINUATION_GAP_WORDS = 12
"""At most this many words between two quotes for the second to continue the first."""
UNATTRIBUTED_FACTOR = 0.5
"""A quote with no speaker tells little about who says what: its confidence is scaled by this."""

_MARKS = "\"“”„«»‟‘’'`"
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_DASHES = frozenset({"—", "–", "-", "--"})
UNSURE_CONFIDENCE = 0.5
"""Reported (unquoted) speech the tagger is less sure of needs a cue of speech or thought."""
MAX_NAME_WORDS = 8
"""A speaker written without a verb ("— Commissioner Ruiz") has at most this many words."""
_EDGE_PUNCT = " \t\r\n,;:—–-"
_WORD = re.compile(r"[^\W_]+")

Region = tuple[int, int]


class Tagger(Protocol):
    """What finds attributions: the CRF or the transformer tagger."""

    def attributions(self, doc: Doc) -> list[TaggedAttribution]: ...


@dataclass(frozen=True)
class _Draft:
    """A quote being built: character content, token cue and source, confidence."""

    start: int
    end: int
    cue: TokenRange | None
    source: TokenRange | None
    confidence: float


def quote_kind(text: str, start: int, end: int, regions: list[Region]) -> QuoteKind:
    """``direct``, ``partial`` or ``indirect`` from how much of ``text[start:end]`` is quoted."""
    share = quoted_share(text, start, end, regions)
    return "direct" if share >= QUOTATION_SHARE else "partial" if share > 0 else "indirect"


def _trimmed(text: str, start: int, end: int, kind: QuoteKind) -> tuple[int, int]:
    """Content without surrounding spaces and commas; without its marks when direct."""
    strip = _EDGE_PUNCT + (_MARKS if kind == "direct" else "")
    while start < end and text[start] in strip:
        start += 1
    while end > start and (text[end - 1] in strip or (kind == "indirect" and text[end - 1] == ".")):
        end -= 1
    return start, end


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _region_tokens(doc: Doc, region: Region) -> list[Token]:
    span = doc.char_span(region[0], region[1], alignment_mode="expand")
    return list(span) if span is not None else []


def _rule_cue(doc: Doc, region: Region, sentence_of: list[int], sentences: list[TokenRange],
              ) -> tuple[TokenRange, float] | None:
    """The reporting verb of a quoted passage, and how sure the rule is of it.

    A verb that governs the passage in the parse is best; else the nearest reporting verb
    of the passage's sentences outside it; else one in a sentence just before that ends in a
    colon ("Trump added:").
    """
    tokens = _region_tokens(doc, region)
    if not tokens:
        return None
    first, last = tokens[0].i, tokens[-1].i

    def outside(token: Token) -> bool:
        return not first <= token.i <= last

    for token in tokens:
        node = token
        for _ in range(3):
            if node.head.i == node.i:
                break
            node = node.head
            if outside(node):
                if is_cue_verb(node):
                    return (node.i, node.i + 1), 0.8
                break
    start, end = sentences[sentence_of[first]][0], sentences[sentence_of[last]][1]
    candidates = [t for t in doc[start:end] if is_cue_verb(t) and outside(t)]
    if candidates:
        verb = min(candidates, key=lambda t: min(abs(t.i - first), abs(t.i - last)))
        return (verb.i, verb.i + 1), 0.6
    if start > 0:
        before = doc[slice(*sentences[sentence_of[start - 1]])]
        colon = [t for t in before if t.text == ":"]
        verbs = [t for t in before if is_cue_verb(t)]
        if colon and verbs and before.end - colon[-1].i <= 2:
            return (verbs[-1].i, verbs[-1].i + 1), 0.6
    return None


def _clause_of_cue(doc: Doc, content: TokenRange, cue: TokenRange | None, regions: list[Region]) -> TokenRange:
    """Content cut at sentence ends outside quotation marks, keeping the sentence nearest the cue.

    Tagged content sometimes runs on into the next sentence ("called France “a great ally.”
    Their body language ..."); a quotation carries on across sentences, reported speech
    does not.
    """
    pieces = []
    start = content[0]
    for i in range(content[0] + 1, content[1]):
        if doc[i].is_sent_start and inside(regions, doc[i].idx) is None:
            pieces.append((start, i))
            start = i
    pieces.append((start, content[1]))
    if len(pieces) == 1 or cue is None:
        return pieces[0]
    return min(pieces, key=lambda piece: max(0, piece[0] - cue[1], cue[0] - piece[1]))


def _whole_passages(text: str, start: int, end: int, regions: list[Region]) -> Region:
    """A quotation tagged in part of a passage over several paragraphs grows to the whole passage
    (a tagger may read only the paragraph with the cue)."""
    if quote_kind(text, start, end, regions) != "direct":
        return start, end
    for region_start, region_end in regions:
        if region_start < end and start < region_end and "\n" in text[region_start:region_end]:
            start, end = min(start, region_start), max(end, region_end)
    return start, end


def _inherit(drafts: list[_Draft], text: str, regions: list[Region]) -> list[_Draft]:
    """Give each cue-less direct quote the cue and source of the quote it continues."""
    result: list[_Draft] = []
    for draft in sorted(drafts, key=lambda d: d.start):
        previous = result[-1] if result else None
        if (
            draft.cue is None
            and previous is not None
            and previous.cue is not None
            and quote_kind(text, draft.start, draft.end, regions) == "direct"
            and quote_kind(text, previous.start, previous.end, regions) != "indirect"
            and _words(text[previous.end:draft.start]) <= CONTINUATION_GAP_WORDS
        ):
            draft = replace(draft, cue=previous.cue, source=previous.source,
                            confidence=min(draft.confidence, previous.confidence))
        result.append(draft)
    return result


def _name_run(doc: Doc, start: int, end: int) -> TokenRange | None:
    """``doc[start:end]`` as a speaker written without a verb: a few words, a proper noun
    among them, no verb; cut at its first comma ("Commissioner Ruiz, head of the board")."""
    tokens = [t for t in doc[start:end] if not t.is_space]
    comma = next((k for k, t in enumerate(tokens) if t.text == ","), len(tokens))
    tokens = tokens[:comma]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if tokens and tokens[0].lower_ == "from":
        tokens = tokens[1:]
    if (not tokens or len(tokens) > MAX_NAME_WORDS or not any(t.pos_ == "PROPN" for t in tokens)
            or any(t.pos_ in {"VERB", "AUX"} for t in tokens)):
        return None
    return tokens[0].i, tokens[-1].i + 1


def _verbless_speaker(doc: Doc, start: int, end: int) -> tuple[TokenRange, TokenRange] | None:
    """(cue, speaker) of a quotation whose speaker is written without a verb: after a dash
    ("“...” — Commissioner Ruiz") or before a colon ("From Chairwoman Ito: “...”")."""
    after = next((t.i for t in doc if t.idx >= end), len(doc))
    while after < len(doc) and (doc[after].is_space or doc[after].text in _MARKS + ","):
        after += 1
    if after < len(doc) and doc[after].text in _DASHES:
        stop = after + 1
        while stop < len(doc) and not doc[stop].is_space and "\n" not in doc[stop - 1].whitespace_ \
                and doc[stop].text not in {".", "!", "?"}:
            stop += 1
        name = _name_run(doc, after + 1, stop)
        if name is not None:
            return (after, after + 1), name
    before = next((t.i for t in reversed(doc) if t.idx + len(t) <= start), -1)
    while before >= 0 and (doc[before].is_space or doc[before].text in _MARKS):
        before -= 1
    if before > 0 and doc[before].text == ":":
        first = before
        while first > 0 and not doc[first - 1].is_space and "\n" not in doc[first - 1].whitespace_ \
                and not doc[first].is_sent_start:
            first -= 1
        name = _name_run(doc, first, before)
        if name is not None:
            return (before, before + 1), name
    return None


def _speech_cue(doc: Doc, cue: TokenRange) -> bool:
    """Whether a cue has a word of speech or thought (:func:`cue_lemmas`, "according to")."""
    return any(t.lemma_.lower() in cue_lemmas() or t.lower_ == "according" for t in doc[cue[0]:cue[1]])


def _is_act(doc: Doc, content: Region, cue: TokenRange) -> bool:
    """Whether reported content is an act, not speech: a cue that only describes a noun ("His
    declared interests include ..."), or a participle opening its sentence with no subject of
    its own whose content is a noun phrase ("Outlining his crime manifesto, the leader ...",
    "Announcing the plans")."""
    span = doc.char_span(content[0], content[1], alignment_mode="expand")
    if span is None or all(doc[i].dep_ == "amod" for i in range(*cue)):
        return True
    verb = doc[cue[0]]
    return (
        verb.tag_ == "VBG"
        and (verb.dep_ == "ROOT" or (verb.dep_ == "advcl" and verb.i < verb.head.i))
        and not any(child.dep_ in _SUBJECTS for child in verb.children)
        and not any(t.pos_ in {"VERB", "AUX"} for t in span)
    )


def find_quotes(doc: Doc, actors: ActorIndex, *, tagger: Tagger | None = None, fast: bool = False) -> list[Quote]:
    """The quotes of a parsed article, in text order.

    ``tagger`` defaults to the tagger that scored better on the split carved from PolNeAR train
    (:func:`~stancegraph.extract.span_tagger.preferred_tagger`: the transformer once it beats
    the CRF), or with ``fast`` to the CRF.
    """
    text = doc_text(doc)
    regions = quoted_passages(text)
    sentence_of = sentence_numbers(doc)
    sentences = sentence_ranges(sentence_of)
    drafts = []
    tagger = tagger or (load_tagger() if fast else preferred_tagger())
    for found in tagger.attributions(doc):
        start, end = _clause_of_cue(doc, found.content, found.cue, regions)
        start_char, end_char = _whole_passages(text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), regions)
        drafts.append(_Draft(start_char, end_char, found.cue, found.source, found.confidence))
    drafts = list({(d.start, d.end): d for d in reversed(drafts)}.values())  # one per content, the first kept
    for region in regions:
        if any(d.start < region[1] and region[0] < d.end for d in drafts):
            continue
        if _words(text[region[0]:region[1]]) < MIN_QUOTE_WORDS:
            continue
        rule = _rule_cue(doc, region, sentence_of, sentences)
        cue, confidence = rule if rule is not None else (None, 0.5)
        source = subject_of(doc[cue[0]]) if cue is not None else None
        drafts.append(_Draft(region[0], region[1], cue, source, confidence))

    quotes = []
    for draft in _inherit(drafts, text, regions):
        kind = quote_kind(text, draft.start, draft.end, regions)
        if draft.cue is None and kind == "direct":
            found_speaker = _verbless_speaker(doc, draft.start, draft.end)
            if found_speaker is not None:
                draft = replace(draft, cue=found_speaker[0], source=found_speaker[1])
        if draft.cue is None:
            continue
        start, end = _trimmed(text, draft.start, draft.end, kind)
        if not _words(text[start:end]) or (kind == "indirect" and (
                _is_act(doc, (start, end), draft.cue)
                or (draft.confidence < UNSURE_CONFIDENCE and not _speech_cue(doc, draft.cue)))):
            continue
        cue_span = doc[draft.cue[0]:draft.cue[1]]
        speaker, actor = None, None
        if draft.source is not None:
            source_span = doc[draft.source[0]:draft.source[1]]
            speaker = Span.of(text, source_span.start_char, source_span.end_char)
            actor = actors.resolve(doc[slice(*referent(doc, draft.source))])
        confidence = draft.confidence if speaker is not None else draft.confidence * UNATTRIBUTED_FACTOR
        quotes.append(Quote(kind, Span.of(text, start, end), Span.of(text, cue_span.start_char, cue_span.end_char),
                            speaker, actor, round(confidence, 3), actors.members(actor)))
    return quotes
