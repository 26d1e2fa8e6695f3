"""Writers and readers: GraphML, GEXF, CSV, JSON, and DNA databases against DNA's own sample."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from stancegraph.errors import NetworkError
from stancegraph.networks import (
    NetworkOptions,
    build_network,
    compare_codings,
    dna_statements,
    read_dna,
    read_json,
    statements_frame,
    time_windows,
    write_dna,
    write_network,
)
from stancegraph.networks.readwrite import dna_password_matches, write_events

SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dna-sample" / "sample.dna"
SAMPLE_EXPORT = SAMPLE.with_name("statements_export.json")


@pytest.fixture(scope="module")
def conflict(statements):
    return build_network(statements, NetworkOptions(kind="conflict"))


@pytest.fixture(scope="module")
def documents(analyses):
    return pd.DataFrame([{"id": a.id, "title": a.title, "date": a.date, "source": a.source, "text": a.text}
                         for a in analyses])


def test_graphml_parses_back_with_node_and_edge_attributes(conflict, tmp_path):
    [path] = write_network(conflict, tmp_path / "conflict.graphml", "graphml")
    graph = nx.read_graphml(path)
    node = graph.nodes["actor:Greta Green"]
    assert (node["name"], node["type"], node["statements"]) == ("Greta Green", "person", 3)
    edge = graph.edges["actor:Green Party", "actor:Frank Fossil"]
    assert edge["weight"] == 2.0
    assert edge["concepts"] == "carbon tax; coal phase-out"
    assert len(edge["statements"].split("; ")) == 4
    assert graph.graph["kind"] == "conflict"


def test_gexf_parses_back_with_attributes(conflict, tmp_path):
    [path] = write_network(conflict, tmp_path / "conflict.gexf", "gexf")
    graph = nx.read_gexf(path)
    assert graph.nodes["actor:Coal Union"]["label"] == "Coal Union"
    assert graph.nodes["actor:Coal Union"]["statements"] == 2
    edge = graph.edges["actor:Greta Green", "actor:Coal Union"]
    assert edge["weight"] == 6.0 and edge["concepts"] == "coal phase-out"


def test_dynamic_gexf_carries_time(statements, tmp_path):
    windows = time_windows(statements, NetworkOptions(kind="conflict", window="1m"))
    [path] = write_network(windows, tmp_path / "windows.gexf", "gexf")
    assert 'mode="dynamic"' in path.read_text(encoding="utf-8")
    graph = nx.read_gexf(path)
    edge = graph.edges["actor:Greta Green", "actor:Coal Union"]
    assert edge["spells"] == [("2024-01-03", "2024-02-02")]
    assert edge["window_weight"] == [(3.0, "2024-01-03", "2024-02-02")]
    alliance = graph.edges["actor:Climate Alliance", "actor:Coal Union"]
    assert alliance["spells"] == [("2024-02-03", "2024-03-02")]


def test_csv_edge_and_node_lists(conflict, statements, tmp_path):
    edges_path, nodes_path = write_network(conflict, tmp_path / "conflict.csv", "csv")
    edges = pd.read_csv(edges_path)
    pairs = [frozenset(pair) for pair in zip(edges["source_name"], edges["target_name"])]
    row = edges.iloc[pairs.index(frozenset(("Greta Green", "Coal Union")))]
    assert row["weight"] == 6.0 and row["concepts"] == "coal phase-out"
    nodes = pd.read_csv(nodes_path)
    assert set(nodes["name"]) == {"Greta Green", "Green Party", "Climate Alliance", "Coal Union", "Frank Fossil"}
    windows = time_windows(statements, NetworkOptions(kind="conflict", window="1m"))
    edges_path, _ = write_network(windows, tmp_path / "windows.csv", "csv")
    long = pd.read_csv(edges_path)
    assert sorted(set(long["window_start"])) == ["2024-01-03", "2024-02-03"]


def test_json_node_link_round_trip(conflict, statements, tmp_path):
    [path] = write_network(conflict, tmp_path / "conflict.json", "json")
    graph = read_json(path)
    assert graph.edges["actor:Green Party", "actor:Frank Fossil"]["concepts"] == ["carbon tax", "coal phase-out"]
    assert json.loads(path.read_text())["edges"]
    windows = time_windows(statements, NetworkOptions(kind="conflict", window="1m"))
    [path] = write_network(windows, tmp_path / "windows.json", "json")
    back = read_json(path)
    assert [w.start.date().isoformat() for w in back] == ["2024-01-03", "2024-02-03"]
    assert back[1].graph.number_of_edges() == 2


def test_graphml_windows_are_one_file_each(statements, tmp_path):
    windows = time_windows(statements, NetworkOptions(kind="conflict", window="1m"))
    paths = write_network(windows, tmp_path / "conflict.graphml", "graphml")
    assert [p.name for p in paths] == ["conflict_001_2024-01-03.graphml", "conflict_002_2024-02-03.graphml"]
    assert nx.read_graphml(paths[1]).number_of_edges() == 2


def test_unknown_format_and_missing_folder(conflict, tmp_path):
    with pytest.raises(NetworkError, match="E306"):
        write_network(conflict, tmp_path / "x.xlsx", "xlsx")
    with pytest.raises(NetworkError, match="E310"):
        write_network(conflict, tmp_path / "missing" / "x.graphml", "graphml")


def _schema(path: Path) -> dict[str, tuple[list[str], str]]:
    """Each table's columns and its CREATE statement (whitespace folded)."""
    con = sqlite3.connect(path)
    try:
        tables = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
        return {name: ([row[1] for row in con.execute(f"PRAGMA table_info({name})")], " ".join(sql.split()))
                for name, sql in tables}
    finally:
        con.close()


