"""Merging and splitting corpus actors rewrites the member lists of group quotes and stances (issue 10)."""

from __future__ import annotations

import json

from stancegraph.networks.statements import load_statements
from stancegraph.records import Actor, ArticleAnalysis, Quote, Span, Stance
from stancegraph.store.actors import merge_actors, split_actor
from stancegraph.store.schema import open_store
from stancegraph.store.writer import write_analyses


def _named(text: str, actor_id: str, name: str, type: str = "person", **kwargs) -> Actor:
    start = text.index(name)
    return Actor(actor_id, name, type, [name], [Span.of(text, start, start + len(name))], **kwargs)


def _group_article() -> ArticleAnalysis:
    text = 'Ana Vela and Bo Lind met. "We oppose the toll," both leaders said.'
    group = _named(text, "g", "both leaders", "group", members=["ana", "bo"])
    group.name = "Ana Vela and Bo Lind"
    content = Span.of(text, text.index("We"), text.index(",\""))
    quote = Quote("direct", content, Span.of(text, text.index("said"), text.index("said") + 4),
                  group.mentions[0], "g", 0.9, ["ana", "bo"])
    stance = Stance("g", "toll", "issue", -1, content, 0.9, None, ["ana", "bo"])
    return ArticleAnalysis("a1", None, "2024-03-01", None, text,
                           actors=[_named(text, "ana", "Ana Vela"), _named(text, "bo", "Bo Lind"), group],
                           quotes=[quote], stances=[stance])


def _single_article(article_id: str, name: str) -> ArticleAnalysis:
    text = f"{name} opposed the toll."
    return ArticleAnalysis(article_id, None, "2024-03-02", None, text, actors=[_named(text, "x", name)],
                           stances=[Stance("x", "toll", "issue", -1, Span.of(text, 0, len(text) - 1), 0.9,
                                                  None, ["x"])])


def _lists(con, table: str, article: str) -> list[list[str]]:
    return [json.loads(row[0]) for row in con.execute(
        f"SELECT actors FROM {table} WHERE article_id = ? ORDER BY n", [article]).fetchall()]


def _store(tmp_path):
    con = open_store(tmp_path / "store.duckdb")
    write_analyses(con, [_group_article(), _single_article("a2", "Rolf Amsel"), _single_article("a3", "Ana Vela")])
    return con


def test_merge_rewrites_the_members_of_group_quotes_and_stances(tmp_path):
    con = _store(tmp_path)
    assert _lists(con, "stances", "a1") == [["ana-vela", "bo-lind"]]
    merge_actors(con, "rolf-amsel", ["bo-lind"])
    assert _lists(con, "quotes", "a1") == _lists(con, "stances", "a1") == [["ana-vela", "rolf-amsel"]]
    held = load_statements(con)
    assert sorted(held.loc[held["article_id"] == "a1", "actor_id"]) == ["ana-vela", "rolf-amsel"]


def test_merging_one_member_into_the_other_lists_it_once(tmp_path):
    con = _store(tmp_path)
    merge_actors(con, "ana-vela", ["bo-lind"])
    assert _lists(con, "stances", "a1") == [["ana-vela"]]


def test_split_rewrites_the_lists_only_in_the_articles_moved(tmp_path):
    con = _store(tmp_path)
    new_id, moved = split_actor(con, "ana-vela", "Ana Vela (Oslo)", articles=["a1"])
    assert moved == 1
    assert _lists(con, "quotes", "a1") == _lists(con, "stances", "a1") == [[new_id, "bo-lind"]]
    assert _lists(con, "stances", "a3") == [["ana-vela"]]


def test_a_member_s_counts_and_page_include_the_group_s_quote_and_stance(tmp_path):
    from stancegraph.web.queries import actor_payload, list_actors, overview

    con = _store(tmp_path)
    listed = {row["id"]: (row["quotes"], row["stances"]) for row in list_actors(con, per_page=50)["actors"]}
    assert listed["bo-lind"] == (1, 1)  # the group's quote and stance, counted for the member
    assert listed["ana-vela"] == (1, 2)  # the group's, and her own stance in a3
    assert listed["rolf-amsel"] == (0, 1)
    page = actor_payload(con, "bo-lind")
    assert [q["content_text"] for q in page["quotes"]] == ["We oppose the toll"]
    assert [s["id"] for s in page["stances"]] == ["a1#0"]
    busiest = {row["id"]: row["quotes"] for row in overview(con)["actors"]}
    assert busiest["ana-vela"] == busiest["bo-lind"] == 1
