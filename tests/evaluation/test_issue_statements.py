"""The issue-statement set and its scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stancegraph.errors import ModelError
from stancegraph.evaluation.issue_statements import SET, evaluate, read_items


def test_shipped_set_has_both_splits_and_every_polarity() -> None:
    items = read_items(SET)
    for split in ("choose", "heldout"):
        assert {i["polarity"] for i in items if i["split"] == split} == {-1, 0, 1}


def test_an_issue_not_in_its_text_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "Ann Lee spoke.", "speaker": "Ann Lee", "issue": "the levy", "polarity": 1,
                               "split": "choose"}) + "\n", encoding="utf-8")
    with pytest.raises(ModelError):
        read_items(bad)


@pytest.mark.slow
def test_rules_read_written_statements_better_than_all_neutral(tmp_path: Path) -> None:
    items = [
        {"text": "Councillor Ann Lee said the dock levy must double.", "speaker": "Ann Lee", "issue": "the dock levy",
         "polarity": 1, "split": "choose"},
        {"text": "\"The dock levy will ruin the quay,\" said Councillor Bo Strand.", "speaker": "Bo Strand",
         "issue": "The dock levy", "polarity": -1, "split": "choose"},
        {"text": "Councillor Ann Lee asked whether the dock levy would rise.", "speaker": "Ann Lee",
         "issue": "the dock levy", "polarity": 0, "split": "heldout"},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    rules = evaluate(path)["rules"]
    assert rules["choose"].accuracy == 1.0 and rules["heldout"].accuracy == 1.0
