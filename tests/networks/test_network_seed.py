"""The founding article's shape: Trump and Macron split on Putin and agree on ending the war.

The article is read from ../shared/seed at test time (never copied into the repository). The
first tests place its stances by hand on the sentences that state them, to test the network
logic alone; the last runs the whole pipeline: analysis, the store, the networks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stancegraph.networks import NetworkOptions, build_network, statements_from_analyses
from stancegraph.pipeline import analyze
from stancegraph.records import Actor, ArticleAnalysis, Quote, Role, Span, Stance
from stancegraph.store import open_store, write_analyses

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "article.txt"


def _sentence(text: str, words: str) -> Span:
    """The sentence of ``text`` that holds ``words``."""
    at = text.index(words)
    start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
    end = text.find(".", at + len(words))
    return Span.of(text, start, end + 1)


def _mentions(text: str, name: str) -> list[Span]:
    return [Span.of(text, m.start(), m.end()) for m in re.finditer(re.escape(name), text)]


@pytest.fixture(scope="module")
def seed() -> ArticleAnalysis:
    text = SEED.read_text(encoding="utf-8")
    leader = text.index("Russian leader")
    actors = [
        Actor("trump", "Donald Trump", "person", mentions=_mentions(text, "Trump")),
        Actor("macron", "Emmanuel Macron", "person", mentions=_mentions(text, "Macron")),
        Actor("putin", "Vladimir Putin", "person", mentions=_mentions(text, "Putin"),
              roles=[Role(Span.of(text, leader, leader + 14), "Russian leader", "leader", "head", "Russia")]),
        Actor("russia", "Russia", "country", mentions=_mentions(text, "Russia")),
    ]
    stances = [
        Stance("macron", "russia", "actor", -1, _sentence(text, "guarantor"), 0.9),
        Stance("trump", "putin", "actor", 1, _sentence(text, "praise for Putin"), 0.8),
        Stance("macron", "end war", "issue", 1, _sentence(text, "Peace is possible"), 0.85),
        Stance("trump", "end war", "issue", 1, _sentence(text, "ends on day one"), 0.85),
    ]
    guarantor = text.index("guarantor")
    quotes = [Quote("partial", Span.of(text, guarantor - 20, guarantor + 19), None, None, "macron", 0.9)]
    return ArticleAnalysis("seed", None, None, None, text, actors=actors, stances=stances, quotes=quotes)


def test_trump_and_macron_conflict_on_one_concept_and_agree_on_another(seed):
    statements = statements_from_analyses([seed])
    conflict = build_network(statements, NetworkOptions(kind="conflict"))
    congruence = build_network(statements, NetworkOptions(kind="congruence"))
    edge = ("actor:Donald Trump", "actor:Emmanuel Macron")
    assert conflict.has_edge(*edge) and congruence.has_edge(*edge)
    assert conflict.edges[edge]["concepts"] == ["Russia"]  # praise for Putin, Russia's leader, against distrust of Russia
    assert conflict.edges[edge]["quotes"] == ["seed#0"]  # Macron's words on Russia, for the page to show
    assert congruence.edges[edge]["concepts"] == ["end war"]
    for graph in (conflict, congruence):
        for statement_id in graph.edges[edge]["statements"]:
            n = int(statement_id.split("#")[1])
            assert seed.text[seed.stances[n].evidence.start:seed.stances[n].evidence.end] == seed.stances[n].evidence.text


def test_without_heads_as_countries_putin_and_russia_are_apart(seed):
    statements = statements_from_analyses([seed], heads_as_countries=False)
    conflict = build_network(statements, NetworkOptions(kind="conflict"))
    assert not conflict.has_edge("actor:Donald Trump", "actor:Emmanuel Macron")


@pytest.mark.slow
def test_the_analysed_article_alone_gives_a_conflict_and_an_agreement_edge(tmp_path):
    result = analyze(SEED.read_text(encoding="utf-8"), id="seed")
    con = open_store(tmp_path / "seed.duckdb")
    write_analyses(con, [result])
    conflict = build_network(con, NetworkOptions(kind="conflict", similarity=None))
    congruence = build_network(con, NetworkOptions(kind="congruence", similarity=None))
    names = {node: data.get("name") for node, data in conflict.nodes(data=True)}
    trump = next(n for n, name in names.items() if name == "Donald Trump")
    macron = next(n for n, name in names.items() if name == "Emmanuel Macron")
    assert conflict.has_edge(trump, macron) and congruence.has_edge(trump, macron)
    against, along = set(conflict.edges[trump, macron]["concepts"]), set(congruence.edges[trump, macron]["concepts"])
    assert against and along and not against & along
