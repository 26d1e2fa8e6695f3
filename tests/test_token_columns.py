"""Token columns read through spaCy's arrays equal what ``Token`` objects give, on real parses."""

from __future__ import annotations

from spacy.language import Language

from stancegraph.extract.attribution import paragraphs
from stancegraph.token_columns import doc_text, sentence_numbers, token_columns

TEXT = (
    "Talks Resume in Geneva\n\n"
    "Minister Ana Ruiz said on Monday that the deal was “not dead”. Her rival disagreed.\n"
    "  \n"
    "The opposition leader, Tom Weller, called it a disaster: “We warned them.”\n"
)


def test_every_column_equals_the_token_attribute(nlp: Language) -> None:
    doc = nlp(TEXT)
    columns = token_columns(doc)
    assert columns.text == [t.text for t in doc]
    assert columns.lower == [t.lower_ for t in doc]
    assert columns.lemma == [t.lemma_ for t in doc]
    assert columns.tag == [t.tag_ for t in doc]
    assert columns.dep == [t.dep_ for t in doc]
    assert columns.pos == [t.pos_ for t in doc]
    assert columns.ent_type == [t.ent_type_ for t in doc]
    assert columns.head == [t.head.i for t in doc]
    assert columns.idx == [t.idx for t in doc]
    assert columns.is_title == [t.is_title for t in doc]
    assert "PERSON" in columns.ent_type and "" in columns.ent_type


def test_sentence_numbers_count_sentence_starts(nlp: Language) -> None:
    doc = nlp(TEXT)
    numbers = sentence_numbers(doc)
    assert numbers == [number for number, sentence in enumerate(doc.sents) for _ in sentence]
    assert len(set(numbers)) > 2
    assert token_columns(doc).sentence_of == numbers


def test_the_text_is_joined_once_and_equals_the_doc_text(nlp: Language) -> None:
    doc = nlp(TEXT)
    assert doc_text(doc) == doc.text == TEXT
    assert doc_text(doc) is doc_text(doc)


def test_paragraphs_end_at_line_breaks_inside_and_after_tokens(nlp: Language) -> None:
    doc = nlp(TEXT)
    ranges = paragraphs(doc)
    assert [doc[start:end].text for start, end in ranges] == [
        "Talks Resume in Geneva",
        "Minister Ana Ruiz said on Monday that the deal was “not dead”. Her rival disagreed.",
        "The opposition leader, Tom Weller, called it a disaster: “We warned them.”",
    ]
    assert all(start < end for start, end in ranges)


def test_an_empty_doc_has_empty_columns(nlp: Language) -> None:
    doc = nlp("")
    assert token_columns(doc).lower == [] and sentence_numbers(doc) == [] and paragraphs(doc) == []
