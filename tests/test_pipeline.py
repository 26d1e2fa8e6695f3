"""The per-article pipeline: one result per input, errors in place, offsets always valid."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancegraph.errors import InputError
from stancegraph.pipeline import analyze, analyze_articles
from stancegraph.records import Article, ArticleAnalysis


def all_spans(result: ArticleAnalysis):
    for actor in result.actors:
        yield from actor.mentions
        yield from (role.span for role in actor.roles)
    for quote in result.quotes:
        yield from (s for s in (quote.content, quote.cue, quote.speaker) if s is not None)
    yield from (stance.evidence for stance in result.stances)
    yield from (claim.span for claim in result.claims)
    for flag in result.flags:
        yield from flag.evidence


def test_analyze_returns_the_article_fields():
    result = analyze("Angela Merkel said the plan was fair.", title="Plan", date="2020-01-02", source="Wire", id="x")
    assert (result.id, result.title, result.date, result.source) == ("x", "Plan", "2020-01-02", "Wire")
    assert [a.name for a in result.actors] == ["Angela Merkel"]


def test_article_without_id_gets_a_stable_content_id():
    assert analyze("Merkel spoke.").id == analyze("Merkel spoke.").id != analyze("Macron spoke.").id


def test_empty_and_oversize_texts_are_refused_with_a_code():
    with pytest.raises(InputError) as empty:
        analyze("   \n ")
    assert empty.value.code == "E101"
    with pytest.raises(InputError) as huge:
        analyze("word " * 100, max_chars=50)
    assert huge.value.code == "E104"


def test_errors_keep_their_place_among_results():
    items = [
        Article(text="Merkel spoke.", id="a"),
        InputError("E102", input="b.bin", detail="NUL bytes"),
        Article(text="", id="c"),
        Article(text="Macron spoke.", id="d"),
    ]
    out = list(analyze_articles(items))
    assert [getattr(o, "id", None) or o.input for o in out] == ["a", "b.bin", "c", "d"]
    assert [type(o).__name__ for o in out] == ["ArticleAnalysis", "InputError", "InputError", "ArticleAnalysis"]


def test_text_with_no_sentences_gives_an_empty_result():
    result = analyze("… — ” “ ’")
    assert result.actors == [] and result.quotes == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300)
       | st.lists(st.sampled_from(["Merkel", " said", " “", "”", '"', " he", ".", "\n", " Putin", "'s",
                                   " the former president", " 40%", " according to", " U.N."]),
                  min_size=1, max_size=40).map("".join))
def test_any_text_analyses_without_crashing_and_spans_match(text):
    if not text.strip():
        return
    result = analyze(text)
    for span in all_spans(result):
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
