"""Claims: figures, their normalised values, units, qualifiers, subjects and sources."""

from __future__ import annotations

import pytest
from spacy.language import Language

from stancegraph.extract.actors import find_actors
from stancegraph.extract.claims import find_claims
from stancegraph.records import Claim, Quote, Span


def claims_of(nlp: Language, text: str, quotes: list[Quote] | None = None) -> list[Claim]:
    doc = nlp(text)
    found = find_claims(doc, find_actors(doc), quotes or [])
    for claim in found:
        assert text[claim.span.start : claim.span.end] == claim.span.text
    return found


def only(nlp: Language, text: str) -> Claim:
    found = claims_of(nlp, text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("Officials counted 10,000 refugees at the border.", "10,000 refugees", 10000, "refugees"),
        ("The war has displaced 14 million Ukrainians.", "14 million Ukrainians", 14_000_000, "Ukrainians"),
        ("Brussels pledged $1.2bn in aid.", "$1.2bn", 1_200_000_000, "USD"),
        ("The bank lent €500m to the city.", "€500m", 500_000_000, "EUR"),
        ("The fund holds £3.5 million this year.", "£3.5 million", 3_500_000, "GBP"),
        ("The state spent 30 million euros on roads.", "30 million euros", 30_000_000, "EUR"),
        ("The party won 40% of the seats.", "40%", 40, "percent"),
        ("Turnout fell by 12.5 per cent in the north.", "12.5 per cent", 12.5, "percent"),
        ("Its lead shrank by 7.5 percentage points.", "7.5 percentage points", 7.5, "percentage points"),
        ("Two thirds of members backed the motion.", "Two thirds", 66.6667, "percent"),
        ("One in five adults lives in poverty.", "One in five", 20, "percent"),
        ("A dozen ministers resigned on Monday.", "A dozen ministers", 12, "ministers"),
        ("The storm destroyed twenty-two homes.", "twenty-two homes", 22, "homes"),
        ("Up to fourteen thousand troops were deployed.", "Up to fourteen thousand troops", 14_000, "troops"),
        ("Half a million people fled the city.", "Half a million people", 500_000, "people"),
    ],
)
def test_values_are_normalised(nlp: Language, text: str, span: str, value: float, unit: str) -> None:
    claim = only(nlp, text)
    assert claim.span.text == span
    assert claim.value == pytest.approx(value, rel=1e-4)
    assert claim.unit == unit


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Over 500 people were arrested.", "over"),
        ("More than 500 people were arrested.", "over"),
        ("About 500 people were arrested.", "about"),
        ("Some 500 people were arrested.", "about"),
        ("An estimated 500 people were arrested.", "about"),
        ("At least 500 people were arrested.", "at least"),
        ("Up to 500 people were arrested.", "up to"),
        ("Nearly 500 people were arrested.", "nearly"),
        ("Fewer than 500 people were arrested.", "under"),
        ("Police arrested 500 people.", None),
    ],
)
def test_qualifiers_are_canonical(nlp: Language, text: str, qualifier: str | None) -> None:
    claim = only(nlp, text)
    assert claim.qualifier == qualifier
    assert claim.value == 500 and claim.unit == "people"


def test_duration_is_a_claim_with_its_event(nlp: Language) -> None:
    claim = only(nlp, "The talks followed its 22-month invasion of the north.")
    assert (claim.span.text, claim.value, claim.unit) == ("22-month invasion", 22, "months")
    assert claim.subject.startswith("invasion")
    war = only(nlp, "The country endured three years of war.")
    assert (war.value, war.unit, war.subject) == (3, "years", "war")


def test_subjects(nlp: Language) -> None:
    deaths = only(nlp, "Monitors recorded 2,400 civilian deaths in the province.")
    assert deaths.unit == "civilian deaths"
    assert deaths.subject == "civilian deaths in the province"
    assert only(nlp, "The party won 40% of the vote.").subject == "vote"
    assert only(nlp, "Brussels pledged $1.2bn in aid.").subject == "aid"
    toll = only(nlp, "The death toll rose to 3,100 overnight.")
    assert (toll.unit, toll.span.text) == ("death toll", "3,100")


def test_ages(nlp: Language) -> None:
    assert [(c.value, c.unit, c.subject) for c in claims_of(nlp, "Joe Biden, 81, spoke. The 78-year-old senator left.")] \
        == [(81, "years", "age"), (78, "years", "age")]


def test_source_named_in_the_subject_of_a_reporting_verb(nlp: Language) -> None:
    text = "U.N. reports estimate over 10,000 civilian deaths and 14 million displaced Ukrainians."
    deaths, displaced = claims_of(nlp, text)
    assert (deaths.span.text, deaths.source) == ("over 10,000 civilian deaths", "united-nations")
    assert (displaced.unit, displaced.source) == ("displaced Ukrainians", "united-nations")


def test_source_after_according_to_as_written(nlp: Language) -> None:
    claim = only(nlp, "At least 1,200 people were killed, according to the ministry.")
    assert claim.source == "ministry"


def test_source_as_actor_after_according_to(nlp: Language) -> None:
    claim = only(nlp, "Exports fell by 8%, according to the World Bank.")
    assert claim.source == "world-bank"


def test_source_of_said_after_the_figure_and_of_a_pronoun(nlp: Language) -> None:
    assert only(nlp, "Over 500 people died, the ministry said.").source == "ministry"
    assert only(nlp, "Over 500 people died, the health ministry said.").source == "health-ministry"
    text = "Angela Merkel visited the camp. She said 3,000 families had arrived."
    assert only(nlp, text).source == "angela-merkel"


def test_source_of_a_document_is_its_owner(nlp: Language) -> None:
    claim = only(nlp, "Figures from the World Health Organization show 300 cases.")
    assert claim.source == "world-health-organization"


def test_figure_inside_a_quote_is_the_speakers(nlp: Language) -> None:
    text = "Smith was blunt. “We lost 40 soldiers,” she said."
    start = text.index("We")
    quote = Quote("direct", Span.of(text, start, text.index(",”")), None, None, "jane-smith", 0.9)
    claim = claims_of(nlp, text, [quote])[0]
    assert (claim.value, claim.source) == (40, "jane-smith")


@pytest.mark.parametrize(("cue", "source"), [("approved", None), ("estimated", "anna-berg")])
def test_a_figure_in_an_act_is_not_credited_to_its_actor(nlp: Language, cue: str, source: str | None) -> None:
    text = f"Mayor Anna Berg {cue} €300 million for the flooded farms."
    start = text.index("€")
    quote = Quote("indirect", Span.of(text, start, len(text) - 1), Span.of(text, text.index(cue), text.index(cue) + len(cue)),
                  Span.of(text, 0, 15), "anna-berg", 0.8)
    [claim] = claims_of(nlp, text, [quote])
    assert claim.source == source


def test_unsourced_figure_has_no_source(nlp: Language) -> None:
    assert only(nlp, "The storm destroyed 300 homes.").source is None


@pytest.mark.parametrize(
    "text",
    [
        "The treaty was signed in 2014 and revised on March 3, 2019.",
        "It was the second summit this year.",
        "Article 5 of the treaty was invoked at the G7.",
        "The home side won 2-1 at 3:30 on Sunday.",
        "The two leaders met in Paris.",
        "One of the ministers left early.",
        "Thousands of people marched.",
        "He said it twice, then said it again three times.",
    ],
)
def test_numbers_that_are_not_claims(nlp: Language, text: str) -> None:
    assert claims_of(nlp, text) == []
