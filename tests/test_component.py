"""The spaCy component gives the records of ``analyze``, on a user's own pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

import stancegraph.component  # noqa: F401  (an installed stancegraph registers it by entry point)
from stancegraph.component import RECORDS
from stancegraph.nlp import MODEL
from stancegraph.pipeline import analyze_articles
from stancegraph.records import Article, to_dict
from stancegraph.sources import read_inputs

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles.jsonl"


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    """A pipeline of the user's own: the English model, the line-break rule, then stancegraph."""
    nlp = spacy.load(MODEL)
    nlp.add_pipe("stancegraph_line_breaks", before="parser")
    nlp.add_pipe("stancegraph")
    return nlp


@pytest.mark.slow
def test_component_gives_the_same_records_as_analyze_on_the_examples(nlp: spacy.language.Language) -> None:
    articles = [item for item in read_inputs([str(EXAMPLES)]) if isinstance(item, Article)]
    assert len(articles) >= 5
    expected = list(analyze_articles(articles))
    for article, analysis in zip(articles, expected):
        doc = nlp.make_doc(article.text)
        doc._.article = article
        doc = nlp(doc)
        assert to_dict(doc._.stancegraph) == analysis.to_dict()
        for name in RECORDS:
            assert [to_dict(record) for record in getattr(doc._, name)] == to_dict(getattr(analysis, name))
    assert sum(len(analysis.quotes) for analysis in expected) > 0
    assert sum(len(analysis.stances) for analysis in expected) > 0


def test_component_on_plain_text_finds_actors_and_quotes(nlp: spacy.language.Language) -> None:
    text = 'Mayor Ilse Brandt said on Tuesday: "The new tram line will open in May."'
    doc = nlp(text)
    assert [actor.name for actor in doc._.actors] == ["Ilse Brandt"]
    assert [text[quote.content.start : quote.content.end] for quote in doc._.quotes] == [
        "The new tram line will open in May."]
    assert doc._.stancegraph.text == text
    assert all(isinstance(getattr(doc._, name), list) for name in RECORDS)


def test_component_leaves_docs_it_did_not_see_empty() -> None:
    plain = spacy.blank("en")
    doc = plain("Nothing ran on this text.")
    assert doc._.actors is None and doc._.stancegraph is None
