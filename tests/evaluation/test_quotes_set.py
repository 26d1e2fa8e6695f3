"""``stancegraph eval quotes``: the French attribution set, its reader and its scores."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from stancegraph.errors import ModelError
from stancegraph.evaluation import quotes
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
