"""The shared spaCy pipeline: line breaks end sentences; long texts keep their exact text."""

from __future__ import annotations

from stancegraph import nlp as nlp_module
from stancegraph.nlp import load_pipeline, parse


def test_pipeline_is_loaded_once():
    assert load_pipeline() is load_pipeline()


def test_a_line_break_ends_a_sentence():
    doc = next(parse(["Budget Talks Stall\nThe minister left early."]))
    assert [s.text.strip() for s in doc.sents if s.text.strip()] == ["Budget Talks Stall", "The minister left early."]


def test_long_text_is_parsed_in_chunks_and_rejoined_exactly(monkeypatch):
    monkeypatch.setattr(nlp_module, "CHUNK_CHARS", 200)
    paragraph = "The minister said the plan would work. Critics disagreed loudly.\n"
    text = paragraph * 12 + "A last line without a break"
    short = "Short text."
    docs = list(parse([short, text, short]))
    assert [d.text for d in docs] == [short, text, short]
    assert len(list(docs[1].sents)) >= 25
