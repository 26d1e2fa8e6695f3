"""What several steps read of every token of a parsed doc, read once and without ``Token`` objects.

spaCy builds a new ``Token`` object on every access to a token, so a step that reads a few
attributes of every token through ``Token`` objects spends more time building them than using
them. ``Doc.to_array`` reads the attributes in C; each distinct string is looked up once.

Example
-------
>>> import spacy
>>> from spacy.tokens import Doc
>>> doc = Doc(spacy.blank("en").vocab, words=["Vale", "spoke", "."], heads=[1, 1, 1],
...           deps=["nsubj", "ROOT", "punct"], sent_starts=[True, False, False])
>>> columns = token_columns(doc)
>>> columns.lower, columns.head, columns.dep, columns.sentence_of
(['vale', 'spoke', '.'], [1, 1, 1], ['nsubj', 'ROOT', 'punct'], [0, 0, 0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_SPACE, IS_TITLE, LEMMA, LOWER, ORTH, POS, SENT_START, TAG
from spacy.tokens import Doc

__all__ = ["TokenColumns", "doc_text", "sentence_numbers", "sentence_ranges", "token_columns"]

_TEXT_KEY = "stancegraph.text"
_ATTRIBUTES = (LOWER, LEMMA, TAG, DEP, POS, ENT_TYPE, HEAD, IDX, IS_TITLE, IS_SPACE, ORTH)


@dataclass(frozen=True)
class TokenColumns:
    """One list per attribute, indexed by token: ``head`` as absolute indexes, ``sentence_of``
    the number of each token's sentence (the first is 0)."""

    text: list[str]
    lower: list[str]
    lemma: list[str]
    tag: list[str]
    dep: list[str]
    pos: list[str]
    ent_type: list[str]
    head: list[int]
    idx: list[int]
    is_title: list[bool]
    is_space: list[bool]
    sentence_of: list[int]


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per doc and kept in ``doc.user_data``: spaCy joins every
    token's text again on each access, and several steps read it."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def sentence_numbers(doc: Doc) -> list[int]:
    """The number of the sentence each token of ``doc`` is in (the first sentence is 0)."""
    if not len(doc):
        return []
    starts = doc.to_array(SENT_START) == 1
    starts[0] = True
    return (np.cumsum(starts) - 1).tolist()


def sentence_ranges(sentence_of: Sequence[int]) -> list[tuple[int, int]]:
    """Token ranges of the sentences, from the sentence number of each token (:func:`sentence_numbers`)."""
    ranges: list[tuple[int, int]] = []
    for i, number in enumerate(sentence_of):
        if number == len(ranges):
            ranges.append((i, i + 1))
        else:
            ranges[-1] = (ranges[-1][0], i + 1)
    return ranges


def token_columns(doc: Doc) -> TokenColumns:
    """The attributes of every token of ``doc`` (see :class:`TokenColumns`), read once for the
    latest doc asked about (the steps of one article ask in turn)."""
    global _latest
    latest = _latest
    if latest is not None and latest[0] is doc and latest[1] == len(doc):
        return latest[2]
    columns = _read_columns(doc)
    _latest = (doc, len(doc), columns)
    return columns


_latest: tuple[Doc, int, TokenColumns] | None = None


def _read_columns(doc: Doc) -> TokenColumns:
    n = len(doc)
    array = doc.to_array(list(_ATTRIBUTES)) if n else np.zeros((0, len(_ATTRIBUTES)), np.uint64)
    strings = doc.vocab.strings
    looked_up: dict[int, str] = {}

    def column(attribute: int) -> np.ndarray:
        return array[:, _ATTRIBUTES.index(attribute)]

    def strings_of(attribute: int) -> list[str]:
        values = column(attribute).tolist()
        for value in set(values).difference(looked_up):
            looked_up[value] = strings[value] if value else ""
        return [looked_up[value] for value in values]

    return TokenColumns(
        text=strings_of(ORTH),
        lower=strings_of(LOWER),
        lemma=strings_of(LEMMA),
        tag=strings_of(TAG),
        dep=strings_of(DEP),
        pos=strings_of(POS),
        ent_type=strings_of(ENT_TYPE),
        head=(column(HEAD).astype(np.int64) + np.arange(n)).tolist(),  # stored as offsets
        idx=column(IDX).tolist(),
        is_title=(column(IS_TITLE) != 0).tolist(),
        is_space=(column(IS_SPACE) != 0).tolist(),
        sentence_of=sentence_numbers(doc),
    )
