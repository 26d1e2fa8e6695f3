"""The GAP reader, the official scorer's arithmetic and the end-to-end run, on rows written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stancegraph.errors import ModelError
from stancegraph.evaluation.gap import Example, main, read_gap, score

HEADER = "ID\tText\tPronoun\tPronoun-offset\tA\tA-offset\tA-coref\tB\tB-offset\tB-coref\tURL\n"


def row(id_: str, text: str, pronoun: str, a: str, b: str, a_coref: bool, b_coref: bool) -> str:
    offset = text.index(pronoun, max(text.index(a), text.index(b)))
    return (f"{id_}\t{text}\t{pronoun}\t{offset}\t{a}\t{text.index(a)}\t{str(a_coref).upper()}\t"
            f"{b}\t{text.index(b)}\t{str(b_coref).upper()}\thttp://example.org\n")


@pytest.fixture
def gap_file(tmp_path: Path) -> Path:
    path = tmp_path / "gap.tsv"
    path.write_text(HEADER
                    + row("t-1", "Anna Berg met Tomas Lindqvist in Riga. She praised the new port.", "She",
                          "Anna Berg", "Tomas Lindqvist", True, False)
                    + row("t-2", "Tomas Lindqvist thanked Anna Berg in Riga. He praised the new port.", "He",
                          "Tomas Lindqvist", "Anna Berg", True, False), encoding="utf-8")
    return path


def example(pronoun: str, a: bool, b: bool) -> Example:
    return Example("x", "", pronoun, 0, 0, 1, a, 2, 1, b)


def test_scorer_counts_a_and_b_decisions_by_gender() -> None:
    examples = [example("he", True, False), example("she", False, True), example("her", False, False)]
    # he: A right (tp); she: says A (fp) and misses B (fn); her: says B (fp)
    scores = score(examples, [(True, False), (True, False), (False, True)])
    assert (scores.precision, scores.recall) == (1 / 3, 1 / 2)
    assert scores.masculine_f1 == 1.0
    assert scores.feminine_f1 == 0.0
    assert scores.bias == 0.0
    assert scores.examples == 3


def test_reader_checks_the_pronoun_offset(gap_file: Path, tmp_path: Path) -> None:
    [first, second] = read_gap(gap_file)
    assert (first.pronoun, first.a_coref, first.b_coref) == ("She", True, False)
    assert second.text[second.b_offset : second.b_offset + second.b_length] == "Anna Berg"
    broken = tmp_path / "broken.tsv"
    broken.write_text(gap_file.read_text(encoding="utf-8").replace("\tShe\t", "\tHer\t"), encoding="utf-8")
    with pytest.raises(ModelError, match="E522"):
        read_gap(broken)


def test_end_to_end_resolves_by_gender(gap_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(gap_file, format="json")
    result = json.loads(capsys.readouterr().out)
    assert result["examples"] == 2
    assert result["f1"] == 1.0


def test_unknown_format_is_refused(gap_file: Path) -> None:
    with pytest.raises(ModelError, match="E507"):
        main(gap_file, format="xml")
