"""Actors: merging the names of one actor, keeping different actors apart, resolving references."""

from __future__ import annotations

import pytest

from stancegraph.extract.actors import find_actors, headline_lines


def actors_of(nlp, text):
    index = find_actors(nlp(text))
    return index, {actor.name: actor for actor in index.actors}


def test_full_name_surname_and_title_merge_into_one_person(nlp):
    text = ("Chancellor Olaf Scholz met reporters in Berlin. Scholz said the budget was fair. "
            "Olaf Scholz's critics disagreed.")
    _index, actors = actors_of(nlp, text)
    scholz = actors["Olaf Scholz"]
    assert scholz.type == "person"
    assert {"Chancellor Olaf Scholz", "Scholz"} <= set(scholz.aliases)
    assert len([m for m in scholz.mentions if "Scholz" in m.text]) == 3
    assert [r.office for r in scholz.roles] == ["chancellor"]


def test_two_people_sharing_a_surname_stay_apart(nlp):
    text = ("Hillary Clinton spoke in Ohio on Monday. Clinton promised jobs. Bill Clinton spoke in Iowa. "
            "Clinton told the crowd that jobs would return.")
    index, actors = actors_of(nlp, text)
    assert "Hillary Clinton" in actors and "Bill Clinton" in actors
    assert actors["Hillary Clinton"].id != actors["Bill Clinton"].id
    # a bare shared surname goes to the Clinton named most often so far, not the nearest one
    last = text.rindex("Clinton told")
    owner = index.actor_between(last, last + len("Clinton"))
    assert owner == actors["Hillary Clinton"].id


def test_a_shared_surname_on_a_tie_goes_to_the_person_named_first(nlp):
    text = ("Marta Kowalski designed the museum in Lyon. Her brother Pavel Kowalski ran a bakery there. "
            "Kowalski later studied mathematics in Paris.")
    index, actors = actors_of(nlp, text)
    assert actors["Marta Kowalski"].id != actors["Pavel Kowalski"].id
    last = text.rindex("Kowalski later")
    assert index.actor_between(last, last + len("Kowalski")) == actors["Marta Kowalski"].id


def test_descriptor_resolves_to_the_person_with_that_role(nlp):
    text = ("Russian President Vladimir Putin met Chinese President Xi Jinping. "
            "The Russian leader praised the talks, while the Chinese president stayed silent.")
    _index, actors = actors_of(nlp, text)
    assert "the russian leader" in [a.lower() for a in actors["Vladimir Putin"].aliases]
    assert "the chinese president" in [a.lower() for a in actors["Xi Jinping"].aliases]


def test_former_title_is_kept_as_a_role_with_its_tense(nlp):
    text = "Former Prime Minister Theresa May spoke. The former prime minister said little."
    _index, actors = actors_of(nlp, text)
    tenses = {r.tense for r in actors["Theresa May"].roles}
    assert tenses == {"past"}


def test_metonym_capital_and_country_name_are_one_country(nlp):
    text = "Russia sent troops. The Kremlin denied it, and Moscow blamed Kyiv."
    _index, actors = actors_of(nlp, text)
    assert set(actors["Russia"].aliases) >= {"Kremlin", "Moscow"}
    assert actors["Russia"].type == "country"
    assert actors["Ukraine"].aliases == ["Kyiv"]


def test_demonym_stands_for_its_country_only_where_it_acts(nlp):
    text = "French officials objected. A French chef cooked dinner."
    _index, actors = actors_of(nlp, text)
    france = actors["France"]
    assert [m.text for m in france.mentions] == ["French"]
    assert france.mentions[0].start == text.index("French officials")


def test_a_language_that_is_also_a_given_name_is_no_person(nlp):
    text = "Tomas Lindqvist grew up in Riga. He spoke German and French fluently, and he read Latin."
    index, actors = actors_of(nlp, text)
    assert [a.name for a in index.actors if a.type == "person"] == ["Tomas Lindqvist"]
    start = text.index("he read")
    assert index.actor_between(start, start + 2) == actors["Tomas Lindqvist"].id


def test_headline_title_case_does_not_invent_people(nlp):
    text = ("Merkel Split on Trusting Putin Over Gas\n\n"
            "Angela Merkel met Vladimir Putin in Sochi. Merkel said the pipeline was a business matter.")
    index, actors = actors_of(nlp, text)
    assert "Merkel Split" not in actors and "Trusting Putin" not in actors
    headline_end = text.index("\n")
    in_headline = {index.actor_between(m.span.start, m.span.end) for m in index.mentions if m.span.end <= headline_end}
    assert in_headline == {actors["Angela Merkel"].id, actors["Vladimir Putin"].id}


def test_acronym_and_full_name_of_an_organisation_merge(nlp):
    text = "The Democratic National Committee met. Later the DNC said it had raised funds."
    _index, actors = actors_of(nlp, text)
    dnc = actors["Democratic National Committee"]
    assert dnc.type == "organization" and "DNC" in dnc.aliases


def test_pronoun_resolves_to_the_previous_subject_of_matching_gender(nlp):
    text = "Angela Merkel met Boris Johnson in Berlin. She said the deal was fair."
    index, actors = actors_of(nlp, text)
    she = text.index("She")
    assert index.actor_between(she, she + 3) == actors["Angela Merkel"].id


def test_object_pronoun_never_refers_to_the_subject_of_its_verb(nlp):
    text = "Joe Biden spoke with Justin Trudeau on Monday. Trudeau thanked him."
    index, actors = actors_of(nlp, text)
    him = text.index("him")
    assert index.actor_between(him, him + 3) == actors["Joe Biden"].id


def test_plural_holder_resolves_to_the_coordinated_actors(nlp):
    doc = nlp("Joe Biden and Emmanuel Macron met in Paris. Both leaders backed the plan.")
    index = find_actors(doc)
    both = next(t for t in doc if t.lower_ == "leaders")
    names = {index.get(a).name for a in index.resolve_all(doc[both.i - 1 : both.i + 1])}
    assert names == {"Joe Biden", "Emmanuel Macron"}


def test_every_mention_offset_matches_the_text(nlp):
    text = ("U.S. President Joe Biden met the Kremlin's envoy.\n"
            "Biden’s aides said he was firm; the French government agreed.")
    index, _actors = actors_of(nlp, text)
    for actor in index.actors:
        for mention in actor.mentions:
            assert text[mention.start : mention.end] == mention.text
        for role in actor.roles:
            assert text[role.span.start : role.span.end] == role.span.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Keller and Okafor Clash on Trusting Sandor\nBody text follows here.", 1),
        ("A sentence that ends.\nAnother one.", 0),
        ("Rival Plans for the Harbour\nBerg spoke.", 1),
    ],
)
def test_headline_lines(text, expected):
    assert len(headline_lines(text)) == expected
