"""The shared spaCy pipeline: line breaks end sentences; long texts keep their exact text."""

from __future__ import annotations

from pathlib import Path

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


def tokens(doc):
    return [(t.text, t.idx, t.whitespace_, t.norm_) for t in doc]


def test_an_over_long_run_of_one_mark_becomes_a_few_tokens_with_exact_offsets():
    text = "Ministers met.  " + '"' * 3000 + " Talks go on, said Ada Kovacs.\n" + "=" * 700
    doc = next(parse([text]))
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    assert max(len(t.text) for t in doc) <= nlp_module.MAX_TOKEN_CHARS
    assert len([t for t in doc if set(t.text) == {'"'}]) == -(-3000 // nlp_module.MAX_TOKEN_CHARS)


def test_text_around_an_over_long_stretch_is_tokenized_as_spacys_own_tokenizer_does():
    guarded = load_pipeline().tokenizer
    before, after = "Mr. Okafor didn't wait: ", " \n  (he left) at 5pm, U.S.-style."
    stretch = "(x" * 400
    doc = guarded(before + stretch + after)
    assert doc.text == before + stretch + after
    plain = guarded.tokenizer
    assert tokens(doc)[: len(plain(before))] == tokens(plain(before + "x"))[: len(plain(before))]
    tail = tokens(doc)[-len(plain("x" + after)) + 1 :]
    shift = len(before + stretch) - 1
    assert tail == [(w, i + shift, s, n) for w, i, s, n in tokens(plain("x" + after))[1:]]


def test_an_over_long_mixed_stretch_is_cut_into_bounded_pieces():
    text = "Ada " + "=}" * 2000 + "." * 5 + "ab" * 300
    doc = load_pipeline().tokenizer(text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    assert max(len(t.text) for t in doc) <= nlp_module.MAX_TOKEN_CHARS
    assert "....." in [t.text for t in doc]  # a run of one mark is a token of its own


def test_bbc_politics_articles_are_tokenized_as_by_spacy_alone():
    corpus = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bbc-news" / "politics"
    files = sorted(corpus.glob("*.txt"))[::20]
    assert files
    guarded = load_pipeline().tokenizer
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert tokens(guarded(text)) == tokens(guarded.tokenizer(text)), path.name


def test_a_text_with_no_sentence_end_is_cut_into_bounded_sentences():
    doc = next(parse(["Kovacs and Okafor and " * 300]))
    assert max(len(s) for s in doc.sents) <= nlp_module.MAX_SENTENCE_TOKENS


def test_a_forced_sentence_end_falls_after_the_last_full_stop_within_the_bound():
    sentence = "Ada Kovacs met the mayor of a small town near the river today . "
    doc = nlp_module.long_sentences(load_pipeline().make_doc(sentence * 60))
    starts = [t.i for t in doc if t.is_sent_start and t.i > 0]
    assert starts
    assert all(doc[i - 1].text == "." for i in starts)
    gaps = [b - a for a, b in zip([0, *starts], [*starts, len(doc)])]
    assert max(gaps) <= nlp_module.MAX_SENTENCE_TOKENS
    assert min(gaps[:-1]) > nlp_module.MAX_SENTENCE_TOKENS - len(sentence.split())
