"""Consistency flags: each kind, each with cases that must not be flagged."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from stancegraph.extract.actors import find_actors
from stancegraph.extract.claims import find_claims
from stancegraph.extract.consistency import (
    FLAG_KINDS,
    HeldOffice,
    find_flags,
    parse_date,
    role_flags,
    stance_flags,
    value_interval,
)
from stancegraph.records import Article, Flag, Quote, Span, Stance


def flags_of(nlp: Language, text: str, *, date: str | None = None, quotes: list[Quote] | None = None,
             stances: list[Stance] | None = None) -> list[Flag]:
    doc = nlp(text)
    actors = find_actors(doc)
    claims = find_claims(doc, actors, quotes or [])
    found = find_flags(doc, Article(text, date=date), actors, quotes or [], stances or [], claims)
    for flag in found:
        assert flag.kind in FLAG_KINDS and flag.message
        assert all(text[e.start : e.end] == e.text for e in flag.evidence)
    return found


def kinds(flags: list[Flag]) -> list[str]:
    return [flag.kind for flag in flags]


def quote_of(text: str, words: str, actor: str) -> Quote:
    start = text.index(words)
    return Quote("direct", Span.of(text, start, start + len(words)), None, None, actor, 0.9)


# --- roles ---


def test_sitting_and_former_president(nlp: Language) -> None:
    text = "U.S. President Donald Trump met the press in Ohio. Later the former U.S. president left for Florida."
    (flag,) = flags_of(nlp, text)
    assert (flag.kind, flag.actor) == ("role_conflict", "donald-trump")
    assert [e.text for e in flag.evidence] == ["U.S. President Donald Trump", "the former U.S. president"]
    assert "sitting" in flag.message and "former" in flag.message


def test_former_president_described_as_former_is_not_flagged(nlp: Language) -> None:
    text = "Former U.S. President Barack Obama spoke in Chicago. The former president praised the volunteers."
    assert flags_of(nlp, text) == []


def test_then_president_beside_president_is_not_flagged(nlp: Language) -> None:
    text = "President Joe Biden spoke in Delaware. In 2011 then-Vice President Biden had visited Kyiv."
    assert kinds(flags_of(nlp, text)) == []


def test_out_of_office_words_in_own_quote(nlp: Language) -> None:
    text = "U.S. President Donald Trump spoke in Ohio. Trump said, “This war ends on day one if I’m back in the Oval Office.”"
    quote = quote_of(text, "This war ends on day one if I’m back in the Oval Office.", "donald-trump")
    (flag,) = flags_of(nlp, text, quotes=[quote])
    assert flag.kind == "role_conflict"
    assert [e.text for e in flag.evidence] == ["U.S. President Donald Trump", "if I’m back in the Oval Office"]


def test_out_of_office_words_of_a_former_president_or_reelection_are_not_flagged(nlp: Language) -> None:
    text = "Former U.S. President Donald Trump spoke in Ohio. Trump said, “This war ends if I’m back in the Oval Office.”"
    quote = quote_of(text, "This war ends if I’m back in the Oval Office.", "donald-trump")
    assert flags_of(nlp, text, quotes=[quote]) == []
    text = "U.S. President Joe Biden spoke in Ohio. Biden said, “If I am re-elected, we will finish the job.”"
    quote = quote_of(text, "If I am re-elected, we will finish the job.", "joe-biden")
    assert flags_of(nlp, text, quotes=[quote]) == []


def test_registry_roles_with_dates(nlp: Language) -> None:
    doc = nlp("U.S. President Donald Trump spoke in Ohio.")
    actors = find_actors(doc).actors
    term = {"donald-trump": [HeldOffice("president", "United States", dt.date(2017, 1, 20), dt.date(2021, 1, 20))]}
    (flag,) = role_flags(actors, dt.date(2023, 5, 1), term)
    assert flag.kind == "role_conflict" and "2017-01-20 to 2021-01-20" in flag.message
    assert role_flags(actors, dt.date(2019, 5, 1), term) == []
    assert role_flags(actors, None, term) == []


# --- time ---

INVASION = ("Russia invaded Ukraine in February 2022. Leaders met in Paris on Tuesday. "
            "Macron said its 22-month invasion had failed.")


def test_duration_against_article_date_and_stated_start(nlp: Language) -> None:
    (flag,) = flags_of(nlp, INVASION, date="2025-06-10")
    assert flag.kind == "time_conflict"
    assert [e.text for e in flag.evidence] == ["22-month invasion", "February 2022"]
    assert "February 2022" in flag.message and "2025-06-10" in flag.message


def test_duration_that_fits_the_dates_is_not_flagged(nlp: Language) -> None:
    assert flags_of(nlp, INVASION, date="2023-12-20") == []
    assert flags_of(nlp, INVASION) == []  # no article date: nothing to measure against


def test_two_lengths_of_one_event(nlp: Language) -> None:
    text = "The 22-month invasion devastated the east. Officials said the 40-month invasion had failed."
    assert kinds(flags_of(nlp, text)) == ["time_conflict"]
    close = "The 22-month invasion devastated the east. Officials said the two-year invasion had failed."
    assert flags_of(nlp, close) == []


def test_two_ages_of_one_person(nlp: Language) -> None:
    assert kinds(flags_of(nlp, "Joe Biden, 81, spoke in Ohio. Later Biden, 75, left.")) == ["time_conflict"]
    assert flags_of(nlp, "Joe Biden, 81, spoke in Ohio. Later Nancy Pelosi, 84, left.") == []


# --- stances ---


def stance(actor: str, target: str, polarity: int, text: str = "evidence") -> Stance:
    return Stance(actor, target, "issue", polarity, Span(0, len(text), text), 0.8)  # type: ignore[arg-type]


def test_opposite_stances_on_one_target() -> None:
    stances = [stance("macron", "sanctions", 1, "backed sanctions"), stance("macron", "sanctions", -1, "opposed them")]
    (flag,) = stance_flags(stances, {"macron": "Emmanuel Macron"})
    assert (flag.kind, flag.actor) == ("stance_conflict", "macron")
    assert "Emmanuel Macron" in flag.message and "sanctions" in flag.message


def test_stances_that_do_not_conflict() -> None:
    stances = [
        stance("macron", "sanctions", 1), stance("macron", "sanctions", 1),  # same side twice
        stance("macron", "tariffs", -1),  # another target
        stance("trump", "sanctions", -1),  # another actor
        stance("orban", "sanctions", 0), stance("orban", "sanctions", 1),  # neutral is no side
    ]
    assert stance_flags(stances) == []


def test_stance_flag_through_find_flags(nlp: Language) -> None:
    text = "Macron backed sanctions. Macron opposed sanctions."
    stances = [Stance("emmanuel-macron", "sanctions", "issue", 1, Span.of(text, 0, 23), 0.8),
               Stance("emmanuel-macron", "sanctions", "issue", -1, Span.of(text, 25, 49), 0.8)]
    assert kinds(flags_of(nlp, text, stances=stances)) == ["stance_conflict"]


# --- figures ---


def test_parts_exceeding_their_total(nlp: Language) -> None:
    (flag,) = flags_of(nlp, "Of the 500 people killed, 300 were civilians and 250 were soldiers.")
    assert flag.kind == "figure_conflict" and "550" in flag.message
    assert [e.text for e in flag.evidence] == ["500 people", "300", "250"]
    split = "The clashes killed a total of 120 people. Of them, 90 were police officers and 45 were protesters."
    assert kinds(flags_of(nlp, split)) == ["figure_conflict"]


def test_parts_within_their_total_are_not_flagged(nlp: Language) -> None:
    assert flags_of(nlp, "Of the 500 people killed, 300 were civilians and 150 were soldiers.") == []
    assert flags_of(nlp, "Of more than 500 people killed, 300 were civilians and 250 were soldiers.") == []


def test_same_quantity_with_two_values(nlp: Language) -> None:
    text = ("Monitors recorded 10,000 civilian deaths. The talks stalled in Geneva. "
            "The envoy mourned the 7,000 civilian deaths.")
    (flag,) = flags_of(nlp, text)
    assert flag.kind == "figure_conflict"
    assert [e.text for e in flag.evidence] == ["10,000 civilian deaths", "7,000 civilian deaths"]


@pytest.mark.parametrize(
    "text",
    [
        # different years
        "In 2022 monitors recorded 10,000 civilian deaths. In 2023 they recorded 7,000 civilian deaths.",
        # different places
        "Monitors recorded 10,000 civilian deaths in Gaza. They recorded 7,000 civilian deaths in Sudan.",
        # different things counted
        "Monitors recorded 10,000 civilian deaths. They also recorded 7,000 military deaths.",
        # a qualifier reconciles them
        "Monitors recorded over 10,000 civilian deaths. The envoy mourned the 12,000 civilian deaths.",
        # a change, not a contradiction
        "Monitors recorded 10,000 civilian deaths. By May the civilian deaths had risen to 12,000 civilian deaths.",
        # two sources that disagree are reported, not contradicted
        "The U.N. counted 10,000 civilian deaths. Russia said there were 2,000 civilian deaths.",
    ],
)
def test_figures_that_only_look_alike_are_not_flagged(nlp: Language, text: str) -> None:
    assert flags_of(nlp, text) == []


def test_value_interval_reads_qualifiers() -> None:
    assert value_interval(100, "over") == (100, float("inf"))
    assert value_interval(100, "up to") == (0, 100)
    assert value_interval(100, "about") == pytest.approx((90, 110))
    assert value_interval(100, None) == pytest.approx((99, 101))


def test_parse_date_precision() -> None:
    assert parse_date("24 February 2022") == (dt.date(2022, 2, 24), "day")
    assert parse_date("February 2022") == (dt.date(2022, 2, 1), "month")
    assert parse_date("2022") == (dt.date(2022, 1, 1), "year")
    assert parse_date("last week") is None
