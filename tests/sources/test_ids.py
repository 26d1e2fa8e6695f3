"""The allowed form of article ids, and readers refusing the others with E120."""

from __future__ import annotations

import json

import pytest

from stancegraph.errors import InputError
from stancegraph.records import Article
from stancegraph.sources import read_records
from stancegraph.sources.ids import MAX_ID, check_article_id, id_problem


@pytest.mark.parametrize("article_id", [
    "a1", "politics/a2", "2024-03-01-talks", "https://news.example/2024/vote", "https://news.example/2024/vote/",
    "urn:uuid:1f2e", "...", "a..b/c.d", "Ünïcode/日本語", "x" * MAX_ID, "with space",
])
def test_allowed_ids(article_id):
    assert id_problem(article_id) is None
    assert check_article_id(article_id) == article_id


@pytest.mark.parametrize(("article_id", "reason"), [
    ("../../api/overview", "'..' segment"), ("..", "'..' segment"), ("a/./b", "'.' segment"), (".", "'.' segment"),
    ("a/..", "'..' segment"), ("a//b", "empty segment"), ("/a", "empty segment"), ("a//", "empty segment"),
    ("https://news.example/../admin", "'..' segment"), ("https:///x", "empty segment"), ("   ", "blank"),
    ("", "blank"), ("a\nb", "control character"), ("a\x00", "control character"), ("a\x9bb", "control character"),
    ("x" * (MAX_ID + 1), "characters long"),
])
def test_refused_ids_say_why(article_id, reason):
    assert reason in id_problem(article_id)
    with pytest.raises(InputError) as caught:
        check_article_id(article_id, input="feed.jsonl:3")
    assert caught.value.code == "E120" and reason in caught.value.message
    assert "scheme://" in caught.value.message  # the message says what is allowed


def test_readers_turn_a_bad_id_into_an_E120_record_and_go_on(tmp_path):
    body = "Minister Ada Quist said the harbour plan will go ahead."
    rows = [{"id": "fine/1", "text": body}, {"id": "../../api/overview", "text": body + " Again."},
            {"id": "a//b", "text": body + " Once more."}, {"id": "fine/2", "text": body + " Last."}]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    records = list(read_records([str(path)]))
    assert [item.id if isinstance(item, Article) else item.code for _, item in records] == [
        "fine/1", "E120", "E120", "fine/2"]
    error = records[1][1]
    assert error.input == records[1][0] and "'..' segment" in str(error)


@pytest.mark.slow
def test_an_ingest_records_a_bad_id_as_a_failure_and_stores_the_rest(tmp_path):
    from typer.testing import CliRunner

    from stancegraph.cli.main import app
    from stancegraph.store import open_store

    body = "Minister Ada Quist said the harbour plan will go ahead."
    rows = [{"id": "good/1", "text": body}, {"id": "../../api/overview", "text": body + " Again."},
            {"id": "good/2", "text": body + " Last."}]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    db = tmp_path / "corpus.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db)])
    assert "2 added" in result.output and "1 failed" in result.output
    con = open_store(db, read_only=True)
    try:
        assert sorted(i for (i,) in con.execute("SELECT id FROM articles").fetchall()) == ["good/1", "good/2"]
        failures = con.execute("SELECT input, code FROM failures").fetchall()
    finally:
        con.close()
    assert failures == [(f"{path}:2", "E120")]
