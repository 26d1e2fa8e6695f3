"""French articles: language detection, the French pipeline (actors, quotes, stances) and readers."""

from __future__ import annotations

import json

import pytest

from stancegraph.errors import InputError
from stancegraph.pipeline import analyze, analyze_articles
from stancegraph.records import Article
from stancegraph.sources import read_inputs
from stancegraph.sources.language import article_language, detect

NBSP = "\u00a0"
FRENCH = (f"Le président Emmanuel Macron a reçu Vladimir Poutine à l'Élysée. «{NBSP}Nous ne céderons pas{NBSP}», "
          "a déclaré le président. La ministre des Armées Claire Dumont a estimé que la réforme était indispensable. "
          f"«{NBSP}C'est une erreur historique{NBSP}», a-t-elle ajouté. Selon Vladimir Poutine, l'OTAN menace la "
          "Russie. Claire Dumont s'oppose à la réforme des retraites, que Emmanuel Macron soutient.")
GERMAN = ("Die Bundesregierung hat am Montag beschlossen, die Steuer auf Stahl und Zement zu erhöhen. Der Minister "
          "sagte, die Entscheidung sei notwendig, um das Klima und die Arbeiter zu schützen.")


def test_detection_tells_french_from_english() -> None:
    assert detect(FRENCH).lang == "fr"
    assert detect("The minister said the budget would stay as it is, and the opposition rejected it.").lang == "en"


def test_a_given_language_beats_detection_and_an_unknown_one_is_e117() -> None:
    assert article_language(Article(FRENCH, lang="en")) == "en"
    assert article_language(Article("Macron.", lang="fr-FR")) == "fr"
    with pytest.raises(InputError) as caught:
        article_language(Article(FRENCH, id="x", lang="de"))
    assert caught.value.code == "E117" and "'de'" in str(caught.value)


def test_short_uncertain_text_stays_english() -> None:
    assert article_language(Article("Macron spoke.")) == "en"


def test_an_unsupported_language_fails_that_article_only_and_the_rest_go_on() -> None:
    items = [Article(GERMAN, id="de"), Article(FRENCH, id="fr"), Article("Merkel met Macron in Paris.", id="en")]
    results = list(analyze_articles(items))
    assert isinstance(results[0], InputError) and results[0].code == "E117" and "detected" in str(results[0])
    assert [r.id for r in results[1:]] == ["fr", "en"]
    assert [r.lang for r in results[1:]] == ["fr", "en"]


def test_french_actors_take_titles_descriptors_and_exonyms() -> None:
    result = analyze(FRENCH, lang="fr")
    actors = {a.id: a for a in result.actors}
    assert {"emmanuel-macron", "vladimir-putin", "claire-dumont", "france", "nato", "russia"} <= set(actors)
    macron = actors["emmanuel-macron"]
    assert any(m.text == "le président" for m in macron.mentions)  # the descriptor alone
    assert macron.roles[0].office == "président" and macron.roles[0].office_class == "head"
    assert "Vladimir Poutine" in actors["vladimir-putin"].aliases
    for actor in result.actors:
        assert all(result.text[m.start:m.end] == m.text for m in actor.mentions)


def test_french_quotes_read_guillemets_incises_que_and_selon() -> None:
    result = analyze(FRENCH, lang="fr")
    quotes = [(q.kind, q.content.text, q.cue.text if q.cue else None, q.actor) for q in result.quotes]
    assert ("direct", "Nous ne céderons pas", "déclaré", "emmanuel-macron") in quotes
    assert ("direct", "C'est une erreur historique", "ajouté", "claire-dumont") in quotes  # -t-elle
    assert ("indirect", "la réforme était indispensable", "estimé", "claire-dumont") in quotes
    assert ("indirect", "l'OTAN menace la Russie", "Selon", "vladimir-putin") in quotes
    assert all(NBSP not in q.content.text for q in result.quotes)


def test_french_stances_with_negation_and_an_actor_target() -> None:
    result = analyze("Claire Dumont s'oppose à la réforme des retraites. Marine Lenoir ne soutient pas "
                     "Emmanuel Macron. Emmanuel Macron soutient la réforme des retraites.", lang="fr")
    stances = {(s.actor, s.target, s.target_kind, s.polarity) for s in result.stances}
    assert ("claire-dumont", "réforme des retraites", "issue", -1) in stances
    assert ("marine-lenoir", "emmanuel-macron", "actor", -1) in stances
    assert ("emmanuel-macron", "réforme des retraites", "issue", 1) in stances
    assert any(r.kind == "conflict" and {r.a, r.b} == {"claire-dumont", "emmanuel-macron"} for r in result.relations)


def test_readers_take_a_record_lang_field_html_lang_and_the_override(tmp_path) -> None:
    records = tmp_path / "news.jsonl"
    records.write_text(json.dumps({"id": "a", "text": "Bonjour.", "lang": "fr"}) + "\n"
                       + json.dumps({"id": "b", "text": "Hello."}) + "\n", encoding="utf-8")
    page = tmp_path / "page.html"
    body = "<p>" + "Le ministre a déclaré que le budget resterait inchangé cette année. " * 5 + "</p>"
    page.write_text(f'<html lang="fr-FR"><head><title>Budget</title></head><body>{body}</body></html>',
                    encoding="utf-8")
    assert [a.lang for a in read_inputs([str(records), str(page)])] == ["fr", None, "fr-FR"]  # normalised when analysed
    assert [a.lang for a in read_inputs([str(records)], lang="en")] == ["en", "en"]


