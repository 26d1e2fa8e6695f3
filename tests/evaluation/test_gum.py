"""The GUM reader and scorer, on CoNLL-U written here; the real folder's test documents unread."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancegraph.errors import ModelError
from stancegraph.evaluation.gum import (
    CHOOSE,
    DEV,
    held_out_documents,
    read_conllu,
    read_dir,
    read_split,
    score_document,
)

GUM = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "gum"


def token(number: int, form: str, upos: str, head: int, misc: str = "_") -> str:
    return "\t".join([str(number), form, form.lower(), upos, "_", "_", str(head), "dep", "_", misc])


LINES = [
    "# newpar",
    token(1, "Nora", "PROPN", 3, "Entity=(1-person-new-x-x-1,2-coref"),
    token(2, "Vale", "PROPN", 1, "Entity=1)"),
    token(3, "spoke", "VERB", 0, "SpaceAfter=No"),
    token(4, ".", "PUNCT", 3),
    "",
    "# newpar",
    token(1, "She", "PRON", 2, "Entity=(1-person-giv-x-x-1-ana)"),
    token(2, "left", "VERB", 0),
    token(3, "Vale", "PROPN", 2, "Entity=(1-person-giv-x-x-1-coref)|SpaceAfter=No"),
    token(4, ".", "PUNCT", 2),
    "",
]


def test_reader_rebuilds_text_paragraphs_and_mentions() -> None:
    document = read_conllu(LINES, "made-up")
    assert document.text == "Nora Vale spoke.\nShe left Vale."
    spans = [(m.entity, document.text[m.start : m.end], m.head_form) for m in document.mentions]
    assert spans == [("1", "Nora Vale", "Nora"), ("1", "She", "She"), ("1", "Vale", "Vale")]


def test_scorer_counts_names_pronouns_and_purity() -> None:
    document = read_conllu(LINES, "made-up")
    good = [(0, 9, "nora-vale", False), (17, 20, "nora-vale", True), (26, 30, "nora-vale", False)]
    scores = score_document(document, good)
    ratios = scores.ratios()
    assert ratios["mention_f1"] == 1.0
    assert ratios["names_merged"] == 1.0
    assert ratios["actors_pure"] == 1.0
    assert (scores.pronouns, scores.pronouns_right) == (1, 1)
    split = [(0, 9, "nora-vale", False), (17, 20, "other", True), (26, 30, "vale", False)]
    ratios = score_document(document, split).ratios()
    assert ratios["names_merged"] == 0.5
    assert ratios["pronouns_right_of_all"] == 0.0
    assert ratios["pronouns_right_of_attached"] == 0.0


def test_real_folder_never_yields_a_test_document() -> None:
    held = held_out_documents(GUM)
    assert held and not set(CHOOSE) & held and not set(DEV) & held
    names = {d.name for d in read_dir(GUM)}
    assert names and not names & held
    assert {d.name for d in read_split(GUM, "choose")} == set(CHOOSE)
    assert not {d.name for d in read_split(GUM, "train")} & (set(CHOOSE) | set(DEV))


def test_unknown_split_and_empty_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="E524"):
        read_split(GUM, "test")
    with pytest.raises(ModelError, match="E523"):
        read_dir(tmp_path)
