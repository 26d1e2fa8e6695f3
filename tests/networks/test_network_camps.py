"""rDNA's polarisation, phase transitions and clustering: hand-checked values and DNA's rules."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from stancegraph.errors import NetworkError
from stancegraph.networks.camps import (
    cluster_network,
    dna_polarisation,
    genetic_split,
    greedy_split,
    phase_transitions,
    quality,
)
from stancegraph.networks.dna import dna_source
from stancegraph.networks.slices import kernel_slices
from stancegraph.networks.statements import statements_frame

SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dna-sample" / "sample.dna"

# two camps of three: allies agree (2), opponents conflict (1)
CAMP = np.array([0, 0, 0, 1, 1, 1])
CONGRUENCE = np.where(CAMP[:, None] == CAMP[None, :], 2.0, 0.0) - np.diag(np.full(6, 2.0))
CONFLICT = np.where(CAMP[:, None] != CAMP[None, :], 1.0, 0.0)


@pytest.fixture(scope="module")
def sample():
    return dna_source(SAMPLE).statements


def test_quality_is_dna_s_absolute_difference_by_hand():
    # within: 12 dyads of 2, expected 24/12 * 6/12 = 1 -> 12; between: 18 of 1, expected 9/18 * 18/18 = 0.5 -> 9
    assert quality(CAMP, CONGRUENCE, CONFLICT, 2, normalise=False) == pytest.approx(21.0)
    assert quality(CAMP, CONGRUENCE, CONFLICT, 2) == pytest.approx(21.0 / 42.0)


def test_greedy_split_is_seeded_and_no_swap_improves_it():
    split = greedy_split(CONGRUENCE, CONFLICT, k=2, seed=3)
    assert split == greedy_split(CONGRUENCE, CONFLICT, k=2, seed=3)
    members = np.array(split.memberships)
    assert sorted(np.bincount(members)) == [3, 3]
    for i in range(6):
        for j in range(i + 1, 6):
            if members[i] != members[j]:
                trial = members.copy()
                trial[[i, j]] = members[[j, i]]
                assert quality(trial, CONGRUENCE, CONFLICT, 2) <= split.quality
    assert split.history == sorted(split.history)


def test_genetic_split_is_seeded_balanced_and_at_least_as_good_as_its_first_generation():
    split = genetic_split(CONGRUENCE, CONFLICT, k=2, parents=12, iterations=40, seed=5)
    assert split == genetic_split(CONGRUENCE, CONFLICT, k=2, parents=12, iterations=40, seed=5)
    assert sorted(np.bincount(split.memberships)) == [3, 3]
    assert split.quality == max(split.history) >= split.history[0]


def test_window_slices_leave_out_the_first_and_last_date_as_dna_does(sample):
    first, last = sample["date"].min(), sample["date"].max()
    on_edges = int(((sample["date"] == first) | (sample["date"] == last)).sum())
    bounded = kernel_slices(sample, aggregation="congruence", window=100, labels="window")
    assert len(bounded) == (last - first).days + 1
    assert max(s.statements for s in bounded) == len(sample) - on_edges
    everyone = kernel_slices(sample, aggregation="congruence", window=100, labels="all")
    assert max(s.statements for s in everyone) == len(sample)
    assert all(s.rows == everyone[0].rows for s in everyone)


def test_polarisation_of_the_sample_per_day(sample):
    table = dna_polarisation(sample, algorithm="greedy", window=10, seed=2)
    assert table.equals(dna_polarisation(sample, algorithm="greedy", window=10, seed=2))
    assert len(table) == (sample["date"].max() - sample["date"].min()).days + 1
    assert table["polarisation"].between(0.0, 1.0).all()
    active = table.loc[table["polarisation"] > 0]
    assert len(active) and all(set(c.values()) == {0, 1} for c in active["clusters"])
    genetic = dna_polarisation(sample, algorithm="genetic", window=10, seed=2, parents=10, iterations=30)
    assert (genetic["polarisation"] > 0).tolist() == (table["polarisation"] > 0).tolist()
    with pytest.raises(NetworkError, match="E302"):
        dna_polarisation(sample, algorithm="eigen")


def test_phase_transitions_find_the_two_halves_of_a_debate():
    rows = []
    for day in range(1, 29):
        # first fortnight: A and B agree on tax; second: A and C on coal, B against
        pairs = [("A", "tax", 1), ("B", "tax", 1), ("C", "tax", -1)] if day <= 14 else \
                [("A", "coal", 1), ("C", "coal", 1), ("B", "coal", -1)]
        rows += [{"article_id": f"d{day}", "n": i, "actor_id": who, "target": what, "polarity": p,
                  "date": f"2024-02-{day:02d}"} for i, (who, what, p) in enumerate(pairs)]
    states, table, distances = phase_transitions(statements_frame(rows), window=4, methods=("ward", "average"),
                                                 k_max=3)
    assert len(states) == 28 and distances.shape == (28, 28)
    assert np.allclose(distances, distances.T) and np.all(np.diag(distances) == 0)
    assert table["modularity"].is_monotonic_decreasing
    assert states["state"].iloc[0] != states["state"].iloc[-1]
    assert states["state"].iloc[:10].nunique() == 1 and states["state"].iloc[-10:].nunique() == 1


def test_cluster_network_recovers_two_camps_by_modularity():
    graph = nx.Graph()
    names = ["Ana", "Ben", "Cy", "Dee", "Eli", "Fay"]
    for i in range(6):
        graph.add_node(i, name=names[i])
        for j in range(i + 1, 6):
            graph.add_edge(i, j, weight=3.0 if CAMP[i] == CAMP[j] else 0.2)
    table = cluster_network(graph, methods=("ward", "louvain", "fastgreedy"), seed=1)
    best = table.iloc[0]
    assert best["k"] == 2 and table["modularity"].is_monotonic_decreasing
    clusters = best["memberships"]
    assert clusters["Ana"] == clusters["Ben"] == clusters["Cy"] != clusters["Dee"] == clusters["Eli"] == clusters["Fay"]
    with pytest.raises(NetworkError, match="E302"):
        cluster_network(graph, methods=("concor",))


def test_empty_input_gives_no_slices():
    assert kernel_slices(statements_frame([]).assign(date=pd.NaT), aggregation="congruence") == []
