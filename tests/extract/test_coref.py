"""Coreference: each kind of mention finds its actor(s), and the must-not-link cases find none."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stancegraph.errors import ModelError
from stancegraph.extract import coref
from stancegraph.extract.actors import find_actors
from stancegraph.extract.quotes import find_quotes

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "article.txt"


def actor_of(nlp, text: str, word: str, occurrence: int = 0):
    """The index, the actors by name, and the actor of the n-th occurrence of a word."""
    index = find_actors(nlp(text))
    names = {a.name: a.id for a in index.actors}
    position = -1
    for _ in range(occurrence + 1):
        position = text.index(word, position + 1)
    return index, names, index.actor_between(position, position + len(word))


ANAPHORA = [  # text, the pronoun or description, the actor it must reach; the id says what the case shows
    pytest.param('Tomas Lindqvist praised Marta Oyelaran at the summit. He said the talks went well.',
                 'He', 'Tomas Lindqvist', id='he_skips_the_nearer_woman'),
    pytest.param('Anna Berg met Tomas Lindqvist in Riga. She said the talks went well.',
                 'She', 'Anna Berg', id='she_skips_the_nearer_man'),
    pytest.param('Pavel Rudnik spoke with Oskar Veldt on Friday. Veldt thanked him.',
                 'him', 'Pavel Rudnik', id='object_pronoun_is_not_the_subject_of_its_verb'),
    pytest.param('Former Finance Minister Aino Kettunen met Chancellor Rolf Behrend in Tallinn. The chancellor said the budget was safe.',
                 'The chancellor', 'Rolf Behrend', id='description_resolves_through_the_role_given_before'),
    pytest.param('Delgado became a lawyer in 1921. Teresa Alvarez worked with him for ten years.',
                 'him', 'Delgado', id='he_ranks_a_surname_ner_typed_as_an_organisation'),
    pytest.param('Tomas Lindqvist moved to Riga in 1990. His father, Pavel Lindqvist, was a wealthy merchant. He founded a bank in 1932.',
                 'He', 'Pavel Lindqvist', id='a_name_in_apposition_takes_the_subject_role_of_its_noun'),
    pytest.param('Marta Oyelaran quarrelled with Ingrid Solberg, even accusing her of theft.',
                 'her', 'Ingrid Solberg', id='the_understood_subject_of_a_verb_binds_its_object'),
]


@pytest.mark.parametrize(("text", "word", "expected"), ANAPHORA)
def test_an_anaphor_reaches_its_actor(nlp, text, word, expected):
    _, names, actor = actor_of(nlp, text, word)
    assert actor == names[expected]


def test_it_refers_to_an_organisation_not_a_person(nlp):
    text = "The Nordhavn Shipping Corporation cut 300 jobs on Monday, Ingrid Solberg said. It blamed rising fuel costs."
    index, names, actor = actor_of(nlp, text, "It")
    assert actor is not None and index.get(actor).type in {"organization", "country"}
    assert actor != names.get("Ingrid Solberg")


def test_they_refers_to_an_organisation_never_to_a_person(nlp):
    text = "Ingrid Solberg criticised the Vardal Institute on Monday. They rejected the claims."
    index, names, actor = actor_of(nlp, text, "They")
    assert actor != names.get("Ingrid Solberg")
    assert actor is None or index.get(actor).type != "person"


UNRESOLVED = [  # text, the pronoun that must reach no actor; the id says why
    pytest.param('Ingrid Solberg opened the new bridge on Monday. He was not there.', 'He', id='pronoun_with_no_fitting_actor_stays_unresolved'),
    pytest.param('Oskar Veldt met Pavel Rudnik. "He is wrong," Veldt said.', 'He', id='pronoun_inside_a_quote_is_left_alone'),
    pytest.param('NATO expanded in 1999. Teresa Alvarez worked with him for ten years.', 'him', id='he_never_ranks_an_acronym_organisation'),
]


@pytest.mark.parametrize(("text", "word"), UNRESOLVED)
def test_a_pronoun_with_no_fitting_actor_stays_unresolved(nlp, text, word):
    _, _, actor = actor_of(nlp, text, word)
    assert actor is None


def test_group_noun_phrase_names_every_member(nlp):
    doc = nlp("Oskar Veldt and Pavel Rudnik met in Oslo. Both men said the border should stay open.")
    index = find_actors(doc)
    start = next(t.i for t in doc if t.lower_ == "both")
    group = index.resolve(doc[start : start + 2])
    actor = index.get(group)
    assert actor is not None and actor.type == "group"
    assert {index.get(m).name for m in actor.members} == {"Oskar Veldt", "Pavel Rudnik"}
    assert index.members(group) == actor.members


def test_group_quote_lists_its_members(nlp):
    doc = nlp("Oskar Veldt and Pavel Rudnik met in Oslo on Tuesday. "
              "Both leaders said that the border would stay open.")
    index = find_actors(doc)
    [quote] = [q for q in find_quotes(doc, index) if q.speaker is not None and "leaders" in q.speaker.text]
    assert {index.get(m).name for m in quote.actors} == {"Oskar Veldt", "Pavel Rudnik"}
    assert index.get(quote.actor).type == "group"


def test_they_after_a_coordination_is_the_group(nlp):
    doc = nlp("Oskar Veldt and Pavel Rudnik met in Oslo. They agreed on a new treaty.")
    index = find_actors(doc)
    they = next(t for t in doc if t.lower_ == "they")
    assert sorted(index.resolve_all(doc[they.i : they.i + 1])) == sorted(
        a.id for a in index.actors if a.name in {"Oskar Veldt", "Pavel Rudnik"})


def test_a_single_actor_lists_only_itself(nlp):
    index = find_actors(nlp("Oskar Veldt spoke."))
    [actor] = index.actors
    assert index.members(actor.id) == [actor.id]
    assert index.members(None) == []


def test_ranker_picks_the_best_candidate_over_the_threshold():
    weights = np.zeros(len(coref.FEATURES), dtype=np.float32)
    weights[coref.FEATURES.index("gender_match")] = 4.0
    ranker = coref.Ranker(weights.tolist(), threshold=0.9, gendered=0.9)
    match = np.zeros(len(coref.FEATURES), dtype=np.float32)
    match[coref.FEATURES.index("gender_match")] = 1.0
    plain = np.zeros(len(coref.FEATURES), dtype=np.float32)
    assert ranker.choose([coref.Candidate("a", plain), coref.Candidate("b", match)])[0] == "b"
    assert ranker.choose([coref.Candidate("a", plain)])[0] is None  # 0.5 is under 0.9
    assert ranker.choose([]) == (None, 0.0)


def test_ranker_refuses_weights_of_other_features(tmp_path):
    (tmp_path / "model.json").write_text('{"features": ["bias"], "weights": [1.0], "threshold": 0.5}')
    with pytest.raises(ModelError, match="E521"):
        coref.Ranker.load(tmp_path)
    with pytest.raises(ModelError, match="E520"):
        coref.Ranker.load(tmp_path / "missing")


@pytest.mark.slow
def test_seed_both_leaders_confidence_is_held_by_both(nlp):
    text = SEED.read_text(encoding="utf-8")
    doc = nlp(text)
    index = find_actors(doc)
    quotes = [q for q in find_quotes(doc, index) if "diplomatic efforts could soon yield" in q.content.text]
    assert quotes
    surnames = {index.get(m).name.split()[-1] for m in quotes[0].actors}
    assert surnames == {"Trump", "Macron"}


def with_entity(nlp, text: str, word: str, label: str):
    """A real parse of ``text`` whose NER is told ``word`` is a ``label`` (as it does with unknown names)."""
    doc = nlp(text)
    start = text.index(word)
    span = doc.char_span(start, start + len(word), label=label)
    doc.set_ents([span], default="unmodified")
    return doc


@pytest.mark.parametrize("label", ["GPE", "ORG"])
def test_a_lone_given_name_read_as_a_place_is_a_person_she_can_name(nlp, label):
    text = "Tanya joined the band in 2004. She wrote most of its songs."
    index = find_actors(with_entity(nlp, text, "Tanya", label))
    tanya = index.actor_between(0, 5)
    assert tanya is not None and index.get(tanya).type == "person"
    start = text.index("She")
    assert index.actor_between(start, start + 3) == tanya


def test_a_given_name_as_a_place_after_a_preposition_stays_a_place(nlp):
    text = "Oskar Veldt moved to Florence in May. He opened a bakery."
    index = find_actors(with_entity(nlp, text, "Florence", "GPE"))
    start = text.index("Florence")
    actor = index.actor_between(start, start + len("Florence"))
    assert actor is None or index.get(actor).type != "person"
    assert index.actor_between(text.index("He"), text.index("He") + 2) == index.actor_between(0, 11)


def test_a_name_with_diacritics_is_the_same_person_without_them(nlp):
    text = "The architect Zahā Ḥadīd was born in Baghdad. Critics praised Hadid for her curved designs."
    index = find_actors(nlp(text))
    first = index.actor_between(text.index("Zahā"), text.index("Zahā") + len("Zahā Ḥadīd"))
    assert first is not None
    assert index.actor_between(text.index("Hadid"), text.index("Hadid") + 5) == first


def test_he_finds_a_person_named_paragraphs_before(nlp):
    filler = " ".join(f"The harbour handled {n} ships in the spring." for n in range(300, 308))
    text = f"Tomas Lindqvist runs the port of Riga. {filler} He said the season was the best in years."
    index = find_actors(nlp(text))
    start = text.index("He said")
    assert index.actor_between(start, start + 2) == index.actor_between(0, len("Tomas Lindqvist"))


def test_an_object_pronoun_never_names_the_subject_of_its_verb_even_when_alone(nlp):
    text = "Oskar Veldt arrived late on Friday. Veldt blamed him for the delay."
    _, names, actor = actor_of(nlp, text, "him")
    assert actor != names["Oskar Veldt"]


def test_an_unmarked_proper_noun_subject_is_a_person(nlp):
    text = "Golonka has also had roles in two films. Later Teresa Alvarez worked with him for ten years."
    index, names, actor = actor_of(nlp, text, "him")
    assert index.get(names["Golonka"]).type == "person"
    assert actor == names["Golonka"]


def test_a_proper_noun_after_an_article_is_no_person(nlp):
    text = "The Brennhalde has also had two owners. Later Teresa Alvarez worked with him for ten years."
    index, _, actor = actor_of(nlp, text, "him")
    assert actor is None
    assert all(a.type != "person" for a in index.actors if a.name == "Brennhalde")


def test_a_lone_given_name_guesses_its_gender(nlp):
    text = "Howard waited at the door while Tammy slept. Later she asked about the money."
    _, names, actor = actor_of(nlp, text, "she")
    assert actor == names["Tammy"]
    assert actor != names["Howard"]


def test_the_documents_own_pronouns_speak_for_an_actors_gender(nlp):
    text = "Vardani grew up in Lyon. Her mother taught music there. In 1975 Kessling met Vardani, and she hired him."
    doc = nlp(text)
    index = find_actors(doc, pronouns=False)
    she = next(t for t in doc if t.text == "she")
    features = {c.actor: dict(zip(coref.FEATURES, c.features)) for c in coref.candidates(index, coref.pronoun_anaphor(she))}
    assert features["vardani"]["evidence_match"] == 1.0  # "Her mother" after a sentence naming Vardani alone
    assert features["kessling"]["evidence_match"] == 0.0
    he = coref.pronoun_anaphor(next(t for t in doc if t.text == "him"))
    features = {c.actor: dict(zip(coref.FEATURES, c.features)) for c in coref.candidates(index, he)}
    assert features["vardani"]["evidence_mismatch"] == 1.0


def test_a_former_office_goes_to_the_actor_the_article_called_former_before(nlp):
    text = ("Chancellor Aino Kettunen met former Chancellor Rolf Behrend in Tallinn. "
            "Kettunen praised Behrend's patience, while the former chancellor called Estonia a loyal partner.")
    index, names, _ = actor_of(nlp, text, "Kettunen")
    start = text.index("the former chancellor")
    assert index.actor_between(start, start + len("the former chancellor")) == names["Rolf Behrend"]
