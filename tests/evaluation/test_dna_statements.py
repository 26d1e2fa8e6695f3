"""Statement- and network-level agreement with hand-coded DNA statements."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from stancegraph.errors import ModelError
from stancegraph.evaluation.dna_statements import correlation, edge_weights, evaluate, map_concept, read_mapping
from stancegraph.records import Actor, Span, Stance

SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dna-sample" / "sample.dna"


def test_mapping_picks_the_first_row_whose_words_all_occur(tmp_path: Path) -> None:
    path = tmp_path / "map.tsv"
    path.write_text("# comment\ntram fare\tFares should fall.\ntram\tBuild the tram.\n", encoding="utf-8")
    mapping = read_mapping(path)
    assert map_concept("tram fare cut", mapping) == "Fares should fall."
    assert map_concept("new tram line", mapping) == "Build the tram."
    assert map_concept("bus lane", mapping) == "bus lane"


def test_mapping_rows_need_two_cells(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("tram only\n", encoding="utf-8")
    with pytest.raises(ModelError) as error:
        read_mapping(path)
    assert error.value.code == "E535"


def test_edge_weights_count_shared_and_opposed_concepts() -> None:
    frame = pd.DataFrame({"actor": ["Ann", "Bo", "Ann", "Bo", "Cy"], "concept": ["tram", "tram", "toll", "toll", "tram"],
                          "polarity": [1, 1, 1, -1, -1]})
    weights = edge_weights(frame, ["Ann", "Bo", "Cy"])
    assert weights["congruence"][("ann", "bo")] == 1
    assert weights["conflict"][("ann", "bo")] == 1
    assert weights["conflict"][("ann", "cy")] == 1 and weights["congruence"][("ann", "cy")] == 0
    assert correlation([0, 1, 2], [0, 2, 4]) == pytest.approx(1.0)
    assert correlation([1, 1], [0, 2]) is None


def test_evaluate_matches_coded_actors_and_concepts_in_the_sample(tmp_path: Path) -> None:
    """A stub analyser states, for every document, that its first coded actor backs regulation."""
    mapping = tmp_path / "map.tsv"
    mapping.write_text("regulation\tThere should be legislation to regulate emissions.\n", encoding="utf-8")

    def analyse(text: str, title: str) -> SimpleNamespace:
        surname = title.split(": ")[1].split(",")[0]
        actor = Actor(id="x", name=surname, type="person")
        stance = Stance("x", "emission regulation", "issue", 1, Span(0, 4, text[:4]), 0.9)
        return SimpleNamespace(actors=[actor], stances=[stance])

    scores, automatic, manual = evaluate(SAMPLE, mapping, analyse)
    assert scores.documents == 7 and len(automatic) == 7
    # every automatic statement names a coded actor, through the surname
    assert set(automatic["actor"]) <= set(manual["actor"])
    positive = manual[(manual["polarity"] == 1) & (manual["concept"] == "There should be legislation to regulate emissions.")]
    assert scores.matched == positive["article_id"].nunique()
    assert 0 < scores.precision < 1 and 0 < scores.recall < 1
