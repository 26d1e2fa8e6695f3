"""The shipped directed stance classifier: its decoding (class offsets, reading both orders, only
for the unsure pairs) and span checks."""

from __future__ import annotations

import numpy as np
import pytest

from stancegraph.errors import ModelError
from stancegraph.extract.directed_stance import (
    DIRECTED_LABELS,
    SWAPPED,
    DirectedStanceClassifier,
    direction_and_polarity,
)

BLAMED = "Senator Ruth Vale blamed Governor Ike Okafor for the flooding that ruined the harbour district."
THANKED = "Governor Ike Okafor thanked Senator Ruth Vale for the emergency funds she secured in March."
VALE, OKAFOR = "Ruth Vale", "Ike Okafor"


def span_of(text: str, mention: str) -> tuple[int, int]:
    start = text.index(mention)
    return start, start + len(mention)


@pytest.fixture(scope="module")
def classifier() -> DirectedStanceClassifier:
    return DirectedStanceClassifier()


def test_the_shipped_decoding_is_read_from_the_config(classifier: DirectedStanceClassifier) -> None:
    decoding = classifier.config["decoding"]
    assert classifier.both_orders == decoding["both_orders"]
    assert classifier.sure_probability == decoding.get("sure_probability")
    assert classifier.class_bias.tolist() == decoding["class_bias"]
    assert len(classifier.class_bias) == len(DIRECTED_LABELS)


def test_reading_both_orders_answers_the_same_for_a_pair_and_its_mirror(classifier: DirectedStanceClassifier) -> None:
    items = [(BLAMED, span_of(BLAMED, VALE), span_of(BLAMED, OKAFOR)), (THANKED, span_of(THANKED, OKAFOR), span_of(THANKED, VALE))]
    mirrored = [(text, q, p) for text, p, q in items]
    classifier.both_orders, classifier.sure_probability = True, None
    try:
        forward = classifier.pair_probabilities(items)
        backward = classifier.pair_probabilities(mirrored)
    finally:
        classifier.both_orders = bool(classifier.config["decoding"]["both_orders"])
        classifier.sure_probability = classifier.config["decoding"].get("sure_probability")
    np.testing.assert_allclose(forward, backward[:, list(SWAPPED)], atol=1e-6)
    np.testing.assert_allclose(forward.sum(axis=1), 1.0, atol=1e-5)


def test_only_a_pair_whose_first_reading_is_unsure_is_read_again(classifier: DirectedStanceClassifier) -> None:
    items = [(BLAMED, span_of(BLAMED, VALE), span_of(BLAMED, OKAFOR)), (THANKED, span_of(THANKED, OKAFOR), span_of(THANKED, VALE))]
    first = classifier.readings(items)
    traded = classifier.readings(items, traded=True)
    surer, less_sure = np.argsort(-first.max(axis=1))
    assert first[surer].max() > first[less_sure].max()
    classifier.both_orders = True
    classifier.sure_probability = float(first[surer].max() + first[less_sure].max()) / 2
    try:
        mixed = classifier.pair_probabilities(items)
    finally:
        classifier.sure_probability = classifier.config["decoding"].get("sure_probability")
    np.testing.assert_array_equal(mixed[surer], first[surer])
    # read alone, the unsure pair's int8 activations are scaled a little differently than in a batch of two
    np.testing.assert_allclose(mixed[less_sure], (first[less_sure] + traded[less_sure]) / 2, atol=0.02)
    assert not np.allclose(mixed[less_sure], first[less_sure], atol=1e-4)


def test_class_offsets_move_the_decision() -> None:
    classifier = DirectedStanceClassifier()
    probabilities = np.array([[0.40, 0.35, 0.05, 0.15, 0.05]])
    classifier.class_bias = np.zeros(len(DIRECTED_LABELS))
    assert DIRECTED_LABELS[classifier.decide(probabilities)[0]] == "neutral"
    classifier.class_bias = np.array([0.0, 0.2, 0.0, 0.0, 0.0])
    assert DIRECTED_LABELS[classifier.decide(probabilities)[0]] == "p->q positive"
    classifier.class_bias = np.array([0.0, -5.0, 0.0, 1.2, 0.0])
    assert DIRECTED_LABELS[classifier.decide(probabilities)[0]] == "p->q negative"


def test_blame_and_thanks_are_read_with_their_direction(classifier: DirectedStanceClassifier) -> None:
    (blamed, _), (blamed_back, _), (thanked, _) = classifier.predict_pairs([
        (BLAMED, span_of(BLAMED, VALE), span_of(BLAMED, OKAFOR)),
        (BLAMED, span_of(BLAMED, OKAFOR), span_of(BLAMED, VALE)),
        (THANKED, span_of(THANKED, OKAFOR), span_of(THANKED, VALE)),
    ])
    assert direction_and_polarity(blamed) == ("p->q", -1)
    assert direction_and_polarity(blamed_back) == ("q->p", -1)
    assert direction_and_polarity(thanked) == ("p->q", 1)


def test_a_bad_span_fails_the_whole_call(classifier: DirectedStanceClassifier) -> None:
    good = (BLAMED, span_of(BLAMED, VALE), span_of(BLAMED, OKAFOR))
    with pytest.raises(ModelError) as outside:
        classifier.predict_pairs([good, (BLAMED, (0, 5), (len(BLAMED) - 3, len(BLAMED) + 9))])
    assert outside.value.code == "E503"
    with pytest.raises(ModelError) as overlapping:
        classifier.predict_pairs([good, (BLAMED, span_of(BLAMED, VALE), span_of(BLAMED, "Vale"))])
    assert overlapping.value.code == "E530"
