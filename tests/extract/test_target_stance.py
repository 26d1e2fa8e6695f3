"""The shipped target stance classifier: input encoding, span checks, predictions, run-time deps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tokenizers import Tokenizer

from stancegraph.errors import ModelError
from stancegraph.extract.target_stance import (
    MODEL_DIR,
    InputFormat,
    TargetStanceClassifier,
    encode_target,
    load_classifier,
)


def span_of(text: str, mention: str, occurrence: int = 0) -> tuple[int, int]:
    """The span of the ``occurrence``-th ``mention`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(mention, start + 1)
    return start, start + len(mention)


PRAISED = "Voters praised Senator Alice Moreno for her honest, tireless work that saved the town hospital."
CHARGED = "Prosecutors charged Mayor Tom Bell with fraud after he lied to investigators and stole public funds."
SCHEDULE = "Alice Moreno will speak at the chamber of commerce on Tuesday morning, her office said."
OPPOSED = "Alice Moreno was hailed as a hero by the crowd, while Tom Bell was booed and mocked as a corrupt liar."


@pytest.fixture(scope="module")
def classifier() -> TargetStanceClassifier:
    return load_classifier()


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def test_target_mask_covers_the_marked_mention_only(tokenizer: Tokenizer) -> None:
    text = "Yesterday Tom Bell resigned."
    encoding = encode_target(tokenizer, text, span_of(text, "Tom Bell"), InputFormat())
    marked = [tokenizer.id_to_token(i) for i, m in zip(encoding.input_ids, encoding.target_mask) if m]
    assert marked == ["†", "tom", "bell", "‡"]
    assert encoding.input_ids[0] == tokenizer.token_to_id("[CLS]")
    assert encoding.input_ids[-1] == tokenizer.token_to_id("[SEP]")


def test_long_sentence_keeps_a_window_around_the_target(tokenizer: Tokenizer) -> None:
    text = "the committee met again " * 40 + "and Tom Bell resigned " + "after the vote was taken " * 40
    encoding = encode_target(tokenizer, text, span_of(text, "Tom Bell"), InputFormat(max_length=64))
    assert len(encoding.input_ids) == 64
    marked = [i for i, m in enumerate(encoding.target_mask) if m]
    assert len(marked) == 4
    assert marked[0] > 20 and marked[-1] < 44  # near the middle of the window


def test_clear_praise_and_clear_blame(classifier: TargetStanceClassifier) -> None:
    results = classifier.predict(
        [(PRAISED, [span_of(PRAISED, "Alice Moreno")]), (CHARGED, [span_of(CHARGED, "Tom Bell")])]
    )
    assert [[polarity for polarity, _ in sentence] for sentence in results] == [[1], [-1]]


def test_neutral_report(classifier: TargetStanceClassifier) -> None:
    [[(polarity, _)]] = classifier.predict([(SCHEDULE, [span_of(SCHEDULE, "Alice Moreno")])])
    assert polarity == 0


def test_two_targets_of_opposite_polarity_in_order(classifier: TargetStanceClassifier) -> None:
    spans = [span_of(OPPOSED, "Alice Moreno"), span_of(OPPOSED, "Tom Bell")]
    [forward] = classifier.predict([(OPPOSED, spans)])
    [backward] = classifier.predict([(OPPOSED, spans[::-1])])
    assert [polarity for polarity, _ in forward] == [1, -1]
    assert backward == forward[::-1]


def test_confidence_is_the_probability_of_the_predicted_class(classifier: TargetStanceClassifier) -> None:
    [[(_polarity, confidence)]] = classifier.predict([(PRAISED, [span_of(PRAISED, "Alice Moreno")])])
    [probabilities] = classifier.probabilities(
        [encode_target(classifier.tokenizer, PRAISED, span_of(PRAISED, "Alice Moreno"), classifier.input_format)]
    )
    assert confidence == pytest.approx(float(probabilities.max()))
    assert 1 / 3 < confidence <= 1
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)


def test_an_answer_does_not_depend_on_the_other_inputs(classifier: TargetStanceClassifier) -> None:
    alone = classifier.predict([(CHARGED, [span_of(CHARGED, "Tom Bell")])])
    among_others = classifier.predict(
        [(OPPOSED * 2, [span_of(OPPOSED * 2, "Tom Bell", 1)]), (CHARGED, [span_of(CHARGED, "Tom Bell")]), ("", [])]
    )
    # each input is run alone: a longer sentence beside it neither pads it nor rescales its activations
    assert among_others[1] == alone[0]
    assert among_others[2] == []


@pytest.mark.parametrize(
    ("span", "code"), [((10, 500), "E503"), ((-1, 3), "E503"), ((9, 5), "E504"), ((5, 5), "E504"), ((14, 15), "E504")]
)
def test_bad_spans_are_refused(classifier: TargetStanceClassifier, span: tuple[int, int], code: str) -> None:
    with pytest.raises(ModelError) as caught:
        classifier.predict([(PRAISED, [span_of(PRAISED, "Alice")]), (PRAISED, [span])])
    assert caught.value.code == code


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as caught:
        TargetStanceClassifier(tmp_path)
    assert caught.value.code == "E501"
    assert str(tmp_path / "model.onnx") in str(caught.value)


def test_unreadable_model_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelError) as caught:
        TargetStanceClassifier(tmp_path)
    assert caught.value.code == "E502"


def test_run_time_does_not_import_torch() -> None:
    script = (
        "import sys\n"
        "from stancegraph.extract.target_stance import load_classifier\n"
        f"print(load_classifier().predict([({CHARGED!r}, [(26, 34)])])[0][0][0])\n"
        "print('torch' in sys.modules)\n"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert output.split() == ["-1", "False"]
