"""A three-article corpus written for this test: a ferry toll rise, its proposer, a supporter, opponents.

The proposer, supporters and opponents must land in the congruence and conflict networks as a
reader expects, through each kind of statement the rules used to miss:

* what an actor says carries the stance ("the ferry toll must rise", "the toll will empty our
  island shops", "cannot wait for the ferry toll increase");
* proposals have owners ("the rise ... proposed by Mayor Lindqvist", "Lindqvist's plan to
  raise ...", a later "rejected the plan");
* targets are whole phrases folded to one concept ("the rise in the ferry toll", "raising the
  ferry toll", "the ferry toll increase" are all "ferry toll increase");

and a speaker who weighs two people in a "whether ... or ..." clause takes no side on either.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from stancegraph.networks import NetworkOptions, build_network
from stancegraph.pipeline import analyze
from stancegraph.records import ArticleAnalysis
from stancegraph.store import open_store, write_analyses

ARTICLES = [
    ("toll-1", "2026-03-02", """Ferry toll rise unveiled

Mayor Petra Lindqvist unveiled a plan on Monday to raise the ferry toll by a third. Lindqvist said the ferry toll must rise to pay for two new boats. Councillor Omar Haddad backed the rise in the ferry toll proposed by Mayor Lindqvist.
"""),
    ("toll-2", "2026-03-09", """Island traders attack toll plan

Mayor Petra Lindqvist's plan to raise the ferry toll drew fire on Tuesday. "The toll will empty our island shops," said Councillor Julia Brenner. Brenner rejected the plan. Nils Ekwall, who chairs the Island Traders Guild, opposes raising the ferry toll.
"""),
    ("toll-3", "2026-03-16", """Council divided ahead of toll vote

Councillor Omar Haddad said on Wednesday that the council cannot wait for the ferry toll increase. Councillor Sara Moen said that whether the council chose Lindqvist or Brenner, it would result in higher fares.
"""),
]
PROPOSER, SUPPORTER = "Lindqvist", "Haddad"
OPPONENTS = ("Brenner", "Ekwall")
CONCEPT = "ferry toll increase"


@pytest.fixture(scope="module")
def analyses() -> list[ArticleAnalysis]:
    return [analyze(text, id=id, date=date) for id, date, text in ARTICLES]


@pytest.fixture(scope="module")
def networks(analyses: list[ArticleAnalysis], tmp_path_factory: pytest.TempPathFactory) -> dict[str, nx.Graph]:
    con = open_store(tmp_path_factory.mktemp("corpus") / "toll.duckdb")
    write_analyses(con, analyses)
    return {kind: build_network(con, NetworkOptions(kind=kind, similarity=None)) for kind in ("congruence", "conflict")}


def node(graph: nx.Graph, surname: str) -> str:
    (found,) = [n for n, data in graph.nodes(data=True) if surname in str(data.get("name", ""))]
    return found


def concepts(graph: nx.Graph, a: str, b: str) -> set[str]:
    edge = (node(graph, a), node(graph, b))
    return set(graph.edges[edge]["concepts"]) if graph.has_edge(*edge) else set()


@pytest.mark.slow
def test_every_side_states_the_one_concept_in_each_article(analyses: list[ArticleAnalysis]) -> None:
    def names(analysis: ArticleAnalysis) -> dict[str, str]:
        return {actor.id: actor.name for actor in analysis.actors}

    sides: dict[str, set[int]] = {}
    for analysis in analyses:
        for stance in analysis.stances:
            if stance.target == CONCEPT:
                sides.setdefault(names(analysis)[stance.actor].split()[-1], set()).add(stance.polarity)
    assert sides[PROPOSER] == sides[SUPPORTER] == {1}
    assert all(sides[opponent] == {-1} for opponent in OPPONENTS)
    phrases = {s.target_phrase for a in analyses for s in a.stances if s.target == CONCEPT}
    assert {"rise in the ferry toll", "raising the ferry toll"} <= phrases


@pytest.mark.slow
def test_proposer_and_supporter_agree_opponents_agree_and_the_sides_conflict(networks: dict[str, nx.Graph]) -> None:
    congruence, conflict = networks["congruence"], networks["conflict"]
    assert CONCEPT in concepts(congruence, PROPOSER, SUPPORTER)
    assert CONCEPT in concepts(congruence, *OPPONENTS)
    for ours, theirs in itertools.product((PROPOSER, SUPPORTER), OPPONENTS):
        assert CONCEPT in concepts(conflict, ours, theirs)
        assert CONCEPT not in concepts(congruence, ours, theirs)


@pytest.mark.slow
def test_whether_this_or_that_gives_no_stance_toward_either(analyses: list[ArticleAnalysis]) -> None:
    third = analyses[2]
    moen = next(actor.id for actor in third.actors if "Moen" in actor.name)
    assert [s for s in third.stances if s.actor == moen] == []
