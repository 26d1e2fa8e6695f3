"""Statements from the store and from analyses: columns, heads of state, filters, duplicates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from stancegraph.errors import NetworkError
from stancegraph.networks import (
    StatementFilter,
    dedupe_statements,
    filter_statements,
    load_documents,
    load_statements,
    statements_frame,
)
from stancegraph.records import Actor, ArticleAnalysis, Quote, Role, Span, Stance


def test_store_statements_have_names_types_dates_and_evidence(store):
    statements = load_statements(store)
    assert len(statements) == 12
    first = statements.iloc[0]
    assert (first["statement_id"], first["actor"], first["actor_type"], first["label"]) == \
        ("art1#0", "Greta Green", "person", "coal phase-out")
    assert first["date"] == dt.datetime(2024, 1, 3) and first["source"] == "Daily"
    on_actor = statements.loc[statements["target_kind"] == "actor"].iloc[0]
    assert (on_actor["label"], on_actor["concept_kind"]) == ("Greta Green", "actor")
    documents = load_documents(store, ["art2"])
    text = documents.loc[0, "text"]
    row = statements.loc[statements["statement_id"] == "art2#1"].iloc[0]
    assert text[row["evidence_start"]:row["evidence_end"]] == row["evidence_text"]


def test_a_text_stored_under_a_second_id_adds_no_statement(store, analyses):
    from stancegraph.networks import NetworkOptions, build_network
    from stancegraph.store import write_analyses

    options = NetworkOptions(kind="conflict", similarity=None)
    before, graph = load_statements(store), build_network(store, options)
    syndicated = ArticleAnalysis("wire/art1", "Energy row (wire)", "2024-01-04", "Wire", analyses[0].text)
    assert write_analyses(store, [syndicated]).duplicates == 1
    assert store.execute("SELECT count(*) FROM articles").fetchone()[0] == len(analyses) + 1
    assert load_statements(store).equals(before)
    after = build_network(store, options)
    assert sorted(after.edges(data="weight")) == sorted(graph.edges(data="weight")) and graph.number_of_edges()


def test_a_stance_on_a_head_of_state_is_a_stance_on_the_country_and_quotes_are_linked(tmp_path):
    from stancegraph.store import open_store, write_analyses

    text = "Chancellor Olaf Scholz of Germany spoke. Ana Costa praised Scholz. Ana Costa criticised Germany."
    scholz = text.index("Olaf Scholz")
    actors = [
        Actor("s", "Olaf Scholz", "person", mentions=[Span.of(text, scholz, scholz + 11)],
              roles=[Role(Span.of(text, 0, 10), "Chancellor", "chancellor", "head", "Germany")]),
        Actor("g", "Germany", "country", mentions=[Span.of(text, text.index("Germany"), text.index("Germany") + 7)]),
        Actor("c", "Ana Costa", "person", mentions=[Span.of(text, text.index("Ana"), text.index("Ana") + 9)]),
    ]
    praise, blame = text.index("Ana Costa praised"), text.index("Ana Costa criticised")
    stances = [Stance("c", "s", "actor", 1, Span.of(text, praise, praise + 25), 0.9),
               Stance("c", "g", "actor", -1, Span.of(text, blame, len(text)), 0.9)]
    quotes = [Quote("indirect", Span.of(text, praise + 18, praise + 25), None, None, "c", 0.8),
              Quote("indirect", Span.of(text, 0, 10), None, None, "s", 0.8)]
    con = open_store(tmp_path / "heads.duckdb")
    write_analyses(con, [ArticleAnalysis("h", None, "2024-05-01", None, text, actors=actors, stances=stances,
                                         quotes=quotes)])
    statements = load_statements(con)
    assert statements["label"].tolist() == ["Germany", "Germany"]
    assert statements["quotes"].tolist() == [["h#0"], []]
    assert load_statements(con, heads_as_countries=False)["label"].tolist() == ["Olaf Scholz", "Germany"]


def test_frame_derives_missing_columns():
    frame = statements_frame([{"article_id": "a", "n": 3, "actor_id": "x", "target": "tax", "polarity": -1}])
    row = frame.iloc[0]
    assert (row["statement_id"], row["label"], row["concept"]) == ("a#3", "tax", "tax")
    assert pd.isna(row["confidence"])  # absent, not invented (a DNA export writes no confidence for it)


def test_neutral_statements_are_left_out_unless_asked_for():
    frame = statements_frame([{"article_id": "a", "n": i, "actor_id": "x", "target": "tax", "polarity": p}
                              for i, p in enumerate((1, 0, -1))])
    assert filter_statements(frame, StatementFilter())["polarity"].tolist() == [1, -1]
    assert filter_statements(frame, StatementFilter(neutral=True))["polarity"].tolist() == [1, 0, -1]


def test_actor_filter_takes_names_or_ids(statements):
    kept = filter_statements(statements, StatementFilter(actors=("greta green",)))
    assert set(kept["actor"]) == {"Greta Green"} and len(kept) == 3


def test_date_bounds_leave_out_undated_statements():
    frame = statements_frame([{"article_id": "a", "n": 0, "actor_id": "x", "target": "t", "polarity": 1},
                              {"article_id": "b", "n": 0, "actor_id": "x", "target": "t", "polarity": 1,
                               "date": "2024-01-01"}])
    assert len(filter_statements(frame, StatementFilter())) == 2
    assert filter_statements(frame, StatementFilter(date_to=dt.date(2024, 12, 31)))["article_id"].tolist() == ["b"]


def test_duplicates_ignore_polarity_only_when_the_network_does(statements):
    frame = statements_frame([{"article_id": "a", "n": i, "actor_id": "x", "target": "t", "polarity": p,
                               "date": "2024-01-01"} for i, p in enumerate((1, -1))])
    assert len(dedupe_statements(frame, "document")) == 2
    assert len(dedupe_statements(frame, "document", qualifier=False)) == 1
    assert len(dedupe_statements(statements, "acrossrange")) == 9  # 12 less Greta's two and Coal Union's one repeat
    with pytest.raises(NetworkError, match="E302"):
        dedupe_statements(frame, "fortnight")
