"""rDNA's polarisation, phase transitions and clustering, in Python and seeded.

Polarisation (rDNA's ``dna_polarisation``, DNA's ``Polarisation`` class)
    For each kernel-smoothed time slice (:mod:`stancegraph.networks.slices`), the actors are
    split into ``k`` equally sized clusters that maximise DNA's quality: the sum of absolute
    differences between the observed and the expected congruence inside clusters and
    conflict between clusters (expected: the network's total spread evenly over the dyads
    of the kind), divided by the sum of both networks' totals when ``normalise``. ``greedy``
    starts from a random balanced split and swaps pairs of actors while a swap helps;
    ``genetic`` breeds ``parents`` splits (elites kept, roulette-wheel crossover with
    relabelling and rebalancing, pair-swap mutation) until the best and mean quality stop
    changing. Both are seeded.
Phase transitions (rDNA's ``dna_phaseTransitions``)
    Kernel-smoothed slices with every actor in each, scaled to sum to 1, a distance matrix
    between slices (``absdiff``: summed absolute differences; ``spectral``: DNA's spectral
    distance), and the slices clustered into states by every method asked for, each
    keeping its ``k`` (``k_min..k_max``) of highest modularity; the best method wins.
Clustering (:func:`cluster_network`, like rDNA's ``dna_multiclust``)
    The same methods on a one-mode actor network; modularity is measured on the network
    with negative ties set to zero.

Clustering methods: ``single``, ``average``, ``complete``, ``ward`` (scipy hierarchical,
cut at each k), ``kmeans`` (scipy, seeded), ``spectral`` (k-means on the leading
eigenvectors of the normalised Laplacian), and networkx's ``louvain`` (seeded),
``fastgreedy`` (greedy modularity) and ``label_prop``.

Example
-------
>>> import numpy as np
>>> congruence = np.array([[0, 2, 0, 0], [2, 0, 0, 0], [0, 0, 0, 2], [0, 0, 2, 0]], dtype=float)
>>> conflict = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 0], [1, 1, 0, 0]], dtype=float)
>>> split = greedy_split(congruence, conflict, k=2, seed=1)
>>> sorted(split.memberships), round(split.quality, 2)
([0, 0, 1, 1], 0.5)

DNA's quality counts deviations from the expected ties in either direction, so a split
that puts allies apart can score as high as one that keeps them together.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from networkx.algorithms import community

from stancegraph.errors import NetworkError
from stancegraph.extras import require
from stancegraph.networks.matrices import normalised_eigenvalues, spectral_distance
from stancegraph.networks.slices import kernel_slices

__all__ = [
    "CLUSTER_METHODS",
    "Split",
    "cluster_matrix",
    "cluster_network",
    "dna_polarisation",
    "genetic_split",
    "greedy_split",
    "phase_transitions",
    "quality",
]

CLUSTER_METHODS = ("single", "average", "complete", "ward", "kmeans", "spectral", "louvain", "fastgreedy", "label_prop")


@dataclass
class Split:
    """A cluster solution: memberships (0..k-1), its quality and the quality per step."""

    memberships: list[int]
    quality: float
    history: list[float] = field(default_factory=list)


def quality(memberships: Sequence[int] | np.ndarray, congruence: np.ndarray, conflict: np.ndarray, k: int,
            normalise: bool = True) -> float:
    """DNA's absolute-difference polarisation quality of a split (higher is more polarised)."""
    m = np.asarray(memberships)
    n = len(m)
    sizes = np.bincount(m, minlength=k).astype(float)
    within = float((sizes * (sizes - 1)).sum())
    between = n * (n - 1) - within
    c_norm, f_norm = float(np.abs(congruence).sum()), float(np.abs(conflict).sum())
    same = m[:, None] == m[None, :]
    off = ~np.eye(n, dtype=bool)
    expected_in = (sizes * (sizes - 1) / within) * (c_norm / within) if within else np.zeros(k)
    pair = np.outer(sizes, sizes) / between * (f_norm / between) if between else np.zeros((k, k))
    total = np.abs(congruence - expected_in[m][:, None])[same & off].sum()
    total += np.abs(conflict - pair[m][:, m])[~same].sum()
    if normalise:
        return float(total / (c_norm + f_norm)) if c_norm + f_norm else 0.0
    return float(total)


