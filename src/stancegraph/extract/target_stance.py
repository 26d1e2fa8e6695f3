"""Target-dependent stance: is a sentence negative, neutral or positive toward a person in it?

The classifier is all-MiniLM-L6-v2 fine-tuned on NewsMTSC (``training/train_target_stance.py``)
and shipped as an int8 ONNX graph, so that run time needs onnxruntime, ``tokenizers`` and
numpy only, never torch. The target is marked in the sentence by two marker characters
around its span, and the model reads the mean of all token states beside the mean of the
target's token states; :func:`encode_target` builds that input and is shared with training,
so that both sides mark, window and mask a target in exactly the same way.

Example
-------
>>> classifier = load_classifier()
>>> text = "Critics accused Smith of lying to voters."
>>> [(polarity, round(confidence, 1)) for polarity, confidence in classifier.predict([(text, [(16, 21)])])[0]]
[(-1, 0.9)]
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from stancegraph.errors import ModelError
from stancegraph.onnxmodel import load_onnx_model, special_ids

__all__ = [
    "MODEL_DIR",
    "POLARITIES",
    "InputFormat",
    "OnnxClassifier",
    "Span",
    "TargetEncoding",
    "TargetStanceClassifier",
    "check_span",
    "encode_target",
    "load_classifier",
    "pad_batch",
]

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "target_stance"
POLARITIES = (-1, 0, 1)
"""Polarity of each output of the model, in output order."""

Span = tuple[int, int]
"""A target's character offsets into its sentence, end exclusive."""


@dataclass(frozen=True)
class InputFormat:
    """How a (sentence, target) pair becomes token ids: markers around the target, window size."""

    max_length: int = 128
    open_marker: str = "†"
    close_marker: str = "‡"

    @classmethod
    def from_config(cls, config: dict[str, object]) -> InputFormat:
        """Read the ``input_format`` entry of a model's ``config.json``."""
        entry = config["input_format"]
        assert isinstance(entry, dict)
        return cls(int(entry["max_length"]), str(entry["open_marker"]), str(entry["close_marker"]))


@dataclass(frozen=True)
class TargetEncoding:
    """Model input of one target: token ids with [CLS]/[SEP], and 1 on the target's tokens."""

    input_ids: list[int]
    target_mask: list[int]


def check_span(text: str, span: Span) -> None:
    """Raise :class:`ModelError` unless ``span`` lies inside ``text`` and covers some non-space text."""
    start, end = span
    if start < 0 or end > len(text):
        raise ModelError("E503", start=start, end=end, length=len(text))
    if end <= start or not text[start:end].strip():
        raise ModelError("E504", start=start, end=end)


