"""Read-only queries, exports read back, the Corpus face, and merging and splitting actors."""

from __future__ import annotations

import dataclasses

import duckdb
import pandas as pd
import pytest

import stancegraph
from stancegraph.errors import RegistryError, StoreError
from stancegraph.records import Actor, ArticleAnalysis, Span
from stancegraph.registry import Registry
from stancegraph.store import Corpus, export_tables, open_store, run_query, write_analyses
from stancegraph.store.actors import list_actors, merge_actors, record_merge, record_split, split_actor


@pytest.fixture
def store(tmp_path, make_analysis):
    path = tmp_path / "corpus.duckdb"
    con = open_store(path)
    first = make_analysis("a1")
    second = dataclasses.replace(make_analysis("a2", date="2024-03-02"), text=first.text.replace("Talks", "Talk2"))
    write_analyses(con, [first, second])
    con.close()
    return path


@pytest.mark.parametrize("statement", [
    "DELETE FROM articles",
    "UPDATE actors SET name = 'x'",
    "INSERT INTO failures VALUES ('x', 'E1', 'r', now(), NULL)",
    "DROP TABLE mentions",
    "CREATE TABLE extra (x INTEGER)",
    "SELECT 1; DELETE FROM articles",
    "COPY articles TO '/tmp/stancegraph-leak.csv'",
    "ATTACH '/tmp/stancegraph-other.duckdb' AS other",
    "SELECT * FROM read_csv('/etc/hostname')",
])
def test_a_sandboxed_query_cannot_write_or_touch_files(store, statement):
    con = open_store(store, read_only=True, sandboxed=True)
    with pytest.raises(StoreError) as err:
        run_query(con, statement)
    assert err.value.code == "E205"
    con.close()
    check = open_store(store, read_only=True)
    assert check.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert check.execute("SELECT count(*) FROM mentions").fetchone()[0] == 8


def test_a_query_reads(store):
    con = open_store(store, read_only=True, sandboxed=True)
    columns, rows = run_query(con, "SELECT id, date FROM articles ORDER BY id")
    assert columns == ["id", "date"] and [r[0] for r in rows] == ["a1", "a2"]
    with pytest.raises(StoreError) as err:
        run_query(con, "SELECT nope FROM articles")
    assert err.value.code == "E206"


@pytest.mark.parametrize("format", ["parquet", "csv", "jsonl"])
def test_exports_read_back(store, tmp_path, format):
    con = open_store(store, read_only=True)
    written = export_tables(con, tmp_path / "out", format)
    names = {path.stem for path in written}
    assert {"articles", "actors", "aliases", "mentions", "quotes", "stances", "relations", "claims", "flags",
            "roles", "failures", "meta"} <= names
    reader = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json"}[format]
    reading = duckdb.connect()
    for table in ("articles", "mentions", "quotes", "stances"):
        path = tmp_path / "out" / f"{table}.{format}"
        exported = reading.execute(f"SELECT count(*) FROM {reader}('{path}')").fetchone()[0]
        assert exported == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
    texts = reading.execute(f"SELECT id, text FROM {reader}('{tmp_path / 'out' / f'articles.{format}'}') ORDER BY id").fetchall()
    assert texts == con.execute("SELECT id, text FROM articles ORDER BY id").fetchall()


def test_corpus_gives_dataframes_and_queries(store):
    with stancegraph.Corpus(store) as corpus:
        assert isinstance(corpus, Corpus)
        assert isinstance(corpus.articles, pd.DataFrame) and sorted(corpus.articles.id) == ["a1", "a2"]
        assert set(corpus.mentions.actor_id) == {"emmanuel-macron", "scholz"}
        assert len(corpus.quotes) == 2 and len(corpus.stances) == 4 and len(corpus.claims) == 2
        assert list(corpus.failures.columns)[:4] == ["input", "code", "reason", "time"]
        assert corpus.query("SELECT count(*) AS n FROM relations").n.tolist() == [2]
        assert corpus.analysis("a2").date == "2024-03-02"
        assert len(corpus) == 2
        with pytest.raises(StoreError):
            corpus.query("DELETE FROM articles")
        with pytest.raises(StoreError) as err:
            corpus.table("nope")
        assert err.value.code == "E207"


