"""Stance extraction: verb, noun and judgement rules, holders, targets, labels, the classifier.

Every sentence here is written for these tests; the classifier is replaced by stubs so that the
rules are tested on their own (the shipped model is tested in test_target_stance.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from spacy.language import Language

from stancegraph.extract.actors import find_actors
from stancegraph.extract.stances import RULES_ONLY, IssueLabel, StancePredictor, find_stances, fold_labels
from stancegraph.records import Quote, Span, Stance


def stances_in(nlp: Language, text: str, quotes: Sequence[Quote] = (),
               classifier: StancePredictor = RULES_ONLY) -> list[Stance]:
    doc = nlp(text)
    return find_stances(doc, find_actors(doc), list(quotes), classifier=classifier, directed=RULES_ONLY)


def triples(nlp: Language, text: str, quotes: Sequence[Quote] = ()) -> set[tuple[str, str, int]]:
    return {(s.actor, s.target, s.polarity) for s in stances_in(nlp, text, quotes)}


def quote_of(text: str, content: str, actor: str) -> Quote:
    start = text.index(content)
    return Quote("direct", Span.of(text, start, start + len(content)), None, None, actor, 0.9)


class RecordingClassifier:
    """A stub classifier that answers one fixed polarity and records what it was asked."""

    def __init__(self, polarity: int, confidence: float = 0.8) -> None:
        self.answer = (polarity, confidence)
        self.calls: list[list[tuple[str, list[tuple[int, int]]]]] = []

    def predict(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[tuple[int, float]]]:
        self.calls.append([(text, list(spans)) for text, spans in items])
        return [[self.answer for _ in spans] for _, spans in items]


# --- verb classes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe backed the tariffs.", ("jane-doe", "tariff", 1)),
        ("Mark Hale opposes the tariffs.", ("mark-hale", "tariff", -1)),
        ("Jane Doe rejected the treaty.", ("jane-doe", "treaty", -1)),
        ("Jane Doe called for a ceasefire.", ("jane-doe", "ceasefire", 1)),
        ("Mark Hale warned against a ceasefire.", ("mark-hale", "ceasefire", -1)),
        ("Jane Doe demanded an inquiry.", ("jane-doe", "inquiry", 1)),
        ("Jane Doe praised Mark Hale.", ("jane-doe", "mark-hale", 1)),
        ("Mark Hale condemned Jane Doe.", ("mark-hale", "jane-doe", -1)),
    ],
)
def test_stance_verbs(nlp: Language, text: str, expected: tuple[str, str, int]) -> None:
    assert triples(nlp, text) == {expected}


def test_neutral_verb_states_a_neutral_stance(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe abstained on the sanctions.") == {("jane-doe", "sanction", 0)}


def test_gerund_complement_is_a_verb_issue(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe suggested withholding farm subsidies.") == {("jane-doe", "withhold farm subsidy", 1)}


def test_infinitive_composes_with_its_verb(nlp: Language) -> None:
    assert triples(nlp, "Mark Hale refused to back the sanctions.") == {("mark-hale", "sanction", -1)}
    assert triples(nlp, "Jane Doe vowed to end the war.") == {("jane-doe", "end war", 1)}


def test_judgement_verb_targets_the_owner_of_a_quality(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe praised Mark Hale's pragmatism.") == {("jane-doe", "mark-hale", 1)}


def test_required_phrase_of_an_idiom(nlp: Language) -> None:
    assert triples(nlp, "Mark Hale took Jane Doe at her word.") == {("mark-hale", "jane-doe", 1)}
    assert triples(nlp, "Mark Hale took Jane Doe to the airport.") == set()


def test_calling_something_something(nlp: Language) -> None:
    assert triples(nlp, "Mark Hale called Norway a great ally.") == {("mark-hale", "norway", 1)}
    assert triples(nlp, "Jane Doe called Norway a threat.") == {("jane-doe", "norway", -1)}


# --- nouns of stance ------------------------------------------------------------------


def test_possessor_holds_a_stance_noun(nlp: Language) -> None:
    text = "Mark Hale's long-standing praise for Jane Doe surprised nobody."
    assert triples(nlp, text) == {("mark-hale", "jane-doe", 1)}


def test_light_verb_passes_a_stance_noun_through(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe voiced opposition to the pipeline.") == {("jane-doe", "pipeline", -1)}
    assert triples(nlp, "Jane Doe expressed support for Mark Hale.") == {("jane-doe", "mark-hale", 1)}


def test_noun_class_decides_between_owner_and_issue(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe voiced admiration for Mark Hale's courage.") == {("jane-doe", "mark-hale", 1)}
    assert triples(nlp, "Jane Doe voiced support for Norway's territorial claims.") == {
        ("jane-doe", "territorial claim", 1), ("jane-doe", "norway", 1)}


def test_light_verb_without_stance_noun_states_nothing(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe expressed her views on the pipeline.") == set()


def test_need_to_is_support_for_the_action(nlp: Language) -> None:
    text = "Jane Doe agreed on the need to end the blockade."
    assert triples(nlp, text) == {("jane-doe", "end blockade", 1)}


# --- negation and modality -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe did not back the sanctions.", ("jane-doe", "sanction", -1)),
        ("Mark Hale never supported the tariffs.", ("mark-hale", "tariff", -1)),
        ("Jane Doe said that Mark Hale cannot be trusted.", ("jane-doe", "mark-hale", -1)),
        ("Jane Doe said that Mark Hale can be trusted.", ("jane-doe", "mark-hale", 1)),
        ("Jane Doe stressed that Norway cannot be a reliable partner in the talks.", ("jane-doe", "norway", -1)),
        ("Mark Hale said Norway is a reliable partner.", ("mark-hale", "norway", 1)),
        ("Mark Hale said Norway is an unreliable partner.", ("mark-hale", "norway", -1)),
    ],
)
def test_negation_and_judgements(nlp: Language, text: str, expected: tuple[str, str, int]) -> None:
    assert triples(nlp, text) == {expected}


def test_hedge_lowers_confidence(nlp: Language) -> None:
    (plain,) = stances_in(nlp, "Mark Hale backs the tariffs.")
    (hedged,) = stances_in(nlp, "Mark Hale may back the tariffs.")
    assert hedged.polarity == plain.polarity == 1
    assert hedged.confidence < plain.confidence


@pytest.mark.parametrize(
    "text",
    [
        "Jane Doe and Mark Hale clashed over whether Norway can be trusted.",
        "Reporters asked how Jane Doe would back the tariffs.",
        "Analysts wondered why Mark Hale opposes the tariffs.",
    ],
)
def test_open_question_states_no_stance(nlp: Language, text: str) -> None:
    assert triples(nlp, text) == set()


def test_judgement_in_narration_has_no_holder(nlp: Language) -> None:
    assert triples(nlp, "Norway is a reliable partner, and Mark Hale visited it.") == set()


# --- holders --------------------------------------------------------------------------


def test_relative_clause_holder(nlp: Language) -> None:
    assert triples(nlp, "Voters cheered Jane Doe, who opposes new tariffs.") == {("jane-doe", "new tariff", -1)}


def test_object_relative_holder_and_apposed_demand(nlp: Language) -> None:
    text = "Jane Doe insisted that any deal must include a ceasefire, a demand Mark Hale rejects."
    assert triples(nlp, text) == {("jane-doe", "ceasefire", 1), ("mark-hale", "ceasefire", -1)}


def test_pronoun_holder(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe spoke on Monday. She opposes the tariffs.") == {("jane-doe", "tariff", -1)}


def test_passive_agent_holds(nlp: Language) -> None:
    assert triples(nlp, "The tariffs were rejected by Mark Hale.") == {("mark-hale", "tariff", -1)}


def test_coordinated_subjects_each_hold(nlp: Language) -> None:
    text = "Jane Doe and Mark Hale vowed to end the war."
    assert triples(nlp, text) == {("jane-doe", "end war", 1), ("mark-hale", "end war", 1)}


def test_plural_holder_stands_for_the_coordination_before(nlp: Language) -> None:
    text = "Senator Jane Doe and Governor Mark Hale met in Oslo. Both leaders backed the sanctions."
    assert triples(nlp, text) == {("jane-doe", "sanction", 1), ("mark-hale", "sanction", 1)}


def test_other_plurals_hold_nothing(nlp: Language) -> None:
    text = "Senator Jane Doe and Governor Mark Hale met in Oslo. Analysts backed the sanctions."
    assert triples(nlp, text) == set()


def test_first_person_in_reported_speech_is_the_speaker(nlp: Language) -> None:
    assert triples(nlp, "“We back the sanctions,” Jane Doe said.") == {("jane-doe", "sanction", 1)}


def test_quote_speaker_holds_and_pronoun_skips_the_speaker(nlp: Language) -> None:
    text = "Mark Hale visited Oslo. Jane Doe spoke after him. “I trust him.”"
    assert triples(nlp, text) == set()  # no reporting verb: the quote alone says who speaks
    quote = quote_of(text, "I trust him.", "jane-doe")
    assert triples(nlp, text, [quote]) == {("jane-doe", "mark-hale", 1)}


def test_quote_attribution_wins_over_the_reporting_verb(nlp: Language) -> None:
    text = "Jane Doe met Mark Hale. “Norway is a reliable partner,” the host said."
    start = text.index("Norway")
    content = Span.of(text, start, text.index(",”"))
    speaker = Span.of(text, text.index("the host"), text.index(" said"))
    quote = Quote("direct", content, None, speaker, "mark-hale", 0.9)
    (stance,) = stances_in(nlp, text, [quote])
    assert (stance.actor, stance.target, stance.polarity) == ("mark-hale", "norway", 1)
    assert stance.evidence.text == "“Norway is a reliable partner,” the host"


def test_quote_speaker_holds_judgements(nlp: Language) -> None:
    text = "Jane Doe spoke in Oslo. “Norway is a reliable partner.”"
    quote = quote_of(text, "Norway is a reliable partner.", "jane-doe")
    assert triples(nlp, text, [quote]) == {("jane-doe", "norway", 1)}


# --- targets --------------------------------------------------------------------------


def test_demonstrative_target_is_the_previous_proposal(nlp: Language) -> None:
    text = "Mark Hale proposed a tax on imports. Jane Doe criticized this approach."
    found = stances_in(nlp, text)
    assert {(s.actor, s.target, s.target_kind, s.polarity) for s in found} == {
        ("mark-hale", "tax", "issue", 1),
        ("jane-doe", "tax", "issue", -1),
        ("jane-doe", "mark-hale", "actor", -1),
    }
    by_target = {s.target: s for s in found if s.actor == "jane-doe"}
    assert by_target["mark-hale"].confidence < by_target["tax"].confidence < 0.9


def test_demonstrative_without_proposal_states_nothing(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe criticized this approach.") == set()


def test_bare_definite_proposal_points_further_back(nlp: Language) -> None:
    before = ("Mark Hale proposed a tax on imports. The tax would start in May. Officials met twice. "
              "The talks were long. Reporters waited outside. ")
    assert ("anna-berg", "tax", 1) in triples(nlp, before + "Anna Berg backed the plan.")
    # "this approach" points only at what was said in the last few sentences
    assert ("anna-berg", "tax", 1) not in triples(nlp, before + "Anna Berg backed this approach.")


def test_a_proposal_that_says_which_points_nowhere(nlp: Language) -> None:
    text = "Mark Hale proposed a tax on imports. Anna Berg backed the Labour plan. Tom Bell backed the plan to cut fees."
    assert {t for t in triples(nlp, text) if t[0] != "mark-hale" and t[1] == "tax"} == set()


def test_coordinated_targets(nlp: Language) -> None:
    text = "Jane Doe backed export controls and military aid."
    assert triples(nlp, text) == {("jane-doe", "export control", 1), ("jane-doe", "military aid", 1)}


# --- issue labels ---------------------------------------------------------------------


def test_issue_label_normalisation(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe backed the heavy EU sanctions.") == {("jane-doe", "heavy eu sanction", 1)}
    assert triples(nlp, "Jane Doe backed the other sanctions.") == {("jane-doe", "sanction", 1)}
    assert triples(nlp, "Jane Doe backed the “pre-election budget”.") == {("jane-doe", "pre-election budget", 1)}
    assert triples(nlp, "Jane Doe vowed to end the Russia-Ukraine war.") == {("jane-doe", "end russia-ukraine war", 1)}
    assert triples(nlp, "Jane Doe suggested withholding U.S. support.") == {("jane-doe", "withhold us support", 1)}


def test_owner_of_a_backed_issue_is_backed_less_surely(nlp: Language) -> None:
    found = {s.target: s for s in stances_in(nlp, "Jane Doe backed Norway's territorial claims.")}
    assert {(s.target, s.target_kind, s.polarity) for s in found.values()} == {
        ("territorial claim", "issue", 1), ("norway", "actor", 1)}
    assert found["norway"].confidence < found["territorial claim"].confidence


def test_owner_of_a_removal_is_opposed(nlp: Language) -> None:
    assert ("jane-doe", "mark-hale", -1) in triples(nlp, "Jane Doe called for Mark Hale's resignation.")


def test_object_of_an_urging_is_not_the_target(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe urged Mark Hale to back the tariffs.") == {("jane-doe", "tariff", 1)}
    assert triples(nlp, "Jane Doe urged restraint.") == {("jane-doe", "restraint", 1)}


def test_generic_nouns_name_no_issue(nlp: Language) -> None:
    assert triples(nlp, "Jane Doe agreed on one critical point.") == set()
    assert triples(nlp, "Jane Doe refused to comment.") == set()
    assert triples(nlp, "Jane Doe backed the child access report.") == {("jane-doe", "child access report", 1)}


def test_labels_fold_within_an_article(nlp: Language) -> None:
    text = "Jane Doe backed heavy sanctions. Mark Hale opposes EU sanctions."
    assert triples(nlp, text) == {("jane-doe", "sanction", 1), ("mark-hale", "sanction", -1)}
    assert triples(nlp, "Jane Doe backed heavy sanctions.") == {("jane-doe", "heavy sanction", 1)}


def test_labels_with_different_modifiers_stay_apart(nlp: Language) -> None:
    text = "Jane Doe backed military aid. Mark Hale opposes humanitarian aid."
    assert triples(nlp, text) == {("jane-doe", "military aid", 1), ("mark-hale", "humanitarian aid", -1)}


def test_fold_labels_to_the_most_general() -> None:
    heavy = IssueLabel(None, ("heavy",), "sanction")
    eu = IssueLabel(None, ("eu",), "sanction")
    us = IssueLabel(None, ("us",), "sanction")
    folded = fold_labels([heavy, eu, us])
    assert {label.text for label in folded.values()} == {"sanction"}
    assert fold_labels([eu, us]) == {eu: eu, us: us}
    ending = IssueLabel("end", (), "war")
    assert fold_labels([ending, IssueLabel(None, (), "war")])[ending] == ending


# --- evidence and confidence -----------------------------------------------------------


def test_evidence_spans_and_confidence(nlp: Language) -> None:
    text = ("Jane Doe spoke in Oslo on Monday. She said that Mark Hale cannot be trusted, and she backed "
            "heavy sanctions. “We back the sanctions,” Mark Hale said.")
    found = stances_in(nlp, text)
    assert len(found) == 3
    for stance in found:
        assert text[stance.evidence.start : stance.evidence.end] == stance.evidence.text
        assert 0.0 <= stance.confidence <= 1.0
    evidence = {s.evidence.text for s in found}
    assert "She said that Mark Hale cannot be trusted" in evidence
    assert "“We back the sanctions,” Mark Hale said" in evidence
    assert [s.evidence.start for s in found] == sorted(s.evidence.start for s in found)


# --- the classifier -------------------------------------------------------------------


def test_classifier_is_asked_once_about_reported_actors(nlp: Language) -> None:
    text = "Jane Doe said Mark Hale had visited Oslo. Mark Hale said that Jane Doe had left."
    classifier = RecordingClassifier(-1, 0.75)
    found = stances_in(nlp, text, classifier=classifier)
    assert len(classifier.calls) == 1
    (items,) = classifier.calls
    asked = {sentence[start:end] for sentence, spans in items for start, end in spans}
    assert asked == {"Mark Hale", "Jane Doe"}
    assert {(s.actor, s.target, s.polarity, s.confidence) for s in found} == {
        ("jane-doe", "mark-hale", -1, 0.75),
        ("mark-hale", "jane-doe", -1, 0.75),
    }


def test_classifier_reads_quotes_and_neutral_is_dropped(nlp: Language) -> None:
    text = "Jane Doe spoke in Oslo. “Mark Hale has arrived.”"
    quote = quote_of(text, "Mark Hale has arrived.", "jane-doe")
    positive = RecordingClassifier(1, 0.9)
    assert [(s.actor, s.target, s.polarity) for s in stances_in(nlp, text, [quote], positive)] == [
        ("jane-doe", "mark-hale", 1)
    ]
    assert stances_in(nlp, text, [quote], RecordingClassifier(0, 0.99)) == []


def test_classifier_is_not_asked_where_a_rule_spoke_in_the_article(nlp: Language) -> None:
    classifier = RecordingClassifier(1)
    text = "Jane Doe said that Mark Hale cannot be trusted. Later Jane Doe said Mark Hale had left the city."
    found = stances_in(nlp, text, classifier=classifier)
    assert classifier.calls == []
    assert [(s.actor, s.target, s.polarity) for s in found] == [("jane-doe", "mark-hale", -1)]


def test_classifier_is_not_asked_for_words_a_rule_gives_to_another_holder(nlp: Language) -> None:
    """Jane Doe's quote holds Mark Hale's praise for Lena Ortiz: that praise is Hale's, not Doe's."""
    classifier = RecordingClassifier(1)
    text = "Jane Doe said it contrasted with Mark Hale's long-standing praise for Lena Ortiz."
    quote = quote_of(text, "it contrasted with Mark Hale's long-standing praise for Lena Ortiz", "jane-doe")
    found = {(s.actor, s.target, s.polarity) for s in stances_in(nlp, text, [quote], classifier)}
    assert ("mark-hale", "lena-ortiz", 1) in found
    assert not any(actor == "jane-doe" and target == "lena-ortiz" for actor, target, _ in found)


# --- the shipped classifier --------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "polarity"),
    [
        ("Mark Hale has betrayed every voter in this state.", -1),
        ("Mark Hale has done wonderful work for our families.", 1),
    ],
)
def test_shipped_classifier_judges_people_named_in_quotes(nlp: Language, said: str, polarity: int) -> None:
    text = f"Jane Doe spoke in Oslo. “{said}”"
    doc = nlp(text)
    (stance,) = find_stances(doc, find_actors(doc), [quote_of(text, said, "jane-doe")])
    assert (stance.actor, stance.target, stance.polarity) == ("jane-doe", "mark-hale", polarity)
    assert stance.confidence > 0.5
    assert stance.evidence.text == said.rstrip(".")


def test_shipped_classifier_reads_reported_clauses_and_drops_neutral(nlp: Language) -> None:
    text = "Jane Doe said Mark Hale had shamefully lied to the families of the victims."
    doc = nlp(text)
    (stance,) = find_stances(doc, find_actors(doc), [])
    assert (stance.actor, stance.target, stance.polarity) == ("jane-doe", "mark-hale", -1)
    assert stance.evidence.text == text.rstrip(".")
    neutral = "Jane Doe said Mark Hale had arrived on Tuesday."
    doc = nlp(neutral)
    assert find_stances(doc, find_actors(doc), []) == []


def test_dates_and_numbers_are_never_issues(nlp: Language) -> None:
    found = triples(nlp, "Chancellor Anna Berg and Senator Tom Reyes agreed on Wednesday to open talks.")
    targets = {target for _, target, _ in found}
    assert "wednesday" not in targets
    assert any("talk" in target for target in targets)