def test_the_cli_lang_option_overrides_detection(tmp_path) -> None:
    from typer.testing import CliRunner

    from stancegraph.cli.main import app

    path = tmp_path / "a.txt"
    path.write_text(FRENCH, encoding="utf-8")
    out = CliRunner().invoke(app, ["analyze", str(path), "--format", "json", "--lang", "en"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["lang"] == "en"
    auto = CliRunner().invoke(app, ["analyze", str(path), "--format", "json"])
    assert json.loads(auto.stdout)["lang"] == "fr"


def test_a_former_and_a_sitting_title_of_one_person_is_a_role_conflict() -> None:
    text = ("L'ancien président Nicolas Sarkozy a critiqué la réforme. Le président Nicolas Sarkozy a ensuite "
            "déclaré que la réforme était injuste.")
    flags = analyze(text, lang="fr").flags
    assert [(f.kind, f.actor) for f in flags] == [("role_conflict", "nicolas-sarkozy")]
    assert analyze("L'ancien président Nicolas Sarkozy a critiqué la réforme. Le président a répondu.",
                   lang="fr").flags == []


def test_a_missing_french_pipeline_fails_french_articles_only_with_e118(monkeypatch) -> None:
    from stancegraph import nlp

    monkeypatch.setitem(nlp.MODELS, "fr", ("no_such_french_model", "no-such-french-model"))
    results = list(analyze_articles([Article(FRENCH, id="fr"), Article("Merkel met Macron in Paris.", id="en")]))
    assert isinstance(results[0], InputError) and results[0].code == "E118"
    assert "pip install no-such-french-model" in str(results[0]) and results[0].input == "fr"
    assert results[1].id == "en"


def test_dialogue_dashes_are_quotes_with_their_incises() -> None:
    nbsp = NBSP
    text = ("La maire Agathe Roussel a reçu les pêcheurs.\n\n"
            f"«{nbsp}Le port restera ouvert, a promis Agathe Roussel.\n"
            "— Et les quotas ? a demandé le patron pêcheur Yann Le Goff.\n"
            f"— Nous les renégocierons{nbsp}»\n\n"
            "— Nous reviendrons chaque semaine, a prévenu Yann Le Goff, et nous serons plus nombreux.\n\n"
            "Le plan — voté hier soir — prévoit deux mesures :\n– une aide au carburant ;\n– un fonds de secours.\n\n"
            f"«{nbsp}Rien ne presse, a dit Yann Le Goff.\n— Rien du tout{nbsp}»")
    quotes = [(q.content.text, q.cue.text if q.cue else None, q.actor) for q in analyze(text, lang="fr").quotes]
    assert ("Le port restera ouvert", "promis", "agathe-roussel") in quotes
    assert ("Et les quotas ?", "demandé", "yann-le-goff") in quotes
    assert ("Nous les renégocierons", None, "agathe-roussel") in quotes  # no incise: the turns alternate
    assert ("Nous reviendrons chaque semaine", "prévenu", "yann-le-goff") in quotes
    assert ("et nous serons plus nombreux", "prévenu", "yann-le-goff") in quotes
    assert ("Rien du tout", None, None) in quotes  # one speaker before it: no alternation to follow
    contents = " ".join(content for content, _, _ in quotes)
    assert "voté hier soir" not in contents  # a dash inside a sentence
    assert "aide au carburant" not in contents and "fonds de secours" not in contents  # a list, not a dialogue


def test_object_pronouns_before_the_verb_resolve_to_the_other_actor() -> None:
    text = ("Le sénateur Bastien Carrel a reçu la députée Noémie Vasseur. Le sénateur lui a reproché son silence. "
            "Noémie Vasseur a rencontré Bastien Carrel. Elle le critique durement.")
    stances = {(s.actor, s.target, s.target_kind, s.polarity) for s in analyze(text, lang="fr").stances}
    assert ("bastien-carrel", "noemie-vasseur", "actor", -1) in stances
    assert ("noemie-vasseur", "bastien-carrel", "actor", -1) in stances
    # "le" before a noun is an article, not an object: no stance on a person
    other = analyze("Bastien Carrel a reçu Noémie Vasseur. Le soutien de Noémie Vasseur reste fragile.", lang="fr")
    assert all(s.target_kind != "actor" for s in other.stances)


def test_a_titled_subject_holds_a_stance_by_the_name_in_apposition() -> None:
    text = ("Le président de la Chambre d'agriculture, Paul Arnoux, a salué le plan de relance. "
            "La sénatrice Odile Brun a raillé le plan de relance.")
    stances = {(s.actor, s.target, s.polarity) for s in analyze(text, lang="fr").stances}
    assert ("paul-arnoux", "plan de relance", 1) in stances  # the person, not the body in the title
    assert ("odile-brun", "plan de relance", -1) in stances  # "railler" is a stance verb
