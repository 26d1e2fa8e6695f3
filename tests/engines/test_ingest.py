"""Ingest on small hand-written corpora: idempotent, failures recorded and retried, engines alike."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import duckdb
import pytest
from corpora import article_text, count, snapshot, write_corpus

from stancegraph.engines.base import ChunkResult
from stancegraph.engines.ingest import ingest
from stancegraph.engines.local import LocalEngine
from stancegraph.records import Article, to_dict
from stancegraph.sources import FieldMap, ReadOptions
from stancegraph.store import load_analysis, open_store


def _rows(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


class CountingEngine(LocalEngine):
    """The in-process engine, counting the articles it is given."""

    def __init__(self) -> None:
        super().__init__(1)
        self.articles = 0

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[ChunkResult]:
        def counted() -> Iterator[list[Article]]:
            for chunk in chunks:
                self.articles += len(chunk)
                yield chunk

        yield from super().map(counted())


def test_ingest_then_reingest_adds_nothing_and_parses_nothing(tmp_path, corpus_dir):
    db = tmp_path / "corpus.duckdb"
    first = ingest([str(corpus_dir)], db)
    assert (first.added, first.skipped, first.failed) == (12, 0, 0)
    engine = CountingEngine()
    again = ingest([str(corpus_dir)], db, engine=engine)
    assert (again.added, again.skipped, again.failed) == (0, 12, 0)
    assert engine.articles == 0
    assert count(db, "SELECT count(DISTINCT id) FROM articles") == count(db, "SELECT count(*) FROM articles") == 12
    assert count(db, "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL") == 2


def test_a_stored_text_under_a_new_id_is_a_duplicate_not_parsed(tmp_path, corpus_dir):
    db = tmp_path / "corpus.duckdb"
    ingest([str(corpus_dir)], db)
    (corpus_dir / "copy-of-000.txt").write_text(article_text(0), encoding="utf-8")  # same text, new file
    engine = CountingEngine()
    summary = ingest([str(corpus_dir)], db, engine=engine)
    assert (summary.added, summary.duplicates, summary.skipped, engine.articles) == (0, 1, 12, 0)
    assert _rows(db, "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL") == [("copy-of-000", "000")]
    assert _rows(db, "SELECT count(*), count(DISTINCT id), count(DISTINCT content_hash) FROM articles") == [
        (13, 13, 12)]
    assert _rows(db, "SELECT duplicates FROM runs ORDER BY id") == [(0,), (1,)]
    again = ingest([str(corpus_dir)], db, engine=engine)
    assert (again.added, again.duplicates, again.skipped, engine.articles) == (0, 0, 13, 0)
    assert count(db, "SELECT count(*) FROM inputs") == 13
    assert count(db, "SELECT count(*) FROM articles") == 13


def test_two_ids_with_one_text_are_two_articles_with_one_analysis(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(article_text(5), encoding="utf-8")
    (folder / "d.txt").write_text(article_text(6), encoding="utf-8")
    db = tmp_path / "dups.duckdb"
    engine = CountingEngine()
    summary = ingest([str(folder)], db, engine=engine)
    assert (summary.added, summary.duplicates, summary.skipped, summary.failed, engine.articles) == (2, 2, 0, 0, 2)
    assert _rows(db, "SELECT id, duplicate_of FROM articles ORDER BY id") == [
        ("a", None), ("b", "a"), ("c", "a"), ("d", None)]
    for table in ("mentions", "article_actors", "quotes", "stances", "roles"):
        assert {row[0] for row in _rows(db, f"SELECT DISTINCT article_id FROM {table}")} <= {"a", "d"}, table
    assert count(db, "SELECT count(DISTINCT article_id) FROM mentions") == 2
    con = open_store(db, read_only=True)
    try:
        analyses = {article_id: to_dict(load_analysis(con, article_id)) for article_id in "abc"}
    finally:
        con.close()
    assert analyses["a"]["actors"] and analyses["a"]["quotes"]
    for article_id in "bc":  # the same text, title and analysis under their own ids
        assert analyses[article_id] == {**analyses["a"], "id": article_id}
    again = ingest([str(folder)], db)
    assert (again.added, again.duplicates, again.skipped) == (0, 0, 4)
    (folder / "e.txt").write_text(article_text(6), encoding="utf-8")  # a later duplicate of a stored text
    later = ingest([str(folder)], db, engine=engine)
    assert (later.added, later.duplicates, later.skipped, engine.articles) == (0, 1, 4, 2)
    assert _rows(db, "SELECT duplicate_of FROM articles WHERE id = 'e'") == [("d",)]


def test_a_stored_id_whose_text_changed_is_a_failure_and_the_stored_article_stays(tmp_path, corpus_dir):
    db = tmp_path / "corpus.duckdb"
    ingest([str(corpus_dir)], db)
    stored = snapshot(db)
    (corpus_dir / "003.txt").write_text(article_text(3) + "A correction was added.\n", encoding="utf-8")
    (corpus_dir / "004.txt").write_text(article_text(5), encoding="utf-8")  # now the text of another stored id
    for _ in range(2):  # the failure is recorded again by every run, and nothing else changes
        summary = ingest([str(corpus_dir)], db)
        assert (summary.added, summary.duplicates, summary.skipped, summary.failed) == (0, 0, 10, 2)
        assert sorted((name.rsplit("/", 1)[-1], code) for name, code in _rows(db, "SELECT input, code FROM failures")) \
            == [("003.txt", "E204"), ("004.txt", "E204")]
        after = snapshot(db)
        assert {table: rows for table, rows in after.items() if table != "failures"} == \
            {table: rows for table, rows in stored.items() if table != "failures"}


def test_new_articles_are_added_to_a_grown_folder(tmp_path, corpus_dir):
    db = tmp_path / "corpus.duckdb"
    ingest([str(corpus_dir)], db)
    write_corpus(corpus_dir, 3, start=12)
    engine = CountingEngine()
    summary = ingest([str(corpus_dir)], db, engine=engine)
    assert (summary.added, summary.skipped, engine.articles) == (3, 12, 3)
    assert count(db, "SELECT count(*) FROM articles") == 15


def test_a_bad_file_goes_to_failures_and_the_run_goes_on_then_is_retried(tmp_path, corpus_dir):
    db = tmp_path / "corpus.duckdb"
    (corpus_dir / "broken.txt").write_bytes(b"caf\xe9 au lait")
    (corpus_dir / "empty.txt").write_text("  \n", encoding="utf-8")
    summary = ingest([str(corpus_dir)], db)
    assert (summary.added, summary.failed) == (12, 2)
    failures = {name.rsplit("/", 1)[-1]: code for name, code in _rows(db, "SELECT input, code FROM failures")}
    assert failures == {"broken.txt": "E103", "empty.txt": "E101"}
    (corpus_dir / "broken.txt").write_text("Fixed\n\nGordon Brown said the fix worked.", encoding="utf-8")
    retry = ingest([str(corpus_dir)], db)
    assert (retry.added, retry.skipped, retry.failed) == (1, 12, 1)
    assert [r[1] for r in _rows(db, "SELECT input, code FROM failures")] == ["E101"]
    assert count(db, "SELECT count(*) FROM articles WHERE id = 'broken'") == 1


def test_records_of_every_format_with_mapped_fields(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a-wire.jsonl").write_text(
        json.dumps({"body": article_text(1), "uid": "w1", "published": "1 March 2024"}) + "\n"
        + "{not json\n"
        + json.dumps({"body": article_text(2), "uid": "w2"}) + "\n", encoding="utf-8")
    (folder / "b-desk.csv").write_text(
        "uid,body,published\n" + f'd1,"{article_text(3)}",2024-03-05\n', encoding="utf-8")
    (folder / "c-same-as-w1.jsonl").write_text(json.dumps({"body": article_text(1), "uid": "again"}) + "\n",
                                            encoding="utf-8")
    (folder / "d-clash.jsonl").write_text(json.dumps({"body": article_text(4), "uid": "w1"}) + "\n", encoding="utf-8")
    options = ReadOptions(fields=FieldMap(text="body", id="uid", date="published"))
    db = tmp_path / "mixed.duckdb"
    summary = ingest([str(folder)], db, options=options)
    assert (summary.added, summary.duplicates, summary.skipped, summary.failed) == (3, 1, 0, 2)
    assert _rows(db, "SELECT id, date::TEXT, duplicate_of FROM articles ORDER BY id") == [
        ("again", None, "w1"), ("d1", "2024-03-05", None), ("w1", "2024-03-01", None), ("w2", None, None)]
    codes = sorted(r[0] for r in _rows(db, "SELECT code FROM failures"))
    assert codes == ["E105", "E204"]
    assert _rows(db, "SELECT input FROM articles WHERE id = 'w2'")[0][0].endswith("a-wire.jsonl:3")


def test_local_workers_give_the_same_store_as_one(tmp_path, corpus_dir):
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    ingest([str(corpus_dir)], one, workers=1)
    summary = ingest([str(corpus_dir)], two, workers=2, chunk_size=2)
    # which of the two processes gets which chunk depends on timing: only the store must not
    assert summary.added == 12 and summary.workers == 2 and 1 <= len(summary.peak_rss) <= 2
    assert snapshot(one) == snapshot(two)


@pytest.mark.slow
def test_the_dask_engine_on_a_local_cluster_gives_the_same_store(tmp_path, corpus_dir):
    local, dask = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    (corpus_dir / "empty.txt").write_text("", encoding="utf-8")
    ingest([str(corpus_dir)], local)
    summary = ingest([str(corpus_dir)], dask, engine="dask", workers=2, chunk_size=3)
    assert (summary.engine, summary.workers, summary.added, summary.failed) == ("dask", 2, 12, 1)
    assert 1 <= len(summary.peak_rss) <= 2  # the work is spread by the scheduler, by timing
    assert snapshot(local) == snapshot(dask)
    assert count(dask, "SELECT count(*) FROM mentions") > 12


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    from stancegraph.engines import dask as dask_engine
    from stancegraph.errors import StoreError

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(StoreError) as err:
        dask_engine.DaskEngine("tcp://127.0.0.1:9")  # nothing listens on the discard port
    assert err.value.code == "E210" and "tcp://127.0.0.1:9" in str(err.value)


@pytest.mark.slow
def test_a_cluster_started_as_docs_cluster_md_says_is_used_by_its_address(tmp_path, corpus_dir):
    """``dask scheduler`` and ``dask worker`` processes, as on other hosts (here on the loopback)."""
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    from distributed import Client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).with_name("dask"))
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--dashboard-address", ":0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=60)
        started = time.monotonic()
        summary = ingest([str(corpus_dir)], tmp_path / "cluster.duckdb", engine="dask", scheduler=address)
        assert (summary.engine, summary.workers, summary.added) == ("dask", 2, 12)
        assert time.monotonic() - started < 120
        ingest([str(corpus_dir)], tmp_path / "local.duckdb")
        assert snapshot(tmp_path / "cluster.duckdb") == snapshot(tmp_path / "local.duckdb")
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=30)
