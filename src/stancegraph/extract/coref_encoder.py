"""The coreference encoder: MiniLM reads a pronoun and a candidate name in their text.

all-MiniLM-L6-v2 fine-tuned on GAP pairs (``training/train_coref_encoder.py``), shipped as
int8 ONNX in ``models/coref/encoder`` and run by onnxruntime through the loading code of
:mod:`stancegraph.extract.target_stance`: the pronoun is wrapped in « », the candidate in
that module's target markers, and the model says whether the candidate is the antecedent.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from pathlib import Path

from tokenizers import Tokenizer

from stancegraph.extract.coref import MODEL_DIR
from stancegraph.extract.target_stance import (
    InputFormat,
    Span,
    TargetEncoding,
    TargetStanceClassifier,
    encode_target,
    pad_batch,
)

__all__ = ["PRONOUN_MARKERS", "encode_pair", "PairScorer", "load_scorer"]
PRONOUN_MARKERS = ("«", "»")
CONTEXT_CHARS = 400
"""Characters of text kept before the earlier and after the later of the two spans."""


def encode_pair(tokenizer: Tokenizer, text: str, pronoun: Span, candidate: Span, input_format: InputFormat) -> TargetEncoding:
    """The encoder's input for (pronoun, candidate): the pronoun wrapped in « », the candidate in
    the target markers, the text cut around both. Shared by training and run time."""
    (p_start, p_end), (c_start, c_end) = pronoun, candidate
    first, last = max(0, min(p_start, c_start) - CONTEXT_CHARS), max(p_end, c_end) + CONTEXT_CHARS
    open_, close = PRONOUN_MARKERS
    marked = f"{text[first:p_start]}{open_}{text[p_start:p_end]}{close}{text[p_end:last]}"
    shift = len(open_) + len(close) if c_start >= p_end else 0
    return encode_target(tokenizer, marked, (c_start - first + shift, c_end - first + shift), input_format)


class PairScorer(TargetStanceClassifier):
    """The shipped coreference encoder (int8 ONNX): P(candidate is the pronoun's antecedent)."""

    def __init__(self, model_dir: Path = MODEL_DIR / "encoder", *, threads: int = 1) -> None:
        super().__init__(model_dir, threads=threads)

    def pair_probabilities(self, text: str, pairs: Sequence[tuple[Span, Span]]) -> list[float]:
        """For each (pronoun span, candidate span) of ``text``: the antecedent probability."""
        encodings = [encode_pair(self.tokenizer, text, p, c, self.input_format) for p, c in pairs]
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].input_ids))
        found = [0.0] * len(encodings)
        for first in range(0, len(order), self.batch_size):
            rows = order[first : first + self.batch_size]
            (logits,) = self.session.run(["logits"], pad_batch([encodings[i] for i in rows]))
            for row, (no, yes) in zip(rows, logits.tolist()):
                found[row] = 1.0 / (1.0 + math.exp(no - yes))
        return found


@functools.cache
def load_scorer() -> PairScorer:
    """The shared encoder of this process (loaded on first use)."""
    return PairScorer()
