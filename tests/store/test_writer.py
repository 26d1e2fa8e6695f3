"""Writing analyses: every record stored with corpus actor ids, read back whole, never twice."""

from __future__ import annotations

import dataclasses
import json

import pytest

from stancegraph.errors import StoreError
from stancegraph.records import Actor, ArticleAnalysis, Span, to_dict
from stancegraph.registry import Registry
from stancegraph.store import StoreWriter, content_hash, load_analysis, open_store, write_analyses


def test_every_record_is_stored_with_offsets_into_the_text(tmp_path, analysis):
    con = open_store(tmp_path / "s.duckdb")
    assert write_analyses(con, [analysis]).added == 1
    text = con.execute("SELECT text FROM articles WHERE id = 'a1'").fetchone()[0]
    for table, columns in {
        "mentions": ('start', '"end"', "text"),
        "roles": ('start', '"end"', "text"),
        "quotes": ("content_start", "content_end", "content_text"),
        "stances": ("evidence_start", "evidence_end", "evidence_text"),
        "claims": ('start', '"end"', "text"),
    }.items():
        rows = con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        assert rows, table
        assert all(text[start:end] == part for start, end, part in rows), table
    assert con.execute("SELECT content_hash, input FROM articles").fetchone() == (content_hash(text), "a1")
    kinds = dict(con.execute("SELECT text, kind FROM mentions").fetchall())
    assert kinds == {"French President Emmanuel Macron": "title", "Macron": "name", "He": "pronoun", "Scholz": "name"}


def test_load_analysis_gives_back_what_was_written(tmp_path, analysis):
    con = open_store(tmp_path / "s.duckdb")
    write_analyses(con, [analysis])
    loaded = load_analysis(con, "a1")
    original = to_dict(analysis)
    original["actors"][0]["aliases"] = ["French President Emmanuel Macron", "Macron", "He"]
    assert to_dict(loaded) == original


def test_actor_ids_are_corpus_ids_in_every_table(tmp_path, make_analysis):
    con = open_store(tmp_path / "s.duckdb")
    second = make_analysis("a2")
    # in the second article the per-article ids differ from the corpus ids they resolve to
    renames = {"emmanuel-macron": "macron-local", "scholz": "scholz-local"}
    second = ArticleAnalysis.from_dict(json.loads(json.dumps(to_dict(second)).replace(
        '"emmanuel-macron"', '"macron-local"').replace('"scholz"', '"scholz-local"')))
    second.text = second.text.replace("Talks", "Talk2")  # other content
    write_analyses(con, [make_analysis("a1"), second])
    ids = {row[0] for row in con.execute(
        "SELECT actor_id FROM mentions UNION SELECT actor_id FROM quotes UNION SELECT actor_id FROM stances "
        "UNION SELECT target FROM stances WHERE target_kind = 'actor' UNION SELECT a FROM relations "
        "UNION SELECT b FROM relations UNION SELECT actor_id FROM flags UNION SELECT source FROM claims "
        "UNION SELECT actor_id FROM roles").fetchall()}
    assert ids == {"emmanuel-macron", "scholz"}
    assert not ids & set(renames.values())
    assert con.execute("SELECT local_id, actor_id FROM article_actors WHERE article_id = 'a2' ORDER BY n").fetchall() \
        == [("macron-local", "emmanuel-macron"), ("scholz-local", "scholz")]
    assert load_analysis(con, "a2").quotes[0].actor == "emmanuel-macron"


def test_the_same_text_under_another_id_is_a_duplicate_with_one_analysis(tmp_path, analysis):
    con = open_store(tmp_path / "s.duckdb")
    assert write_analyses(con, [analysis, analysis]) == (1, 1, 0, 0)
    again = dataclasses.replace(analysis, id="another-id", title="Talks (wire)", date="2024-03-02", source="Wire",
                                url="https://wire.example/talks")
    assert write_analyses(con, [again, again]) == (0, 1, 0, 1)  # a duplicate under its own id, added once
    assert con.execute("SELECT id, duplicate_of, input, content_hash = ? FROM articles ORDER BY id",
                       [content_hash(analysis.text)]).fetchall() == [
        ("a1", None, "a1", True), ("another-id", "a1", "another-id", True)]
    assert con.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone() == (2, 1)
    for table in ("mentions", "article_actors", "quotes", "stances", "claims", "flags", "roles", "relations"):
        assert con.execute(f"SELECT DISTINCT article_id FROM {table}").fetchall() == [("a1",)], table
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 4
    # the duplicate reads as the original's analysis under its own id and metadata
    duplicate = to_dict(load_analysis(con, "another-id"))
    original = to_dict(load_analysis(con, "a1"))
    for key in ("id", "title", "date", "source", "url"):
        assert duplicate.pop(key) == getattr(again, key) and original.pop(key) == getattr(analysis, key)
    assert duplicate == original and duplicate["quotes"]
    # a duplicate's id stored with other text fails like any other id
    assert write_analyses(con, [dataclasses.replace(analysis, id="another-id", text="Other text.")]).failed == 1