def test_dna_export_has_the_tables_and_columns_of_dna_sample(statements, documents, tmp_path):
    path = tmp_path / "corpus.dna"
    summary = write_dna(path, statements, documents, password="secret")
    assert summary == {"documents": 4, "statements": 12, "neutral": 0, "undated": 0, "reviewed": 0}
    assert _schema(path) == _schema(SAMPLE)
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        (hashed,) = con.execute("SELECT Password FROM CODERS WHERE Name = 'Admin'").fetchone()
        assert dna_password_matches("secret", hashed)
        variables = dict(con.execute("SELECT Variable, DataType FROM VARIABLES WHERE StatementTypeId = 1"))
        assert variables == {"person": "short text", "organization": "short text", "concept": "short text",
                             "agreement": "boolean", "confidence": "integer"}
    finally:
        con.close()


def test_dna_export_round_trips_through_the_importer(statements, documents, tmp_path):
    path = tmp_path / "corpus.dna"
    write_dna(path, statements, documents, password="secret")
    back = dna_statements(read_dna(path))
    compared = ["article_id", "actor", "actor_type", "concept", "concept_kind", "polarity", "confidence", "date",
                "source", "evidence_start", "evidence_end", "evidence_text"]
    original = statements.loc[:, compared].reset_index(drop=True)
    pd.testing.assert_frame_equal(back.loc[:, compared], original, check_dtype=False)
    comparison = compare_codings(statements, back)
    assert (comparison.precision, comparison.recall) == (1.0, 1.0)


def test_dna_offsets_are_utf16_code_units(tmp_path):
    text = "Emoji 😀 first. Ada backs the tax."
    start = text.index("Ada")
    frame = statements_frame([{"article_id": "e", "n": 0, "actor_id": "ada", "actor": "Ada", "actor_type": "person",
                               "target": "tax", "target_kind": "issue", "polarity": 1, "date": "2024-01-01",
                               "evidence_start": start, "evidence_end": len(text), "evidence_text": text[start:]}])
    docs = pd.DataFrame([{"id": "e", "title": "E", "date": "2024-01-01", "source": None, "text": text}])
    path = tmp_path / "emoji.dna"
    write_dna(path, frame, docs, password="x")
    (stored_start,) = sqlite3.connect(path).execute("SELECT Start FROM STATEMENTS").fetchone()
    assert stored_start == start + 1  # the emoji is two UTF-16 units
    assert read_dna(path).statements.loc[0, "text"] == "Ada backs the tax."


