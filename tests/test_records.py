"""Records serialise to the output contract and read back unchanged."""

from __future__ import annotations

import json

from stancegraph.records import (
    Actor,
    ArticleAnalysis,
    Claim,
    Flag,
    Quote,
    Relation,
    Role,
    Span,
    Stance,
    to_dict,
)

TEXT = "U.S. President Joe Biden said “we will help.” Biden backed sanctions."


def sample() -> ArticleAnalysis:
    name = Span.of(TEXT, 0, 24)
    return ArticleAnalysis(
        id="a1", title="T", date="2024-03-01", source="Wire", text=TEXT,
        actors=[Actor("joe-biden", "Joe Biden", "person", ["Biden"], [name, Span.of(TEXT, 46, 51)],
                      [Role(name, "U.S. President", "president", "head", "United States", None)],
                      "United States")],
        quotes=[Quote("direct", Span.of(TEXT, 30, 45), Span.of(TEXT, 25, 29), name, "joe-biden", 0.9)],
        stances=[Stance("joe-biden", "sanction", "issue", 1, Span.of(TEXT, 46, 68), 0.8)],
        relations=[Relation("joe-biden", "x", "agree", "sanction")],
        claims=[Claim(Span.of(TEXT, 0, 4), 4.0, "things", "about", None, "things")],
        flags=[Flag("role_conflict", "joe-biden", "msg", [name])],
    )


def test_spans_match_text():
    for quote in sample().quotes:
        assert TEXT[quote.content.start : quote.content.end] == quote.content.text


def test_round_trip_through_json_is_lossless():
    analysis = sample()
    data = json.loads(json.dumps(analysis.to_dict()))
    assert ArticleAnalysis.from_dict(data) == analysis


def test_contract_field_names():
    data = to_dict(sample())
    assert set(data) >= {"id", "title", "date", "source", "text", "actors", "quotes", "stances",
                         "relations", "claims", "flags"}
    assert set(data["actors"][0]) >= {"id", "name", "type", "aliases", "mentions"}
    assert set(data["quotes"][0]) >= {"kind", "content", "cue", "speaker", "actor", "confidence"}
    assert set(data["quotes"][0]["content"]) == {"start", "end", "text"}
    assert set(data["stances"][0]) >= {"actor", "target", "target_kind", "polarity", "evidence", "confidence"}
    assert set(data["relations"][0]) == {"a", "b", "kind", "on"}
    assert set(data["claims"][0]) >= {"span", "value", "unit", "qualifier", "source"}
    assert set(data["flags"][0]) >= {"kind", "actor", "message", "evidence"}
