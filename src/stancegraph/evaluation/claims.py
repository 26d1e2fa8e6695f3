"""Score claim extraction on an annotated set (``stancegraph eval claims [FILE]``).

The shipped set, ``evaluation/claims_set.jsonl``, is the project's own: short articles
written for it (money, percentages, counts with qualifiers, number words, durations, sources
named as actors and as phrases, and numbers that are not claims), annotated by hand. It is the
development set the claim rules were tuned on, so its scores are optimistic for other text.
``claims_heldout.jsonl`` (three more articles, written and annotated after that tuning) gives
a less biased figure: ``stancegraph eval claims src/stancegraph/evaluation/claims_heldout.jsonl``.

One JSON object a line: ``{"id", "date", "title", "text", "claims": [{"start", "end", "text",
"value", "unit", "qualifier", "source"}]}``; ``source`` is the credited source's name (an
actor's name, or the words the article uses) or null.

Matching and scores:

* a predicted claim matches a gold one when their spans overlap (one to one, largest overlap
  first); ``span`` precision and recall count the matches;
* ``value`` is right when within 0.5% of the gold value; ``unit`` when the units are equal
  after folding case, spacing and a leading article;
* ``source`` is right when the gold name equals (as :func:`~stancegraph.names.name_key`)
  the predicted string or the predicted actor's name or one of its aliases; its precision is
  over predicted claims that name a source, its recall over gold claims that have one;
* precision is over all predicted claims and recall over all gold claims, so a missed or
  spurious claim counts against every field.

Example
-------
>>> scores = score_pairs([(Gold(0, 3, "40%", 40, "percent", None, None), Predicted(0, 3, 40, "percent", None, None, ()))])
>>> scores.fields["value"].precision, scores.fields["unit"].recall
(1.0, 1.0)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol, TypeVar

from stancegraph.errors import ModelError
from stancegraph.names import name_key

__all__ = [
    "VALUE_TOLERANCE",
    "FieldScore",
    "Gold",
    "GoldArticle",
    "Predicted",
    "Scores",
    "evaluate",
    "field_score",
    "main",
    "match",
    "predict",
    "read_claims_set",
    "score_pairs",
]

VALUE_TOLERANCE = 0.005
FIELDS = ("span", "value", "unit", "source")


@dataclass(frozen=True)
class Gold:
    """One annotated claim."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    qualifier: str | None
    source: str | None


@dataclass(frozen=True)
class Predicted:
    """One predicted claim, its source given as the names it may be known by."""

    start: int
    end: int
    value: float
    unit: str
    qualifier: str | None
    source: str | None
    source_names: tuple[str, ...]


@dataclass(frozen=True)
class GoldArticle:
    id: str
    date: str | None
    title: str | None
    text: str
    claims: list[Gold]


@dataclass(frozen=True)
class FieldScore:
    precision: float
    recall: float
    f1: float
    correct: int


@dataclass(frozen=True)
class Scores:
    """Scores of each field, the qualifier accuracy on matched claims, and the counts."""

    fields: dict[str, FieldScore]
    qualifier_accuracy: float
    gold: int
    predicted: int
    matched: int


def _default_set() -> Path:
    return Path(str(resources.files("stancegraph.evaluation").joinpath("claims_set.jsonl")))


def read_claims_set(file: Path) -> list[GoldArticle]:
    """Read an annotated set; a malformed line, or a span off its text, raises :class:`ModelError`."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError("E505", input=str(file), detail=str(error)) from error
    articles: list[GoldArticle] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
            claims = [Gold(int(c["start"]), int(c["end"]), c["text"], float(c["value"]), c["unit"],
                           c.get("qualifier"), c.get("source")) for c in record["claims"]]
            for claim in claims:
                if text[claim.start : claim.end] != claim.text:
                    raise ValueError(f"span {claim.start}..{claim.end} is {text[claim.start:claim.end]!r}, "
                                     f"not {claim.text!r}")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise ModelError("E505", input=f"{file}:{number}", detail=f"{type(error).__name__}: {error}") from error
        articles.append(GoldArticle(str(record["id"]), record.get("date"), record.get("title"), text, claims))
    return articles


class Located(Protocol):
    """Anything with a character span: a claim, a stance's evidence."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


G = TypeVar("G", bound=Located)
P = TypeVar("P", bound=Located)