def test_importer_reads_the_41_hand_coded_statements_of_dna_sample():
    database = read_dna(SAMPLE)
    assert len(database.statements) == 41
    assert len(database.documents) == 7
    expected = json.loads(SAMPLE_EXPORT.read_text(encoding="utf-8"))
    by_id = database.statements.set_index("statement_id")
    for record in expected:
        row = by_id.loc[record["statement_id"]]
        assert row["text"] == record["text"]
        for variable in ("person", "organization", "concept", "agreement"):
            if variable in record:
                assert row[variable] == record[variable]
    assert by_id.loc[5, "statement_type"] == "Annotation"
    statements = dna_statements(database)
    assert len(statements) == 40
    assert statements.loc[0, ["actor", "actor_type", "polarity"]].tolist() == ["Joel Bluestein", "Business", -1]
    organizations = dna_statements(database, actor="organization")
    assert organizations.loc[0, "actor"] == "Energy and Environmental Analysis, Inc."


def test_comparison_counts_missed_and_extra_statements(statements):
    manual = statements.copy()
    manual.loc[manual["actor"] == "Coal Union", "polarity"] = 1  # the coder disagrees twice (art1, art3)
    comparison = compare_codings(statements, manual)
    assert len(comparison.missed) == 2 and len(comparison.extra) == 2
    assert len(comparison.matched) == 9  # 11 distinct automatic statements (Greta's art1 pair is one)
    assert round(comparison.precision, 3) == round(9 / 11, 3)


def _doc(article_id, text, date="2024-01-01", ingested_at=None):
    return {"id": article_id, "title": article_id.upper(), "date": date, "source": "Wire", "text": text,
            "ingested_at": ingested_at}


def _said(article_id, n, actor, actor_type, concept, polarity=1, confidence=None, date="2024-01-01"):
    return {"article_id": article_id, "n": n, "actor_id": actor, "actor": actor, "actor_type": actor_type,
            "target": concept, "target_kind": "issue", "polarity": polarity, "confidence": confidence,
            "date": date, "evidence_start": 0, "evidence_end": 5, "evidence_text": "Words"}


def test_with_dna_s_default_variable_every_exported_statement_is_in_the_network(statements, documents, tmp_path):
    from stancegraph.networks.dna import dna_source

    path = tmp_path / "corpus.dna"
    summary = write_dna(path, statements, documents, password="secret")
    source = dna_source(path)  # organization x concept, agreement: DNA's and rDNA's defaults
    assert len(source.statements) == summary["statements"] == 12
    graph = build_network(source.statements, NetworkOptions(kind="two-mode", neutral=True, scale=source.scale,
                                                             similarity=None))
    assert sum(weight for *_, weight in graph.edges(data="weight")) == 12
    people = {name for name, kind in zip(source.statements["actor"], source.statements["actor_type"]) if kind == "person"}
    assert people == {"Greta Green", "Frank Fossil"}  # persons are organization entities of Type person


def test_dna_settings_are_those_dna_3_1_2_writes(statements, documents, tmp_path):
    path = tmp_path / "corpus.dna"
    write_dna(path, statements, documents, password="secret")
    settings = dict(sqlite3.connect(path).execute("SELECT Property, Value FROM SETTINGS"))
    assert settings == {"version": "3.1.2", "date": "2026-06-30"}


def test_undated_articles_get_their_ingest_day_and_say_so(tmp_path):
    frame = statements_frame([_said("u", 0, "Ada Vale", "person", "tax", date=None)])
    docs = pd.DataFrame([_doc("u", "Words here.", date=None, ingested_at=pd.Timestamp("2025-03-04 17:30"))])
    path = tmp_path / "undated.dna"
    assert write_dna(path, frame, docs, password="x")["undated"] == 1
    date, notes = sqlite3.connect(path).execute("SELECT Date, Notes FROM DOCUMENTS").fetchone()
    assert pd.Timestamp(date, unit="s") == pd.Timestamp("2025-03-04")
    assert "undated" in notes and "2025-03-04" in notes
    back = dna_statements(read_dna(path))
    assert back.loc[0, "article_id"] == "u" and back.loc[0, "date"] == pd.Timestamp("2025-03-04")