def test_a_duplicate_in_the_same_batch_as_its_original(tmp_path, analysis):
    con = open_store(tmp_path / "s.duckdb")
    writer = StoreWriter(con)
    assert writer.add(analysis) and writer.add(dataclasses.replace(analysis, id="wire/1"))
    assert writer.lookup(content_hash(analysis.text), "wire/2") == ("a1", None)
    assert writer.lookup(content_hash(analysis.text), "wire/1") == ("a1", content_hash(analysis.text))
    writer.commit()
    assert con.execute("SELECT id, duplicate_of FROM articles ORDER BY id").fetchall() == [
        ("a1", None), ("wire/1", "a1")]
    assert (writer.added, writer.duplicates) == (1, 1)
    # a fresh writer finds both in the store
    assert write_analyses(con, [dataclasses.replace(analysis, id="wire/1"), analysis]) == (0, 2, 0, 0)


def test_an_id_taken_by_other_content_is_a_failure(tmp_path, analysis):
    con = open_store(tmp_path / "s.duckdb")
    write_analyses(con, [analysis])
    other = dataclasses.replace(analysis, text=analysis.text + " More.")
    assert write_analyses(con, [other]).failed == 1
    assert con.execute("SELECT input, code FROM failures").fetchall() == [("a1", "E204")]


def test_a_batch_is_one_transaction(tmp_path, analysis, make_analysis):
    con = open_store(tmp_path / "s.duckdb")
    writer = StoreWriter(con)
    writer.add(analysis)
    writer.add(dataclasses.replace(make_analysis("b1"), text=analysis.text + " Other."))
    writer._rows["claims"]["value"][-1] = "not a number"  # make the last insert of the batch fail
    with pytest.raises(StoreError) as err:
        writer.commit()
    assert err.value.code == "E209"
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM actors").fetchone()[0] == 0
    assert write_analyses(con, [analysis]).added == 1  # the writer's state was rebuilt from the store


def test_a_date_that_is_not_iso_fails_the_article_only(tmp_path, analysis, make_analysis):
    con = open_store(tmp_path / "s.duckdb")
    bad = dataclasses.replace(make_analysis("b1", date="yesterday"), text="Other text.")
    assert write_analyses(con, [bad, analysis]) == (1, 0, 1, 0)
    assert con.execute("SELECT code FROM failures").fetchall() == [("E214",)]


def test_the_registry_names_corpus_actors(tmp_path, analysis):
    registry = Registry.from_data({"actors": [
        {"id": "macron", "name": "Emmanuel Macron", "country": "France", "aliases": ["Macron"]}]})
    con = open_store(tmp_path / "s.duckdb")
    write_analyses(con, [analysis], registry=registry)
    assert con.execute("SELECT id, name, country FROM actors ORDER BY id").fetchall() == [
        ("macron", "Emmanuel Macron", "France"), ("scholz", "Scholz", None)]
    assert load_analysis(con, "a1").stances[0].actor == "macron"


def test_an_unknown_article_is_e208(tmp_path):
    with pytest.raises(StoreError) as err:
        load_analysis(open_store(tmp_path / "s.duckdb"), "nope")
    assert err.value.code == "E208"


def test_analyses_with_nothing_found_are_stored_too(tmp_path):
    con = open_store(tmp_path / "s.duckdb")
    bare = ArticleAnalysis("bare", None, None, None, "Nothing happened.")
    assert write_analyses(con, [bare]).added == 1
    assert load_analysis(con, "bare") == bare
    lone = ArticleAnalysis("lone", None, None, None, "Merkel.", actors=[
        Actor("angela-merkel", "Merkel", "person", mentions=[Span(0, 6, "Merkel")])])
    write_analyses(con, [lone])
    assert load_analysis(con, "lone").actors[0].mentions == [Span(0, 6, "Merkel")]


def test_the_members_a_quote_and_a_stance_count_for_are_written_and_read_back(tmp_path, analysis):
    group = Actor("emmanuel-macron-and-scholz", "Emmanuel Macron and Scholz", "group",
                  members=["emmanuel-macron", "scholz"])
    analysis.actors.append(group)
    analysis.quotes[0] = dataclasses.replace(analysis.quotes[0], actor=group.id, actors=list(group.members))
    analysis.stances[1] = dataclasses.replace(analysis.stances[1], actor=group.id, actors=list(group.members))
    con = open_store(tmp_path / "s.duckdb")
    write_analyses(con, [analysis])
    loaded = load_analysis(con, "a1")
    macron, scholz = (con.execute("SELECT id FROM actors WHERE name = ?", [name]).fetchone()[0]
                      for name in ("Emmanuel Macron", "Scholz"))
    assert loaded.quotes[0].actors == [macron, scholz]
    assert loaded.stances[1].actors == [macron, scholz]
    assert loaded.stances[0].actors == []  # written without members: read back as written
