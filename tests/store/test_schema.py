"""Opening stores: creation, the migration mechanism, older and newer schema versions."""

from __future__ import annotations

import duckdb
import pytest

from stancegraph.errors import StoreError
from stancegraph.store import schema
from stancegraph.store.schema import SCHEMA_VERSION, migrations, open_store, schema_version, table_names

CONTRACT_TABLES = {"meta", "articles", "actors", "aliases", "mentions", "quotes", "stances", "relations", "claims",
                   "flags", "roles", "failures"}


def test_a_new_store_has_every_table_and_the_current_version(tmp_path):
    path = tmp_path / "new.duckdb"
    con = open_store(path)
    assert CONTRACT_TABLES | {"article_actors", "inputs", "runs", "concepts", "concept_aliases",
                              "concept_label_cache"} <= set(table_names(con))
    assert schema_version(con) == SCHEMA_VERSION == len(migrations())
    con.close()
    assert path.is_file()


def test_contract_columns_are_there(tmp_path):
    con = open_store(tmp_path / "s.duckdb")
    columns = {(t, c) for t, c in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns").fetchall()}
    for table, names in {
        "articles": "id title date source url text content_hash duplicate_of input ingested_at",
        "mentions": "article_id actor_id start end text kind",
        "quotes": "article_id n kind content_start content_end content_text cue_start cue_end cue_text "
                  "speaker_start speaker_end speaker_text actor_id confidence",
        "stances": "article_id n actor_id target target_kind polarity evidence_start evidence_end evidence_text confidence",
        "relations": "article_id a b kind on_target",
        "claims": "article_id n start end text value unit qualifier source subject",
        "flags": "article_id n kind actor_id message evidence",
        "roles": "article_id actor_id start end text office office_class country tense",
        "failures": "input code reason time",
        "actors": "id name type country",
        "aliases": "actor_id alias",
        "meta": "key value",
        "runs": "id started_at finished_at engine workers inputs added skipped failed duplicates",
        "concepts": "id label",
        "concept_aliases": "concept_id alias",
        "concept_label_cache": "label info model embedding",
    }.items():
        assert {(table, name) for name in names.split()} <= columns, table


def test_content_hash_is_indexed_not_unique(tmp_path):
    con = open_store(tmp_path / "s.duckdb")
    assert con.execute("SELECT expressions FROM duckdb_indexes() WHERE table_name = 'articles' "
                       "AND NOT is_unique").fetchall() == [("[content_hash]",)]
    con.execute("INSERT INTO articles (id, text, content_hash, ingested_at) VALUES "
                "('a', 'x', 'h', now()), ('b', 'x', 'h', now())")
    assert con.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone() == (2, 1)


def test_a_store_of_version_1_is_migrated_with_its_data(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute((schema.MIGRATIONS_DIR / "0001_initial.sql").read_text())  # the old release's DDL
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute("INSERT INTO articles VALUES ('a1', 'T', DATE '2024-03-01', NULL, NULL, 'Macron met Scholz.', 'h1', "
                "NULL, 'a1.txt', now())")
    con.execute("INSERT INTO actors VALUES ('emmanuel-macron', 'Emmanuel Macron', 'person', 'France'), "
                "('olaf-scholz', 'Olaf Scholz', 'person', NULL)")
    con.execute("INSERT INTO mentions VALUES ('a1', 'olaf-scholz', 11, 17, 'Scholz', 'name'), "
                "('a1', 'emmanuel-macron', 0, 6, 'Macron', 'name')")
    con.close()

    con = open_store(path)
    assert schema_version(con) == SCHEMA_VERSION
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert con.execute("SELECT n, actor_id, local_id, name, country FROM article_actors ORDER BY n").fetchall() == [
        (0, "emmanuel-macron", "emmanuel-macron", "Emmanuel Macron", "France"),
        (1, "olaf-scholz", "olaf-scholz", "Olaf Scholz", None),
    ]
    assert {"inputs", "concepts", "concept_aliases", "concept_label_cache"} <= set(table_names(con))


def test_a_read_only_open_of_an_old_store_upgrades_it_first(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    schema.migrate(con, target=1)
    con.close()
    con = open_store(path, read_only=True)
    assert schema_version(con) == SCHEMA_VERSION
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM articles")


def _old_store(path, version: int) -> None:
    con = duckdb.connect(str(path))
    schema.migrate(con, target=version)
    con.close()


def _refuse_writing(monkeypatch) -> None:
    """Opening the store read-write fails, as on a read-only file system."""
    connect = duckdb.connect

    def read_only_connect(database, read_only=False, **kwargs):
        if not read_only:
            raise duckdb.IOException(f"Cannot open file {database}: Read-only file system")
        return connect(database, read_only=read_only, **kwargs)

    monkeypatch.setattr(duckdb, "connect", read_only_connect)


def test_a_store_before_the_concept_tables_is_read_as_it_is_where_it_cannot_be_upgraded(tmp_path, monkeypatch):
    from stancegraph.networks.concepts import corpus_folding, read_user_concepts
    from stancegraph.networks.statements import load_statements

    path = tmp_path / "old.duckdb"
    _old_store(path, 2)
    _refuse_writing(monkeypatch)
    con = open_store(path, read_only=True)
    assert schema_version(con) == 2 and "concepts" not in table_names(con)
    assert read_user_concepts(con) == []
    statements = load_statements(con)
    assert corpus_folding(con, statements, similarity=None).concept_of == {}
    con.close()
    monkeypatch.undo()
    con = open_store(path, read_only=True)  # where it can be, it is upgraded
    assert schema_version(con) == SCHEMA_VERSION and read_user_concepts(con) == []


def test_a_store_older_than_readable_from_needs_an_upgrade(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    _old_store(path, schema.READABLE_FROM - 1)
    _refuse_writing(monkeypatch)
    with pytest.raises(StoreError) as err:
        open_store(path, read_only=True)
    assert err.value.code == "E212"


def test_a_store_from_a_newer_release_is_refused(tmp_path):
    path = tmp_path / "future.duckdb"
    open_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert err.value.code == "E202"


def test_a_missing_store_cannot_be_opened_read_only(tmp_path):
    with pytest.raises(StoreError) as err:
        open_store(tmp_path / "nope.duckdb", read_only=True)
    assert err.value.code == "E201"


def test_adding_a_migration_is_adding_a_numbered_file(tmp_path, monkeypatch):
    folder = tmp_path / "migrations"
    folder.mkdir()
    for existing in schema.MIGRATIONS_DIR.iterdir():
        if existing.suffix in {".sql", ".py"}:
            (folder / existing.name).write_text(existing.read_text())
    next_number = SCHEMA_VERSION + 1
    (folder / f"{next_number:04d}_topics.sql").write_text("CREATE TABLE topics (id TEXT PRIMARY KEY, label TEXT);")
    (folder / f"{next_number + 1:04d}_topic_counts.py").write_text(
        "def migrate(con):\n    con.execute('ALTER TABLE topics ADD COLUMN mentions INTEGER DEFAULT 0')\n")
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(schema, "migrations", lambda folder=folder: migrations(folder))
    con = open_store(tmp_path / "s.duckdb")
    assert schema_version(con) == SCHEMA_VERSION  # open_store stops at the version this release knows
    assert schema.migrate(con, target=next_number + 1) == [next_number, next_number + 1]
    assert schema_version(con) == next_number + 1
    assert con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'topics' "
                       "ORDER BY ordinal_position").fetchall() == [("id",), ("label",), ("mentions",)]


def test_a_gap_in_the_migration_numbers_is_refused(tmp_path):
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;")
    with pytest.raises(StoreError) as err:
        migrations(tmp_path)
    assert err.value.code == "E213"


def test_a_failing_migration_leaves_the_store_at_its_old_version(tmp_path, monkeypatch):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_ok.sql").write_text("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);")
    (folder / "0002_bad.sql").write_text("CREATE TABLE fine (x INTEGER); SELECT * FROM no_such_table;")
    monkeypatch.setattr(schema, "migrations", lambda: migrations(folder))
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    with pytest.raises(StoreError) as err:
        schema.migrate(con, target=2)
    assert err.value.code == "E203" and "0002_bad.sql" in str(err.value)
    assert schema_version(con) == 1 and "fine" not in table_names(con)


def _hold(store, seconds: float):
    """Another process that holds the store read-write for ``seconds``; returns once it does."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         f"time.sleep({seconds}); con.close()", str(store)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_store_held_by_another_process_is_waited_for_then_named(tmp_path):
    store = tmp_path / "held.duckdb"
    open_store(store).close()
    holder = _hold(store, 30)
    try:
        with pytest.raises(StoreError) as err:
            open_store(store, wait=0.3)
        assert err.value.code == "E216" and f"PID {holder.pid}" in str(err.value)
    finally:
        holder.kill()
        holder.wait()


def test_a_store_released_within_the_wait_opens(tmp_path):
    store = tmp_path / "brief.duckdb"
    open_store(store).close()
    holder = _hold(store, 0.5)
    try:
        open_store(store, wait=30).close()
    finally:
        holder.wait()
