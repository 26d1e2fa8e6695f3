"""DNA's network options on the hand-counted corpus (see conftest.py for the counts)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from stancegraph.errors import NetworkError
from stancegraph.networks import (
    Duration,
    NetworkOptions,
    build_network,
    kernel_weights,
    statements_frame,
    time_windows,
)

GRETA, PARTY, ALLIANCE, UNION, FRANK = "Greta Green", "Green Party", "Climate Alliance", "Coal Union", "Frank Fossil"
COAL, TAX = "coal phase-out", "carbon tax"
SUPPORTERS, OPPONENTS = (GRETA, PARTY, ALLIANCE), (UNION, FRANK)


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def test_congruence_links_each_camp_and_weights_match_the_hand_count(statements, weights):
    graph = build_network(statements, NetworkOptions(kind="congruence"))
    assert weights(graph) == {
        pair(GRETA, PARTY): 3.0,  # coal: 3 x 1
        pair(GRETA, ALLIANCE): 3.0,  # coal: 3 x 1
        pair(PARTY, ALLIANCE): 2.0,  # coal 1 x 1 + tax 1 x 1
        pair(UNION, FRANK): 2.0,  # coal: 2 x 1
    }
    assert graph.edges["actor:Green Party", "actor:Climate Alliance"]["concepts"] == [TAX, COAL]


def test_conflict_links_across_the_camps_only(statements, weights):
    graph = build_network(statements, NetworkOptions(kind="conflict"))
    assert weights(graph) == {
        pair(GRETA, UNION): 6.0, pair(GRETA, FRANK): 3.0,
        pair(PARTY, UNION): 2.0, pair(PARTY, FRANK): 2.0,  # coal 1 + tax 1
        pair(ALLIANCE, UNION): 2.0, pair(ALLIANCE, FRANK): 2.0,
    }
    for u, v in graph.edges:
        names = {graph.nodes[u]["name"], graph.nodes[v]["name"]}
        assert names & set(SUPPORTERS) and names & set(OPPONENTS)


def test_conflict_edge_lists_the_statements_behind_it(statements):
    graph = build_network(statements, NetworkOptions(kind="conflict"))
    edge = graph.edges["actor:Green Party", "actor:Frank Fossil"]
    assert edge["concepts"] == [TAX, COAL]
    behind = statements.set_index("statement_id").loc[edge["statements"]]
    assert set(behind["actor"]) == {PARTY, FRANK}
    assert len(edge["statements"]) == 4  # Party coal+, tax+; Frank coal-, tax-


def test_subtract_is_congruence_minus_conflict(statements, weights):
    graph = build_network(statements, NetworkOptions(kind="subtract"))
    found = weights(graph)
    assert found[pair(GRETA, PARTY)] == 3.0
    assert found[pair(GRETA, UNION)] == -6.0
    assert found[pair(PARTY, FRANK)] == -2.0
    assert len(found) == 10


def test_ignore_counts_co_occurrence_regardless_of_agreement(statements, weights):
    found = weights(build_network(statements, NetworkOptions(kind="ignore")))
    assert found[pair(GRETA, UNION)] == 6.0
    assert found[pair(PARTY, FRANK)] == 2.0
    assert found[pair(GRETA, PARTY)] == 3.0


@pytest.mark.parametrize(("normalize", "congruence", "conflict"), [
    ("none", 3.0, 6.0),
    ("average", 1.2, 2.4),  # 3 / ((3 + 2) / 2), 6 / ((3 + 2) / 2)
    ("cosine", 0.5, 1.0),  # DNA: 3 / (3 x 2), 6 / (3 x 2)
    ("jaccard", 0.75, 1.2),  # 3 / (m11 3 + m01 1), 6 / (m10 3 + m01 2)
])
def test_one_mode_normalisations(statements, weights, normalize, congruence, conflict):
    agree = weights(build_network(statements, NetworkOptions(kind="congruence", normalize=normalize)))
    fight = weights(build_network(statements, NetworkOptions(kind="conflict", normalize=normalize)))
    assert agree[pair(GRETA, PARTY)] == congruence
    assert fight[pair(GRETA, UNION)] == conflict


def test_two_mode_qualifier_aggregation(statements):
    def edge(graph, actor, concept):
        return graph.edges[f"actor:{actor}", f"concept:{concept}"]["weight"]

    ignore = build_network(statements, NetworkOptions(kind="two-mode", qualifier="ignore"))
    subtract = build_network(statements, NetworkOptions(kind="two-mode", qualifier="subtract"))
    combine = build_network(statements, NetworkOptions(kind="two-mode", qualifier="combine"))
    assert edge(ignore, GRETA, COAL) == 3.0 and edge(ignore, UNION, COAL) == 2.0
    assert edge(subtract, GRETA, COAL) == 3.0 and edge(subtract, UNION, COAL) == -2.0
    assert edge(combine, GRETA, COAL) == 1.0 and edge(combine, UNION, COAL) == 2.0
    assert edge(ignore, FRANK, GRETA) == 1.0  # the stance on an actor is a statement on the concept "Greta Green"
    assert ignore.nodes["concept:Greta Green"]["type"] == "actor"
    assert ignore.nodes["actor:Frank Fossil"] == {"kind": "actor", "name": FRANK, "type": "person",
                                                  "statements": 3, "bipartite": 0}


def test_combine_marks_mixed_positions_and_two_mode_normalisation():
    frame = statements_frame([
        {"article_id": "a", "n": 0, "actor_id": "m", "actor": "M", "target": "tax", "polarity": 1},
        {"article_id": "a", "n": 1, "actor_id": "m", "actor": "M", "target": "tax", "polarity": -1},
        {"article_id": "a", "n": 2, "actor_id": "m", "actor": "M", "target": "war", "polarity": 1},
        {"article_id": "a", "n": 3, "actor_id": "m", "actor": "M", "target": "war", "polarity": 1},
    ])
    combined = build_network(frame, NetworkOptions(qualifier="combine"))
    assert combined.edges["actor:m", "concept:tax"]["weight"] == 3.0
    activity = build_network(frame, NetworkOptions(normalize="activity"))
    assert activity.edges["actor:m", "concept:war"]["weight"] == 0.5  # 2 of M's 4 statements
    subtracted = build_network(frame, NetworkOptions(qualifier="subtract"))
    assert not subtracted.has_edge("actor:m", "concept:tax")  # one for, one against: 0


def test_concept_by_concept_network(statements, weights):
    agree = weights(build_network(statements, NetworkOptions(kind="congruence", nodes="concept")))
    assert agree[pair(COAL, TAX)] == 3.0  # Green Party, Climate Alliance, Frank Fossil each hold both alike
    graph = build_network(statements, NetworkOptions(kind="congruence", nodes="concept"))
    assert sorted(graph.edges[f"concept:{COAL}", f"concept:{TAX}"]["actors"]) == [ALLIANCE, FRANK, PARTY]


@pytest.mark.parametrize(("duplicates", "greta_party", "greta_union"), [
    ("include", 3.0, 6.0),
    ("document", 2.0, 4.0),  # Greta's second coal statement in art1 goes
    ("week", 2.0, 4.0),  # art1 and art2 are in ISO weeks 1 and 2
    ("month", 1.0, 2.0),  # Greta's January statements are one; Coal Union's Jan and Feb stay two
    ("year", 1.0, 1.0),
])
def test_duplicates_are_counted_once_per_period(statements, weights, duplicates, greta_party, greta_union):
    agree = weights(build_network(statements, NetworkOptions(kind="congruence", duplicates=duplicates)))
    fight = weights(build_network(statements, NetworkOptions(kind="conflict", duplicates=duplicates)))
    assert agree[pair(GRETA, PARTY)] == greta_party
    assert fight[pair(GRETA, UNION)] == greta_union


def test_filters_date_source_actor_type_concept_and_confidence(statements, weights):
    february = weights(build_network(statements, NetworkOptions(kind="conflict", date_from=_d("2024-02-01"),
                                                                date_to=_d("2024-02-29"))))
    assert february == {pair(ALLIANCE, UNION): 1.0, pair(ALLIANCE, FRANK): 1.0}
    assert weights(build_network(statements, NetworkOptions(kind="conflict", sources=("herald",)))) == february
    people = weights(build_network(statements, NetworkOptions(kind="conflict", actor_types=("person",))))
    assert people == {pair(GRETA, FRANK): 3.0}
    tax = weights(build_network(statements, NetworkOptions(kind="conflict", concepts=(TAX,))))
    assert tax == {pair(PARTY, FRANK): 1.0, pair(ALLIANCE, FRANK): 1.0}
    confident = weights(build_network(statements, NetworkOptions(kind="conflict", min_confidence=0.5)))
    assert confident[pair(PARTY, FRANK)] == 1.0  # Frank's tax statement (0.4) is left out
    issues = build_network(statements, NetworkOptions(kind="two-mode", targets="issue"))
    assert "concept:Greta Green" not in issues


def test_options_are_checked():
    with pytest.raises(NetworkError, match="E301"):
        NetworkOptions(kind="bipartite")
    with pytest.raises(NetworkError, match="E302"):
        NetworkOptions(kind="two-mode", normalize="jaccard")
    with pytest.raises(NetworkError, match="E302"):
        NetworkOptions(kind="conflict", normalize="activity")
    with pytest.raises(NetworkError, match="E303"):
        NetworkOptions(window="thirty days")
    with pytest.raises(NetworkError, match="E315"):
        NetworkOptions(step="7d")
    with pytest.raises(NetworkError, match="E317"):
        NetworkOptions(min_confidence=1.5)


def test_monthly_windows_split_the_conflict(statements, weights):
    windows = time_windows(statements, NetworkOptions(kind="conflict", window="1m"))
    assert [(w.start.date().isoformat(), w.end.date().isoformat()) for w in windows] == [
        ("2024-01-03", "2024-02-03"), ("2024-02-03", "2024-03-03")]
    january, february = (weights(w.graph) for w in windows)
    assert january == {pair(GRETA, UNION): 3.0, pair(GRETA, FRANK): 3.0, pair(PARTY, UNION): 1.0,
                       pair(PARTY, FRANK): 1.0}
    assert february == {pair(ALLIANCE, UNION): 1.0, pair(ALLIANCE, FRANK): 1.0}
    assert windows[0].graph.graph["end"] == "2024-02-02"


def test_windows_step_and_isolates(statements):
    windows = time_windows(statements, NetworkOptions(kind="congruence", window="2w", step="1w", isolates=True))
    assert len(windows) == 7  # starts 3 Jan, 10 Jan ... 14 Feb (the last start before 20 Feb)
    assert all(w.graph.number_of_nodes() == 5 for w in windows)
    assert windows[-1].graph.number_of_edges() == 0  # 14-27 Feb: Climate Alliance alone


def test_kernel_weights_follow_dna_formulas():
    offsets = [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5]
    assert kernel_weights(_a(offsets), "uniform").tolist() == [0.5, 0.5, 0.5, 0.5, 0.5, 0.0]
    assert kernel_weights(_a(offsets), "triangular").tolist() == [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    assert kernel_weights(_a(offsets), "epanechnikov").tolist() == [0.0, 0.5625, 0.75, 0.5625, 0.0, 0.0]
    gaussian = kernel_weights(_a(offsets), "gaussian")
    assert math.isclose(gaussian[2], 1 / math.sqrt(2 * math.pi))
    assert gaussian[5] > 0.0


def test_kernel_weighted_window(statements):
    # window 3 Jan - 2 Feb (30 days), mid-point 18 Jan: art1 (3 Jan) is at d = -1, art2 (10 Jan) at d = -16/30
    windows = time_windows(statements, NetworkOptions(kind="two-mode", window="30d", kernel="triangular"))
    first = windows[0].graph
    d = -16 / 30
    assert math.isclose(first.edges["actor:Greta Green", f"concept:{COAL}"]["weight"], 1 - abs(d))
    assert not first.has_edge("actor:Coal Union", f"concept:{COAL}")  # only art1: weight 0
    conflict = time_windows(statements, NetworkOptions(kind="conflict", window="30d", kernel="epanechnikov"))[0].graph
    weight = 0.75 * (1 - d * d)  # sqrt(w x w) for Greta's and Frank's statements in art2
    assert math.isclose(conflict.edges["actor:Greta Green", "actor:Frank Fossil"]["weight"], weight)


def test_store_and_frame_give_the_same_network(store, statements, weights):
    options = NetworkOptions(kind="conflict", normalize="average", similarity=None)
    assert weights(build_network(store, options)) == weights(build_network(statements, options))
    two_mode = build_network(store, NetworkOptions(similarity=None))
    actors = {d["name"]: d for n, d in two_mode.nodes(data=True) if d["kind"] == "actor"}
    assert actors[GRETA]["statements"] == 3 and actors[ALLIANCE]["type"] == "group"


def test_duration_parsing():
    assert Duration.parse("30d") == Duration(30, "days")
    assert Duration.parse("4 weeks") == Duration(4, "weeks")
    assert Duration.parse("2M") == Duration(2, "months")


def _a(values):
    import numpy as np

    return np.array(values)


def _d(text):
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_windows_in_events_hold_the_statements_around_each_statement(statements):
    from stancegraph.networks import time_windows

    options = NetworkOptions(kind="two-mode", window="3e")
    windows = time_windows(statements, options)
    signed = len(statements.loc[statements["polarity"] != 0])
    assert len(windows) == signed - 2  # complete windows only: one statement either side
    assert all(w.graph.graph["statements"] == 3 for w in windows)
    assert [w.mid for w in windows] == sorted(w.mid for w in windows)


def test_windows_in_hours_and_years_parse_and_step(statements):
    from stancegraph.networks import Duration, time_windows

    assert Duration.parse("12h") == Duration(12, "hours") and Duration.parse("1y") == Duration(1, "years")
    assert Duration.parse("30min").after(pd.Timestamp("2024-01-01")) == pd.Timestamp("2024-01-01 00:30")
    yearly = time_windows(statements, NetworkOptions(kind="two-mode", window="1y"))
    assert len(yearly) == 1 and yearly[0].graph.graph["statements"] == len(statements.loc[statements["polarity"] != 0])
    hourly = time_windows(statements, NetworkOptions(kind="two-mode", window="24h", step="24h"))
    assert len(hourly) == (pd.Timestamp("2024-02-20") - pd.Timestamp("2024-01-03")).days + 1


def test_concept_network_without_details_has_no_actor_lists(statements):
    graph = build_network(statements, NetworkOptions(kind="congruence", nodes="concept", details=False))
    assert graph.number_of_edges() >= 1
    assert all("actors" not in data for *_, data in graph.edges(data=True))
