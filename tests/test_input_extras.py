"""The html and fr extras: without them an HTML page or a French article stops with an error naming the
extra, and English plain text is analysed as before."""

from __future__ import annotations

import sys

import pytest

from stancegraph.errors import InputError, MissingExtraError
from stancegraph.pipeline import analyze_articles
from stancegraph.records import Article
from stancegraph.sources.html import article_from_html

PAGE = b"<html><head><title>Budget</title></head><body><p>" + \
    b"The finance minister said the budget would stay as it is. " * 6 + b"</p></body></html>"


def test_an_html_page_without_trafilatura_names_the_html_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    assert article_from_html(PAGE, input="page.html", id="p", max_chars=10_000).title == "Budget"
    for name in [m for m in sys.modules if m.split(".")[0] == "trafilatura"] + ["trafilatura"]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(MissingExtraError, match=r"\[E130\] reading an HTML page needs the package 'trafilatura'.*"
                                                r"pip install 'stancegraph\[html\]'"):
        article_from_html(PAGE, input="page.html", id="p", max_chars=10_000)


def test_a_french_article_without_the_french_pipeline_names_the_fr_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from stancegraph import nlp

    monkeypatch.setitem(nlp.MODELS, "fr", ("no_such_french_model", nlp.MODELS["fr"][1]))
    french = Article("Le président a déclaré que la réforme serait adoptée avant l'été.", id="fr", lang="fr")
    results = list(analyze_articles([french, Article("Merkel met Macron in Paris.", id="en")]))
    assert isinstance(results[0], InputError) and results[0].code == "E118"
    assert "pip install 'stancegraph[fr]'" in str(results[0])
    assert results[1].id == "en"