def test_long_names_stay_distinct_after_the_cut_and_types_are_per_variable(tmp_path):
    stem = "The Joint Standing Committee on " + "Very Long Names " * 12
    first, second = stem + "of the North", stem + "of the South"
    frame = statements_frame([_said("d", 0, first, "organization", "tax"), _said("d", 1, second, "group", "tax"),
                              _said("d", 2, "Ada Vale", "person", "tax"), _said("d", 3, "Ada Vale", "person", "coal"),
                              _said("d", 4, "Ada Vale", "organization", "coal")])
    path = tmp_path / "long.dna"
    write_dna(path, frame, pd.DataFrame([_doc("d", "Words here.")]), password="x")
    con = sqlite3.connect(path)
    names = [v for (v,) in con.execute("SELECT Value FROM ENTITIES WHERE VariableId = 2 AND Value != ''")]
    assert len(names) == len(set(names)) == 3 and all(len(n) < 191 for n in names)
    kinds = dict(con.execute("SELECT e.Value, a.AttributeValue FROM ENTITIES e JOIN ATTRIBUTEVALUES a ON a.EntityId = e.ID "
                             "JOIN ATTRIBUTEVARIABLES v ON v.ID = a.AttributeVariableId "
                             "WHERE v.AttributeVariable = 'Type' AND e.VariableId = 2 AND e.Value = 'Ada Vale'"))
    assert kinds == {"Ada Vale": "person"}  # two of Ada Vale's three statements say person


def test_absent_confidence_stays_absent(tmp_path):
    frame = pd.DataFrame([_said("c", 0, "Ada Vale", "person", "tax", confidence=0.75),
                          _said("c", 1, "Bo Lund", "person", "tax", confidence=None)])
    path = tmp_path / "confidence.dna"
    write_dna(path, frame, pd.DataFrame([_doc("c", "Words here.")]), password="x")
    rows = sqlite3.connect(path).execute("SELECT StatementId, Value FROM DATAINTEGER").fetchall()
    assert rows == [(1, 75)]
    back = dna_statements(read_dna(path))
    assert back.loc[0, "confidence"] == 0.75 and pd.isna(back.loc[1, "confidence"])


def test_pajek_reads_back_in_networkx(conflict, tmp_path):
    (path,) = write_network(conflict, tmp_path / "conflict.net", "pajek")
    back = nx.Graph(nx.read_pajek(path))
    names = {conflict.nodes[n]["name"] for n in conflict.nodes}
    assert set(back.nodes) == names
    weights = {frozenset((conflict.nodes[u]["name"], conflict.nodes[v]["name"])): w
               for u, v, w in conflict.edges(data="weight")}
    assert {frozenset((u, v)): w for u, v, w in back.edges(data="weight")} == pytest.approx(weights)


def test_ucinet_dl_and_dna_matrix_csv_hold_dna_s_matrix(statements, tmp_path):
    from stancegraph.networks.readwrite import network_matrix

    two_mode = build_network(statements, NetworkOptions(kind="two-mode"))
    matrix = network_matrix(two_mode)
    (dl,) = write_network(two_mode, tmp_path / "net.dl", "dl")
    lines = dl.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"dl nr = {matrix.shape[0]}, nc = {matrix.shape[1]}, format = fullmatrix"
    data = lines[lines.index("data:") + 1:]
    assert [[int(v) for v in row.split()] for row in data] == matrix.astype(int).to_numpy().tolist()
    assert lines[2:2 + matrix.shape[0]] == [f'"{name}"' for name in matrix.index]
    (csv,) = write_network(two_mode, tmp_path / "net.csv", "matrix")
    back = pd.read_csv(csv, sep=";", index_col=0)
    pd.testing.assert_frame_equal(back.astype(float), matrix, check_names=False)


def test_graphml_and_gexf_edges_carry_statement_attributes(conflict, tmp_path):
    (graphml,) = write_network(conflict, tmp_path / "net.graphml", "graphml")
    (gexf,) = write_network(conflict, tmp_path / "net.gexf", "gexf")
    for back in (nx.read_graphml(graphml), nx.read_gexf(gexf)):
        edge = back.edges["actor:Greta Green", "actor:Frank Fossil"]
        # Greta's coal statements (art1 twice, art2) against Frank's (art2)
        assert edge["articles"] == "art1; art2"
        assert (edge["first_date"], edge["last_date"]) == ("2024-01-03", "2024-01-10")
        assert edge["statements"]


def test_event_list_has_one_row_per_statement_with_dna_s_columns(tmp_path):
    from stancegraph.networks.dna import dna_source

    sample = dna_source(SAMPLE)
    (path,) = write_events(sample.statements, tmp_path / "events.csv")
    events = pd.read_csv(path, sep=";")
    assert len(events) == 40
    assert list(events.columns[:3]) == ["statement_id", "time", "person"]
    assert {"organization", "concept", "agreement", "document_author"} <= set(events.columns)
    assert events["agreement"].isin([0, 1]).all()
