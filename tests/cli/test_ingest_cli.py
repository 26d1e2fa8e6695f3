"""The ingest, query, export and actors commands, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from stancegraph.cli.main import app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engines"))
from corpora import article_text, summary_counts, write_corpus

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A store ingested through the command line, with one bad input among the good ones."""
    root = tmp_path_factory.mktemp("cli")
    folder = write_corpus(root / "news", 8)
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02\x03")
    db = root / "corpus.duckdb"
    code, out, err = run("ingest", str(folder), "--db", str(db))
    assert code == 0, err
    return root, folder, db, out, err


def test_ingest_prints_a_one_line_summary(built):
    _, folder, db, out, err = built
    assert out.strip().splitlines() == [out.strip()]
    assert out.startswith("ingest: 8 added, ") and f"-> {db}" in out
    assert summary_counts(out) == {"added": 8, "duplicates": 0, "skipped": 0, "failed": 1}
    assert "SELECT * FROM failures" in err
    code, again, _ = run("ingest", str(folder), "--db", str(db))
    assert code == 0 and summary_counts(again) == {"added": 0, "duplicates": 0, "skipped": 8, "failed": 1}


def test_duplicates_are_counted_apart_and_are_articles(tmp_path):
    folder = write_corpus(tmp_path / "news", 3)
    (folder / "wire-001.txt").write_text(article_text(1), encoding="utf-8")
    db = tmp_path / "dups.duckdb"
    code, out, err = run("ingest", str(folder), "--db", str(db))
    assert code == 0, err
    assert summary_counts(out) == {"added": 3, "duplicates": 1, "skipped": 0, "failed": 0}
    code, out, _ = run("query", "--db", str(db), "SELECT count(*) AS n, count(DISTINCT content_hash) AS texts, "
                       "list(duplicate_of) FILTER (WHERE duplicate_of IS NOT NULL) AS originals FROM articles",
                       "-f", "json")
    assert json.loads(out) == [{"n": 4, "texts": 3, "originals": ["001"]}]
    code, again, _ = run("ingest", str(folder), "--db", str(db))
    assert summary_counts(again) == {"added": 0, "duplicates": 0, "skipped": 4, "failed": 0}


def test_query_in_every_format(built):
    _, _, db, _, _ = built
    sql = "SELECT id, title FROM articles ORDER BY id LIMIT 2"
    code, out, _ = run("query", "--db", str(db), sql, "--format", "json")
    assert code == 0 and [row["id"] for row in json.loads(out)] == ["000", "001"]
    code, out, _ = run("query", "--db", str(db), sql, "--format", "csv")
    assert next(iter(csv.reader(io.StringIO(out)))) == ["id", "title"] and len(out.splitlines()) == 3
    code, out, _ = run("query", "--db", str(db), "SELECT code FROM failures")
    assert code == 0 and "E102" in out


def test_query_refuses_a_write(built):
    _, _, db, _, _ = built
    code, _, err = run("query", "--db", str(db), "DELETE FROM articles")
    assert code == 1 and "[E205]" in err
    code, out, _ = run("query", "--db", str(db), "SELECT count(*) AS n FROM articles", "-f", "json")
    assert json.loads(out) == [{"n": 8}]


def test_export_writes_readable_files(built, tmp_path):
    _, _, db, _, _ = built
    code, out, _ = run("export", "--db", str(db), "--format", "parquet", "-o", str(tmp_path / "out"))
    assert code == 0 and str(tmp_path / "out" / "articles.parquet") in out
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM '{tmp_path / 'out' / 'articles.parquet'}'").fetchone()[0] == 8
    code, _, err = run("export", "--db", str(db), "--format", "jsonl", "-o", str(tmp_path / "x"), "--table", "nope")
    assert code == 1 and "[E207]" in err


def test_actors_list_merge_and_split(built, tmp_path):
    _, _, db, _, _ = built
    code, out, _ = run("actors", "list", "--db", str(db), "--type", "person", "--format", "json", "--limit", "0")
    people = {row["id"]: row for row in json.loads(out)}
    assert {"gordon-brown", "tony-blair"} <= people.keys() and people["gordon-brown"]["articles"] >= 2
    registry = tmp_path / "actors.yaml"
    code, out, err = run("actors", "merge", "--db", str(db), "--registry", str(registry), "gordon-brown", "tony-blair")
    assert code == 0, err
    data = yaml.safe_load(registry.read_text())
    assert data["actors"][0]["id"] == "gordon-brown" and "Tony Blair" in data["actors"][0]["aliases"]
    code, out, err = run("actors", "split", "--db", str(db), "--registry", str(registry), "gordon-brown",
                         "--name", "Tony Blair", "--id", "tony-blair", "--alias", "Tony Blair")
    assert code == 0, err
    code, out, _ = run("actors", "list", "--db", str(db), "--search", "blair", "--format", "json")
    assert [row["id"] for row in json.loads(out)] == ["tony-blair"]
    assert "Tony Blair" not in yaml.safe_load(registry.read_text())["actors"][0].get("aliases", [])
    code, _, err = run("actors", "merge", "--db", str(db), "nobody", "tony-blair")
    assert code == 1 and "[E604]" in err


def test_a_missing_store_is_a_clear_error(tmp_path):
    code, _, err = run("query", "--db", str(tmp_path / "none.duckdb"), "SELECT 1")
    assert code == 1 and "[E201]" in err and "no such file" in err