def _balanced(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    return rng.permutation(np.arange(n) % k)


def greedy_split(congruence: np.ndarray, conflict: np.ndarray, *, k: int = 2, normalise: bool = True,
                 seed: int = 0) -> Split:
    """DNA's greedy membership swapping from a random balanced split."""
    rng = np.random.default_rng(seed)
    n = len(congruence)
    members = _balanced(n, k, rng)
    best = quality(members, congruence, conflict, k, normalise)
    history, changed = [best], True
    while changed:
        changed = False
        for i in range(n):
            for j in range(i + 1, n):
                if members[i] == members[j]:
                    continue
                trial = members.copy()
                trial[i], trial[j] = members[j], members[i]
                q = quality(trial, congruence, conflict, k, normalise)
                if q > best:
                    members, best, changed = trial, q, True
                    history.append(q)
    return Split(members.tolist(), best, history)


def _crossover(first: np.ndarray, second: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Relabel ``first`` to overlap ``second`` most, mix them bit by bit, rebalance the sizes."""
    overlap = np.zeros((k, k), dtype=int)
    np.add.at(overlap, (first, second), 1)
    relabel, taken = np.full(k, -1), set[int]()
    for row in range(k):
        for col in np.argsort(-overlap[row], kind="stable"):
            if int(col) not in taken:
                relabel[row], taken = int(col), taken | {int(col)}
                break
    child = np.where(rng.random(len(first)) < 0.5, relabel[first], second)
    limits = [len(child) // k + (1 if c < len(child) % k else 0) for c in range(k)]
    for cluster in range(k):
        while (child == cluster).sum() > limits[cluster]:
            short = next(c for c in range(k) if (child == c).sum() < limits[c])
            child[np.flatnonzero(child == cluster)[0]] = short
    return child


def genetic_split(congruence: np.ndarray, conflict: np.ndarray, *, k: int = 2, normalise: bool = True,
                  parents: int = 50, iterations: int = 1000, elite: float = 0.1, mutation: float = 0.1,
                  seed: int = 0) -> Split:
    """DNA's genetic algorithm over balanced splits; stops early when the population converges."""
    rng = np.random.default_rng(seed)
    n = len(congruence)
    population = [_balanced(n, k, rng) for _ in range(parents)]
    elites, mutations = max(1, round(elite * parents)), round(mutation * n / 2.0)
    history: list[float] = []
    best_members, best = population[0], -np.inf
    for _ in range(iterations):
        scores = np.array([quality(p, congruence, conflict, k, normalise) for p in population])
        top = int(np.argmax(scores))
        if scores[top] > best:
            best, best_members = float(scores[top]), population[top].copy()
        history.append(float(scores.max()))
        if len(history) > 10 and round(float(scores.std()), 2) == 0.0 and len(set(np.round(history[-11:], 2))) == 1:
            break
        order = np.argsort(-scores, kind="stable")
        children = [population[i].copy() for i in order[:elites]]
        weights = scores - min(scores.min(), 0.0)
        weights = weights / weights.sum() if weights.sum() > 0 else np.full(parents, 1.0 / parents)
        while len(children) < parents:
            a = int(rng.choice(parents, p=weights))
            b = a
            while b == a:
                b = int(rng.choice(parents, p=weights)) if rng.random() <= 0.5 else int(rng.integers(parents))
            children.append(_crossover(population[a], population[b], k, rng))
        for child in children[elites:]:
            for _ in range(mutations):
                i, j = rng.integers(n), rng.integers(n)
                if child[i] != child[j]:
                    child[i], child[j] = child[j], child[i]
        population = children
    return Split(best_members.tolist(), best, history)


def dna_polarisation(statements: pd.DataFrame, *, algorithm: str = "greedy", k: int = 2, normalise: bool = True,
                     unit: str = "days", window: int = 100, kernel: str = "uniform", indent: bool = False,
                     levels: Sequence[int] = (-1, 1), seed: int = 0, **genetic: Any) -> pd.DataFrame:
    """Polarisation per kernel-smoothed time slice: one row per mid-point.

    Columns: ``start``, ``middle``, ``stop``, ``statements``, ``actors``, ``polarisation``
    (the best quality) and ``clusters`` (actor -> cluster number).
    """
    if algorithm not in ("greedy", "genetic"):
        raise NetworkError("E302", option="algorithm", value=algorithm, expected="greedy, genetic")
    if k < 2:
        raise NetworkError("E321", option="k", expected="at least 2", value=k)
    congruent, conflicting = (kernel_slices(statements, aggregation=aggregation, unit=unit, window=window,
                                            kernel=kernel, levels=levels, indent=indent)
                              for aggregation in ("congruence", "conflict"))
    rng = np.random.default_rng(seed)
    rows = []
    for agree, fight in zip(congruent, conflicting):
        slice_seed = int(rng.integers(2**31))
        active = len(agree.rows) > k and (np.abs(agree.matrix).sum() + np.abs(fight.matrix).sum()) > 0
        if not active:
            split = Split([], 0.0)
        elif algorithm == "greedy":
            split = greedy_split(agree.matrix, fight.matrix, k=k, normalise=normalise, seed=slice_seed)
        else:
            split = genetic_split(agree.matrix, fight.matrix, k=k, normalise=normalise, seed=slice_seed, **genetic)
        rows.append({"start": agree.start, "middle": agree.mid, "stop": agree.stop, "statements": agree.statements,
                     "actors": len(agree.rows), "polarisation": split.quality,
                     "clusters": dict(zip(agree.rows, split.memberships)) if split.memberships else {}})
    return pd.DataFrame(rows, columns=["start", "middle", "stop", "statements", "actors", "polarisation", "clusters"])


def _modularity(similarity: np.ndarray, labels: Sequence[int]) -> float:
    graph = nx.from_numpy_array(np.clip(similarity, 0.0, None))
    if graph.size(weight="weight") == 0:
        return 0.0
    groups = [set(np.flatnonzero(np.asarray(labels) == c)) for c in sorted(set(labels))]
    return float(community.modularity(graph, groups, weight="weight"))


def _partitions(method: str, similarity: np.ndarray, distance: np.ndarray, ks: range,
                rng: np.random.Generator) -> list[list[int]]:
    n = len(similarity)
    if method in ("single", "average", "complete", "ward"):
        hierarchy = require("scipy.cluster.hierarchy", extra="networks", feature=f"{method} clustering")
        squareform = require("scipy.spatial.distance", extra="networks", feature=f"{method} clustering").squareform
        tree = hierarchy.linkage(squareform(distance, checks=False), method=method)
        return [(hierarchy.fcluster(tree, k, criterion="maxclust") - 1).tolist() for k in ks]
    if method in ("kmeans", "spectral"):
        kmeans2 = require("scipy.cluster.vq", extra="networks", feature=f"{method} clustering").kmeans2
        data = distance
        if method == "spectral":
            affinity = np.exp(-(distance**2) / (2.0 * (distance[distance > 0].std() or 1.0) ** 2))
            degree = affinity.sum(axis=1)
            scaled = affinity / np.sqrt(np.outer(degree, degree))
            data = np.linalg.eigh(scaled)[1][:, ::-1]
        with warnings.catch_warnings():  # an empty cluster is a worse partition, not an error
            warnings.simplefilter("ignore")
            return [kmeans2(data[:, :k] if method == "spectral" else data, k, minit="++", seed=rng,
                            missing="warn")[1].tolist() for k in ks if k < n]
    graph = nx.from_numpy_array(np.clip(similarity, 0.0, None))
    if method == "louvain":
        found = community.louvain_communities(graph, weight="weight", seed=int(rng.integers(2**31)))
    elif method == "fastgreedy":
        found = community.greedy_modularity_communities(graph, weight="weight")
    else:
        found = community.asyn_lpa_communities(graph, weight="weight", seed=int(rng.integers(2**31)))
    labels = [0] * n
    for number, members in enumerate(sorted(found, key=min)):
        for node in members:
            labels[node] = number
    return [labels]


def cluster_matrix(similarity: np.ndarray, distance: np.ndarray | None = None, *,
                   methods: Sequence[str] = CLUSTER_METHODS, k_min: int = 2, k_max: int = 6,
                   seed: int = 0) -> pd.DataFrame:
    """Cluster the nodes of a similarity matrix by each method; one row per method, best first.

    ``distance`` defaults to ``max(similarity) - similarity`` off the diagonal. Columns:
    ``method``, ``k``, ``modularity``, ``memberships``.
    """
    unknown = [m for m in methods if m not in CLUSTER_METHODS]
    if unknown:
        raise NetworkError("E302", option="method", value=unknown[0], expected=", ".join(CLUSTER_METHODS))
    similarity = np.asarray(similarity, dtype=float)
    if distance is None:
        distance = similarity.max() - similarity if similarity.size else similarity
    distance = np.asarray(distance, dtype=float).copy()
    np.fill_diagonal(distance, 0.0)
    n = len(similarity)
    ks = range(max(2, k_min), min(k_max, n - 1) + 1)
    rng = np.random.default_rng(seed)
    rows = []
    for method in methods:
        candidates = _partitions(method, similarity, distance, ks, rng) if n > 2 and len(ks) else []
        scored = [(_modularity(similarity, labels), labels) for labels in candidates]
        if scored:
            value, labels = max(scored, key=lambda pair: pair[0])
            rows.append({"method": method, "k": len(set(labels)), "modularity": value, "memberships": labels})
    frame = pd.DataFrame(rows, columns=["method", "k", "modularity", "memberships"])
    return frame.sort_values("modularity", ascending=False, kind="stable").reset_index(drop=True)


def cluster_network(graph: nx.Graph, **kwargs: object) -> pd.DataFrame:
    """:func:`cluster_matrix` on a one-mode network; memberships map node names to clusters."""
    nodes = sorted(graph.nodes, key=lambda node: str(graph.nodes[node].get("name", node)))
    matrix = nx.to_numpy_array(graph, nodelist=nodes, weight="weight")
    table = cluster_matrix(matrix, **kwargs)  # type: ignore[arg-type]
    names = [str(graph.nodes[node].get("name", node)) for node in nodes]
    table["memberships"] = [dict(zip(names, labels)) for labels in table["memberships"]]
    return table


def phase_transitions(statements: pd.DataFrame, *, distance: str = "absdiff", aggregation: str = "subtract",
                      normalization: str = "none", unit: str = "days", window: int = 200, kernel: str = "uniform",
                      indent: bool = False, normalise_to_one: bool = True, levels: Sequence[int] = (-1, 1),
                      **clustering: object) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """States of the discourse over time: slices, their clusterings (best first), distances.

    Returns the slices (``middle``, ``statements``, ``state`` by the best method), the
    clustering table of :func:`cluster_matrix` and the slice x slice distance matrix.
    """
    if distance not in ("absdiff", "spectral"):
        raise NetworkError("E302", option="distance", value=distance, expected="absdiff, spectral")
    slices = kernel_slices(statements, aggregation=aggregation, unit=unit, window=window, kernel=kernel,
                           levels=levels, normalization=normalization, indent=indent, labels="all")
    if len(slices) < 3:
        raise NetworkError("E305", detail=f"{len(slices)} time slices; phase transitions need at least 3")
    matrices = [s.matrix / s.matrix.sum() if normalise_to_one and s.matrix.sum() else s.matrix for s in slices]
    if distance == "absdiff":
        stacked = np.stack([m.ravel() for m in matrices])
        distances = np.abs(stacked[:, None, :] - stacked[None, :, :]).sum(axis=2)
    else:
        spectra = [normalised_eigenvalues(m) for m in matrices]
        distances = np.array([[spectral_distance(a, b) for b in spectra] for a in spectra])
    similarity = distances.max() - distances
    np.fill_diagonal(similarity, 0.0)
    table = cluster_matrix(similarity, distances, **clustering)  # type: ignore[arg-type]
    best = table["memberships"].iloc[0] if len(table) else [0] * len(slices)
    states = pd.DataFrame({"middle": [s.mid for s in slices], "statements": [s.statements for s in slices],
                           "state": best})
    return states, table, distances
