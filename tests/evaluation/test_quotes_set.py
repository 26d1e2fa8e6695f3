"""``stancegraph eval quotes``: the French attribution set, its reader and its scores."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from stancegraph.errors import ModelError
from stancegraph.evaluation import quotes, stance_scores
from stancegraph.evaluation.quotes import evaluate, read_set

SETS = resources.files("stancegraph.evaluation").joinpath("fr")


def test_the_french_set_has_ten_articles_and_a_hundred_attributions() -> None:
    articles = [a for name in ("quotes_dev.jsonl", "quotes_test.jsonl") for a in read_set(SETS / name)]
    assert len(articles) >= 10 and sum(len(a.attributions) for a in articles) >= 100
    assert {a.lang for a in articles} == {"fr"}
    for article in articles:  # every located span holds its words
        for gold in article.attributions:
            assert all(0 <= start < end <= len(article.text) for start, end in gold.content + gold.cue + gold.source)


def _write(tmp_path, record) -> object:
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_a_content_not_in_the_text_is_e152_with_its_line(tmp_path) -> None:
    path = _write(tmp_path, {"id": "a", "text": "Il a dit oui.", "attributions": [
        {"content": "non", "cue": "dit", "speaker": "Il", "actor": None}]})
    with pytest.raises(ModelError) as caught:
        read_set(path)
    assert caught.value.code == "E152" and "line 1" in str(caught.value)


def test_the_cue_and_speaker_nearest_the_content_are_taken(tmp_path) -> None:
    text = "Marc Leroy a parlé. « Nous voterons contre », a déclaré Marc Leroy."
    path = _write(tmp_path, {"id": "a", "text": text, "attributions": [
        {"content": "Nous voterons contre", "cue": "déclaré", "speaker": "Marc Leroy", "actor": "Marc Leroy"}]})
    (gold,) = read_set(path)[0].attributions
    assert gold.source == ((text.rindex("Marc Leroy"), len(text) - 1),)


def test_scores_count_a_missed_quote_and_a_wrong_actor(tmp_path) -> None:
    nbsp = "\u00a0"
    text = (f"«{nbsp}Nous ne céderons pas{nbsp}», a déclaré Claire Dumont. La ministre Claire Dumont a reçu "
            f"Marc Leroy. Le pays attend des réponses depuis des semaines.")
    path = _write(tmp_path, {"id": "a", "lang": "fr", "text": text, "attributions": [
        {"content": "Nous ne céderons pas", "cue": "déclaré", "speaker": "Claire Dumont", "actor": "Marc Leroy"},
        {"content": "Le pays attend des réponses depuis des semaines", "cue": None, "speaker": None, "actor": None}]})
    report = evaluate(path)
    assert report.scores.counts.gold == 2 and report.scores.counts.matched == 1
    assert report.scores.recall == 0.5 and report.scores.speaker_accuracy == 1.0
    assert report.actor_total == 1 and report.actor_correct == 0  # the gold says another actor


@pytest.mark.slow
def test_the_cli_prints_the_french_scores(capsys) -> None:
    quotes.main(SETS / "quotes_test.jsonl")
    out = capsys.readouterr().out
    assert "Jaccard >= 0.5" in out and "speaker accuracy" in out and "3 articles" in out


def test_figures_are_scored_when_the_set_has_them(tmp_path) -> None:
    text = ("Hausse : 3 000 postes. Le maire Gilles Arnaud a annoncé la création de 3 000 postes. Le chômage atteint "
            "7 % dans la vallée. La ville de Brenne a été fondée en 1820.")
    path = _write(tmp_path, {"id": "a", "lang": "fr", "text": text, "attributions": [], "figures": [
        {"text": "3 000 postes", "occurrence": 2, "value": 3000, "unit": "postes", "source": "Gilles Arnaud"},
        {"text": "7 %", "value": 7, "unit": "percent", "source": None},
        {"text": "12 %", "value": 12, "unit": "percent", "source": None}]})
    with pytest.raises(ModelError, match="does not occur"):  # "12 %" is not in the text
        read_set(path)
    record = json.loads(path.read_text(encoding="utf-8"))
    record["figures"].pop()
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = read_set(path)
    assert [(f.start, f.text) for f in article.figures] == [(text.rindex("3 000 postes"), "3 000 postes"),
                                                            (text.index("7 %"), "7 %")]
    figures = evaluate(path).figures
    assert figures is not None and figures.gold == 2 and figures.predicted == 3  # the headline's figure too
    assert figures.matched == 2 and figures.fields["value"].recall == 1.0
    assert figures.fields["source"].correct == 1  # the announcer of the second "3 000 postes"


def test_a_set_without_figures_has_no_figure_scores(tmp_path) -> None:
    path = _write(tmp_path, {"id": "a", "lang": "fr", "text": "« Nous voterons contre », a déclaré Marc Leroy.",
                             "attributions": [{"content": "Nous voterons contre", "cue": "déclaré",
                                               "speaker": "Marc Leroy", "actor": "Marc Leroy"}]})
    assert evaluate(path).figures is None


def _stance_set(tmp_path, stances) -> object:
    text = ("Le maire Gilles Arnaud soutient la réforme des transports. La députée Léa Morin a dénoncé "
            "le projet de tramway. Gilles Arnaud critique Léa Morin.")
    return _write(tmp_path, {"id": "a", "lang": "fr", "text": text, "attributions": [], "stances": stances})


GOLD_STANCES = [
    {"actor": "Gilles Arnaud", "target": "réforme des transports", "kind": "issue", "polarity": 1,
     "evidence": "Le maire Gilles Arnaud soutient la réforme des transports."},
    {"actor": "Léa Morin", "target": "tramway", "kind": "issue", "polarity": -1,
     "evidence": "La députée Léa Morin a dénoncé le projet de tramway."},
    {"actor": "Gilles Arnaud", "target": "Léa Morin", "kind": "actor", "polarity": -1,
     "evidence": "Gilles Arnaud critique Léa Morin."},
]


def test_stances_are_read_with_their_evidence(tmp_path) -> None:
    (article,) = read_set(_stance_set(tmp_path, GOLD_STANCES))
    assert article.stances is not None
    assert [article.text[s.start:s.end] for s in article.stances] == [g["evidence"] for g in GOLD_STANCES]
    assert [(s.actor, s.kind, s.polarity) for s in article.stances] == [
        ("Gilles Arnaud", "issue", 1), ("Léa Morin", "issue", -1), ("Gilles Arnaud", "actor", -1)]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("evidence", "Le tramway passera.", "occurs 0 times"),
    ("polarity", 0, "not -1 or 1"),
    ("kind", "concept", "not one of actor, issue"),
    ("actor", None, "needs an actor"),
])
def test_a_malformed_stance_is_e152_with_its_line(tmp_path, field, value, message) -> None:
    path = tmp_path / "set.jsonl"
    first = json.dumps({"id": "a", "lang": "fr", "text": "Oui.", "attributions": []})
    broken = [dict(GOLD_STANCES[0])]
    broken[0][field] = value
    second = json.loads(_stance_set(tmp_path, broken).read_text(encoding="utf-8"))
    path.write_text(first + "\n" + json.dumps(second, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        read_set(path)
    assert caught.value.code == "E152" and "line 2" in str(caught.value) and message in str(caught.value)


def test_a_stance_without_evidence_names_the_missing_field(tmp_path) -> None:
    broken = [{k: v for k, v in GOLD_STANCES[0].items() if k != "evidence"}]
    with pytest.raises(ModelError, match=r"line 1.*missing field 'evidence'"):
        read_set(_stance_set(tmp_path, broken))


def _predicted(article, gold, **changes) -> stance_scores.PredictedStance:
    """A prediction copying a gold stance (evidence clipped to its first 20 characters), some fields changed."""
    fields = {"start": gold.start, "end": gold.start + 20, "actor_names": (gold.actor,),
              "target_names": (gold.target,), "kind": gold.kind, "polarity": gold.polarity}
    return stance_scores.PredictedStance(**{**fields, **changes})


def test_a_perfect_prediction_scores_one(tmp_path) -> None:
    (article,) = read_set(_stance_set(tmp_path, GOLD_STANCES))
    predicted = [_predicted(article, g) for g in article.stances]
    scores = stance_scores.score(article.stances, predicted, lang="fr")
    assert scores.full.f1 == 1.0 and scores.holder_polarity.f1 == 1.0 and scores.full.correct == 3


def test_an_imperfect_prediction_loses_what_it_gets_wrong(tmp_path) -> None:
    (article,) = read_set(_stance_set(tmp_path, GOLD_STANCES))
    reform, tram, critique = article.stances
    predicted = [
        _predicted(article, reform, target_names=("transports en commun",)),  # issue words share "transport"
        _predicted(article, tram, target_names=("le projet",)),  # no content word in common: target wrong
        _predicted(article, critique, polarity=1),  # polarity wrong
        _predicted(article, critique, start=0, end=10),  # evidence elsewhere: spurious
    ]
    scores = stance_scores.score(article.stances, predicted, lang="fr")
    assert (scores.gold, scores.predicted) == (3, 4)
    assert scores.full.correct == 1 and scores.full.recall == pytest.approx(1 / 3) and scores.full.precision == 0.25
    assert scores.holder_polarity.correct == 2  # the tramway stance's holder and polarity are right
    summed = stance_scores.total([scores, scores])
    assert summed.gold == 6 and summed.full.correct == 2 and summed.full.f1 == pytest.approx(scores.full.f1)


def test_an_actor_target_matches_by_name_not_by_words(tmp_path) -> None:
    (article,) = read_set(_stance_set(tmp_path, GOLD_STANCES))
    critique = article.stances[2]
    as_issue = _predicted(article, critique, kind="issue")
    other = _predicted(article, critique, target_names=("Léa Martin",))
    assert stance_scores.score([critique], [as_issue], lang="fr").full.correct == 0
    assert stance_scores.score([critique], [other], lang="fr").full.correct == 0
    assert stance_scores.score([critique], [other], lang="fr").holder_polarity.correct == 1


def test_content_words_drop_stop_words_and_plurals() -> None:
    assert stance_scores.content_words("la réforme des retraites", "fr") == {"réforme", "retraite"}
    assert stance_scores.content_words("l'OTAN et les 3 000 postes", "fr") == {"otan", "poste"}


def test_the_cli_scores_the_stances_of_a_set(tmp_path, capsys) -> None:
    path = _stance_set(tmp_path, GOLD_STANCES)
    report = quotes.main(path, format="json")
    payload = json.loads(capsys.readouterr().out)
    assert report.stances is not None and payload["stances"]["gold"] == 3
    assert payload["stances"]["predicted"] == report.stances.predicted
    quotes.main(path)
    out = capsys.readouterr().out
    assert "stances: 3 gold" in out and "holder+target+polarity" in out and "holder+polarity" in out


def test_both_french_sets_have_stances() -> None:
    for name in ("quotes_dev.jsonl", "quotes_test.jsonl"):
        articles = read_set(SETS / name)
        assert all(a.stances is not None for a in articles) and sum(len(a.stances or []) for a in articles) >= 10
