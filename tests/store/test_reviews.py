"""Reviews: applied to the automatic rows, kept over a new analysis, undone, measured, exported."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math

import pytest

from stancegraph.errors import StoreError
from stancegraph.networks import load_statements
from stancegraph.store import open_store, write_analyses
from stancegraph.store import reviews as rv


@pytest.fixture
def con(analysis):
    con = open_store(":memory:")
    write_analyses(con, [analysis])
    return con


def stances(con):
    return con.execute("SELECT n, actor_id, target, polarity FROM stances ORDER BY n").fetchall()


def test_edit_changes_the_row_and_keeps_before_and_after(con):
    review = rv.record(con, "stance", "a1#1", "edit", {"polarity": -1}, reviewer="ana")
    assert review.before["polarity"] == 1 and review.after["polarity"] == -1 and review.reviewer == "ana"
    assert stances(con)[1] == (1, "emmanuel-macron", "growth", -1)
    assert review.item == "a1#1" and (review.start, review.end) == (review.before["evidence_start"],
                                                                   review.before["evidence_end"])
    # networks built from the store see the correction
    frame = load_statements(con)
    assert frame.loc[frame["statement_id"] == "a1#1", "polarity"].item() == -1


def test_reject_removes_the_row_and_undo_restores_it(con):
    before = stances(con)
    review = rv.record(con, "stance", "a1#0", "reject")
    assert [row[0] for row in stances(con)] == [1]
    assert "a1#0" not in set(load_statements(con)["statement_id"])
    rv.undo(con, review.id)
    assert stances(con) == before
    assert rv.get_review(con, review.id).undone
    with pytest.raises(StoreError, match="E224"):
        rv.undo(con, review.id)


def test_holder_and_target_edits_are_checked(con):
    with pytest.raises(StoreError, match="E225"):
        rv.record(con, "stance", "a1#1", "edit", {"actor": "nobody"})
    with pytest.raises(StoreError, match="E222"):
        rv.record(con, "stance", "a1#1", "edit", {"polarity": 2})
    with pytest.raises(StoreError, match="E222"):
        rv.record(con, "stance", "a1#1", "edit", {"colour": "red"})
    with pytest.raises(StoreError, match="E222"):
        rv.record(con, "stance", "a1#1", "reject", {"polarity": 1})
    with pytest.raises(StoreError, match="E221"):
        rv.record(con, "stance", "a1#9", "accept")
    with pytest.raises(StoreError, match="E220"):
        rv.record(con, "claim", "a1#0", "accept")
    review = rv.record(con, "stance", "a1#1", "edit", {"actor": "scholz", "target": "taxes"})
    assert stances(con)[1] == (1, "scholz", "taxes", 1)
    assert json.loads(con.execute("SELECT actors FROM stances WHERE n = 1").fetchone()[0]) == ["scholz"]
    assert review.changes == {"actor": "scholz", "target": "taxes"}


def test_quote_and_mention_edits(con):
    rv.record(con, "quote", "a1#0", "edit", {"actor": "scholz", "kind": "indirect"})
    assert con.execute("SELECT actor_id, kind FROM quotes").fetchone() == ("scholz", "indirect")
    start, end = con.execute("SELECT start, \"end\" FROM mentions WHERE text = 'He'").fetchone()
    rv.record(con, "mention", f"a1@{start}-{end}", "edit", {"actor": "scholz"})
    assert con.execute("SELECT actor_id FROM mentions WHERE start = ?", [start]).fetchone() == ("scholz",)


def test_only_the_latest_review_of_an_item_can_be_undone(con):
    first = rv.record(con, "stance", "a1#1", "edit", {"polarity": -1})
    second = rv.record(con, "stance", "a1#1", "edit", {"polarity": 0})
    with pytest.raises(StoreError, match="E224"):
        rv.undo(con, first.id)
    rv.undo(con, second.id)
    assert stances(con)[1][3] == -1
    rv.undo(con, first.id)
    assert stances(con)[1][3] == 1


def test_a_new_analysis_never_overwrites_a_review(con, analysis):
    rv.record(con, "stance", "a1#1", "edit", {"polarity": -1})
    rv.record(con, "stance", "a1#0", "reject")
    rv.record(con, "quote", "a1#0", "edit", {"kind": "partial"})
    # a new model: the same text, another confidence and the stances in another order
    new_model = dataclasses.replace(
        analysis, stances=[dataclasses.replace(s, confidence=0.99) for s in reversed(analysis.stances)],
        quotes=[dataclasses.replace(q, confidence=0.5) for q in analysis.quotes])
    assert write_analyses(con, [new_model]).skipped == 1  # an ordinary re-ingest leaves it as it is
    summary = write_analyses(con, [new_model], reanalyse=True)
    assert summary.added == 1
    rows = con.execute("SELECT target, polarity, confidence FROM stances").fetchall()
    assert rows == [("growth", -1, 0.99)]  # rejected stays out; the edit is made again on the new row
    assert con.execute("SELECT kind, confidence FROM quotes").fetchall() == [("partial", 0.5)]
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_reviews_survive_reopening_the_file(tmp_path, analysis):
    path = tmp_path / "s.duckdb"
    con = open_store(path)
    write_analyses(con, [analysis])
    rv.record(con, "stance", "a1#1", "edit", {"polarity": -1})
    con.close()
    con = open_store(path, read_only=True)
    assert con.execute("SELECT polarity FROM stances WHERE n = 1").fetchone() == (-1,)
    assert rv.list_reviews(con)[0] == 1


def test_queue_leaves_out_reviewed_items_and_puts_uncertain_first(con):
    items = rv.queue(con, limit=10)
    by_id = {(i["kind"], i["id"]): i for i in items}
    # a1#0 (0.7, an actor target: one edge) outranks a1#1 (0.6, an issue nobody else holds)
    assert by_id["stance", "a1#0"]["edges"] == 1 and by_id["stance", "a1#1"]["edges"] == 0
    assert by_id["stance", "a1#0"]["score"] == pytest.approx(0.3 * (1 + math.log(2)))
    assert by_id["stance", "a1#1"]["score"] == pytest.approx(0.4)
    assert [i["id"] for i in items if i["kind"] == "stance"] == ["a1#0", "a1#1"]
    assert all(i["score"] >= j["score"] for i, j in itertools.pairwise(items))
    rv.record(con, "stance", "a1#1", "accept")
    assert "a1#1" not in {i["id"] for i in rv.queue(con, limit=10) if i["kind"] == "stance"}


def test_stats_and_precision(con):
    assert rv.stats(con)["kinds"]["stance"] == {"total": 2, "reviewed": 0, "accepted": 0, "precision": None,
                                                "low": None, "high": None}
    rv.record(con, "stance", "a1#0", "accept")
    rv.record(con, "stance", "a1#1", "reject")
    stance = rv.stats(con)["kinds"]["stance"]
    assert (stance["total"], stance["reviewed"], stance["accepted"], stance["precision"]) == (2, 2, 1, 0.5)
    assert stance["low"] < 0.5 < stance["high"]
    low, high = rv.wilson(1, 2)
    assert (stance["low"], stance["high"]) == (low, high)
    article = rv.stats(con)["articles"][0]
    assert (article["article_id"], article["reviewed"], article["total"]) == ("a1", 2, 3)


def test_wilson_interval():
    assert rv.wilson(0, 0) == (None, None)
    low, high = rv.wilson(50, 100)
    assert abs(low - 0.4038) < 1e-3 and abs(high - 0.5962) < 1e-3
    assert rv.wilson(10, 10)[1] == pytest.approx(1.0) and rv.wilson(10, 10)[0] > 0.69


def test_merge_actors_by_review(con):
    review = rv.record(con, "actor", "scholz", "edit", {"merge_into": "emmanuel-macron"})
    assert con.execute("SELECT count(*) FROM actors WHERE id = 'scholz'").fetchone()[0] == 0
    assert review.after == {"merged_into": "emmanuel-macron"}
    with pytest.raises(StoreError, match="E224"):
        rv.undo(con, review.id)


def test_export_jsonl(con, tmp_path):
    rv.record(con, "stance", "a1#1", "edit", {"polarity": -1}, reviewer="ana")
    undone = rv.record(con, "quote", "a1#0", "reject")
    rv.undo(con, undone.id)
    path = tmp_path / "reviews.jsonl"
    assert rv.export_jsonl(con, path) == 1
    line = json.loads(path.read_text(encoding="utf-8"))
    text = con.execute("SELECT text FROM articles").fetchone()[0]
    assert line["span"]["text"] == text[line["span"]["start"]:line["span"]["end"]] == "He backed 3% growth"
    assert line["before"]["polarity"] == 1 and line["after"]["polarity"] == -1 and line["reviewer"] == "ana"
    assert line["span"]["text"] in line["context"]["text"]


def test_reviewed_statements_name_the_reviewer(con):
    rv.record(con, "stance", "a1#1", "accept", reviewer="ana")
    assert rv.reviewed_statements(con) == {"a1#1": "ana"}


def test_dna_export_codes_reviewed_statements_by_their_reviewer(con, tmp_path):
    import sqlite3

    from stancegraph.networks import load_documents, write_dna

    rv.record(con, "stance", "a1#1", "edit", {"polarity": -1}, reviewer="ana")
    statements = load_statements(con)
    path = tmp_path / "coded.dna"
    summary = write_dna(path, statements, load_documents(con, statements["article_id"]), password="secret",
                        reviewers=rv.reviewed_statements(con))
    assert summary["reviewed"] == 1
    with sqlite3.connect(path) as dna:
        coders = dict(dna.execute("SELECT s.Start, c.Name FROM STATEMENTS s JOIN CODERS c ON c.ID = s.Coder").fetchall())
    text = con.execute("SELECT text FROM articles").fetchone()[0]
    assert coders[text.index("He backed")] == "ana"
    assert coders[text.index("“We agree")] == "stancegraph"


def test_cli_export(con, tmp_path, analysis):
    from typer.testing import CliRunner

    from stancegraph.cli.main import app

    path = tmp_path / "s.duckdb"
    store = open_store(path)
    write_analyses(store, [analysis])
    rv.record(store, "quote", "a1#0", "reject", reviewer="ana")
    store.close()
    out = tmp_path / "reviews.jsonl"
    result = CliRunner().invoke(app, ["reviews", "export", "--db", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 reviews" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["verdict"] == "reject"


def test_relations_and_stance_flags_follow_the_reviewed_stances():
    from stancegraph.extract.consistency import stance_flags
    from stancegraph.extract.relations import find_relations
    from stancegraph.records import Actor, ArticleAnalysis, Flag, Span, Stance

    text = "Berg backs the toll. Dorn opposes the toll. Later Berg rejects the toll."

    def span(part: str) -> Span:
        return Span(text.index(part), text.index(part) + len(part), part)

    actors = [Actor("berg", "Berg", "person", mentions=[span("Berg backs")]),
              Actor("dorn", "Dorn", "person", mentions=[span("Dorn")])]
    said = [Stance("berg", "toll", "issue", 1, span("Berg backs the toll."), 0.9),
            Stance("dorn", "toll", "issue", -1, span("Dorn opposes the toll."), 0.9),
            Stance("berg", "toll", "issue", -1, span("Berg rejects the toll."), 0.4)]
    other = Flag("role_conflict", "dorn", "not a stance flag", [span("Dorn")])
    con = open_store(":memory:")
    write_analyses(con, [ArticleAnalysis("t1", "Toll", "2024-05-01", "Daily", text, actors=actors, stances=said,
                                         relations=find_relations(said, actors),
                                         flags=[*stance_flags(said), other])])

    def relations():
        return sorted(con.execute("SELECT a, b, kind FROM relations").fetchall())

    def flags():
        return sorted(con.execute("SELECT kind, actor_id FROM flags").fetchall())

    assert relations() == [("berg", "dorn", "agree"), ("berg", "dorn", "conflict")]
    assert flags() == [("role_conflict", "dorn"), ("stance_conflict", "berg")]
    review = rv.record(con, "stance", "t1#2", "reject")
    assert relations() == [("berg", "dorn", "conflict")]
    assert flags() == [("role_conflict", "dorn")]
    rv.undo(con, review.id)
    assert relations() == [("berg", "dorn", "agree"), ("berg", "dorn", "conflict")]
    assert flags() == [("role_conflict", "dorn"), ("stance_conflict", "berg")]
    rv.record(con, "stance", "t1#0", "edit", {"polarity": -1})  # Berg against the toll throughout: agreement only
    assert relations() == [("berg", "dorn", "agree")] and flags() == [("role_conflict", "dorn")]
    # a new analysis writes the automatic relations and flags again; the review and what follows from it stay
    write_analyses(con, [ArticleAnalysis("t1", "Toll", "2024-05-01", "Daily", text, actors=actors, stances=said,
                                         relations=find_relations(said, actors),
                                         flags=[*stance_flags(said), other])], reanalyse=True)
    assert relations() == [("berg", "dorn", "agree")] and flags() == [("role_conflict", "dorn")]


def test_a_mention_moved_to_an_actor_the_article_did_not_name_lists_that_actor(con, make_analysis):
    from stancegraph.store import load_analysis

    full = make_analysis("a2")
    only_macron = dataclasses.replace(full, text=full.text.replace("Scholz", "Olaf S"), actors=full.actors[:1],
                                      stances=full.stances[1:], relations=[])
    write_analyses(con, [only_macron])
    assert "scholz" not in {actor.id for actor in load_analysis(con, "a2").actors}
    start, end = con.execute("SELECT start, \"end\" FROM mentions WHERE article_id = 'a2' AND text = 'He'").fetchone()
    rv.record(con, "mention", f"a2@{start}-{end}", "edit", {"actor": "scholz"})
    listed = {actor.id: actor for actor in load_analysis(con, "a2").actors}
    assert [(m.start, m.end) for m in listed["scholz"].mentions] == [(start, end)]
    assert (start, end) not in {(m.start, m.end) for m in listed["emmanuel-macron"].mentions}
