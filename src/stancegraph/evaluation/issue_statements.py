"""Which system reads a speaker's stance on an issue best? (``stancegraph eval issue-statements``)

The set (``issue_statements.jsonl``, guidelines in ``ISSUE_STATEMENTS.md``) gives sentences
written for the project, each with a speaker, an issue phrase and the speaker's polarity toward
it. Three systems answer -1/0/1 for each:

* ``rules``: the stance rules (:func:`stancegraph.extract.stances.find_stances`, no model):
  the speaker's issue stance in the sentence; a demanded cut ("must fall") is against the issue;
* ``target``: the NewsMTSC target model with the issue phrase as the target (it reads the
  sentence's sentiment toward the phrase, not whose it is);
* ``directed``: the DSA model with the speaker as p and the issue phrase as q (p->q answers only).

Scores are 3-class macro-F1 and accuracy per split: choose the system on ``choose``, report
``heldout``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from stancegraph.errors import ModelError
from stancegraph.evaluation.newsmtsc import Scores, score

__all__ = ["SET", "SYSTEMS", "evaluate", "main", "read_items"]

SET = Path(__file__).with_name("issue_statements.jsonl")
SYSTEMS = ("rules", "target", "directed")
AGAINST_CHANGES = frozenset({"cut"})


def read_items(file: Path) -> list[dict]:
    """The annotated items; a line without text, speaker, issue, polarity or split raises E505."""
    try:
        items = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
        for item in items:
            if item["speaker"] not in item["text"] or item["issue"] not in item["text"] or item["split"] not in (
                    "choose", "heldout") or item["polarity"] not in (-1, 0, 1):
                raise ValueError(f"bad item {item}")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelError("E505", input=str(file), detail=str(error)) from error
    return items


def _span(item: dict, key: str) -> tuple[int, int]:
    start = item["text"].index(item[key])
    return start, start + len(item[key])


def _rules(items: list[dict]) -> list[int]:
    from stancegraph.extract.actors import find_actors
    from stancegraph.extract.quotes import find_quotes
    from stancegraph.extract.stances import RULES_ONLY, find_stances
    from stancegraph.nlp import load_pipeline

    nlp, answers = load_pipeline(), list[int]()
    for item in items:
        doc = nlp(item["text"])
        actors = find_actors(doc)
        stances = find_stances(doc, actors, find_quotes(doc, actors), classifier=RULES_ONLY, directed=RULES_ONLY)
        named = doc.char_span(*_span(item, "speaker"), alignment_mode="expand")
        speaker = actors.resolve(named) if named is not None else None
        found = [s for s in stances if s.actor == speaker and s.target_kind == "issue"]
        polarity = found[0].polarity if found else 0
        answers.append(-polarity if found and found[0].target.split()[-1] in AGAINST_CHANGES else polarity)
    return answers


def _target(items: list[dict]) -> list[int]:
    from stancegraph.extract.target_stance import load_classifier

    results = load_classifier().predict([(item["text"], [_span(item, "issue")]) for item in items])
    return [targets[0][0] for targets in results]


def _directed(items: list[dict]) -> list[int]:
    from stancegraph.extract.directed_stance import direction_and_polarity, load_directed_classifier

    results = load_directed_classifier().predict_pairs(
        [(item["text"], _span(item, "speaker"), _span(item, "issue")) for item in items])
    answers = []
    for label, _ in results:
        direction, polarity = direction_and_polarity(label)
        answers.append(polarity if direction == "p->q" else 0)
    return answers


def evaluate(file: Path = SET) -> dict[str, dict[str, Scores]]:
    """Scores of every system on every split."""
    items = read_items(file)
    runners: dict[str, Callable[[list[dict]], list[int]]] = {"rules": _rules, "target": _target, "directed": _directed}
    results: dict[str, dict[str, Scores]] = {}
    for system in SYSTEMS:
        answers = runners[system](items)
        results[system] = {
            split: score([i["polarity"] for i in items if i["split"] == split],
                         [a for a, i in zip(answers, items) if i["split"] == split])
            for split in ("choose", "heldout")
        }
    return results


def main(file: Path | None, *, format: str) -> None:
    """Print macro-F1 and accuracy of each system on each split."""
    if format not in ("table", "json"):
        raise ModelError("E507", name=format)
    results = evaluate(file or SET)
    if format == "json":
        print(json.dumps({system: {split: vars(s) for split, s in splits.items()} for system, splits in results.items()}))
        return
    print(f"issue statements {(file or SET).name}: macro-F1 / accuracy (choose on 'choose', report 'heldout')")
    for system, splits in results.items():
        cells = "  ".join(f"{split} {s.macro_f1:.3f} / {s.accuracy:.3f} ({s.targets})" for split, s in splits.items())
        print(f"  {system:<9} {cells}")
