"""``stancegraph network``, the analysis commands, ``concepts`` and the DNA commands on a real store."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from stancegraph.cli.main import app
from stancegraph.records import Actor, ArticleAnalysis, Span, Stance

SAMPLE = Path("/work/shared/data/dna-sample/sample.dna")

# (article id, date, [(actor, type, issue, polarity)]): Ana and Ben support the tax, Cy opposes
# it; Cy turns on the tax in March.
CORPUS = [
    ("n1", "2024-01-08", [("Ana Lima", "person", "carbon tax", 1), ("Cy Dorn", "person", "carbon tax", -1)]),
    ("n2", "2024-01-20", [("Ben Ruiz", "person", "carbon tax", 1), ("Cy Dorn", "person", "carbon tax", -1),
                          ("Ana Lima", "person", "the carbon taxes", 1)]),
    ("n3", "2024-03-02", [("Cy Dorn", "person", "carbon tax", 1), ("Ben Ruiz", "person", "coal subsidy", -1)]),
]
FAST = ["--no-embeddings"]


def _article(article_id: str, date: str, stances: list[tuple[str, str, str, int]]) -> ArticleAnalysis:
    sentences = [f"{who} {'backs' if p > 0 else 'rejects'} {issue}." for who, _, issue, p in stances]
    text = " ".join(sentences)
    names = sorted({who for who, *_ in stances})
    actors = [Actor(f"x{i}", name, "person", mentions=[Span.of(text, text.index(name), text.index(name) + len(name))])
              for i, name in enumerate(names)]
    ids = {a.name: a.id for a in actors}
    found, start = [], 0
    for sentence, (who, _, issue, p) in zip(sentences, stances):
        at = text.index(sentence, start)
        found.append(Stance(ids[who], issue, "issue", p, Span.of(text, at, at + len(sentence)), 0.9))
        start = at + len(sentence)
    return ArticleAnalysis(article_id, f"News {article_id}", date, "Wire", text, actors=actors, stances=found)


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    from stancegraph.store import open_store, write_analyses

    path = tmp_path_factory.mktemp("cli") / "news.duckdb"
    con = open_store(path)
    write_analyses(con, [_article(*article) for article in CORPUS])
    con.close()
    return path


@pytest.fixture
def db(built_store, tmp_path) -> Path:
    path = tmp_path / "news.duckdb"
    shutil.copy(built_store, path)
    return path


def invoke(*args: str):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_conflict_network_as_graphml(db, tmp_path):
    out = tmp_path / "conflict.graphml"
    result = invoke("network", "--db", db, "--kind", "conflict", "--format", "graphml", "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    names = {frozenset((graph.nodes[u]["name"], graph.nodes[v]["name"])): d["weight"] for u, v, d in graph.edges(data=True)}
    # "the carbon taxes" folds into "carbon tax": Ana 2 x Cy 2 in January, Ben 1 x Cy 2
    assert names == {frozenset(("Ana Lima", "Cy Dorn")): 4.0, frozenset(("Ben Ruiz", "Cy Dorn")): 2.0}
    assert graph.nodes["actor:ana-lima"]["statements"] == 2
    assert "3 nodes, 2 edges" in result.stdout


def test_windows_with_kernel_as_dynamic_gexf(db, tmp_path):
    out = tmp_path / "windows.gexf"
    result = invoke("network", "--db", db, "--kind", "congruence", "--window", "30d", "--step", "2w",
                    "--kernel", "gaussian", "--format", "gexf", "-o", out, *FAST)
    assert result.exit_code == 0, result.output
    graph = nx.read_gexf(out)
    assert graph.graph["mode"] == "dynamic"
    assert "spells" in graph.edges["actor:ana-lima", "actor:ben-ruiz"]


def test_csv_json_and_two_mode_options(db, tmp_path):
    result = invoke("network", "--db", db, "--qualifier", "subtract", "--format", "csv", "-o", tmp_path / "tm.csv", *FAST)
    assert result.exit_code == 0, result.output
    edges = pd.read_csv(tmp_path / "tm.csv")
    cy = edges.loc[(edges["source_name"] == "Cy Dorn") & (edges["target_name"] == "carbon tax"), "weight"]
    assert cy.tolist() == [-1.0]  # two against, one for
    assert (tmp_path / "tm_nodes.csv").exists()
    result = invoke("network", "--db", db, "--kind", "subtract", "--normalize", "average", "--duplicates", "month",
                    "--from", "2024-01-01", "--to", "2024-01-31", "--format", "json", "-o", tmp_path / "s.json", *FAST)
    assert result.exit_code == 0, result.output
    graph = nx.node_link_graph(json.loads((tmp_path / "s.json").read_text()), edges="edges")
    assert graph.edges["actor:ana-lima", "actor:cy-dorn"]["weight"] == -1.0  # one each per month: -1 / 1


def test_dna_export_and_comparison(db, tmp_path):
    out = tmp_path / "news.dna"
    result = invoke("network", "--db", db, "--format", "dna", "-o", out, "--dna-password", "pw", *FAST)
    assert result.exit_code == 0, result.output
    assert "7 statements in 3 documents" in result.stdout
    con = sqlite3.connect(out)
    assert con.execute("SELECT count(*) FROM STATEMENTS").fetchone() == (7,)
    con.execute("UPDATE DATABOOLEAN SET Value = 1 - Value WHERE StatementId = 2")  # a coder corrects Cy in n1
    con.commit()
    con.close()
    result = invoke("dna-compare", out, "--db", db, *FAST)
    assert result.exit_code == 0, result.output
    assert "matched 6, missed 1, extra 1" in result.stdout


def test_dna_format_takes_no_windows(db, tmp_path):
    result = invoke("network", "--db", db, "--format", "dna", "--window", "30d", "-o", tmp_path / "x.dna", *FAST)
    assert result.exit_code == 1 and "E307" in result.stderr


def test_dna_import_reads_the_sample(tmp_path):
    result = invoke("dna-import", SAMPLE)
    assert result.exit_code == 0, result.output
    assert "41 statements in 7 documents" in result.stdout
    result = invoke("dna-import", SAMPLE, "-o", tmp_path / "sample.csv")
    assert len(pd.read_csv(tmp_path / "sample.csv")) == 41


def test_analysis_commands_print_tables_and_write_pngs(db, tmp_path):
    for command, extra, expected in (
        ("polarisation", ["--window", "1m"], "Actor polarisation"),
        ("faultline", [], "carbon tax"),
        ("changers", [], "Cy Dorn"),
    ):
        png = tmp_path / f"{command}.png"
        result = invoke(command, "--db", db, "-o", png, *extra, *FAST)
        assert result.exit_code == 0, result.output
        assert expected in result.stdout
        assert png.read_bytes().startswith(b"\x89PNG")


def test_changers_as_json_lines(db, tmp_path):
    result = invoke("changers", "--db", db, "--json", "-o", tmp_path / "c.png", *FAST)
    assert result.exit_code == 0, result.output
    [line] = result.stdout.strip().splitlines()
    record = json.loads(line)
    assert (record["actor"], record["from_polarity"], record["to_polarity"]) == ("Cy Dorn", -1, 1)


def test_concepts_list_merge_rename_export_import(db, tmp_path):
    result = invoke("concepts", "list", "--db", db, "--json", *FAST)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    tax = next(row for row in rows if row["concept"] == "carbon tax")
    assert tax["labels"] == ["carbon tax", "the carbon taxes"] and tax["statements"] == 6
    assert invoke("concepts", "merge", "carbon tax", "coal subsidy", "--db", db, *FAST).exit_code == 0
    assert invoke("concepts", "rename", "carbon tax", "climate policy", "--db", db, *FAST).exit_code == 0
    out = tmp_path / "concepts.yaml"
    assert invoke("concepts", "export", "--db", db, "-o", out).exit_code == 0
    assert "climate policy" in out.read_text()
    graph_path = tmp_path / "tm.graphml"
    invoke("network", "--db", db, "-o", graph_path, *FAST)
    concepts = {d["name"] for _, d in nx.read_graphml(graph_path).nodes(data=True) if d["kind"] == "concept"}
    assert concepts == {"climate policy"}
    out.write_text("- label: tax\n  aliases: [carbon tax]\n", encoding="utf-8")
    assert invoke("concepts", "import", out, "--db", db).exit_code == 0
    result = invoke("concepts", "remove", "climate policy", "--db", db)
    assert result.exit_code == 1 and "E311" in result.stderr


def test_errors_are_one_line_with_a_code(db, tmp_path):
    result = invoke("network", "--db", db, "--kind", "bipartite", "-o", tmp_path / "x.graphml", *FAST)
    assert result.exit_code == 1 and "E301" in result.stderr
    result = invoke("network", "--db", tmp_path / "missing.duckdb", "-o", tmp_path / "x.graphml", *FAST)
    assert result.exit_code == 1 and "E201" in result.stderr
    result = invoke("network", "--db", db, "--from", "March 1", "-o", tmp_path / "x.graphml", *FAST)
    assert result.exit_code == 1 and "E304" in result.stderr


def test_the_installed_command_runs(db, tmp_path):
    out = tmp_path / "c.gexf"
    done = subprocess.run([sys.executable, "-m", "stancegraph.cli.main", "network", "--db", str(db), "--kind",
                           "conflict", "--format", "gexf", "-o", str(out), *FAST], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert nx.read_gexf(out).number_of_edges() == 2


SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dna-sample" / "sample.dna"


def test_backbone_of_a_dna_database_as_json_gives_dna_s_nested_numbers():
    result = invoke("backbone", "--dna", SAMPLE, "--method", "nested", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["statements"] == 23
    got = [(s["entity"], round(s["backbone_loss"], 4), round(s["redundant_loss"], 4), s["statements"])
           for s in payload["steps"]]
    assert got[0] == ("Cap and trade is the solution.", 0.0273, 1.0, 22)
    assert got[3] == ("There should be legislation to regulate emissions.", 0.1447, 0.4032, 12)
    assert got[-1] == ("CO2 legislation will not hurt the economy.", 1.0, 0.0, 0)


def test_two_mode_network_of_a_dna_database_into_a_csv_folder(tmp_path):
    out = tmp_path / "dna-net"
    result = invoke("network", "--dna", SAMPLE, "--kind", "two-mode", "--variable1", "organization",
                    "--variable2", "concept", "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    matrix = pd.read_csv(out / "matrix.csv", sep=";", index_col=0)
    assert matrix.shape == (7, 6) and matrix.to_numpy().sum() == 40
    assert len(pd.read_csv(out / "network.csv")) == (matrix.to_numpy() > 0).sum()


def test_polarisation_of_a_dna_database_with_the_greedy_algorithm_as_json():
    args = ("polarisation", "--dna", SAMPLE, "--algorithm", "greedy", "--format", "json", "--window", "10d", "--seed", "4")
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["algorithm"] == "greedy" and len(payload["windows"]) == 22  # one mid-point a day, 26 Jan..16 Feb
    assert all(0.0 <= w["polarisation"] <= 1.0 for w in payload["windows"])
    assert json.loads(invoke(*args).output) == payload


def test_event_list_exclusions_and_one_source_only(db, tmp_path):
    out = tmp_path / "events.csv"
    result = invoke("network", "--dna", SAMPLE, "--format", "events", "-o", out, "--exclude", "organization=Senate")
    assert result.exit_code == 0, result.output
    events = pd.read_csv(out, sep=";")
    assert len(events) == 40 - 5 and "Senate" not in set(events["organization"])
    both = invoke("network", "--db", db, "--dna", SAMPLE, "-o", tmp_path / "x.graphml")
    assert both.exit_code == 1 and "E320" in both.output
    neither = invoke("backbone")
    assert neither.exit_code == 1 and "E320" in neither.output


def test_backbone_cluster_and_phase_transitions_of_the_store(db):
    backbone = invoke("backbone", "--db", db, "--format", "json", "--duplicates", "include", *FAST)
    assert backbone.exit_code == 0, backbone.output
    steps = json.loads(backbone.output)["steps"]
    assert steps[-1]["backbone_loss"] == pytest.approx(1.0) and steps[-1]["statements"] == 0
    clusters = invoke("cluster", "--dna", SAMPLE, "--method", "ward", "--method", "louvain", "--format", "json")
    assert clusters.exit_code == 0, clusters.output
    methods = json.loads(clusters.output)["methods"]
    assert [m["modularity"] for m in methods] == sorted((m["modularity"] for m in methods), reverse=True)
    phases = invoke("phase-transitions", "--dna", SAMPLE, "--window", "6d", "--method", "ward", "--format", "json")
    assert phases.exit_code == 0, phases.output
    assert len(json.loads(phases.output)["states"]) == 22
