"""Train the attribution tagger shipped in ``src/stancegraph/models/attribution/``.

A linear-chain CRF (python-crfsuite) tags every spaCy token of a paragraph as the source, cue
or content of an attribution (BIO), with the features of
:func:`stancegraph.extract.attribution.token_features`. It is trained on PolNeAR ``train``
only (each article with its first annotator's file, as the evaluation reads it); the L1
weight is chosen on ``dev`` with the real :func:`~stancegraph.extract.quotes.find_quotes` and
the PolNeAR scorer (stronger L1 both scores better and gives a smaller model). No test split
is read. Deterministic (OWL-QN L-BFGS, fixed data order). About 20 minutes on two busy cores,
4 of them parsing; ``--cache`` keeps the parses for the next run::

    nice -n 10 .venv/bin/python training/train_attribution.py \
        --data ../shared/data/polnear/data --cache /tmp/polnear-parses \
        --out src/stancegraph/models/attribution

Writes ``model.crfsuite`` and ``config.json`` (feature version, training set-up, dev scores).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc, DocBin

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
from stancegraph.extract.attribution import (
    FEATURE_VERSION,
    ROLES,
    AttributionTagger,
    paragraphs,
    token_features,
)
from stancegraph.extract.quotes import find_quotes
from stancegraph.nlp import MODEL, load_pipeline, parse

__all__ = ["main", "parsed_split", "token_labels"]

REPO = Path(__file__).resolve().parents[1]


def parsed_split(directory: Path, cache: Path | None) -> list[tuple[GoldArticle, Doc]]:
    """The articles of a split with their parses, read from ``cache`` when it has them."""
    articles = read_split(directory)
    nlp = load_pipeline()
    setup = [MODEL, nlp.meta["version"], *nlp.pipe_names, *(a.name for a in articles)]
    key = hashlib.sha256("\n".join(setup).encode()).hexdigest()[:12]
    path = cache / f"{directory.name}-{key}.spacy" if cache else None
    if path is not None and path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        docs = list(parse([a.text for a in articles]))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            DocBin(docs=docs).to_disk(path)
    assert all(doc.text == article.text for article, doc in zip(articles, docs, strict=True))
    return list(zip(articles, docs))


def token_labels(doc: Doc, attributions: Sequence[GoldAttribution]) -> list[str]:
    """BIO labels of every token: the role of the gold span its first character falls in."""
    owner: list[tuple[int, str] | None] = [None] * len(doc)
    starts = [token.idx for token in doc]
    for number, attribution in enumerate(attributions):
        for role, ranges in zip(ROLES, (attribution.source, attribution.cue, attribution.content)):
            for start, end in ranges:
                for token in doc.char_span(start, end, alignment_mode="expand") or ():
                    if start <= starts[token.i] < end and owner[token.i] is None and not token.is_space:
                        owner[token.i] = (number, role)
    labels = []
    for i, current in enumerate(owner):
        if current is None:
            labels.append("O")
        else:
            continued = i > 0 and owner[i - 1] == current
            labels.append(("I-" if continued else "B-") + current[1])
    return labels


def training_sequences(items: Sequence[tuple[GoldArticle, Doc]]) -> list[tuple[list[list[str]], list[str]]]:
    """(features, labels) of every paragraph of every article."""
    found = []
    for article, doc in items:
        features = token_features(doc)
        labels = token_labels(doc, article.attributions)
        for start, end in paragraphs(doc):
            found.append((features[start:end], labels[start:end]))
    return found


def train(sequences: Sequence[tuple[list[list[str]], list[str]]], path: Path, *, c1: float, c2: float,
          iterations: int, min_freq: int = 1) -> None:
    """Fit the CRF with L-BFGS and write it to ``path``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in sequences:
        trainer.append(features, labels)
    trainer.set_params({
        "c1": c1,
        "c2": c2,
        "max_iterations": iterations,
        "feature.minfreq": min_freq,
        "feature.possible_transitions": True,
    })
    trainer.train(str(path))


def dev_scores(items: Sequence[tuple[GoldArticle, Doc]], model: Path) -> dict[str, float]:
    """The PolNeAR scores of :func:`find_quotes` with the model at ``model``."""
    tagger = AttributionTagger(model)
    total = Counts()
    for article, doc in items:
        quotes = find_quotes(doc, find_actors(doc), tagger=tagger)
        total.add(score_article(article.attributions, attributions_of(quotes)))
    scores = summarize(total)
    return {key: value for key, value in asdict(scores).items() if key != "counts"} | asdict(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "polnear" / "data")
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep the spaCy parses in")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "stancegraph" / "models" / "attribution")
    parser.add_argument("--c1", type=float, nargs="+", default=[1.0, 2.0, 4.0], help="L1 weights to try on dev")
    parser.add_argument("--c2", type=float, nargs="+", default=[0.01], help="L2 weights to try on dev")
    parser.add_argument("--iterations", type=int, default=150, help="L-BFGS iterations")
    args = parser.parse_args()

    began = time.time()
    train_items = parsed_split(args.data / "train", args.cache)
    dev_items = parsed_split(args.data / "dev", args.cache)
    print(f"parsed {len(train_items)} train and {len(dev_items)} dev articles in {time.time() - began:.0f}s")
    sequences = training_sequences(train_items)
    best: tuple[float, float, dict[str, float]] | None = None
    with tempfile.TemporaryDirectory() as scratch:
        for c1 in args.c1:
            for c2 in args.c2:
                candidate = Path(scratch) / f"{c1}-{c2}.crfsuite"
                train(sequences, candidate, c1=c1, c2=c2, iterations=args.iterations)
                scores = dev_scores(dev_items, candidate)
                print(f"c1={c1} c2={c2}: dev F1 {scores['f1']:.3f} (P {scores['precision']:.3f} "
                      f"R {scores['recall']:.3f}), speaker {scores['speaker_accuracy']:.3f}, "
                      f"{candidate.stat().st_size / 1e6:.1f} MB, {time.time() - began:.0f}s", flush=True)
                if best is None or scores["f1"] > best[2]["f1"]:
                    best = (c1, c2, scores)
        assert best is not None
        c1, c2, scores = best
        args.out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(scratch) / f"{c1}-{c2}.crfsuite", args.out / "model.crfsuite")
    config = {
        "model": "linear-chain CRF (python-crfsuite, L-BFGS), BIO tags of source / cue / content",
        "features": FEATURE_VERSION,
        "parser": MODEL,
        "trained_on": "PolNeAR train (first annotator per article)",
        "articles": len(train_items),
        "c1": c1,
        "c2": c2,
        "iterations": args.iterations,
        "dev": scores,
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'model.crfsuite'} in {time.time() - began:.0f}s total")


if __name__ == "__main__":
    main()
