"""The NewsMTSC scorer, reader, VADER baseline and report, on small files written here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from stancegraph.errors import ModelError
from stancegraph.evaluation.newsmtsc import evaluate, main, read_newsmtsc, score, vader_polarities


def target(text: str, mention: str, polarity: float) -> dict[str, object]:
    start = text.index(mention)
    return {"from": start, "to": start + len(mention), "mention": mention, "polarity": polarity}


PRAISE = "What a wonderful, brilliant and generous speech by Alice Moreno, the crowd loved it."
BLAME = "Tom Bell is a corrupt, dishonest and terrible mayor who failed the city."
BOTH = "Alice Moreno was cheered by grateful voters, while Tom Bell was booed and mocked as a corrupt liar."
RECORDS = [
    {"sentence_normalized": PRAISE, "targets": [target(PRAISE, "Alice Moreno", 6.0)]},
    {"sentence_normalized": BLAME, "targets": [target(BLAME, "Tom Bell", 2.0)]},
    {"sentence_normalized": BOTH, "targets": [target(BOTH, "Alice Moreno", 6.0), target(BOTH, "Tom Bell", 2.0)]},
]


@pytest.fixture
def tiny_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in RECORDS), encoding="utf-8")
    return path


def test_score_by_hand() -> None:
    # gold:      neg neg neu pos pos pos
    # predicted: neg neu neu pos pos neg
    scores = score([-1, -1, 0, 1, 1, 1], [-1, 0, 0, 1, 1, -1])
    # F1 neg = 2*1/(2+2) = 0.5; neu = 2*1/(1+2) = 2/3; pos = 2*2/(3+2) = 0.8
    assert scores.f1 == pytest.approx({"negative": 0.5, "neutral": 2 / 3, "positive": 0.8})
    assert scores.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0.8) / 3)
    assert scores.accuracy == pytest.approx(4 / 6)
    assert scores.targets == 6


def test_score_of_a_class_never_seen_is_zero() -> None:
    scores = score([0, 0], [0, 0])
    assert scores.f1 == {"negative": 0.0, "neutral": 1.0, "positive": 0.0}
    assert scores.accuracy == 1.0


def test_score_refuses_lists_of_different_lengths() -> None:
    with pytest.raises(ValueError):
        score([0, 1], [0])


def test_reader_maps_labels_and_keeps_spans(tiny_file: Path) -> None:
    sentences = read_newsmtsc(tiny_file)
    assert [s.polarities for s in sentences] == [[1], [-1], [1, -1]]
    both = sentences[2]
    assert [both.text[start:end] for start, end in both.spans] == ["Alice Moreno", "Tom Bell"]


@pytest.mark.parametrize(
    ("line", "detail"),
    [
        ("{not json", "JSONDecodeError"),
        (json.dumps({"targets": []}), "KeyError"),
        (json.dumps({"sentence_normalized": "Ann left.", "targets": [{"from": 0, "to": 3, "polarity": 3.0}]}), "3.0"),
        (
            json.dumps({"sentence_normalized": "Ann left.", "targets": [{"from": 0, "to": 2, "mention": "Ann", "polarity": 4.0}]}),
            "not the mention 'Ann'",
        ),
    ],
)
def test_reader_names_the_bad_line(tmp_path: Path, line: str, detail: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(RECORDS[0]) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        read_newsmtsc(path)
    assert caught.value.code == "E505"
    assert f"{path}:2:" in str(caught.value)
    assert detail in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as caught:
        read_newsmtsc(tmp_path / "absent.jsonl")
    assert caught.value.code == "E505"


def test_vader_gives_each_target_its_sentence_polarity(tiny_file: Path) -> None:
    predicted = vader_polarities(read_newsmtsc(tiny_file))
    assert predicted[:2] == [1, -1]
    assert len(predicted) == 4
    assert predicted[2] == predicted[3]  # blind to the target: both get the same


def test_vader_missing_says_which_extra_to_install(tiny_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vaderSentiment.vaderSentiment", None)
    with pytest.raises(ModelError) as caught:
        evaluate(tiny_file, baseline="vader")
    assert caught.value.code == "E540"
    assert "stancegraph[eval]" in str(caught.value)


def test_model_beats_vader_on_opposite_targets(tiny_file: Path) -> None:
    assert evaluate(tiny_file).accuracy == 1.0
    assert evaluate(tiny_file, baseline="vader").accuracy < 1.0


def test_main_prints_json(tiny_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(tiny_file, baseline="vader", format="json")
    report = json.loads(capsys.readouterr().out)
    assert report["system"] == "vader"
    assert report["targets"] == 4
    assert set(report["f1"]) == {"negative", "neutral", "positive"}
    assert 0.0 <= report["macro_f1"] <= 1.0


def test_main_prints_a_table(tiny_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(tiny_file, baseline=None, format="table")
    lines = capsys.readouterr().out.splitlines()
    assert "4 targets" in lines[0]
    # every target right, but the file has no neutral target and a class never seen scores 0
    assert lines[1].split() == ["macro-F1", "0.667"]
    assert lines[2].split() == ["accuracy", "1.000"]


@pytest.mark.parametrize(("options", "code"), [({"baseline": "textblob", "format": "table"}, "E506"), ({"baseline": None, "format": "csv"}, "E507")])
def test_unknown_options_are_refused(tiny_file: Path, options: dict[str, str | None], code: str) -> None:
    with pytest.raises(ModelError) as caught:
        main(tiny_file, **options)  # type: ignore[arg-type]
    assert caught.value.code == code
