"""Score pronoun resolution on GAP (``stancegraph eval gap FILE``).

GAP (Webster et al., TACL 2018) gives Wikipedia paragraphs with an ambiguous he/she/his/her
and two names A and B, each marked as the pronoun's antecedent or not. Each paragraph is
parsed and analysed by the actor step as any article is; A counts as predicted when the
actor the pronoun resolves to is named at A's offset (likewise B). Scores follow the
official scorer (``gap_scorer.py``): F1 over the A and B decisions, overall and for
masculine and feminine pronouns, and bias = feminine F1 / masculine F1.

Example
-------
>>> s = score([Example("x", "", "he", 0, 0, 1, True, 2, 1, False)], [(True, True)])
>>> (s.f1, s.precision, s.recall)
(0.6666666666666666, 0.5, 1.0)
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from stancegraph.errors import ModelError

__all__ = ["Example", "Scores", "evaluate", "main", "predict", "read_gap", "score"]

MASCULINE = frozenset({"he", "him", "his", "himself"})


@dataclass(frozen=True)
class Example:
    """One GAP row: the text, the pronoun and the two names with their gold labels."""

    id: str
    text: str
    pronoun: str
    pronoun_offset: int
    a_offset: int
    a_length: int
    a_coref: bool
    b_offset: int
    b_length: int
    b_coref: bool


@dataclass(frozen=True)
class Scores:
    """GAP's official numbers (F1 in percent is what papers report; these are 0..1)."""

    f1: float
    precision: float
    recall: float
    masculine_f1: float
    feminine_f1: float
    bias: float
    examples: int


def read_gap(file: Path) -> list[Example]:
    """Read a GAP TSV file; a row that does not fit the format raises :class:`ModelError`."""
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        examples = []
        for row in rows:
            text = row["Text"]
            example = Example(
                row["ID"], text, row["Pronoun"], int(row["Pronoun-offset"]), int(row["A-offset"]), len(row["A"]),
                row["A-coref"].upper() == "TRUE", int(row["B-offset"]), len(row["B"]), row["B-coref"].upper() == "TRUE",
            )
            if text[example.pronoun_offset : example.pronoun_offset + len(example.pronoun)] != example.pronoun:
                raise ValueError(f"{example.id}: the pronoun is not at its offset")
            examples.append(example)
    except (OSError, UnicodeDecodeError, KeyError, ValueError, TypeError) as error:
        raise ModelError("E522", path=str(file), detail=f"{type(error).__name__}: {error}") from error
    return examples


def _f1(pairs: Iterator[tuple[bool, bool]]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for gold, predicted in pairs:
        tp += gold and predicted
        fp += predicted and not gold
        fn += gold and not predicted
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def score(examples: Sequence[Example], predicted: Sequence[tuple[bool, bool]]) -> Scores:
    """The official scorer's numbers for (A, B) predictions, one pair per example."""

    def pairs(masculine: bool | None) -> Iterator[tuple[bool, bool]]:
        for example, (a, b) in zip(examples, predicted, strict=True):
            if masculine is None or (example.pronoun.lower() in MASCULINE) == masculine:
                yield example.a_coref, a
                yield example.b_coref, b

    f1, precision, recall = _f1(pairs(None))
    masculine, feminine = _f1(pairs(True))[0], _f1(pairs(False))[0]
    return Scores(f1, precision, recall, masculine, feminine, feminine / masculine if masculine else 0.0,
                  len(examples))


def predict(examples: Sequence[Example]) -> list[tuple[bool, bool]]:
    """Run the actor step on each paragraph: is A, is B named by the pronoun's actor?"""
    from stancegraph.extract import coref
    from stancegraph.extract.actors import find_actors
    from stancegraph.nlp import parse

    predictions = []
    for example, doc in zip(examples, parse(e.text for e in examples), strict=True):
        index = find_actors(doc, pronouns=False)
        token = next((t for t in doc if t.idx == example.pronoun_offset), None)
        anaphor = coref.pronoun_anaphor(token) if token is not None else None
        actor = coref.resolve(index, anaphor) if anaphor is not None else None
        spans = [m.span for m in index.mentions if m.actor == actor] if actor else []

        def named(offset: int, length: int, spans: list = spans) -> bool:
            return any(s.start < offset + length and offset < s.end for s in spans)

        predictions.append((named(example.a_offset, example.a_length), named(example.b_offset, example.b_length)))
    return predictions


def evaluate(file: Path) -> Scores:
    """Score the actor step's pronoun resolution on a GAP file."""
    examples = read_gap(file)
    return score(examples, predict(examples))


def main(file: Path, *, format: str) -> None:
    """Print the scores as a table or one JSON object."""
    if format not in ("table", "json"):
        raise ModelError("E507", name=format)
    scores = evaluate(file)
    if format == "json":
        print(json.dumps({"file": str(file), **asdict(scores)}))
        return
    print(f"GAP {file.name}: {scores.examples} examples")
    print(f"  F1          {100 * scores.f1:.1f}  (P {100 * scores.precision:.1f}, R {100 * scores.recall:.1f})")
    print(f"  masculine   {100 * scores.masculine_f1:.1f}")
    print(f"  feminine    {100 * scores.feminine_f1:.1f}")
    print(f"  bias (F/M)  {scores.bias:.2f}")