def match(gold: Sequence[G], predicted: Sequence[P], *,
          compatible: Callable[[G, P], bool] | None = None) -> list[tuple[G | None, P | None]]:
    """Pair gold and predicted items by overlapping spans, largest overlap first, one to one.

    Only pairs ``compatible`` accepts qualify (all by default). Unmatched items are paired with None.
    """
    overlaps = sorted(
        ((min(g.end, p.end) - max(g.start, p.start), gi, pi)
         for gi, g in enumerate(gold) for pi, p in enumerate(predicted)
         if g.start < p.end and p.start < g.end and (compatible is None or compatible(g, p))),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs: list[tuple[G | None, P | None]] = []
    for _, gi, pi in overlaps:
        if gi not in used_gold and pi not in used_predicted:
            used_gold.add(gi)
            used_predicted.add(pi)
            pairs.append((gold[gi], predicted[pi]))
    pairs += [(g, None) for gi, g in enumerate(gold) if gi not in used_gold]
    pairs += [(None, p) for pi, p in enumerate(predicted) if pi not in used_predicted]
    return pairs


def _unit_key(unit: str) -> str:
    words = unit.lower().split()
    return " ".join(words[1:] if words[:1] in (["the"], ["a"], ["an"]) else words)


def _source_right(gold: Gold, predicted: Predicted) -> bool:
    if gold.source is None or predicted.source is None:
        return gold.source is None and predicted.source is None
    return name_key(gold.source) in {name_key(name) for name in predicted.source_names}


def field_score(correct: int, predicted: int, gold: int) -> FieldScore:
    """Precision over ``predicted``, recall over ``gold``, of ``correct`` items."""
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return FieldScore(precision, recall, f1, correct)


def score_pairs(pairs: Sequence[tuple[Gold | None, Predicted | None]]) -> Scores:
    """Scores from matched pairs (see the module docstring for the definitions)."""
    matched = [(g, p) for g, p in pairs if g is not None and p is not None]
    gold_count = sum(1 for g, _ in pairs if g is not None)
    predicted_count = sum(1 for _, p in pairs if p is not None)
    value_right = sum(1 for g, p in matched if abs(p.value - g.value) <= VALUE_TOLERANCE * abs(g.value))
    unit_right = sum(1 for g, p in matched if _unit_key(p.unit) == _unit_key(g.unit))
    sourced_right = sum(1 for g, p in matched if g.source is not None and _source_right(g, p))
    fields = {
        "span": field_score(len(matched), predicted_count, gold_count),
        "value": field_score(value_right, predicted_count, gold_count),
        "unit": field_score(unit_right, predicted_count, gold_count),
    }
    gold_sourced = sum(1 for g, _ in pairs if g is not None and g.source is not None)
    predicted_sourced = sum(1 for _, p in pairs if p is not None and p.source is not None)
    fields["source"] = field_score(sourced_right, predicted_sourced, gold_sourced)
    qualifier_right = sum(1 for g, p in matched if g.qualifier == p.qualifier)
    return Scores(fields, qualifier_right / len(matched) if matched else 0.0, gold_count, predicted_count,
                  len(matched))


def predict(articles: Sequence[GoldArticle]) -> list[list[Predicted]]:
    """Run the steps claims depend on (parse, actors, quotes, claims) on each article."""
    from stancegraph.extract.actors import find_actors
    from stancegraph.extract.claims import find_claims
    from stancegraph.extract.quotes import find_quotes
    from stancegraph.nlp import parse

    predictions: list[list[Predicted]] = []
    for doc in parse(article.text for article in articles):
        actors = find_actors(doc)
        claims = find_claims(doc, actors, find_quotes(doc, actors))
        found = []
        for claim in claims:
            actor = actors.get(claim.source)
            names = (actor.name, *actor.aliases) if actor is not None else ((claim.source,) if claim.source else ())
            found.append(Predicted(claim.span.start, claim.span.end, claim.value, claim.unit, claim.qualifier,
                                   claim.source, names))
        predictions.append(found)
    return predictions


def evaluate(file: Path | None = None) -> tuple[Scores, int]:
    """Scores on an annotated set (the shipped one by default), and its number of articles."""
    articles = read_claims_set(file or _default_set())
    pairs = [pair for article, predicted in zip(articles, predict(articles))
             for pair in match(article.claims, predicted)]
    return score_pairs(pairs), len(articles)


def main(file: Path | None, *, format: str) -> None:
    """Print precision and recall of span, value, unit and source as a table or one JSON object."""
    if format not in ("table", "json"):
        raise ModelError("E507", name=format)
    path = file or _default_set()
    scores, articles = evaluate(path)
    if format == "json":
        print(json.dumps({"file": str(path), "articles": articles, **asdict(scores)}))
        return
    print(f"Claims {path.name}: {articles} articles, {scores.gold} gold claims, {scores.predicted} predicted, "
          f"{scores.matched} matched")
    print(f"  {'':<8} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name in FIELDS:
        field = scores.fields[name]
        print(f"  {name:<8} {field.precision:>9.3f} {field.recall:>7.3f} {field.f1:>6.3f}")
    print(f"  qualifier accuracy on matched claims: {scores.qualifier_accuracy:.3f}")
