"""The claims evaluation: reading the set, matching, scoring, and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stancegraph.extract.quotes
from stancegraph.cli.main import app
from stancegraph.errors import ModelError
from stancegraph.evaluation import claims as evaluation
from stancegraph.evaluation.claims import Gold, Predicted, match, read_claims_set, score_pairs

SHIPPED = Path(evaluation.__file__).parent / "claims_set.jsonl"


def gold(start: int, end: int, value: float = 10, unit: str = "people", source: str | None = None) -> Gold:
    return Gold(start, end, "x" * (end - start), value, unit, None, source)


def predicted(start: int, end: int, value: float = 10, unit: str = "people", source: str | None = None,
              names: tuple[str, ...] = ()) -> Predicted:
    return Predicted(start, end, value, unit, None, source, names or ((source,) if source else ()))


@pytest.fixture
def no_quote_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Claims are scored on their own: the quote step (a trained model) is left out."""
    monkeypatch.setattr(stancegraph.extract.quotes, "find_quotes", lambda doc, actors: [])


def test_shipped_set_is_large_enough_and_valid() -> None:
    articles = read_claims_set(SHIPPED)
    claims = [claim for article in articles for claim in article.claims]
    assert len(articles) >= 8 and len(claims) >= 30
    assert {c.unit for c in claims} >= {"percent", "USD", "EUR", "GBP", "months", "years"}
    assert {c.qualifier for c in claims} >= {None, "over", "about", "at least", "up to", "nearly"}
    assert sum(c.source is not None for c in claims) >= 10


def test_a_span_off_its_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    record = {"id": "a", "text": "About 40% agreed.", "claims": [{"start": 0, "end": 5, "text": "40%", "value": 40,
                                                                 "unit": "percent"}]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ModelError, match="E505"):
        read_claims_set(path)


def test_match_is_one_to_one_by_largest_overlap() -> None:
    g1, g2 = gold(0, 10), gold(20, 30)
    p1, p2, p3 = predicted(5, 22), predicted(21, 30), predicted(40, 45)
    pairs = match([g1, g2], [p1, p2, p3])
    assert (g2, p2) in pairs and (g1, p1) in pairs and (None, p3) in pairs


def test_scores_of_value_unit_and_source() -> None:
    pairs = [
        (gold(0, 5, 10000, "Civilian deaths", "United Nations"),
         predicted(0, 5, 10040, "civilian deaths", "united-nations", ("United Nations", "U.N."))),
        (gold(10, 15, 500, "people", "ministry"), predicted(10, 15, 600, "people", "Ministry")),
        (gold(20, 25, 3, "years"), None),
        (None, predicted(30, 35, 7, "the soldiers", "officials")),
    ]
    scores = score_pairs(pairs)
    assert (scores.gold, scores.predicted, scores.matched) == (3, 3, 2)
    assert scores.fields["span"].precision == pytest.approx(2 / 3)
    assert scores.fields["value"].correct == 1  # 10,040 is within 0.5% of 10,000; 600 is not 500
    assert scores.fields["unit"].correct == 2  # case and a leading article are folded
    assert scores.fields["source"].precision == pytest.approx(2 / 3)  # 3 predicted sources, 2 right
    assert scores.fields["source"].recall == pytest.approx(1.0)  # both gold sources found


def test_command_scores_a_small_set(tmp_path: Path, no_quote_model: None) -> None:
    text = "The ministry said 1,200 people were killed. The fund holds $3bn."
    record = {"id": "a", "text": text, "claims": [
        {"start": 18, "end": 30, "text": "1,200 people", "value": 1200, "unit": "people", "source": "ministry"},
        {"start": 59, "end": 63, "text": "$3bn", "value": 3e9, "unit": "USD", "source": None},
    ]}
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "claims", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["matched"] == 2
    assert {name: field["recall"] for name, field in scores["fields"].items()} == {
        "span": 1.0, "value": 1.0, "unit": 1.0, "source": 1.0}


def test_shipped_set_scores(no_quote_model: None) -> None:
    scores, articles = evaluation.evaluate()
    assert articles >= 8
    assert scores.fields["value"].recall >= 0.9 and scores.fields["value"].precision >= 0.9
    assert scores.fields["source"].recall >= 0.8


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ModelError, match="E507"):
        evaluation.main(None, format="csv")
