"""Groups in networks: a stance held by "both leaders" is one statement per member (issue 10).

The texts are written for these tests and parsed for real; a group's stance is traced back
through the ``group`` column, and an organisation's "they" stays one actor.
"""

from __future__ import annotations

import pytest

from stancegraph.networks import NetworkOptions, build_network
from stancegraph.networks.readwrite import dna_statements, network_matrix, read_dna, write_dna
from stancegraph.networks.statements import load_documents, load_statements, statements_from_analyses
from stancegraph.pipeline import analyze_doc
from stancegraph.records import Article
from stancegraph.store.schema import open_store
from stancegraph.store.writer import write_analyses

GROUP_TEXT = ('Oskar Veldt and Pavel Rudnik met in Oslo on Tuesday. '
              '"We reject the new fishing quota," both leaders said.')
ORGANISATION_TEXT = "The Harbour Authority said on Monday that they reject the new fishing quota."
MEMBERS = {"Oskar Veldt", "Pavel Rudnik"}


@pytest.fixture(scope="module")
def group_analysis(nlp):
    analysis = analyze_doc(nlp(GROUP_TEXT), Article(GROUP_TEXT, id="g1", date="2024-05-02"))
    [group] = [a for a in analysis.actors if a.type == "group"]
    assert [s.actor for s in analysis.stances] == [group.id]  # the stance is the group's, not split by extraction
    return analysis


def _options(**kwargs):
    return NetworkOptions(similarity=None, **kwargs)


def test_a_group_stance_is_one_statement_per_member(group_analysis):
    statements = statements_from_analyses([group_analysis])
    assert set(statements["actor"]) == MEMBERS
    assert set(statements["group"]) == {"Oskar Veldt and Pavel Rudnik"}
    assert statements["statement_id"].nunique() == 1  # both come from the one stance
    matrix = network_matrix(build_network(statements, _options(kind="two-mode")))
    assert set(matrix.index) == MEMBERS
    assert matrix.to_numpy().sum() == 2
    one_mode = network_matrix(build_network(statements, _options(kind="congruence")))
    assert one_mode.loc["Oskar Veldt", "Pavel Rudnik"] == 1


def test_an_organisation_they_is_not_split_into_members(nlp):
    analysis = analyze_doc(nlp(ORGANISATION_TEXT), Article(ORGANISATION_TEXT, id="o1"))
    statements = statements_from_analyses([analysis])
    assert list(statements["actor"]) == ["Harbour Authority"]
    assert statements["group"].isna().all()


def test_the_store_counts_a_group_stance_for_each_member_and_the_dna_export_too(group_analysis, nlp, tmp_path):
    con = open_store(tmp_path / "store.duckdb")
    write_analyses(con, [group_analysis, analyze_doc(nlp(ORGANISATION_TEXT), Article(ORGANISATION_TEXT, id="o1"))])
    statements = load_statements(con)
    grouped = statements.loc[statements["article_id"] == "g1"]
    assert sorted(grouped["actor"]) == sorted(MEMBERS)
    [group_id] = set(grouped["group"])
    assert con.execute("SELECT type FROM actors WHERE id = ?", [group_id]).fetchone() == ("group",)
    assert statements.loc[statements["article_id"] == "o1", "group"].isna().all()
    path = tmp_path / "export.dna"
    counts = write_dna(path, statements, load_documents(con, statements["article_id"]), password="pw")
    assert counts["statements"] == 3
    exported = dna_statements(read_dna(path), actor="organization")
    assert sorted(exported["actor"]) == sorted([*MEMBERS, "Harbour Authority"])
