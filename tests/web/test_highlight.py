"""The article page's segmentation: every character once, with the classes of every span over it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from webcorpus import XSS_TEXT, corpus

from stancegraph.records import to_dict
from stancegraph.web.highlight import Mark, article_marks, covering, segment


def test_nested_and_overlapping_spans_cut_at_every_boundary():
    text = "He said: we will win this war."
    marks = [Mark(0, 2, ("mention",)), Mark(9, 29, ("quote",), "quote by X", (("speaker", "X"),)),
             Mark(12, 16, ("mention",)), Mark(9, 16, ("stance",))]
    pieces = segment(text, marks)
    assert [(p.text, set(p.classes)) for p in pieces] == [
        ("He", {"mention"}), (" said: ", set()), ("we ", {"quote", "stance"}), ("will", {"quote", "mention", "stance"}),
        (" win this war", {"quote"}), (".", set())]
    # the speaker is shown once, after the last piece of the quote
    assert [p.data.get("speaker") for p in pieces] == [None, None, None, None, "X", None]
    assert covering(pieces, 10, 13)[0].text == "we "


@given(st.text(min_size=1, max_size=60),
       st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70), st.sampled_from(["a", "b", "c"])), max_size=12))
def test_every_character_appears_once_with_the_classes_covering_it(text, raw):
    marks = [Mark(start, end, (cls,)) for start, end, cls in raw]
    pieces = segment(text, marks)
    assert "".join(p.text for p in pieces) == text
    assert [p.start for p in pieces] == [0] + [p.end for p in pieces[:-1]]
    for piece in pieces:
        assert piece.end > piece.start
        for offset in range(piece.start, piece.end):
            expected = {m.classes[0] for m in marks if m.start <= offset < m.end and 0 <= m.start < m.end}
            assert set(piece.classes) == expected


def test_marks_of_an_analysis_keep_markup_as_text():
    xss = next(a for a in corpus() if a.id == "xss")
    analysis = to_dict(xss)
    pieces = segment(analysis["text"], article_marks(analysis, {"mallory": "Mallory"}))
    assert "".join(p.text for p in pieces) == XSS_TEXT
    quoted = [p for p in pieces if "quote" in p.classes]
    assert quoted and quoted[-1].data["speaker"] == "Mallory"
    assert any("stance-oppose" in p.classes for p in pieces)
    assert any("flag" in p.classes and "<script>" in p.text for p in pieces)
