"""Score directed actor-to-actor stance on the DSA set (``stancegraph eval dsa FILE``).

The set of Park, Pan and Joo (Findings of ACL 2021) gives a news sentence with two entities p
and q in [brackets] and one of five classes: neutral, p->q positive, q->p positive, p->q
negative, q->p negative. The brackets are sometimes a character short (``[Los Angele]s``):
a mention is widened to the end of its word. Scores: 5-class macro-F1, accuracy, F1 of each
class and the confusion matrix (rows gold, columns predicted).

Example
-------
>>> scores = score([0, 1, 3, 3], [0, 1, 3, 0])
>>> scores.accuracy, round(scores.macro_f1, 3)
(0.75, 0.467)
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from stancegraph.errors import ModelError
from stancegraph.extract.directed_stance import DIRECTED_LABELS

__all__ = ["DsaScores", "DsaSentence", "evaluate", "main", "parse_line", "read_dsa", "score"]

BRACKETED = re.compile(r"\[([^\[\]]+)\](\w*)")


@dataclass(frozen=True)
class DsaSentence:
    """One sentence with the brackets removed, p's and q's spans (end exclusive) and the gold class 0-4."""

    text: str
    p: tuple[int, int]
    q: tuple[int, int]
    label: int


@dataclass(frozen=True)
class DsaScores:
    """Macro-F1 over the five classes, accuracy, F1 of each class, confusion matrix, count."""

    macro_f1: float
    accuracy: float
    f1: dict[str, float]
    confusion: list[list[int]]
    sentences: int


def parse_line(line: str) -> DsaSentence:
    """One tab-separated line: bracketed sentence, p, q, label. Raises ValueError if p or q is not bracketed.

    Fields holding quotes are written CSV-style (wrapped in quotes, inner quotes doubled).
    """
    fields = next(csv.reader([line.rstrip("\n")], delimiter="\t"))
    if len(fields) != 4:
        fields = line.rstrip("\n").split("\t")
    sentence, p_text, q_text, label = fields
    text, spans, cursor = "", [], 0
    for match in BRACKETED.finditer(sentence):
        text += sentence[cursor : match.start()]
        start = len(text)
        text += match.group(1) + match.group(2)
        spans.append((match.group(1).strip(), (start, len(text))))
        cursor = match.end()
    text += sentence[cursor:]
    p = next((span for inner, span in spans if inner == p_text.strip()), None)
    q = next((span for inner, span in reversed(spans) if inner == q_text.strip() and span != p), None)
    if p is None or q is None:
        raise ValueError(f"p {p_text!r} or q {q_text!r} is not bracketed in the sentence")
    value = int(label)
    if not 0 <= value < len(DIRECTED_LABELS):
        raise ValueError(f"label {label!r} is not 0-4")
    return DsaSentence(text, p, q, value)


def read_dsa(file: Path) -> list[DsaSentence]:
    """Read a DSA file; a line that cannot be parsed raises :class:`ModelError` E533."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError("E533", input=str(file), detail=str(error)) from error
    sentences = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            sentences.append(parse_line(line))
        except ValueError as error:
            raise ModelError("E533", input=f"{file}:{number}", detail=str(error)) from error
    return sentences


def score(gold: Sequence[int], predicted: Sequence[int]) -> DsaScores:
    """Score predicted classes (0-4) against gold ones, in the same order."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold classes but {len(predicted)} predictions")
    size = len(DIRECTED_LABELS)
    confusion = [[0] * size for _ in range(size)]
    for g, p in zip(gold, predicted):
        confusion[g][p] += 1
    f1 = {}
    for index, name in enumerate(DIRECTED_LABELS):
        gold_count = sum(confusion[index])
        predicted_count = sum(row[index] for row in confusion)
        total = gold_count + predicted_count
        f1[name] = 2 * confusion[index][index] / total if total else 0.0
    correct = sum(confusion[i][i] for i in range(size))
    return DsaScores(sum(f1.values()) / size, correct / len(gold) if gold else 0.0, f1, confusion, len(gold))


def evaluate(file: Path, *, baseline: str | None = None) -> DsaScores:
    """Score the shipped directed model, or the ``neutral`` baseline (every pair neutral), on a DSA file."""
    if baseline not in (None, "neutral"):
        raise ModelError("E536", name=baseline)
    sentences = read_dsa(file)
    gold = [sentence.label for sentence in sentences]
    if baseline == "neutral":
        return score(gold, [0] * len(gold))
    from stancegraph.extract.directed_stance import load_directed_classifier

    results = load_directed_classifier().predict_pairs([(s.text, s.p, s.q) for s in sentences])
    return score(gold, [DIRECTED_LABELS.index(label) for label, _ in results])


def main(file: Path, *, baseline: str | None, format: str) -> None:
    """Print the scores as a table or one JSON object."""
    if format not in ("table", "json"):
        raise ModelError("E507", name=format)
    scores = evaluate(file, baseline=baseline)
    system = "all-neutral baseline" if baseline else "directed_stance (int8 ONNX)"
    if format == "json":
        print(json.dumps({"file": str(file), "system": system, **asdict(scores)}))
        return
    print(f"DSA {file.name}: {system}, {scores.sentences} sentences")
    print(f"  macro-F1  {scores.macro_f1:.3f}")
    print(f"  accuracy  {scores.accuracy:.3f}")
    for name, value in scores.f1.items():
        print(f"  F1 {name:<14} {value:.3f}")
    print("  confusion (rows gold, columns predicted, in the order above):")
    for name, row in zip(DIRECTED_LABELS, scores.confusion):
        print(f"    {name:<14} " + " ".join(f"{count:5d}" for count in row))