def test_a_duplicate_is_an_article_of_its_own_with_its_original_analysis(tmp_path, make_analysis):
    path = tmp_path / "corpus.duckdb"
    con = open_store(path)
    original = make_analysis("a1")
    wire = dataclasses.replace(original, id="wire/a1", title="Talks (wire)", source="Wire", actors=[], quotes=[],
                               stances=[], relations=[], claims=[], flags=[])  # no analysis needed
    assert write_analyses(con, [original, wire]).duplicates == 1
    con.close()
    with stancegraph.Corpus(path) as corpus:
        assert (len(corpus), corpus.texts) == (2, 1)
        assert corpus.articles.set_index("id").duplicate_of.fillna("").to_dict() == {"a1": "", "wire/a1": "a1"}
        loaded = corpus.analysis("wire/a1")
        assert (loaded.id, loaded.title, loaded.source) == ("wire/a1", "Talks (wire)", "Wire")
        assert loaded.quotes == corpus.analysis("a1").quotes and loaded.quotes
        assert all(loaded.text[q.content.start:q.content.end] == q.content.text for q in loaded.quotes)
        assert corpus.query("SELECT count(DISTINCT article_id) AS n FROM mentions").n.tolist() == [1]
    con = open_store(path, read_only=True)
    export_tables(con, tmp_path / "out", "csv")
    exported = duckdb.connect().execute(
        f"SELECT id, duplicate_of FROM read_csv('{tmp_path / 'out' / 'articles.csv'}') ORDER BY id").fetchall()
    assert exported == [("a1", None), ("wire/a1", "a1")]
    con.close()
    con = open_store(path)  # a duplicate named for a split stands for its original
    assert split_actor(con, "scholz", "Olaf Scholz", articles=["wire/a1"]) == ("olaf-scholz", 1)


def _store_of(tmp_path, analyses):
    con = open_store(tmp_path / "actors.duckdb")
    write_analyses(con, analyses)
    return con


def person(article: str, text: str, name: str, local: str | None = None) -> ArticleAnalysis:
    start = text.index(name)
    return ArticleAnalysis(article, None, None, None, text, actors=[
        Actor(local or name.lower().replace(" ", "-"), name, "person", mentions=[Span(start, start + len(name), name)])])


def test_merge_moves_every_row_and_records_it_in_the_registry(tmp_path):
    con = _store_of(tmp_path, [person("a1", "Tony Blair spoke.", "Tony Blair"),
                               person("a2", "Anthony Blair spoke.", "Anthony Blair")])
    registry = Registry()
    assert merge_actors(con, "tony-blair", ["anthony-blair"]) == 1
    record_merge(registry, con, "tony-blair", [("anthony-blair", "Anthony Blair")])
    assert con.execute("SELECT id FROM actors").fetchall() == [("tony-blair",)]
    assert con.execute("SELECT DISTINCT actor_id FROM article_actors").fetchall() == [("tony-blair",)]
    assert registry.entries["tony-blair"].aliases == ["Anthony Blair"]
    columns, rows = list_actors(con)
    assert dict(zip(columns, rows[0]))["articles"] == 2
    with pytest.raises(RegistryError) as err:
        merge_actors(con, "tony-blair", ["nobody"])
    assert err.value.code == "E604"


def test_split_by_alias_moves_those_articles_only(tmp_path):
    con = _store_of(tmp_path, [person("a1", "Bill Clinton spoke.", "Bill Clinton"),
                               person("a2", "Hillary Clinton spoke.", "Hillary Clinton")])
    merge_actors(con, "bill-clinton", ["hillary-clinton"])  # a wrong merge, to undo
    registry = Registry()
    new_id, moved = split_actor(con, "bill-clinton", "Hillary Clinton", aliases=["Hillary Clinton"], registry=registry)
    record_split(registry, con, "bill-clinton", new_id, ["Hillary Clinton"])
    assert (new_id, moved) == ("hillary-clinton", 1)
    assert con.execute("SELECT article_id, actor_id FROM mentions ORDER BY article_id").fetchall() == [
        ("a1", "bill-clinton"), ("a2", "hillary-clinton")]
    assert con.execute("SELECT actor_id, alias FROM aliases").fetchall() == []
    assert registry.entries["hillary-clinton"].name == "Hillary Clinton"
    with pytest.raises(RegistryError) as err:
        split_actor(con, "bill-clinton", "X")
    assert err.value.code == "E605"


def test_split_by_article(tmp_path):
    con = _store_of(tmp_path, [person("a1", "Smith spoke.", "Smith"), person("a2", "Smith left.", "Smith")])
    new_id, moved = split_actor(con, "smith", "Smith", articles=["a2"])
    assert (new_id, moved) == ("smith-2", 1)
    assert con.execute("SELECT article_id, actor_id FROM article_actors ORDER BY article_id").fetchall() == [
        ("a1", "smith"), ("a2", "smith-2")]
