"""Train the coreference ranker of ``extract/coref.py``: a logistic model over parse features.

Data (read in place from ``../shared/data``):

- GAP ``gap-development.tsv``: its first 1,600 rows train, the last 400 choose; the label of
  a candidate actor is whether it is named at A or B and that name is the pronoun's
  antecedent (when A or B is, every other candidate is wrong too; when neither is, the
  other candidates are left out, as GAP does not say).
- GUM: every document but GUM's test ones, its official dev ones (kept for reporting) and
  the ten ``CHOOSE`` documents (kept for choosing) trains; a candidate is right when one of
  its names or descriptions belongs to the pronoun's entity.

The regularisation and the threshold are chosen on the two choose parts together (GAP F1 on
its 400 rows plus the share of GUM pronouns resolved right); ``gap-validation.tsv`` and GUM
dev are scored once at the end and never chosen on. Writes ``model.json`` and
``config.json`` to ``src/stancegraph/models/coref/``.

Run: ``OMP_NUM_THREADS=1 PYTHONPATH=src python training/train_coref.py --cache /tmp/coref-parses``
(several minutes, nearly all of it parsing;
with ``--cache`` a second run reuses the parses).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin

from stancegraph.errors import ModelError
from stancegraph.evaluation import gap, gum
from stancegraph.extract import coref
from stancegraph.extract.actors import find_actors
from stancegraph.nlp import load_pipeline, parse

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
GAP_TRAIN_ROWS = 1600


@dataclass
class Group:
    """The candidates of one anaphor: features, labels (1, 0, or -1 unknown) and how to score a choice."""

    source: str  # gap or gum
    gendered: bool
    features: np.ndarray
    labels: np.ndarray
    covers: list[tuple[bool, bool]]  # gap: does the candidate name A, B
    example: gap.Example | None = None


def parsed(texts: list[str], cache: Path | None, name: str) -> list[Doc]:
    """The parses of ``texts``, read from (or written to) ``cache/name.spacy`` when a cache is given."""
    path = cache / f"{name}.spacy" if cache else None
    if path is not None and path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(load_pipeline().vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(parse(texts))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs).to_disk(path)
    return docs


def gap_groups(examples: list[gap.Example], cache: Path | None, name: str) -> list[Group]:
    groups = []
    for example, doc in zip(examples, parsed([e.text for e in examples], cache, name), strict=True):
        index = find_actors(doc, pronouns=False)
        token = next((t for t in doc if t.idx == example.pronoun_offset), None)
        anaphor = coref.pronoun_anaphor(token) if token is not None else None
        found = coref.candidates(index, anaphor) if anaphor is not None else []
        covers, labels = [], []
        for candidate in found:
            spans = [m.span for m in index.mentions if m.actor == candidate.actor]
            a = any(s.start < example.a_offset + example.a_length and example.a_offset < s.end for s in spans)
            b = any(s.start < example.b_offset + example.b_length and example.b_offset < s.end for s in spans)
            covers.append((a, b))
            right = (a and example.a_coref) or (b and example.b_coref)
            known = a or b or example.a_coref or example.b_coref
            labels.append(1 if right else 0 if known else -1)
        features = np.stack([c.features for c in found]) if found else np.zeros((0, len(coref.FEATURES)))
        groups.append(Group("gap", True, features, np.array(labels, dtype=np.int8), covers, example))
    return groups


def gum_groups(documents: list[gum.GumDocument], cache: Path | None, name: str) -> list[Group]:
    groups = []
    for document, doc in zip(documents, parsed([d.text for d in documents], cache, name), strict=True):
        index = find_actors(doc, pronouns=False)
        gold = document.mentions
        entity_of_actor: dict[str, set[str]] = {}
        for mention in index.mentions:
            best = gum.match_gold(gold, mention.span.start, mention.span.end)
            if best is not None:
                entity_of_actor.setdefault(mention.actor, set()).add(gold[best].entity)
        for token in doc:
            anaphor = coref.pronoun_anaphor(token)
            if anaphor is None or index.mention_at(token.i) is not None:
                continue
            here = next((g for g in gold if g.start == token.idx and g.end == token.idx + len(token.text)), None)
            if here is None:
                continue
            found = coref.candidates(index, anaphor)
            if not found:
                continue
            labels = [int(here.entity in entity_of_actor.get(c.actor, set())) for c in found]
            groups.append(Group("gum", anaphor.gender in {"m", "f"}, np.stack([c.features for c in found]), np.array(labels, dtype=np.int8),
                                [(False, False)] * len(found)))
        for start, end, role in index.descriptions:
            span = doc[start:end]
            best = gum.match_gold(gold, span.start_char, span.end_char)
            found = coref.candidates(index, coref.description_anaphor(start, end, role))
            if best is None or not found:
                continue
            labels = [int(gold[best].entity in entity_of_actor.get(c.actor, set())) for c in found]
            groups.append(Group("gum-description", False, np.stack([c.features for c in found]),
                                np.array(labels, dtype=np.int8), [(False, False)] * len(found)))
    return groups


def fit(groups: list[Group], c: float) -> np.ndarray:
    rows = [(g.features[i], g.labels[i]) for g in groups for i in range(len(g.labels)) if g.labels[i] >= 0]
    x = np.stack([r[0] for r in rows])
    y = np.array([r[1] for r in rows])
    model = LogisticRegression(C=c, max_iter=2000, fit_intercept=False)  # the bias is a feature
    model.fit(x, y)
    return model.coef_[0].astype(np.float32)


def measure(groups: list[Group], weights: np.ndarray, threshold: float, gendered: float) -> dict[str, float]:
    """GAP F1 (official scorer); GUM pronouns right of those an actor stands for, and of those attached."""
    ranker = coref.Ranker(weights.tolist(), threshold, gendered)
    gap_examples, gap_predictions = [], []
    right = attached = total = 0
    for group in groups:
        found = [coref.Candidate(str(i), group.features[i]) for i in range(len(group.labels))]
        chosen, _ = ranker.choose(found, group.gendered)
        pick = int(chosen) if chosen is not None else None
        if group.source == "gap":
            gap_examples.append(group.example)
            gap_predictions.append(group.covers[pick] if pick is not None else (False, False))
        elif group.source == "gum":
            total += group.labels.max() == 1
            attached += pick is not None
            right += pick is not None and group.labels[pick] == 1
    scores = gap.score(gap_examples, gap_predictions) if gap_examples else None
    return {
        "gap_f1": scores.f1 if scores else 0.0,
        "gum_pronouns_right": right / total if total else 0.0,
        "gum_pronouns_right_of_attached": right / attached if attached else 0.0,
    }


def bootstrap_ranker() -> None:
    """Let the actor step rank descriptions while the features differ from the shipped model's
    (after adding one): the shipped weights by feature name, 0 for a new feature."""
    try:
        coref.load_ranker()
    except ModelError:
        data = json.loads((coref.MODEL_DIR / "model.json").read_text(encoding="utf-8"))
        known = dict(zip(data["features"], data["weights"], strict=True))
        ranker = coref.Ranker([known.get(name, 0.0) for name in coref.FEATURES], float(data["threshold"]),
                              float(data["gendered_threshold"]))
        coref.load_ranker = lambda: ranker  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=coref.MODEL_DIR)
    parser.add_argument("--cache", type=Path, help="a folder to keep the parses in between runs")
    args = parser.parse_args()
    started = time.time()
    bootstrap_ranker()
    development = gap.read_gap(DATA / "gap" / "gap-development.tsv")
    cache = args.cache
    train = gap_groups(development[:GAP_TRAIN_ROWS], cache, "gap-train") + \
        gum_groups(gum.read_split(DATA / "gum", "train"), cache, "gum-train")
    choose = gap_groups(development[GAP_TRAIN_ROWS:], cache, "gap-choose") + \
        gum_groups(gum.read_split(DATA / "gum", "choose"), cache, "gum-choose")
    print(f"parsed in {time.time() - started:.0f}s: {len(train)} train anaphors, {len(choose)} choose; descriptions: "
          f"{sum(g.source == 'gum-description' for g in train)} train, "
          f"{sum(g.source == 'gum-description' for g in choose)} choose", flush=True)
    best = None
    for c in (0.01, 0.1, 1.0):
        weights = fit(train, c)
        for threshold in np.arange(0.1, 0.75, 0.05):
            for gendered in np.arange(0.04, 0.7, 0.02):
                scores = measure(choose, weights, float(threshold), float(gendered))
                objective = scores["gap_f1"] + scores["gum_pronouns_right"] + scores["gum_pronouns_right_of_attached"]
                if best is None or objective > best[0]:
                    best = (objective, c, float(threshold), float(gendered), weights, scores)
        print(f"C={c}: best so far {best[1]} {best[2]:.2f} {best[3]:.2f} {best[5]}", flush=True)
    assert best is not None
    _, c, threshold, gendered, weights, scores = best
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "model.json").write_text(json.dumps(
        {"features": list(coref.FEATURES), "weights": [round(float(w), 5) for w in weights],
         "threshold": round(threshold, 3), "gendered_threshold": round(gendered, 3)},
        indent=1) + "\n", encoding="utf-8")
    config = {
        "task": "rank the actors a third-person pronoun (or a description) may stand for; none under the threshold",
        "model": "logistic regression over the parse features of extract/coref.py (FEATURES)",
        "training_data": f"GAP gap-development.tsv rows 1-{GAP_TRAIN_ROWS}; GUM documents outside test, dev "
                         "and the choose part",
        "choose_data": f"GAP gap-development.tsv rows {GAP_TRAIN_ROWS + 1}-2000; GUM CHOOSE documents "
                       "(evaluation/gum.py)",
        "report_data": "GAP gap-validation.tsv; GUM official dev documents (never chosen on)",
        "training": {"C": c, "threshold": round(threshold, 3), "gendered_threshold": round(gendered, 3),
                     "train_anaphors": len(train), "choose_anaphors": len(choose),
                     "seconds": round(time.time() - started)},
        "choose_scores": scores,
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(config, indent=2))


if __name__ == "__main__":
    main()