def encode_target(tokenizer: Tokenizer, text: str, span: Span, input_format: InputFormat) -> TargetEncoding:
    """Mark ``span`` in ``text`` and tokenise, keeping a window of tokens centred on the target.

    ``tokenizer`` must not truncate or pad, nor add special tokens by itself (the caller owns
    the window). Sentences longer than the window lose the tokens farthest from the target.
    """
    start, end = span
    marked = f"{text[:start]}{input_format.open_marker}{text[start:end]}{input_format.close_marker}{text[end:]}"
    target_end = end + len(input_format.open_marker) + len(input_format.close_marker)
    encoding = tokenizer.encode(marked, add_special_tokens=False)
    ids = encoding.ids
    in_target = [int(start <= first < target_end) for first, _ in encoding.offsets]
    width = input_format.max_length - 2
    if len(ids) > width:
        target_tokens = [index for index, flag in enumerate(in_target) if flag]
        centre = (target_tokens[0] + target_tokens[-1]) // 2
        first = min(max(centre - width // 2, 0), len(ids) - width)
        ids, in_target = ids[first : first + width], in_target[first : first + width]
    cls_id, sep_id = special_ids(tokenizer)
    return TargetEncoding([cls_id, *ids, sep_id], [0, *in_target, 0])


def pad_batch(encodings: Sequence[Any]) -> dict[str, np.ndarray]:
    """Right-pad encodings to the longest one: ``input_ids``, ``attention_mask`` and every ``*_mask`` field (int64).

    Works for any encoding dataclass with ``input_ids`` and token masks, so that the target
    model and the directed (two-actor) model pad the same way.
    """
    length = max(len(encoding.input_ids) for encoding in encodings)
    shape = (len(encodings), length)
    masks = [f.name for f in fields(encodings[0]) if f.name.endswith("_mask")]
    batch = {name: np.zeros(shape, dtype=np.int64) for name in ("input_ids", "attention_mask", *masks)}
    for row, encoding in enumerate(encodings):
        size = len(encoding.input_ids)
        batch["input_ids"][row, :size] = encoding.input_ids
        batch["attention_mask"][row, :size] = 1
        for name in masks:
            batch[name][row, :size] = getattr(encoding, name)
    return batch


class OnnxClassifier:
    """An int8 ONNX sentence classifier with its tokenizer and ``config.json``; load it once per process.

    ``threads`` is onnxruntime's intra-op thread count: 1 by default, because corpus runs
    parallelise over processes and more threads per process would oversubscribe the cores.
    ``codes`` are the error codes for a missing and an unloadable model.
    """

    def __init__(self, model_dir: Path, *, threads: int, codes: tuple[str, str]) -> None:
        model = load_onnx_model(model_dir, threads=threads, missing=lambda path: ModelError(codes[0], path=str(path)),
                                broken=lambda path, detail: ModelError(codes[1], path=str(path), detail=detail))
        self.config = model.config
        self.tokenizer = model.tokenizer
        self.session = model.session
        self.classes = len(self.config["labels"])

    def probabilities(self, encodings: Sequence[Any]) -> np.ndarray:
        """Class probabilities (rows in input order, columns in the order of the config's labels).

        Each input is run alone. The int8 graph scales its activations once per call, so an
        input run in a batch gets an answer that moves with the inputs beside it (their
        padding included; on the BBC politics articles, 3% of the stances came and went with
        the batching). Alone, a sentence gets the same answer wherever it is asked, and the
        evaluations measure exactly what analysis computes; with no padding it also costs
        no more than the batches did.
        """
        result = np.zeros((len(encodings), self.classes), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            (logits,) = self.session.run(["logits"], pad_batch([encoding]))
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            result[row] = shifted / shifted.sum(axis=1, keepdims=True)
        return result


class TargetStanceClassifier(OnnxClassifier):
    """The shipped ONNX target stance model with its tokenizer; load it once per process."""

    def __init__(self, model_dir: Path = MODEL_DIR, *, threads: int = 1) -> None:
        super().__init__(model_dir, threads=threads, codes=("E501", "E502"))
        try:
            self.input_format = InputFormat.from_config(self.config)
        except (KeyError, TypeError, ValueError, AssertionError) as error:
            raise ModelError("E502", path=str(model_dir), detail=f"config.json: {error!r}") from error

    def predict(self, items: Sequence[tuple[str, Sequence[Span]]]) -> list[list[tuple[int, float]]]:
        """For each sentence, for each target span in order: (polarity in {-1, 0, 1}, its probability).

        All spans are checked before anything runs, so one bad span fails the whole call
        with :class:`ModelError`; each target is run alone (see :meth:`OnnxClassifier.probabilities`).
        """
        for text, spans in items:
            for span in spans:
                check_span(text, span)
        encodings = [
            encode_target(self.tokenizer, text, span, self.input_format) for text, spans in items for span in spans
        ]
        probabilities = self.probabilities(encodings)
        labels = probabilities.argmax(axis=1)
        results: list[list[tuple[int, float]]] = []
        index = 0
        for _, spans in items:
            results.append(
                [(POLARITIES[labels[i]], float(probabilities[i, labels[i]])) for i in range(index, index + len(spans))]
            )
            index += len(spans)
        return results


@functools.cache
def load_classifier() -> TargetStanceClassifier:
    """The shared classifier of this process (loaded on first use)."""
    return TargetStanceClassifier()
