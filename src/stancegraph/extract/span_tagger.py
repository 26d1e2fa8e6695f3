"""The transformer attribution tagger: source, cue and content spans from all-MiniLM-L6-v2.

all-MiniLM-L6-v2 fine-tuned on PolNeAR (``training/train_attribution_tagger.py``) labels every
word piece ``B-``/``I-`` + ``Source``, ``Cue`` or ``Content``, or ``O``. It reads windows of
:attr:`WindowFormat.max_length` word pieces that overlap and ignore sentence ends, so a quote
that runs over several sentences or paragraphs is read as one; a line break is shown to the
model as a pilcrow, so it sees where paragraphs (and their repeated opening marks) begin.
Each piece takes the prediction of the window where it stands farthest from an edge.

At run time only the stretches where an attribution can be are read (:func:`candidate_ranges`:
sentences with a quotation mark, a reporting verb, "according to", or a colon after a name,
with a sentence either side), in batches, by onnxruntime on the int8 graph: no torch. A
spaCy token takes the label probabilities of its first word piece, mixed with the CRF's
marginals (:func:`mixed`, ``crf_weight`` in the config), and :func:`decode` gives it its
likeliest role; :func:`stancegraph.extract.attribution.link` joins the runs into
attributions as it does for the CRF. :func:`word_pieces`, :func:`window_starts` and :data:`LABELS` are shared with
training, so that both sides cut and label text the same way.

Example
-------
>>> from stancegraph.nlp import load_pipeline
>>> doc = load_pipeline()("The mayor said that the bridge would reopen in May.")
>>> [(doc[a.cue[0]:a.cue[1]].text, doc[a.content[0]:a.content[1]].text) for a in load_span_tagger().attributions(doc)]
[('said', 'that the bridge would reopen in May')]
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import onnxruntime
import pycrfsuite
from spacy.tokens import Doc
from tokenizers import Tokenizer

from stancegraph.errors import ModelError
from stancegraph.extract import TAGGER_VARIABLE
from stancegraph.extract.attribution import MODEL_DIR as CRF_DIR
from stancegraph.extract.attribution import (
    AttributionTagger,
    TaggedAttribution,
    TokenRange,
    cue_lemmas,
    link,
    load_tagger,
    paragraphs,
    sentence_ranges,
    token_features,
)
from stancegraph.onnxmodel import special_ids
from stancegraph.token_columns import doc_text, sentence_numbers

__all__ = [
    "LABELS",
    "MODEL_DIR",
    "PARAGRAPH_MARK",
    "TAGGER_VARIABLE",
    "Pieces",
    "SpanTagger",
    "WindowFormat",
    "candidate_ranges",
    "crf_reading",
    "decode",
    "load_span_tagger",
    "mixed",
    "pad_windows",
    "preferred_tagger",
    "window_starts",
    "with_crf",
    "word_pieces",
]

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "attribution_tagger"
LABELS = ("O", "B-Source", "I-Source", "B-Cue", "I-Cue", "B-Content", "I-Content")
PARAGRAPH_MARK = "¶"
"""Stands for a line break in the model's input (one character for one, so offsets hold)."""
_QUOTE_CHARS = frozenset("\"“”„«»‟")


@dataclass(frozen=True)
class WindowFormat:
    """How text is cut for the model: word pieces per window (with [CLS] and [SEP]), overlap."""

    max_length: int = 256
    overlap: int = 64

    @classmethod
    def from_config(cls, config: dict[str, object]) -> WindowFormat:
        entry = config["window_format"]
        assert isinstance(entry, dict)
        return cls(int(entry["max_length"]), int(entry["overlap"]))


@dataclass(frozen=True)
class Pieces:
    """Word piece ids of a stretch of text and their character offsets into the whole text."""

    ids: list[int]
    offsets: list[tuple[int, int]]


def word_pieces(tokenizer: Tokenizer, text: str, start: int = 0, end: int | None = None) -> Pieces:
    """The word pieces of ``text[start:end]`` (no special tokens), line breaks shown as pilcrows."""
    stretch = text[start:end].replace("\n", PARAGRAPH_MARK)
    encoding = tokenizer.encode(stretch, add_special_tokens=False)
    return Pieces(list(encoding.ids), [(start + a, start + b) for a, b in encoding.offsets])


