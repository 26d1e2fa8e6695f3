"""Hostile texts: every span of the analysis indexes the text, and time grows linearly with length.

Times are compared as a ratio within one test (the same text shape at n and 4n characters),
never against a wall-clock threshold: a quadratic step gives about 16, a linear one about 4.
"""

from __future__ import annotations

import string
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pipeline import all_spans

from stancegraph.pipeline import analyze

BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
COMBINING = "".join(chr(c) for c in range(0x300, 0x370))
SCRIPTS = "Ада Ковач 中文新闻 العربية देवनागरी ελληνικά עברית 한국어 Ōkafor"
RATIO_BOUND = 8.0


def assert_offsets_valid(text: str) -> None:
    result = analyze(text)
    assert result.text == text
    for span in all_spans(result):
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text


def growth(shape: Callable[[int], str], n: int) -> float:
    """How many times longer the analysis of ``shape(4n)`` takes than that of ``shape(n)`` (best of two)."""
    def best(text: str) -> float:
        times = []
        for _ in range(2):
            start = time.perf_counter()
            analyze(text)
            times.append(time.perf_counter() - start)
        return min(times)

    analyze(shape(100))  # the models are loaded before anything is timed
    return best(shape(4 * n)) / best(shape(n))


pieces = st.one_of(
    st.tuples(st.sampled_from(string.punctuation), st.integers(1, 900)).map(lambda p: p[0] * p[1]),
    st.text(alphabet=st.sampled_from(string.punctuation), min_size=1, max_size=600),
    st.text(alphabet=st.sampled_from(SCRIPTS + BIDI + COMBINING + string.punctuation), min_size=1, max_size=300),
    st.sampled_from(["Ada Kovacs said ", "\u201cWe will win,\u201d ", "Okafor met Kovacs. ", "\n", " ", "\n\n"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, min_size=1, max_size=12).map("".join).filter(str.strip))
def test_every_span_indexes_a_hostile_text(text):
    assert_offsets_valid(text)


@pytest.mark.parametrize("mark", ['"', "(", "="])
def test_a_run_of_one_mark_is_analysed_in_linear_time(mark):
    assert growth(lambda n: mark * n, 2500) < RATIO_BOUND


@pytest.mark.slow
@pytest.mark.parametrize("mark", list(string.punctuation))
def test_a_run_of_every_ascii_mark_keeps_offsets_and_linear_time(mark):
    assert_offsets_valid(f"Ada Kovacs said {mark * 3000} and left.")
    assert growth(lambda n: mark * n, 5000) < RATIO_BOUND


SHAPES = {
    "alternating marks": lambda n: "=}" * (n // 2),
    "marks between spaces": lambda n: "( " * (n // 2),
    "unclosed curly quotes then guillemets": lambda n: "\u201c" * (n // 2) + "\u00bb" * (n // 2),
    "names with no sentence end": lambda n: ("Ada Kovacs and Lev Okafor said " * (n // 31 + 1))[:n],
    "bidi controls around names": lambda n: ("\u202eKovacs\u202c said \u2067Okafor\u2069 " * (n // 26 + 1))[:n],
    "mixed scripts": lambda n: ((SCRIPTS + " said \u201cyes\u201d. ") * (n // 80 + 1))[:n],
    "combining marks": lambda n: "e" + "\u0301" * (n - 1),
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(SHAPES))
def test_hostile_shapes_keep_offsets_and_linear_time(shape):
    assert_offsets_valid(SHAPES[shape](4000))
    assert growth(SHAPES[shape], 4000) < RATIO_BOUND


@pytest.mark.slow
@pytest.mark.parametrize("char", ['"', "a", "\u0301", "\n"])
def test_a_megabyte_of_one_character_is_analysed(char):
    assert_offsets_valid("x" + char * 999_999)
