"""Quotes: kinds, speakers before and after, continuations, marks of every sort, offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancegraph.errors import ModelError
from stancegraph.extract.actors import find_actors
from stancegraph.extract.attribution import load_tagger
from stancegraph.extract.quotes import find_quotes, quote_kind
from stancegraph.extract.span_tagger import load_span_tagger
from stancegraph.nlp import load_pipeline, parse
from stancegraph.records import Quote

pytestmark = pytest.mark.usefixtures("default_tagger")  # quotes as a user gets them


def quotes_of(text: str) -> list[Quote]:
    doc = load_pipeline()(text)
    return find_quotes(doc, find_actors(doc))


def assert_offsets(text: str, quotes: list[Quote]) -> None:
    for quote in quotes:
        for span in (quote.content, quote.cue, quote.speaker):
            if span is not None:
                assert text[span.start:span.end] == span.text
        assert 0.0 <= quote.confidence <= 1.0


def summary(quotes: list[Quote]) -> list[tuple[str, str, str | None, str | None, str | None]]:
    return [(q.kind, q.content.text, q.cue.text if q.cue else None, q.speaker.text if q.speaker else None, q.actor)
            for q in quotes]


INTRO = "Mayor Anna Berg met Senator Tom Reyes in Lyon on Monday. "


def test_direct_quote_with_the_speaker_after_it() -> None:
    text = INTRO + "“The bridge will reopen in May,” Berg said."
    quotes = quotes_of(text)
    assert summary(quotes) == [("direct", "The bridge will reopen in May", "said", "Berg", "anna-berg")]
    assert_offsets(text, quotes)


def test_direct_quote_with_the_speaker_before_it() -> None:
    text = INTRO + "Reyes added, \"This plan ends the delays for good.\""
    assert summary(quotes_of(text)) == [
        ("direct", "This plan ends the delays for good.", "added", "Reyes", "tom-reyes")]


def test_several_sentences_inside_one_pair_of_marks_are_one_quote() -> None:
    text = INTRO + "“We are ready. The work is done. Nobody doubts it,” Berg said."
    [quote] = quotes_of(text)
    assert quote.kind == "direct" and quote.content.text == "We are ready. The work is done. Nobody doubts it"
    assert quote.actor == "anna-berg"


def test_a_quote_continued_after_he_said_keeps_its_speaker() -> None:
    text = INTRO + "Reyes criticised the budget. “The city must do more,” he acknowledged. “But cuts now would hurt.”"
    quotes = [q for q in quotes_of(text) if q.kind == "direct"]
    assert summary(quotes) == [
        ("direct", "The city must do more", "acknowledged", "he", "tom-reyes"),
        ("direct", "But cuts now would hurt.", "acknowledged", "he", "tom-reyes"),
    ]
    assert_offsets(text, quotes)


def test_partial_quote_inside_reported_speech() -> None:
    text = INTRO + "Berg stressed that the council “cannot be a credible partner” after the vote."
    [quote] = quotes_of(text)
    assert (quote.kind, quote.cue.text, quote.speaker.text, quote.actor) == ("partial", "stressed", "Berg", "anna-berg")
    assert "“cannot be a credible partner”" in quote.content.text


def test_indirect_speech_with_a_that_clause() -> None:
    text = INTRO + "Berg cautioned that any agreement must include the northern districts."
    [quote] = quotes_of(text)
    assert quote.kind == "indirect" and quote.cue.text == "cautioned" and quote.actor == "anna-berg"
    assert quote.content.text.endswith("any agreement must include the northern districts")


def test_indirect_speech_without_that() -> None:
    text = INTRO + "Reyes suggested withholding city funds unless the region increases its contribution."
    [quote] = quotes_of(text)
    assert (quote.kind, quote.cue.text, quote.actor) == ("indirect", "suggested", "tom-reyes")
    assert quote.content.text.startswith("withholding city funds")


@pytest.mark.parametrize(("sentence", "cue"), [
    ("According to the ministry, the talks will resume in March.", "According to"),
    ("The talks will resume in March, according to the ministry.", "according to"),
])
def test_according_to(sentence: str, cue: str) -> None:
    [quote] = quotes_of(sentence)
    assert (quote.kind, quote.cue.text, quote.speaker.text) == ("indirect", cue, "the ministry")
    assert quote.content.text.lower() == "the talks will resume in march"


@pytest.mark.parametrize("speaker", ["Mayor Anna Berg on Monday", "Mayor Anna Berg, the head of the council,"])
def test_the_speaker_span_stops_at_the_name(speaker: str) -> None:
    text = f"{speaker} said that the bridge would close in May."
    [quote] = quotes_of(text)
    assert quote.speaker is not None and quote.speaker.text in {"Mayor Anna Berg", "Mayor Anna Berg, the head of the council"}
    assert quote.actor == "anna-berg"


def test_unbalanced_marks_do_not_swallow_the_article() -> None:
    text = INTRO + "She wrote “this never closes.\n“We are ready for the vote,” Reyes said.\nThe meeting ended at noon."
    quotes = quotes_of(text)
    assert_offsets(text, quotes)
    direct = [q for q in quotes if q.kind == "direct"]
    assert [(q.content.text, q.actor) for q in direct] == [("We are ready for the vote", "tom-reyes")]
    assert all("meeting ended" not in q.content.text for q in quotes)


def test_mixed_straight_and_curly_marks() -> None:
    text = INTRO + "\"The budget is balanced,” Berg said. “We will not raise taxes again,\" Reyes said."
    quotes = quotes_of(text)
    assert [(q.kind, q.content.text, q.actor) for q in quotes] == [
        ("direct", "The budget is balanced", "anna-berg"),
        ("direct", "We will not raise taxes again", "tom-reyes"),
    ]


def test_a_nested_quote_stays_inside_its_quote() -> None:
    text = INTRO + "“They called the plan ‘a total hoax’ and walked out,” Berg said."
    [quote] = quotes_of(text)
    assert (quote.kind, quote.content.text, quote.actor) == (
        "direct", "They called the plan ‘a total hoax’ and walked out", "anna-berg")


def test_a_quoted_title_with_no_speaker_is_not_a_quote() -> None:
    assert quotes_of("The council voted on Monday. The report “Roads And Bridges” runs to ninety pages.") == []


def test_a_quote_whose_speaker_is_not_an_actor() -> None:
    text = "Sources say the two leaders explored talks involving Turkey."
    [quote] = quotes_of(text)
    assert (quote.kind, quote.speaker.text, quote.cue.text, quote.actor) == ("indirect", "Sources", "say", None)


def test_quote_kind_from_the_share_inside_marks() -> None:
    text = "“All of it,” and then “some” of it"
    assert quote_kind(text, 0, 12, [(0, 12), (22, 28)]) == "direct"
    assert quote_kind(text, 18, len(text), [(0, 12), (22, 28)]) == "partial"
    assert quote_kind(text, 13, 21, [(0, 12), (22, 28)]) == "indirect"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(
    st.one_of(
        st.text(max_size=30),
        st.sampled_from(["“", "”", '"', "''", "‘", "’", "\n", "\n\n", " said ", " according to ", "He said, “",
                         "Berg", " he ", ". ", "«", "»", "„"]),
    ),
    max_size=25,
).map("".join))
def test_any_text_gives_quotes_whose_offsets_match(text: str) -> None:
    doc = next(parse([text]))
    quotes = find_quotes(doc, find_actors(doc))
    assert_offsets(text, quotes)
    for quote in quotes:
        assert quote.kind in ("direct", "partial", "indirect") and quote.content.text.strip()


def test_a_missing_or_mismatched_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as missing:
        load_tagger(tmp_path)
    assert missing.value.code == "E512"
    (tmp_path / "config.json").write_text(json.dumps({"features": "0"}), encoding="utf-8")
    with pytest.raises(ModelError) as mismatched:
        load_tagger(tmp_path)
    assert mismatched.value.code == "E513" and "trained with features 0" in str(mismatched.value)


def quotes_with(text: str, transformer: bool) -> list[Quote]:
    doc = load_pipeline()(text)
    return find_quotes(doc, find_actors(doc), tagger=load_span_tagger() if transformer else load_tagger())


TAGGERS = pytest.mark.parametrize("fast", [False, True], ids=["transformer", "crf"])
CRF_ONLY = pytest.mark.parametrize("fast", [True], ids=["crf"])
"""The shipped transformer (undertrained, see its config.json) still misses these; the rules are tested on the CRF."""


@TAGGERS
def test_a_speaker_after_a_dash_without_a_verb(fast: bool) -> None:
    text = "The ferry board met on Friday.\n“The timetable will change in spring,” — Commissioner Dana Ruiz"
    [quote] = [q for q in quotes_with(text, not fast) if q.kind == "direct"]
    assert quote.content.text == "The timetable will change in spring"
    assert quote.speaker is not None and quote.speaker.text == "Commissioner Dana Ruiz"
    assert quote.actor == "dana-ruiz"
    assert_offsets(text, [quote])


@TAGGERS
def test_a_speaker_before_a_colon_without_a_verb(fast: bool) -> None:
    text = "The port levy was debated.\nFrom Chairwoman Mei Ito: “The harbour levy stays where it is for now.”"
    [quote] = [q for q in quotes_with(text, not fast) if q.kind == "direct"]
    assert quote.content.text == "The harbour levy stays where it is for now."
    assert quote.speaker is not None and quote.speaker.text == "Chairwoman Mei Ito"
    assert quote.actor == "mei-ito"


@TAGGERS
@pytest.mark.parametrize("text", [
    "Outlining his crime manifesto, Senator Tom Reyes toured the covered market in Lyon.",
    "Announcing the plans, Mayor Anna Berg visited the tram depot on Monday.",
    "His declared interests include a vineyard in Mavro and two flats in Lyon.",
])
def test_acts_that_are_not_speech_are_not_quotes(text: str, fast: bool) -> None:
    assert quotes_with(text, not fast) == []


@TAGGERS
def test_an_act_followed_by_reported_content_gives_the_content(fast: bool) -> None:
    text = "Announcing the plans, Mayor Anna Berg said the tram depot would close in June."
    [quote] = quotes_with(text, not fast)
    assert "depot would close in June" in quote.content.text and "Announcing" not in quote.content.text
    assert quote.actor == "anna-berg"


@CRF_ONLY
def test_a_quotation_over_paragraphs_with_an_opening_mark_on_each_is_one_quote(fast: bool) -> None:
    text = (INTRO + "\n\n“The northern line will be finished before the winter.\n\n"
            "“Nobody in this council doubts that any more,” Reyes said.\n\nThe meeting ended at noon.")
    direct = [q for q in quotes_with(text, not fast) if q.kind == "direct"]
    [quote] = direct
    assert quote.content.text.startswith("The northern line will be finished")
    assert quote.content.text.endswith("doubts that any more")
    assert quote.actor == "tom-reyes"
    assert_offsets(text, direct)