def window_starts(length: int, window: WindowFormat) -> list[int]:
    """First piece of each window over ``length`` pieces: every ``width - overlap`` pieces,
    the last one flush with the end."""
    width = window.max_length - 2
    if length <= width:
        return [0]
    stride = width - window.overlap
    return [*range(0, length - width, stride), length - width]


def pad_windows(windows: Sequence[Sequence[int]], cls_id: int, sep_id: int) -> dict[str, np.ndarray]:
    """``input_ids`` and ``attention_mask`` (int64) of windows wrapped in [CLS] ... [SEP], right-padded."""
    length = max(len(ids) for ids in windows) + 2
    batch = {name: np.zeros((len(windows), length), dtype=np.int64) for name in ("input_ids", "attention_mask")}
    for row, ids in enumerate(windows):
        batch["input_ids"][row, : len(ids) + 2] = [cls_id, *ids, sep_id]
        batch["attention_mask"][row, : len(ids) + 2] = 1
    return batch


def candidate_ranges(doc: Doc, *, context: int = 1) -> list[TokenRange]:
    """Token ranges where an attribution can be: each sentence with a quotation mark, a
    reporting verb, "according to" or a colon, with ``context`` sentences either side;
    overlapping and touching ranges are joined."""
    cues = cue_lemmas()
    sentences = sentence_ranges(sentence_numbers(doc))
    hits = []
    for number, (start, end) in enumerate(sentences):
        for token in doc[start:end]:
            if (
                any(ch in _QUOTE_CHARS for ch in token.text)
                or (token.pos_ == "VERB" and token.lemma_.lower() in cues)
                or (token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to")
                or (token.text == ":" and token.i > start and doc[token.i - 1].pos_ == "PROPN")
            ):
                hits.append(number)
                break
    ranges: list[TokenRange] = []
    for number in hits:
        start = sentences[max(0, number - context)][0]
        end = sentences[min(len(sentences) - 1, number + context)][1]
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(end, ranges[-1][1]))
        else:
            ranges.append((start, end))
    return ranges


