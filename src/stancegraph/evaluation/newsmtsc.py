"""Score target-dependent stance on NewsMTSC (``stancegraph eval newsmtsc FILE``).

NewsMTSC (Hamborg and Donnay, EACL 2021) labels the sentiment of a news sentence toward each
person it names: 2.0 negative, 4.0 neutral, 6.0 positive. The shipped classifier is scored
target by target; the ``vader`` baseline gives every target of a sentence the sentence's own
VADER polarity (compound score beyond +-0.05), which shows what knowing the target adds.

Example
-------
>>> scores = score([-1, 0, 1, 1], [-1, 0, 1, 0])
>>> scores.accuracy, round(scores.macro_f1, 3)
(0.75, 0.778)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from stancegraph.errors import ModelError

__all__ = [
    "CLASS_NAMES",
    "POLARITY_OF_LABEL",
    "VADER_THRESHOLD",
    "Scores",
    "Sentence",
    "evaluate",
    "main",
    "model_polarities",
    "read_newsmtsc",
    "score",
    "vader_polarities",
]

POLARITY_OF_LABEL = {2.0: -1, 4.0: 0, 6.0: 1}
"""NewsMTSC's polarity labels mapped to stancegraph's -1 / 0 / 1."""
CLASS_NAMES = {-1: "negative", 0: "neutral", 1: "positive"}
VADER_THRESHOLD = 0.05
"""VADER's own recommended cut-off on the compound score."""


@dataclass(frozen=True)
class Sentence:
    """One NewsMTSC sentence with its targets' spans (end exclusive) and gold polarities."""

    text: str
    spans: list[tuple[int, int]]
    polarities: list[int]


@dataclass(frozen=True)
class Scores:
    """Macro-F1 over the three classes, accuracy, F1 of each class, and the number of targets."""

    macro_f1: float
    accuracy: float
    f1: dict[str, float]
    targets: int


def score(gold: Sequence[int], predicted: Sequence[int]) -> Scores:
    """Score predicted polarities against gold ones (both in {-1, 0, 1}, same order)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold polarities but {len(predicted)} predictions")
    f1: dict[str, float] = {}
    for polarity, name in CLASS_NAMES.items():
        true_positives = sum(1 for g, p in zip(gold, predicted) if g == p == polarity)
        gold_count, predicted_count = list(gold).count(polarity), list(predicted).count(polarity)
        f1[name] = 2 * true_positives / (gold_count + predicted_count) if gold_count + predicted_count else 0.0
    correct = sum(1 for g, p in zip(gold, predicted) if g == p)
    return Scores(
        macro_f1=sum(f1.values()) / len(f1),
        accuracy=correct / len(gold) if gold else 0.0,
        f1=f1,
        targets=len(gold),
    )


def read_newsmtsc(file: Path) -> list[Sentence]:
    """Read a NewsMTSC JSONL file; a line that is not a valid record raises :class:`ModelError`.

    Each span is checked against the target's ``mention`` when there is one, so that offsets
    that drift (``to`` inclusive instead of exclusive, say) fail loudly instead of scoring low.
    """
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError("E505", input=str(file), detail=str(error)) from error
    sentences: list[Sentence] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["sentence_normalized"]
            targets = record["targets"]
            spans = [(int(target["from"]), int(target["to"])) for target in targets]
            polarities = [POLARITY_OF_LABEL[float(target["polarity"])] for target in targets]
            for (start, end), target in zip(spans, targets):
                if "mention" in target and text[start:end] != target["mention"]:
                    raise ValueError(f"span {start}..{end} is {text[start:end]!r}, not the mention {target['mention']!r}")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise ModelError("E505", input=f"{file}:{number}", detail=f"{type(error).__name__}: {error}") from error
        sentences.append(Sentence(text, spans, polarities))
    return sentences


def vader_polarities(sentences: Sequence[Sentence]) -> list[int]:
    """The VADER baseline (the ``eval`` extra): each target gets its sentence's polarity."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as error:
        raise ModelError("E540", detail=str(error)) from error

    analyzer = SentimentIntensityAnalyzer()
    predicted: list[int] = []
    for sentence in sentences:
        compound = analyzer.polarity_scores(sentence.text)["compound"]
        polarity = 1 if compound >= VADER_THRESHOLD else -1 if compound <= -VADER_THRESHOLD else 0
        predicted.extend([polarity] * len(sentence.spans))
    return predicted


def model_polarities(sentences: Sequence[Sentence]) -> list[int]:
    """The shipped target stance classifier's polarity for each target."""
    from stancegraph.extract.target_stance import load_classifier

    results = load_classifier().predict([(sentence.text, sentence.spans) for sentence in sentences])
    return [polarity for targets in results for polarity, _ in targets]


def evaluate(file: Path, *, baseline: str | None = None) -> Scores:
    """Score the shipped model, or the named baseline, on a NewsMTSC file."""
    if baseline not in (None, "vader"):
        raise ModelError("E506", name=baseline)
    sentences = read_newsmtsc(file)
    gold = [polarity for sentence in sentences for polarity in sentence.polarities]
    predicted = vader_polarities(sentences) if baseline == "vader" else model_polarities(sentences)
    return score(gold, predicted)


def main(file: Path, *, baseline: str | None, format: str) -> None:
    """Print the scores of the model (or baseline) on ``file`` as a table or one JSON object."""
    if format not in ("table", "json"):
        raise ModelError("E507", name=format)
    scores = evaluate(file, baseline=baseline)
    system = baseline or "target_stance (int8 ONNX)"
    if format == "json":
        print(json.dumps({"file": str(file), "system": system, **asdict(scores)}))
        return
    print(f"NewsMTSC {file.name}: {system}, {scores.targets} targets")
    print(f"  macro-F1  {scores.macro_f1:.3f}")
    print(f"  accuracy  {scores.accuracy:.3f}")
    for name, value in scores.f1.items():
        print(f"  F1 {name:<9} {value:.3f}")
