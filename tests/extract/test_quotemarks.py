"""Quoted regions: curly, straight and typewriter marks, nesting, apostrophes, stray marks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stancegraph.extract.quotemarks import inside, quoted_passages, quoted_regions


def passages(text: str) -> list[str]:
    return [text[start:end] for start, end in quoted_regions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “yes” and \"no\".", ["“yes”", "\"no\""]),
        ("\"Yes,\" she said. \"No.\"", ["\"Yes,\"", "\"No.\""]),
        ("''We will win,'' he said.", ["''We will win,''"]),
        ("„Ja“, sagte er.", ["„Ja“"]),
        ("They vow to end it ‘soon’ now.", ["‘soon’"]),
    ],
)
def test_marks_of_each_kind(text: str, expected: list[str]) -> None:
    assert passages(text) == expected


def test_nested_quotes_stay_inside_the_outer_passage() -> None:
    text = "“They called it \"a hoax\" and ‘fake’,” she said."
    assert passages(text) == ["“They called it \"a hoax\" and ‘fake’,”"]


def test_apostrophes_are_not_quote_marks() -> None:
    assert passages("Trump’s aides and the voters’ mood in the ’90s") == []


def test_a_stray_mark_does_not_swallow_the_article() -> None:
    text = "He said “this never closes.\nNext paragraph “is quoted” here.\nLast one."
    assert passages(text) == ["“is quoted”"]


def test_a_second_opening_mark_makes_the_first_stray() -> None:
    assert passages("“A “B” C") == ["“B”"]


def test_a_closing_mark_with_nothing_open_is_ignored() -> None:
    assert passages("done” then “fine”") == ["“fine”"]


def test_inside_is_strictly_between_the_marks() -> None:
    text = "He said “yes” ok"
    regions = quoted_regions(text)
    assert inside(regions, text.index("yes")) == (8, 13)
    assert inside(regions, text.index("“")) is None
    assert inside(regions, text.index("”")) is None
    assert inside(regions, text.index("ok")) is None


@given(st.text(alphabet=st.sampled_from(list("ab \n\"“”„«»‘’'`.")), max_size=80))
def test_regions_are_ordered_disjoint_and_start_and_end_on_marks(text: str) -> None:
    regions = quoted_regions(text)
    for (start, end), following in zip(regions, [*regions[1:], (len(text), len(text))]):
        assert 0 <= start < end <= following[0]
        assert text[start] in "\"“„«‘'`" and text[end - 1] in "\"”»“’'"
        assert "\n" not in text[start:end]


def joined(text: str) -> list[str]:
    return [text[start:end] for start, end in quoted_passages(text)]


def test_a_quotation_over_paragraphs_that_repeat_the_opening_mark_is_one_passage() -> None:
    text = "“The bridge opens in May.\n\n“The tunnel follows in June,” she said.\nAfter “that” nothing."
    assert joined(text) == ["“The bridge opens in May.\n\n“The tunnel follows in June,”", "“that”"]
    assert passages(text) == ["“The tunnel follows in June,”", "“that”"]  # per line, unchanged


def test_a_chain_runs_over_three_paragraphs_and_from_a_colon() -> None:
    text = "Ines Varga told the board: “We start now.\n“We keep going.\n“We finish in May,” she said."
    [passage] = joined(text)
    assert passage.startswith("“We start now.") and passage.endswith("May,”")


@pytest.mark.parametrize("text", [
    "He said “this never closes.\n“We are ready,” she said.",  # unclosed in the middle of its line
    "“This never closes.\nThe next line has no mark. “We are ready,” she said.",  # next line opens no quote
])
def test_a_stray_mark_starts_no_chain(text: str) -> None:
    assert joined(text) == ["“We are ready,”"]


@given(st.text(alphabet=st.sampled_from(list("ab \n\"“”„«»‘’'`.:")), max_size=80))
def test_passages_are_ordered_disjoint_and_start_and_end_on_marks(text: str) -> None:
    found = quoted_passages(text)
    for (start, end), following in zip(found, [*found[1:], (len(text), len(text))]):
        assert 0 <= start < end <= following[0]
        assert text[start] in "\"“„«‘'`" and text[end - 1] in "\"”»“’'"
    assert all(any(s <= start and end <= e for s, e in found) for start, end in quoted_regions(text))
