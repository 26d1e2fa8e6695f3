"""The DSA reader and scorer; the shipped model on valid.txt when the shared data is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancegraph.errors import ModelError
from stancegraph.evaluation.dsa import parse_line, read_dsa, score

DSA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dsa"


def test_parse_line_removes_brackets_and_widens_short_ones() -> None:
    line = "[Mayor Kell]y thanked [the Harbour Boar]d for its help.\tMayor Kell\tthe Harbour Boar\t1\n"
    sentence = parse_line(line)
    assert sentence.text == "Mayor Kelly thanked the Harbour Board for its help."
    assert sentence.text[slice(*sentence.p)] == "Mayor Kelly"
    assert sentence.text[slice(*sentence.q)] == "the Harbour Board"
    assert sentence.label == 1


def test_parse_line_reads_csv_quoted_fields_and_finds_q_before_p() -> None:
    line = '"[Orla Penn] said ""no"" to [Ivo Sand]."\tIvo Sand\tOrla Penn\t4\n'
    sentence = parse_line(line)
    assert sentence.text == 'Orla Penn said "no" to Ivo Sand.'
    assert sentence.text[slice(*sentence.p)] == "Ivo Sand"
    assert sentence.label == 4


def test_parse_line_rejects_unbracketed_entities() -> None:
    with pytest.raises(ValueError):
        parse_line("Orla Penn met Ivo Sand.\tOrla Penn\tIvo Sand\t0\n")


def test_score_macro_f1_and_confusion() -> None:
    scores = score([0, 0, 1, 3, 4], [0, 1, 1, 3, 0])
    assert scores.accuracy == pytest.approx(0.6)
    assert scores.confusion[0] == [1, 1, 0, 0, 0]
    assert scores.confusion[4] == [1, 0, 0, 0, 0]
    assert scores.f1["q->p positive"] == 0.0
    assert scores.macro_f1 == pytest.approx((1 / 2 + 2 / 3 + 0 + 1 + 0) / 5)


def test_read_dsa_reports_the_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("[A] met [B].\tA\tB\t0\nno brackets here\tA\tB\t9\n", encoding="utf-8")
    with pytest.raises(ModelError) as error:
        read_dsa(bad)
    assert error.value.code == "E533" and "bad.txt:2" in str(error.value)


@pytest.mark.slow
def test_shipped_model_on_valid_beats_all_neutral() -> None:
    from stancegraph.evaluation.dsa import evaluate

    model = evaluate(DSA / "valid.txt")
    neutral = evaluate(DSA / "valid.txt", baseline="neutral")
    assert model.sentences == neutral.sentences == 1461
    assert neutral.macro_f1 < 0.2
    assert model.macro_f1 >= 0.4  # the rules and the target model gave 0.363 on the held-back split
