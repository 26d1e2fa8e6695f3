"""The backbone against the nested backbone DNA 3.1.2 computes on its sample database."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancegraph.errors import NetworkError
from stancegraph.networks.backbone import BackboneOptions, backbone, evaluate_backbone, nested_backbone
from stancegraph.networks.dna import dna_source
from stancegraph.networks.statements import dedupe_statements, statements_frame

SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dna-sample" / "sample.dna"

# measured with DNA's own code: subtract, average, duplicates per document
DNA_NESTED = [
    ("Cap and trade is the solution.", 0.0273, 1.0, 22),
    ("Climate change is caused by greenhouse gases (CO2).", 0.0174, 0.9049, 19),
    ("Climate change is real and anthropogenic.", 0.0306, 0.9049, 17),
    ("There should be legislation to regulate emissions.", 0.1447, 0.4032, 12),
    ("Emissions legislation should regulate CO2.", 0.3227, 0.4304, 6),
    ("CO2 legislation will not hurt the economy.", 1.0, 0.0, 0),
]


@pytest.fixture(scope="module")
def statements():
    return dedupe_statements(dna_source(SAMPLE).statements, "document")


def test_nested_backbone_reproduces_dna(statements):
    steps = nested_backbone(statements, BackboneOptions())
    got = [(r.entity, round(r.backbone_loss, 4), round(r.redundant_loss, 4), r.statements) for r in steps.itertuples()]
    assert got == DNA_NESTED
    assert steps["iteration"].tolist() == [1, 2, 3, 4, 5, 6]


def test_laplacian_spectrum_is_an_option_and_differs(statements):
    steps = nested_backbone(statements, BackboneOptions(laplacian=True))
    assert len(steps) == 6 and steps["backbone_loss"].iloc[-1] == pytest.approx(1.0)
    assert round(steps["backbone_loss"].iloc[0], 4) != DNA_NESTED[0][1]


def test_penalty_backbone_is_seeded_and_finds_the_three_legislation_concepts(statements):
    first = backbone(statements, BackboneOptions(), penalty=3.5, iterations=600, seed=7)
    again = backbone(statements, BackboneOptions(), penalty=3.5, iterations=600, seed=7)
    assert first.as_dict() == again.as_dict()
    assert len(first.backbone) + len(first.redundant) == 6
    assert len(first.trace) == 600
    # the set DNA's nested backbone keeps longest is the best small backbone
    assert set(first.backbone) == {DNA_NESTED[i][0] for i in (3, 4, 5)}


def test_fixed_size_backbone_keeps_its_size(statements):
    result = backbone(statements, BackboneOptions(), method="fixed", size=4, iterations=300, seed=1)
    assert len(result.backbone) == 4 and len(result.redundant) == 2
    assert result.trace["size"].eq(4).all()
    with pytest.raises(NetworkError, match="E321"):
        backbone(statements, BackboneOptions(), method="fixed", size=6, iterations=10)


def test_evaluation_of_a_given_set_matches_the_nested_losses(statements):
    kept = [DNA_NESTED[i][0] for i in (3, 4, 5)]
    losses = evaluate_backbone(statements, BackboneOptions(), kept)
    assert round(losses["backbone_loss"], 4) == DNA_NESTED[2][1]  # after step 3 these three remained
    assert round(losses["redundant_loss"], 4) == DNA_NESTED[2][2]
    penalised = evaluate_backbone(statements, BackboneOptions(), kept, penalty=3.5)
    assert penalised["backbone_loss"] < losses["backbone_loss"]
    with pytest.raises(NetworkError, match="E322"):
        evaluate_backbone(statements, BackboneOptions(), ["no such concept"])


def test_a_concept_that_only_one_actor_uses_is_removed_first():
    rows = [("Ann", "tax", 1), ("Bo", "tax", 1), ("Cy", "tax", -1), ("Ann", "coal", 1), ("Cy", "coal", -1),
            ("Bo", "hats", 1)]
    frame = statements_frame([{"article_id": "a", "n": i, "actor_id": who, "target": what, "polarity": p}
                              for i, (who, what, p) in enumerate(rows)])
    steps = nested_backbone(frame, BackboneOptions())
    assert steps["entity"].iloc[0] == "hats"
    assert steps["statements"].tolist()[-1] == 0