class SpanTagger:
    """The shipped ONNX span tagger with its tokenizer and decoding thresholds; load it once.

    ``threads`` is onnxruntime's intra-op thread count: 1 by default, because corpus runs
    parallelise over processes.
    """

    def __init__(self, model_dir: Path = MODEL_DIR, *, threads: int = 1, batch_size: int = 16) -> None:
        model_path = model_dir / "model.onnx"
        if not model_path.is_file():
            raise ModelError("E550", path=str(model_path))
        try:
            config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
            self.window = WindowFormat.from_config(config)
            decoding = config.get("decoding", {})
            self.outside_scale = float(decoding.get("outside_scale", 1.0))
            self.min_confidence = float(decoding.get("min_confidence", 0.0))
            self.with_crf = bool(decoding.get("with_crf", False))
            self.crf_weight = float(decoding.get("crf_weight", 0.0))
            self.beats_crf = bool(decoding.get("beats_crf", False))
            self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            self.session = onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime and tokenizers raise bare Exception subclasses
            raise ModelError("E551", path=str(model_dir), detail=str(error)) from error
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.batch_size = batch_size
        self._cls, self._sep = special_ids(self.tokenizer)

    def piece_probabilities(self, stretches: Sequence[Pieces]) -> list[np.ndarray]:
        """Label probabilities (pieces x :data:`LABELS`) of each stretch, its windows run in batches."""
        width = self.window.max_length - 2
        windows = [(s, first) for s, pieces in enumerate(stretches)
                   for first in window_starts(len(pieces.ids), self.window)]
        outputs: list[np.ndarray | None] = [None] * len(windows)
        order = sorted(range(len(windows)), key=lambda w: len(stretches[windows[w][0]].ids[windows[w][1]:][:width]))
        for begin in range(0, len(order), self.batch_size):
            rows = order[begin : begin + self.batch_size]
            ids = [stretches[windows[w][0]].ids[windows[w][1] : windows[w][1] + width] for w in rows]
            (logits,) = self.session.run(["logits"], pad_windows(ids, self._cls, self._sep))
            shifted = np.exp(logits - logits.max(axis=2, keepdims=True))
            probabilities = shifted / shifted.sum(axis=2, keepdims=True)
            for row, w in enumerate(rows):
                outputs[w] = probabilities[row, 1 : len(ids[row]) + 1]
        results = [np.zeros((len(pieces.ids), len(LABELS)), dtype=np.float32) for pieces in stretches]
        margins = [np.full(len(pieces.ids), -1) for pieces in stretches]
        for (s, first), output in zip(windows, outputs):
            assert output is not None
            positions = np.arange(len(output))
            margin = np.minimum(positions, len(output) - 1 - positions)
            if first == 0:
                margin = margin + len(output)  # the text's own start is no edge
            better = margin > margins[s][first : first + len(output)]
            results[s][first : first + len(output)][better] = output[better]
            margins[s][first : first + len(output)][better] = margin[better]
        return results

    def token_probabilities(self, doc: Doc) -> np.ndarray:
        """Label probabilities of every token (tokens x :data:`LABELS`): those of its first word
        piece; ``O`` for certain outside the candidate stretches and on spaces."""
        result = np.zeros((len(doc), len(LABELS)), dtype=np.float32)
        result[:, 0] = 1.0
        ranges = candidate_ranges(doc)
        stretches = [word_pieces(self.tokenizer, doc_text(doc), doc[s].idx, doc[e - 1].idx + len(doc[e - 1]))
                     for s, e in ranges]
        for (start, end), pieces, piece_probs in zip(ranges, stretches, self.piece_probabilities(stretches)):
            piece = 0
            for token in doc[start:end]:
                while piece < len(pieces.offsets) and pieces.offsets[piece][1] <= token.idx:
                    piece += 1
                if piece < len(pieces.offsets) and pieces.offsets[piece][0] < token.idx + len(token):
                    result[token.i] = piece_probs[piece]
        return result

    def attributions(self, doc: Doc) -> list[TaggedAttribution]:
        """The attributions of a parsed doc, in text order, without the least sure ones: read
        off the model's probabilities mixed with the CRF's (``crf_weight``), with the CRF's
        attributions that touch none of them when the model's config asks for it (``with_crf``)."""
        probabilities = self.token_probabilities(doc)
        crf = None
        if self.crf_weight or self.with_crf:
            labels, sure, marginals = crf_reading(doc)
            probabilities = mixed(probabilities, marginals, self.crf_weight)
            crf = link(doc, labels, sure)
        found = decode(doc, probabilities, outside_scale=self.outside_scale, min_confidence=self.min_confidence)
        return with_crf(doc, found, crf) if self.with_crf else found


def with_crf(doc: Doc, found: list[TaggedAttribution], crf: list[TaggedAttribution] | None = None,
             ) -> list[TaggedAttribution]:
    """``found`` and the CRF's attributions (``crf``, else read now) whose content overlaps none
    of them, in text order."""
    crf = load_tagger().attributions(doc) if crf is None else crf
    extra = [a for a in crf if not any(a.content[0] < b.content[1] and b.content[0] < a.content[1] for b in found)]
    return sorted([*found, *extra], key=lambda a: a.content)


@functools.cache
def _crf_model() -> pycrfsuite.Tagger:
    """The shipped CRF as a bare crfsuite tagger (checked by :func:`load_tagger` first), for its marginals."""
    load_tagger()
    tagger = pycrfsuite.Tagger()
    tagger.open(str(CRF_DIR / "model.crfsuite"))
    return tagger


def crf_reading(doc: Doc, tagger: pycrfsuite.Tagger | None = None) -> tuple[list[str], list[float], np.ndarray]:
    """The CRF's label of every token with its marginal probability (as
    :meth:`~stancegraph.extract.attribution.AttributionTagger.labels`: 1 for ``O``), and the
    marginal probability of every label (tokens x :data:`LABELS`), from one pass of features.
    ``tagger`` is another crfsuite model on the same features (training chooses the decoding
    with one that has not seen the selection articles); the shipped CRF by default."""
    tagger = tagger or _crf_model()
    known = set(tagger.labels())
    features = token_features(doc)
    labels = ["O"] * len(doc)
    sure = [1.0] * len(doc)
    marginals = np.zeros((len(doc), len(LABELS)), dtype=np.float32)
    marginals[:, 0] = 1.0
    for start, end in paragraphs(doc):
        for offset, label in enumerate(tagger.tag(features[start:end])):
            row = [tagger.marginal(name, offset) if name in known else 0.0 for name in LABELS]
            labels[start + offset] = label
            marginals[start + offset] = row
            if label != "O":
                sure[start + offset] = row[LABELS.index(label)]
    return labels, sure, marginals


