"""DNA databases as a statement source, checked against numbers DNA 3.1.2 gives on its sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancegraph.errors import NetworkError
from stancegraph.networks import NetworkOptions, build_network
from stancegraph.networks.dna import dna_source
from stancegraph.networks.readwrite import network_matrix, read_dna
from stancegraph.networks.statements import StatementFilter, dedupe_statements, filter_statements

SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dna-sample" / "sample.dna"


@pytest.fixture(scope="module")
def sample():
    return dna_source(SAMPLE)


def _options(source, **kwargs):
    return NetworkOptions(neutral=True, scale=source.scale, similarity=None, **kwargs)


def test_sample_reads_dna_statements_with_organization_concept_and_agreement(sample):
    assert len(sample.statements) == 40  # the 41st statement is an Annotation
    assert sample.scale == (-1, 1) and sample.kind == "boolean"
    first = sample.statements.iloc[0]
    assert first["actor"] == "Energy and Environmental Analysis, Inc." and first["actor_type"] == "Business"
    assert first["polarity"] == -1 and first["author"] == "Bluestein, Joel"


def test_two_mode_organization_by_concept_is_dna_s_7_by_6_summing_to_40(sample):
    matrix = network_matrix(build_network(sample.statements, _options(sample, kind="two-mode")))
    assert matrix.shape == (7, 6)
    assert matrix.to_numpy().sum() == 40


def test_one_mode_organization_is_dna_s_7_by_7_summing_to_276(sample):
    matrix = network_matrix(build_network(sample.statements, _options(sample, kind="ignore")))
    assert matrix.shape == (7, 7)
    assert matrix.to_numpy().sum() == 276


def test_other_variables_and_document_variables(sample):
    people = dna_source(SAMPLE, variable1="person", variable2="concept")
    assert set(people.statements["actor"]) >= {"Joel Bluestein"}
    authors = dna_source(SAMPLE, variable1="author", variable2="concept", qualifier=None)
    assert set(authors.statements["actor"]) == set(read_dna(SAMPLE).documents["author"])
    assert set(authors.statements["polarity"]) == {1}


def test_unknown_statement_type_variable_and_text_qualifier_are_refused():
    with pytest.raises(NetworkError, match="E318"):
        dna_source(SAMPLE, statement_type="Tweet")
    with pytest.raises(NetworkError, match="E318"):
        dna_source(SAMPLE, variable1="ministry")
    with pytest.raises(NetworkError, match="E319"):
        dna_source(SAMPLE, qualifier="person")


def test_exclusion_and_inversion_filters_on_variables_and_documents(sample):
    statements = sample.statements
    sierra = filter_statements(statements, StatementFilter(neutral=True, exclude_values=(("organization", "Sierra Club"),)))
    assert len(sierra) == 40 - 6
    only = filter_statements(statements, StatementFilter(neutral=True, exclude_values=(("organization", "Sierra Club"),),
                                                         invert_values=True))
    assert set(only["actor"]) == {"Sierra Club"}
    author = statements["author"].iloc[0]
    without = filter_statements(statements, StatementFilter(neutral=True, exclude_authors=(author,)))
    assert author not in set(without["author"]) and len(without) < 40
    kept = filter_statements(statements, StatementFilter(neutral=True, exclude_authors=(author,), invert_authors=True))
    assert set(kept["author"]) == {author}


def test_duplicates_per_document_leave_dna_s_23_statements(sample):
    assert len(dedupe_statements(sample.statements, "document")) == 23
    distinct = sample.statements.groupby(["actor_id", "concept", "polarity"]).ngroups
    assert len(dedupe_statements(sample.statements, "acrossrange")) == distinct


def test_two_mode_activity_and_prominence_normalisation(sample):
    activity = network_matrix(build_network(sample.statements, _options(sample, kind="two-mode", normalize="activity")))
    assert activity.sum(axis=1).round(9).eq(1.0).all()
    prominence = network_matrix(build_network(sample.statements, _options(sample, kind="two-mode", normalize="prominence")))
    assert prominence.sum(axis=0).round(9).eq(1.0).all()


def test_integer_qualifier_congruence_is_similarity_and_conflict_distance(tmp_path):
    import pandas as pd

    from stancegraph.networks import write_dna

    said = [("Ada", 0.2), ("Bo", 1.0), ("Cy", 0.6)]  # written as DNA integers 20, 100, 60: range 80
    frame = pd.DataFrame([{"article_id": "q", "n": i, "actor_id": who, "actor": who, "actor_type": "person",
                           "target": "tax", "target_kind": "issue", "polarity": 1, "confidence": c,
                           "date": "2024-01-01", "evidence_start": 0, "evidence_end": 5}
                          for i, (who, c) in enumerate(said)])
    path = tmp_path / "integer.dna"
    write_dna(path, frame, pd.DataFrame([{"id": "q", "title": "Q", "date": "2024-01-01", "source": "", "text": "Words."}]),
              password="x")
    source = dna_source(path, qualifier="confidence")
    assert source.kind == "integer" and source.scale == (20, 60, 100)
    congruence = network_matrix(build_network(source.statements, _options(source, kind="congruence")))
    conflict = network_matrix(build_network(source.statements, _options(source, kind="conflict")))
    assert congruence.loc["Ada", "Bo"] == 0.0 and conflict.loc["Ada", "Bo"] == 1.0
    assert congruence.loc["Bo", "Cy"] == 0.5 and conflict.loc["Bo", "Cy"] == 0.5
    subtract = network_matrix(build_network(source.statements, _options(source, kind="two-mode", qualifier="subtract")))
    assert subtract.loc["Ada", "tax"] == 20.0  # the integer value itself
