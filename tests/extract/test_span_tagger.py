"""The transformer span tagger: windows, candidate stretches, the shipped model, its errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stancegraph.errors import ModelError
from stancegraph.extract.span_tagger import (
    LABELS,
    PARAGRAPH_MARK,
    SpanTagger,
    WindowFormat,
    candidate_ranges,
    load_span_tagger,
    window_starts,
    word_pieces,
)
from stancegraph.nlp import load_pipeline


@given(st.integers(min_value=0, max_value=3000), st.integers(min_value=10, max_value=300), st.integers(0, 6))
def test_windows_cover_every_piece_with_the_overlap(length: int, max_length: int, overlap: int) -> None:
    window = WindowFormat(max_length, overlap)
    width = max_length - 2
    starts = window_starts(length, window)
    assert starts[0] == 0
    assert all(b - a == width - overlap for a, b in zip(starts, starts[1:-1]))  # noqa: RUF007 (all but the last step)
    assert starts[-1] + width >= length
    assert all(0 <= b - a <= width - overlap for a, b in zip(starts, starts[1:]))  # noqa: RUF007 (reads like the line above)


def test_word_pieces_keep_offsets_and_show_line_breaks() -> None:
    text = "Una Brisk said:\n“Fine.”"
    tokenizer = load_span_tagger().tokenizer
    pieces = word_pieces(tokenizer, text, 4, len(text))
    assert [text[a:b] for a, b in pieces.offsets][:3] == ["Brisk", "said", ":"]
    assert tokenizer.id_to_token(pieces.ids[3]) == PARAGRAPH_MARK
    assert text[slice(*pieces.offsets[3])] == "\n"


def test_candidates_are_sentences_that_can_report_with_their_neighbours(nlp) -> None:
    sentences = [
        "The ferry left at noon.", "The sky was grey.", "The crew was tired.", "Lena Osk said the fares will rise.",
        "The port was quiet.", "Gulls circled.", "The harbour closed at ten.", "Night fell over Brisk.",
    ]
    doc = nlp(" ".join(sentences))
    [(start, end)] = candidate_ranges(doc)
    assert doc[start:end].text == " ".join(sentences[2:5])
    doc = nlp("The ferry left at noon. The sky was grey. The crew was tired.")
    assert candidate_ranges(doc) == []


def test_the_shipped_model_tags_source_cue_and_content() -> None:
    doc = load_pipeline()("Lena Osk, the mayor of Brisk, said on Tuesday that ferry fares would rise in April.")
    [found] = load_span_tagger().attributions(doc)
    assert doc[slice(*found.cue)].text == "said"
    assert found.source is not None and "Lena Osk" in doc[slice(*found.source)].text
    assert "ferry fares would rise in April" in doc[slice(*found.content)].text
    assert 0.0 < found.confidence <= 1.0


def test_a_text_longer_than_a_window_is_read_to_the_end() -> None:
    """Every token of a stretch longer than one window gets the model's probabilities."""
    body = " ".join(f"The {word} line will reach the harbour of Brisk by spring." for word in
                    ["red", "blue", "green", "grey", "gold", "white", "black", "pink", "brown", "amber",
                     "violet", "silver", "olive", "coral", "ivory", "navy", "plum", "rust", "sand", "teal"])
    text = f"“{body} {body}” Transport Minister Lena Osk said."
    doc = load_pipeline()(text)
    tagger = SpanTagger(batch_size=2)
    assert len(word_pieces(tagger.tokenizer, text).ids) > tagger.window.max_length
    probabilities = tagger.token_probabilities(doc)
    assert probabilities.shape == (len(doc), len(LABELS))
    assert abs(probabilities.sum(axis=1) - 1).max() < 1e-4
    assert LABELS[int(probabilities[-2].argmax())].endswith("Cue")  # "said", after the last window edge


def test_a_missing_or_broken_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as missing:
        SpanTagger(tmp_path)
    assert missing.value.code == "E550"
    (tmp_path / "model.onnx").write_bytes(b"not a graph")
    (tmp_path / "config.json").write_text(json.dumps({"window_format": {"max_length": 256, "overlap": 32}}))
    with pytest.raises(ModelError) as broken:
        SpanTagger(tmp_path)
    assert broken.value.code == "E551"