def mixed(probabilities: np.ndarray, marginals: np.ndarray, crf_weight: float) -> np.ndarray:
    """The model's label probabilities mixed with the CRF's marginals: the two make different
    errors (the CRF reads the parse, the model the words), so their average labels better
    than either; ``crf_weight`` is the CRF's share, chosen on the carved split."""
    return (1.0 - crf_weight) * probabilities + crf_weight * marginals


def decode(doc: Doc, probabilities: np.ndarray, *, outside_scale: float = 1.0, min_confidence: float = 0.0,
           ) -> list[TaggedAttribution]:
    """Attributions from token label probabilities: each token takes its most probable role,
    a role's probability being that of its ``B-`` and ``I-`` together and ``O``'s scaled by
    ``outside_scale`` (below 1 finds more), then the likelier of the role's ``B-`` and ``I-``;
    the runs are linked by :func:`~stancegraph.extract.attribution.link`, and those whose
    content the model is less sure of (the mean probability of its tokens' roles) than
    ``min_confidence`` are left out. Reading roles whole keeps a token whose probability is
    split between ``B-Content`` and ``I-Content`` in the content ("the" of "the talks")."""
    scaled = probabilities.copy()
    scaled[:, 0] *= outside_scale
    roles = np.concatenate([scaled[:, :1], scaled[:, 1::2] + scaled[:, 2::2]], axis=1)
    role = roles.argmax(axis=1)
    rows = np.arange(len(role))
    begins = scaled[rows, np.maximum(2 * role - 1, 0)] > scaled[rows, 2 * role]
    best = np.where(role == 0, 0, np.where(begins, 2 * role - 1, 2 * role))
    labels = [LABELS[k] for k in best]
    whole = np.concatenate([probabilities[:, :1], probabilities[:, 1::2] + probabilities[:, 2::2]], axis=1)
    sure = whole[rows, role].tolist()
    return [replace(a, source=whole_phrase(doc, a.source)) for a in link(doc, labels, sure)
            if a.confidence >= min_confidence]


def whole_phrase(doc: Doc, source: TokenRange | None) -> TokenRange | None:
    """A source widened to the names and noun chunks it cuts into: the model labels word
    pieces, and may stop inside "Lena Osk" or after the "The" of "The mayor", but a source
    is a whole noun phrase.

    >>> from stancegraph.nlp import load_pipeline
    >>> doc = load_pipeline()("The mayor of Brisk, Lena Osk, spoke.")
    >>> doc[slice(*whole_phrase(doc, (0, 1)))].text, doc[slice(*whole_phrase(doc, (5, 6)))].text
    ('The mayor', 'Lena Osk')
    """
    if source is None:
        return None
    start, end = source
    for phrase in [*doc.ents, *doc.noun_chunks]:
        if phrase.start < end and start < phrase.end:
            start, end = min(start, phrase.start), max(end, phrase.end)
    return start, end


def preferred_tagger() -> SpanTagger | AttributionTagger:
    """The default quote tagger: the one :data:`TAGGER_VARIABLE` names, else (``auto``) the
    one that scored better on the carved split: this model when its config says it beats the
    CRF (``beats_crf``, written by training), else the CRF. E125 for another value."""
    choice = os.environ.get(TAGGER_VARIABLE, "auto").strip().lower() or "auto"
    if choice not in ("auto", "transformer", "crf"):
        raise ModelError("E125", variable=TAGGER_VARIABLE, value=choice)
    if choice == "crf":
        return load_tagger()
    tagger = load_span_tagger()
    return tagger if choice == "transformer" or tagger.beats_crf else load_tagger()


@functools.cache
def load_span_tagger(model_dir: Path = MODEL_DIR) -> SpanTagger:
    """The shared span tagger of this process (loaded on first use)."""
    return SpanTagger(model_dir)
