"""One loader for the shipped ONNX models: graph, tokenizer and config from a model folder.

The target stance classifier and the concept-folding sentence embedder both ship as an ONNX
graph with its ``tokenizer.json`` and ``config.json``, run by onnxruntime on the CPU with no
torch. Each caller says which error a missing or broken folder raises, so a user sees the
code of the model that failed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import onnxruntime
from tokenizers import Tokenizer

from stancegraph.errors import StanceGraphError

__all__ = ["OnnxModel", "load_onnx_model", "special_ids"]


@dataclass(frozen=True)
class OnnxModel:
    """An inference session, its tokenizer (no truncation, no padding) and its config."""

    session: onnxruntime.InferenceSession
    tokenizer: Tokenizer
    config: dict[str, Any]


def load_onnx_model(model_dir: Path, *, missing: Callable[[Path], StanceGraphError],
                    broken: Callable[[Path, str], StanceGraphError], threads: int = 1) -> OnnxModel:
    """Load ``model_dir/model.onnx`` with ``threads`` intra-op threads (1: corpora parallelise by process)."""
    model_path = model_dir / "model.onnx"
    if not model_path.is_file():
        raise missing(model_path)
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime and tokenizers raise bare Exception subclasses
        raise broken(model_dir, str(error)) from error
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return OnnxModel(session, tokenizer, config)


def special_ids(tokenizer: Tokenizer) -> tuple[int, int]:
    """The ``[CLS]`` and ``[SEP]`` ids of the BERT-style tokenizer every shipped model uses."""
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    if cls_id is None or sep_id is None:
        raise ValueError("the tokenizer has no [CLS] or [SEP] token")
    return cls_id, sep_id