def test_the_default_tagger_is_the_transformer_exactly_when_it_beat_the_crf(default_tagger: None) -> None:
    from stancegraph.extract.attribution import AttributionTagger
    from stancegraph.extract.span_tagger import SpanTagger, load_span_tagger, preferred_tagger

    expected = SpanTagger if load_span_tagger().beats_crf else AttributionTagger
    assert type(preferred_tagger()) is expected


def test_the_crf_reading_gives_the_crf_labels_and_marginals_of_every_label() -> None:
    from stancegraph.extract.attribution import MODEL_DIR as CRF_DIR
    from stancegraph.extract.attribution import load_tagger
    from stancegraph.extract.span_tagger import crf_reading

    doc = load_pipeline()("“The tram fares will rise,” Lena Osk said on Tuesday.\n\nThe port of Brisk was quiet.")
    labels, sure, marginals = crf_reading(doc)
    assert (labels, sure) == load_tagger().labels(doc)
    assert marginals.shape == (len(doc), len(LABELS))
    assert abs(marginals.sum(axis=1) - 1).max() < 1e-4
    for i, label in enumerate(labels):
        if label != "O":
            assert abs(marginals[i, LABELS.index(label)] - sure[i]) < 1e-6
    assert {label[2:] for label in labels} >= {"Source", "Cue", "Content"}
    other = pycrfsuite.Tagger()
    other.open(str(CRF_DIR / "model.crfsuite"))
    again = crf_reading(doc, other)
    assert again[:2] == (labels, sure) and np.array_equal(again[2], marginals)


def test_mixing_weighs_the_crf_by_its_share() -> None:
    from stancegraph.extract.span_tagger import mixed

    model = np.array([[0.2, 0.0, 0.0, 0.0, 0.0, 0.8, 0.0]], dtype=np.float32)
    crf = np.array([[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]], dtype=np.float32)
    assert np.allclose(mixed(model, crf, 0.0), model) and np.allclose(mixed(model, crf, 1.0), crf)
    assert np.allclose(mixed(model, crf, 0.25), [[0.4, 0.0, 0.0, 0.0, 0.0, 0.6, 0.0]])


def test_the_tagger_reads_the_mixed_probabilities_its_config_names(tmp_path: Path) -> None:
    """With all the weight on the CRF and no union, the tagger's attributions are those
    decoded from the CRF's marginals alone."""
    from stancegraph.extract.span_tagger import MODEL_DIR, crf_reading, decode

    for name in ("model.onnx", "tokenizer.json"):
        (tmp_path / name).symlink_to(MODEL_DIR / name)
    config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    config["decoding"] = {"crf_weight": 1.0, "with_crf": False, "outside_scale": 1.0, "min_confidence": 0.0}
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    doc = load_pipeline()("Lena Osk, the mayor of Brisk, said on Tuesday that ferry fares would rise in April.")
    expected = decode(doc, crf_reading(doc)[2])
    assert expected and SpanTagger(tmp_path).attributions(doc) == expected


def test_a_token_whose_probability_is_split_between_b_and_i_keeps_its_role() -> None:
    """"the" is 0.4 outside but 0.3 + 0.3 content: it is read as content, so the content is
    "the talks ...", not "talks ..."."""
    from stancegraph.extract.span_tagger import decode

    doc = load_pipeline()("Lena Osk said the talks will resume in March.")
    rows = {"Lena": "B-Source", "Osk": "I-Source", "said": "B-Cue", "talks": "I-Content", "will": "I-Content",
            "resume": "I-Content", "in": "I-Content", "March": "I-Content"}
    probabilities = np.zeros((len(doc), len(LABELS)), dtype=np.float32)
    for token in doc:
        if token.text == "the":
            probabilities[token.i] = [0.4, 0.0, 0.0, 0.0, 0.0, 0.3, 0.3]
        else:
            probabilities[token.i, LABELS.index(rows.get(token.text, "O"))] = 1.0
    [found] = decode(doc, probabilities)
    assert doc[slice(*found.content)].text == "the talks will resume in March"
    assert found.confidence == pytest.approx((0.6 + 5) / 6)
