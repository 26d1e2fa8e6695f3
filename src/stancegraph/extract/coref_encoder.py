"""The coreference pair encoder: does a marked pronoun stand for a marked name in its text?

all-MiniLM-L6-v2 fine-tuned on the candidate pairs of the coreference training data
(``training/train_coref_encoder.py``), shipped as int8 ONNX in ``models/coref/encoder`` and
run by onnxruntime with no torch. The input is that of the directed stance model
(:func:`stancegraph.extract.directed_stance.encode_pair`): the pronoun marked as p, the
candidate's mention as q, in the sentences from the one to the other
(:func:`stancegraph.extract.coref.pair_window`). Its log-odds join the parse-feature ranker
of :mod:`stancegraph.extract.coref` with the weight ``models/coref/model.json`` gives.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from stancegraph.extract.directed_stance import PairFormat, encode_pair
from stancegraph.extract.target_stance import OnnxClassifier, Span

__all__ = ["ENCODER_DIR", "PairEncoder", "load_encoder"]

ENCODER_DIR = Path(__file__).resolve().parents[1] / "models" / "coref" / "encoder"


class PairEncoder(OnnxClassifier):
    """The shipped pair encoder (labels: other, antecedent); load it once per process."""

    def __init__(self, model_dir: Path = ENCODER_DIR, *, threads: int = 1, batch_size: int = 32) -> None:
        super().__init__(model_dir, threads=threads, batch_size=batch_size, codes=("E520", "E521"))
        self.pair_format = PairFormat.from_config(self.config)

    def log_odds(self, items: Sequence[tuple[str, Span, Span]]) -> np.ndarray:
        """For each (text, pronoun span, candidate span): log P(antecedent) / P(other), in one batched run."""
        if not items:
            return np.zeros(0, dtype=np.float32)
        encodings = [encode_pair(self.tokenizer, text, p, q, self.pair_format) for text, p, q in items]
        probabilities = np.clip(self.probabilities(encodings), 1e-6, 1.0)
        return np.log(probabilities[:, 1]) - np.log(probabilities[:, 0])


@functools.cache
def load_encoder() -> PairEncoder:
    """The shared pair encoder of this process (loaded on first use)."""
    return PairEncoder()
