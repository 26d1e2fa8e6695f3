"""Discourse networks from statements, with the options of DNA's network export.

Networks follow DNA's exporter (``dna.export.Exporter`` in leifeld-lab/dna), with the polarity
of a stance (-1, +1, and 0 when ``neutral`` is on) as DNA's *integer* qualifier on the fixed
scale -1..1. Two statements agree to the degree ``1 - |p1 - p2| / 2``: fully for equal
polarities, not at all for opposite ones, half way between a neutral and a signed one. With
polarities -1 and +1 only, this is DNA's boolean ``agreement`` exactly.

Kinds (``NetworkOptions.kind``)
    ``two-mode``
        actor x concept; the edge weight is set by ``qualifier``: ``ignore`` counts the
        statements, ``subtract`` sums their polarities (positive minus negative), and
        ``combine`` codes which polarities occur, DNA's lexical rank of the levels in use:
        1 only positive, 2 only negative, 3 both (with ``neutral``: over -1, 0, +1).
    ``ignore``, ``congruence``, ``conflict``, ``subtract``
        one-mode actor x actor (``nodes="actor"``) or concept x concept (``nodes="concept"``).
        For each concept two actors share, every pair of their statements adds
        ``1`` (ignore), their agreement (congruence), ``1 - agreement`` (conflict) or
        agreement minus disagreement (subtract): two supporters with 2 and 3 statements on a
        concept have a congruence weight of 6 on it.

Normalisation (``normalize``)
    One-mode, per dyad, with ``n`` an actor's number of statements and, per concept and
    polarity, ``m10``/``m01`` the statements of one where the other has none and ``m11`` the
    products where both have some: ``average`` divides by ``(n1 + n2) / 2``, ``jaccard`` by
    ``m10 + m01 + m11``, ``cosine`` by ``n1 * n2`` (DNA's formula, which is the product of
    the two actors' statement totals). Two-mode: ``activity`` divides each actor's row by its
    total, ``prominence`` each concept's column by its total.

Time windows (:func:`time_windows`)
    Windows of ``window`` (seconds to years) start at the first date and move by ``step``;
    a statement dated ``t`` is in ``[start, end)``. A window in events (``20e``) holds the
    statements around each statement, ``window // 2`` either side, as DNA's event time. With a ``kernel``, statements
    are weighted by the distance of their date from the window's mid-point, standardised to
    ``d`` in -1..1 over the window, as in DNA: ``uniform`` 0.5, ``epanechnikov``
    ``0.75 (1 - d^2)``, ``triangular`` ``1 - |d|`` (DNA writes ``|1 - d|``, which is not
    symmetric; this is the textbook kernel) and ``gaussian`` the standard normal density of
    ``d``, over all statements. A two-mode edge adds the weights of its statements; a
    one-mode pair of statements counts ``sqrt(w1 * w2)`` (DNA's rule); normalisations use
    weighted statement totals.

Every graph carries, per node, ``kind`` (actor or concept), ``name``, ``type`` (the actor's
type; "issue" or "actor" for a concept) and ``statements``; per edge ``weight``, the
``concepts`` (for concept networks, ``actors``) behind it, the ids of the ``statements``
and ``quotes`` behind it, their ``articles`` and their ``first_date`` and ``last_date``. Node ids are ``"actor:<actor id>"`` and ``"concept:<label>"``.

Example
-------
>>> from stancegraph.networks.statements import statements_frame
>>> frame = statements_frame([
...     {"article_id": "a", "n": 0, "actor_id": "x", "actor": "X", "target": "tax", "polarity": 1},
...     {"article_id": "a", "n": 1, "actor_id": "y", "actor": "Y", "target": "tax", "polarity": -1},
...     {"article_id": "a", "n": 2, "actor_id": "z", "actor": "Z", "target": "tax", "polarity": 1}])
>>> graph = build_network(frame, NetworkOptions(kind="conflict"))
>>> sorted((graph.nodes[u]["name"], graph.nodes[v]["name"]) for u, v in graph.edges)
[('X', 'Y'), ('Y', 'Z')]
>>> graph.edges["actor:x", "actor:y"]["concepts"]
['tax']
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
import numpy as np
import pandas as pd

from stancegraph.errors import NetworkError
from stancegraph.extras import require
from stancegraph.networks.concepts import DEFAULT_SIMILARITY, assign_concepts, corpus_folding
from stancegraph.networks.statements import (
    DUPLICATES,
    Duplicates,
    StatementFilter,
    dedupe_statements,
    filter_statements,
    load_statements,
)

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = [
    "KERNELS",
    "KINDS",
    "NORMALIZATIONS",
    "QUALIFIERS",
    "Duration",
    "Kernel",
    "Kind",
    "NetworkOptions",
    "Normalization",
    "Qualifier",
    "Window",
    "build_network",
    "kernel_weights",
    "network_from_statements",
    "prepare_statements",
    "time_windows",
]

Kind = Literal["two-mode", "ignore", "congruence", "conflict", "subtract"]
KINDS: tuple[str, ...] = ("two-mode", "ignore", "congruence", "conflict", "subtract")
Qualifier = Literal["ignore", "combine", "subtract"]
QUALIFIERS: tuple[str, ...] = ("ignore", "combine", "subtract")
Normalization = Literal["none", "average", "jaccard", "cosine", "activity", "prominence"]
NORMALIZATIONS: tuple[str, ...] = ("none", "average", "jaccard", "cosine", "activity", "prominence")
Kernel = Literal["none", "uniform", "gaussian", "epanechnikov", "triangular"]
KERNELS: tuple[str, ...] = ("none", "uniform", "gaussian", "epanechnikov", "triangular")

_ONE_MODE_NORMALIZATIONS = ("none", "average", "jaccard", "cosine")
_TWO_MODE_NORMALIZATIONS = ("none", "activity", "prominence")
_DURATION = re.compile(r"^\s*(\d+)\s*(s|sec|seconds?|min|minutes?|h|hours?|d|days?|w|weeks?|m|months?|y|years?|e|events?)\s*$",
                       re.IGNORECASE)
_UNIT_NAMES = {"s": "seconds", "sec": "seconds", "second": "seconds", "min": "minutes", "minute": "minutes",
               "h": "hours", "hour": "hours", "d": "days", "day": "days", "w": "weeks", "week": "weeks",
               "m": "months", "month": "months", "y": "years", "year": "years", "e": "events", "event": "events"}


@dataclass(frozen=True)
class Duration:
    """A number of seconds, minutes, hours, days, weeks, calendar months or years, or of events.

    ``m`` is months (``min`` minutes); a window of ``20e`` holds 20 statements (DNA's
    event time).

    >>> Duration.parse("30d"), Duration.parse("2 weeks"), Duration.parse("3m")
    (Duration(count=30, unit='days'), Duration(count=2, unit='weeks'), Duration(count=3, unit='months'))
    >>> Duration.parse("1m").after(pd.Timestamp("2024-01-31"))
    Timestamp('2024-02-29 00:00:00')
    >>> Duration.parse("90min").after(pd.Timestamp("2024-01-31"))
    Timestamp('2024-01-31 01:30:00')
    """

    count: int
    unit: Literal["seconds", "minutes", "hours", "days", "weeks", "months", "years", "events"]

    @classmethod
    def parse(cls, text: str | Duration) -> Duration:
        if isinstance(text, Duration):
            return text
        match = _DURATION.match(text or "")
        if not match or int(match.group(1)) < 1:
            raise NetworkError("E303", value=text)
        word = match.group(2).lower()
        unit = _UNIT_NAMES.get(word, _UNIT_NAMES.get(word.rstrip("s"), word))
        return cls(int(match.group(1)), unit)  # type: ignore[arg-type]

    def after(self, start: pd.Timestamp, times: int = 1) -> pd.Timestamp:
        """``start`` moved forward by this duration ``times`` times (not for events)."""
        if self.unit == "events":
            raise NetworkError("E302", option="time unit", value="events", expected="a unit of time")
        return start + pd.DateOffset(**{self.unit: self.count * times})

    def __str__(self) -> str:
        return f"{self.count}{'min' if self.unit == 'minutes' else self.unit[0]}"


@dataclass(frozen=True)
class NetworkOptions(StatementFilter):
    """Everything that defines a network: the filter, the kind and DNA's export options.

    The fields mirror the flags of ``stancegraph network``; see the module docstring for
    what each option does. ``similarity`` is the concept folding threshold (None: fold by
    keys and nesting only, without loading the embedding model). ``heads_as_countries``
    reads a stance on a country's current head as one on the country (see
    :mod:`stancegraph.networks.statements`). ``details=False`` leaves out the concepts,
    statements and quotes behind each edge (the slow part of very large networks).
    ``window`` and ``step``
    (``"30d"``, ``"2w"``, ``"1m"``; the step defaults to the window) only matter to
    :func:`time_windows`. ``scale`` is an integer qualifier's levels (DNA's: every value
    found); None is the polarity scale -1..1 (with ``neutral``) or -1, +1.
    """

    kind: Kind = "two-mode"
    nodes: Literal["actor", "concept"] = "actor"
    qualifier: Qualifier = "ignore"
    normalize: Normalization = "none"
    duplicates: Duplicates = "include"
    isolates: bool = False
    window: Duration | str | None = None
    step: Duration | str | None = None
    kernel: Kernel = "none"
    similarity: float | None = DEFAULT_SIMILARITY
    heads_as_countries: bool = True
    details: bool = True
    scale: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind not in KINDS:
            raise NetworkError("E301", name=self.kind, expected=", ".join(KINDS))
        checks = {
            "nodes": (self.nodes, ("actor", "concept")),
            "qualifier": (self.qualifier, QUALIFIERS),
            "duplicates": (self.duplicates, DUPLICATES),
            "kernel": (self.kernel, KERNELS),
            "normalize": (self.normalize,
                          _TWO_MODE_NORMALIZATIONS if self.kind == "two-mode" else _ONE_MODE_NORMALIZATIONS),
        }
        for option, (value, allowed) in checks.items():
            if value not in allowed:
                raise NetworkError("E302", option=option, value=value, expected=", ".join(allowed))
        if self.window is not None:
            object.__setattr__(self, "window", Duration.parse(self.window))
        if self.step is not None:
            if self.window is None:
                raise NetworkError("E315", option="--step")
            object.__setattr__(self, "step", Duration.parse(self.step))
        if self.kernel != "none" and self.window is None:
            raise NetworkError("E315", option="--kernel")

    @property
    def one_mode(self) -> bool:
        return self.kind != "two-mode"

    @property
    def uses_qualifier(self) -> bool:
        """Does the polarity matter to the edges (and so to which statements are duplicates)?"""
        return self.kind not in ("two-mode", "ignore") or self.qualifier != "ignore"

    def filter(self) -> StatementFilter:
        """The statement filter part of the options."""
        return StatementFilter(**{f.name: getattr(self, f.name) for f in fields(StatementFilter)})


@dataclass
class Window:
    """One network of a time-window sequence: ``[start, end)`` around ``mid``."""

    start: pd.Timestamp
    end: pd.Timestamp
    mid: pd.Timestamp
    graph: nx.Graph


# --------------------------------------------------------------------------------------
# statements


def prepare_statements(source: Any, options: NetworkOptions, *, embedder: Any = None, nlp: Any = None) -> pd.DataFrame:
    """The statements a network is built from: loaded, folded, filtered, de-duplicated.

    ``source`` is a store connection (statements are loaded and their labels folded into
    concepts with the store's concept list) or a statement table, whose ``concept`` column is
    used as it is.
    """
    if isinstance(source, pd.DataFrame):
        statements = source
    else:
        statements = load_statements(source, heads_as_countries=options.heads_as_countries)
        folding = corpus_folding(source, statements, similarity=options.similarity, embedder=embedder, nlp=nlp)
        statements = assign_concepts(statements, folding)
    kept = filter_statements(statements, options.filter())
    return dedupe_statements(kept, options.duplicates, qualifier=options.uses_qualifier)


# --------------------------------------------------------------------------------------
# matrices


def _sparse() -> Any:
    """``scipy.sparse``, which one-mode networks are computed with (E130 without the networks extra)."""
    return require("scipy.sparse", extra="networks", feature="building a one-mode network")


def _levels(options: NetworkOptions) -> list[int]:
    if options.scale:
        return sorted(options.scale)
    return [-1, 0, 1] if options.neutral else [-1, 1]


def _incidence(statements: pd.DataFrame, rows: list[str], cols: list[str], row_column: str, col_column: str,
               weights: np.ndarray, levels: list[int], root: bool) -> list[csr_matrix]:
    """One rows x cols matrix per polarity level, adding each statement's weight (or its root)."""
    sparse = _sparse()
    row_index = {name: i for i, name in enumerate(rows)}
    col_index = {name: j for j, name in enumerate(cols)}
    r = statements[row_column].map(row_index).to_numpy()
    c = statements[col_column].map(col_index).to_numpy()
    values = np.sqrt(weights) if root else weights
    matrices = []
    for level in levels:
        mask = statements["polarity"].to_numpy() == level
        matrices.append(sparse.csr_matrix((values[mask], (r[mask], c[mask])), shape=(len(rows), len(cols))))
    return matrices


def _agreement(levels: list[int]) -> np.ndarray:
    """DNA's integer-qualifier similarity ``1 - |a - b| / range`` over the scale's range."""
    span = float(max(levels) - min(levels)) if len(levels) > 1 else 1.0
    return np.array([[1.0 - abs(a - b) / span for b in levels] for a in levels])


def _pair_coefficients(kind: str, levels: list[int]) -> np.ndarray:
    similarity = _agreement(levels)
    return {
        "ignore": np.ones_like(similarity),
        "congruence": similarity,
        "conflict": 1.0 - similarity,
        "subtract": 2.0 * similarity - 1.0,
    }[kind]


# --------------------------------------------------------------------------------------
# graphs


def _node_id(kind: str, key: str) -> str:
    return f"{kind}:{key}"


def _actor_nodes(statements: pd.DataFrame) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for actor_id, group in statements.groupby("actor_id", sort=True):
        nodes[str(actor_id)] = {"kind": "actor", "name": str(group["actor"].iloc[0] or actor_id),
                                "type": str(group["actor_type"].iloc[0] or ""), "statements": 0}
    return nodes


def _concept_nodes(statements: pd.DataFrame) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for concept, group in statements.groupby("concept", sort=True):
        kind = "issue" if (group["concept_kind"] != "actor").any() else "actor"
        nodes[str(concept)] = {"kind": "concept", "name": str(concept), "type": kind, "statements": 0}
    return nodes


def _new_graph(options: NetworkOptions, statements: pd.DataFrame, start: Any, end: Any) -> nx.Graph:
    graph = nx.Graph(kind=options.kind, nodes=options.nodes if options.one_mode else "actor x concept",
                     qualifier=options.qualifier, normalize=options.normalize, duplicates=options.duplicates,
                     statements=len(statements))
    for name, value in (("start", start), ("end", end)):
        if value is not None and not pd.isna(value):
            graph.graph[name] = pd.Timestamp(value).date().isoformat()
    return graph


def _two_mode(statements: pd.DataFrame, weights: np.ndarray, options: NetworkOptions,
              everyone: pd.DataFrame, graph: nx.Graph) -> nx.Graph:
    actors, concepts = _actor_nodes(everyone), _concept_nodes(everyone)
    for actor_id, attrs in actors.items():
        graph.add_node(_node_id("actor", actor_id), bipartite=0, **attrs)
    for concept, attrs in concepts.items():
        graph.add_node(_node_id("concept", concept), bipartite=1, **attrs)
    if statements.empty:
        return graph
    levels = _levels(options)
    weighted = statements.assign(weight=weights)
    by_level = weighted.pivot_table(index=["actor_id", "concept"], columns="polarity", values="weight",
                                    aggfunc="sum", fill_value=0.0).reindex(columns=levels, fill_value=0.0)
    if options.qualifier == "ignore":
        value = by_level.sum(axis=1)
    elif options.qualifier == "subtract":
        value = (by_level * np.array(levels, dtype=float)).sum(axis=1)
    else:
        value = sum(2 ** (len(levels) - k - 1) * (by_level[level] > 0) for k, level in enumerate(levels)).astype(float)
    if options.normalize in ("activity", "prominence"):
        side = "actor_id" if options.normalize == "activity" else "concept"
        if options.qualifier == "ignore":
            denominator = value.groupby(level=side).transform("sum")
        elif options.qualifier == "subtract":
            denominator = by_level.sum(axis=1).groupby(level=side).transform("sum")
        else:
            denominator = (value > 0).astype(float).groupby(level=side).transform("sum")
        value = (value / denominator.replace(0.0, np.inf)).astype(float)
    ordered = weighted.sort_values(["actor_id", "concept"], kind="stable")
    actors_in, concepts_in = ordered["actor_id"].tolist(), ordered["concept"].tolist()
    polarities, ids, quotes = ordered["polarity"].tolist(), ordered["statement_id"].tolist(), ordered["quotes"].tolist()
    start = 0
    for (actor_id, concept), weight in value.items():
        stop = start
        while stop < len(actors_in) and (actors_in[stop], concepts_in[stop]) == (actor_id, concept):
            stop += 1
        cell = slice(start, stop)
        start = stop
        if weight == 0.0:
            continue
        attributes: dict[str, Any] = {"weight": float(weight)}
        if options.details:
            signs = polarities[cell]
            attributes.update(concepts=[concept], statements=ids[cell],
                              quotes=sorted({q for said in quotes[cell] for q in said}),
                              positive=signs.count(1), negative=signs.count(-1), neutral=signs.count(0),
                              polarities=sorted(set(signs)))
        graph.add_edge(_node_id("actor", actor_id), _node_id("concept", concept), **attributes)
    return graph


def _pair_details(statements: pd.DataFrame, weights: np.ndarray, rows: list[str], row_column: str,
                  col_column: str, levels: list[int], coefficients: np.ndarray
                  ) -> dict[tuple[int, int], tuple[list[str], list[str], set[str]]]:
    """Per pair of rows (i < k): the columns that add to its weight, the statements that do and their quotes.

    One concept at a time: its rows' root weights per polarity give every pair's
    contribution at once, and only contributing pairs are visited.
    """
    row_index = {name: i for i, name in enumerate(rows)}
    level_index = {level: q for q, level in enumerate(levels)}
    reaches = coefficients != 0.0  # level q of one side meets level r of the other
    details: dict[tuple[int, int], tuple[list[str], list[str], set[str]]] = {}
    quotes_of = {sid: said for sid, said in zip(statements["statement_id"], statements["quotes"]) if said}
    frame = pd.DataFrame({"row": statements[row_column].map(row_index).to_numpy(), "col": statements[col_column],
                          "level": statements["polarity"].map(level_index).to_numpy(),
                          "root": np.sqrt(weights), "id": statements["statement_id"]})
    # the levels of one side that meet a given set (bit pattern) of levels on the other side
    usable = {pattern: [q for q in range(len(levels)) if any(reaches[q, r] for r in range(len(levels)) if pattern >> r & 1)]
              for pattern in range(1 << len(levels))}
    for col, group in frame.groupby("col", sort=True):
        members = sorted(set(group["row"]))
        if len(members) < 2:
            continue
        position = {row: a for a, row in enumerate(members)}
        strength = np.zeros((len(members), len(levels)))
        ids: dict[tuple[int, int], list[str]] = defaultdict(list)
        for row, level, root, statement_id in zip(group["row"], group["level"], group["root"], group["id"]):
            strength[position[row], level] += root
            ids[(position[row], level)].append(statement_id)
        patterns = ((strength > 0) * (1 << np.arange(len(levels)))).sum(axis=1).tolist()
        used: dict[tuple[int, int], tuple[list[str], list[str]]] = {}  # (member, other's pattern) -> ids, quotes

        def in_use(member: int, other: int, patterns: list = patterns, used: dict = used,
                   ids: dict = ids) -> tuple[list[str], list[str]]:
            key = (member, patterns[other])
            if key not in used:
                chosen = sorted(s for q in usable[patterns[other]] for s in ids.get((member, q), ()))
                used[key] = (chosen, [quote for s in chosen for quote in quotes_of.get(s, ())])
            return used[key]

        contribution = strength @ coefficients @ strength.T
        for a, b in zip(*np.nonzero(np.triu(contribution != 0.0, k=1))):
            a, b = int(a), int(b)
            behind, evidence, quotes = details.setdefault((members[a], members[b]), ([], [], set()))
            behind.append(col)
            for chosen, said in (in_use(a, b), in_use(b, a)):
                evidence.extend(chosen)
                quotes.update(said)
    return details


def _one_mode(statements: pd.DataFrame, weights: np.ndarray, options: NetworkOptions,
              everyone: pd.DataFrame, graph: nx.Graph) -> nx.Graph:
    sparse = _sparse()
    if options.nodes == "actor":
        node_kind, row_column, col_column, via = "actor", "actor_id", "concept", "concepts"
        nodes = _actor_nodes(everyone)
    else:
        node_kind, row_column, col_column, via = "concept", "concept", "actor_id", "actors"
        nodes = _concept_nodes(everyone)
    for key, attrs in nodes.items():
        graph.add_node(_node_id(node_kind, key), **attrs)
    if statements.empty:
        return graph
    levels = _levels(options)
    coefficients = _pair_coefficients(options.kind, levels)
    rows = sorted(nodes)
    cols = sorted(set(statements[col_column]))
    roots = _incidence(statements, rows, cols, row_column, col_column, weights, levels, root=True)
    counts = _incidence(statements, rows, cols, row_column, col_column, weights, levels, root=False)
    empty = sparse.csr_matrix((len(rows), len(rows)))
    weight_matrix = empty
    for q, a in enumerate(roots):
        for r, b in enumerate(roots):
            if coefficients[q, r] != 0.0:
                weight_matrix = weight_matrix + coefficients[q, r] * (a @ b.T)
    upper = sparse.coo_matrix(sparse.triu(weight_matrix, k=1))
    keep = upper.data != 0.0
    first, second, values = upper.row[keep], upper.col[keep], upper.data[keep]
    totals = np.asarray(sum(counts[1:], counts[0]).sum(axis=1)).ravel()
    if options.normalize == "average":
        norms = (totals[first] + totals[second]) / 2.0
    elif options.normalize == "cosine":
        norms = totals[first] * totals[second]
    elif options.normalize == "jaccard":
        present = [(m > 0).astype(float) for m in counts]
        shared = sum((m @ p.T for m, p in zip(counts, present)), empty).tocsr()
        both = sum((a @ a.T for a in roots), empty).tocsr()

        def pick(matrix: csr_matrix, i: np.ndarray, k: np.ndarray) -> np.ndarray:
            return np.asarray(matrix[i, k]).ravel()

        norms = (totals[first] - pick(shared, first, second)) + (totals[second] - pick(shared, second, first)) \
            + pick(both, first, second)
    else:
        norms = np.ones_like(values)
    details = (_pair_details(statements, weights, rows, row_column, col_column, levels, coefficients)
               if options.details else {})
    for i, k, value, norm in zip(first.tolist(), second.tolist(), values.tolist(), norms.tolist()):
        attributes: dict[str, Any] = {"weight": value / norm if norm else 0.0}
        if options.details:
            behind, evidence, quotes = details.get((i, k), ([], [], set()))
            attributes.update({via: behind, "statements": evidence, "quotes": sorted(quotes)})
        graph.add_edge(_node_id(node_kind, rows[i]), _node_id(node_kind, rows[k]), **attributes)
    return graph


def _actor_name_of(statements: pd.DataFrame) -> dict[str, str]:
    return dict(zip(statements["actor_id"], statements["actor"].fillna(statements["actor_id"])))


def _add_statement_attributes(graph: nx.Graph, statements: pd.DataFrame) -> None:
    """Per edge, the articles behind it and its first and last date (for Gephi's filters)."""
    article = dict(zip(statements["statement_id"], statements["article_id"]))
    date = dict(zip(statements["statement_id"], statements["date"]))
    for _, _, data in graph.edges(data=True):
        behind = data.get("statements", [])
        data["articles"] = sorted({str(article[s]) for s in behind if s in article})
        dates = [date[s] for s in behind if s in date and not pd.isna(date[s])]
        if dates:
            data["first_date"], data["last_date"] = min(dates).date().isoformat(), max(dates).date().isoformat()


def network_from_statements(statements: pd.DataFrame, options: NetworkOptions, *,
                            weights: Sequence[float] | np.ndarray | None = None, everyone: pd.DataFrame | None = None,
                            start: Any = None, end: Any = None) -> nx.Graph:
    """The network of prepared statements (see :func:`prepare_statements`).

    ``weights`` gives each statement a weight (kernel smoothing; 1 by default).
    ``everyone`` is the statement table whose actors and concepts are all nodes (isolates).
    """
    weights_array = np.ones(len(statements)) if weights is None else np.asarray(weights, dtype=float)
    graph = _new_graph(options, statements, start, end)
    nodes_from = everyone if everyone is not None else statements
    if options.one_mode:
        graph = _one_mode(statements, weights_array, options, nodes_from, graph)
        if options.nodes == "concept":
            actor_names = _actor_name_of(nodes_from)
            for _, _, data in graph.edges(data=True):
                if "actors" in data:  # without details there are none
                    data["actors"] = [actor_names.get(a, a) for a in data["actors"]]
    else:
        graph = _two_mode(statements, weights_array, options, nodes_from, graph)
    if options.details:
        _add_statement_attributes(graph, statements)
    counted = statements.groupby("actor_id").size().to_dict()
    by_concept = statements.groupby("concept").size().to_dict()
    for node, data in graph.nodes(data=True):
        key = node.split(":", 1)[1]
        data["statements"] = int((counted if data["kind"] == "actor" else by_concept).get(key, 0))
    return graph


def build_network(source: Any, options: NetworkOptions, *, embedder: Any = None, nlp: Any = None) -> nx.Graph:
    """The network of a store (or a statement table) over the whole filtered range.

    ``source`` is a connection from :func:`stancegraph.store.open_store` or a statement
    table (:func:`stancegraph.networks.statements.statements_frame`). Window options are
    ignored here; :func:`time_windows` builds the sequence.
    """
    statements = prepare_statements(source, options, embedder=embedder, nlp=nlp)
    everyone = statements if options.isolates else None
    dates = statements["date"].dropna()
    return network_from_statements(statements, options, everyone=everyone,
                                   start=options.date_from or (dates.min() if len(dates) else None),
                                   end=options.date_to or (dates.max() if len(dates) else None))


# --------------------------------------------------------------------------------------
# time windows


def kernel_weights(offsets: np.ndarray, kernel: str) -> np.ndarray:
    """Kernel weights of standardised time offsets ``d`` (-1..1 spans the window).

    >>> kernel_weights(np.array([-1.0, 0.0, 0.5, 2.0]), "epanechnikov").round(4).tolist()
    [0.0, 0.75, 0.5625, 0.0]
    """
    inside = np.abs(offsets) <= 1.0
    if kernel in ("none", "uniform"):
        return np.where(inside, 1.0 if kernel == "none" else 0.5, 0.0)
    if kernel == "epanechnikov":
        return np.where(inside, 0.75 * (1.0 - offsets**2), 0.0)
    if kernel == "triangular":
        return np.where(inside, 1.0 - np.abs(offsets), 0.0)
    if kernel == "gaussian":
        return np.exp(-0.5 * offsets**2) / math.sqrt(2.0 * math.pi)
    raise NetworkError("E302", option="kernel", value=kernel, expected=", ".join(KERNELS))


def _window_bounds(dates: pd.Series, options: NetworkOptions) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    assert isinstance(options.window, Duration)
    step = options.step if isinstance(options.step, Duration) else options.window
    known = dates.dropna()
    if known.empty and (options.date_from is None or options.date_to is None):
        return []
    first = pd.Timestamp(options.date_from) if options.date_from else known.min().normalize()
    last = pd.Timestamp(options.date_to) if options.date_to else known.max().normalize()
    bounds, k = [], 0
    while (start := step.after(first, k)) <= last:
        bounds.append((start, options.window.after(start)))
        k += 1
    return bounds


def _event_windows(dated: pd.DataFrame, options: NetworkOptions, everyone: pd.DataFrame | None) -> list[Window]:
    """DNA's event-time windows: around each statement, ``window // 2`` statements either side.

    Statements are in date order (then article and position); a window exists only where
    it is complete. DNA picks tied boundary statements at random; here the order decides.
    """
    assert isinstance(options.window, Duration)
    ordered = dated.sort_values(["date", "article_id", "n"], kind="stable").reset_index(drop=True)
    half = options.window.count // 2
    step = options.step.count if isinstance(options.step, Duration) and options.step.unit == "events" else 1
    windows = []
    for t in range(half, len(ordered) - half, step):
        members = ordered.iloc[t - half:t + half + 1].reset_index(drop=True)
        start, end, mid = members["date"].iloc[0], members["date"].iloc[-1], ordered["date"].iloc[t]
        graph = network_from_statements(members, options, everyone=everyone, start=start, end=end)
        graph.graph["mid"] = pd.Timestamp(mid).date().isoformat()
        windows.append(Window(start, end, mid, graph))
    return windows


def time_windows(source: Any, options: NetworkOptions, *, embedder: Any = None, nlp: Any = None) -> list[Window]:
    """The sequence of networks over moving time windows (``options.window`` is required).

    Statements are filtered and de-duplicated over the whole range first (as DNA does),
    then each window takes its own. Undated statements are in no window. With
    ``isolates``, every window has every node of the range.
    """
    if options.window is None:
        raise NetworkError("E315", option="time windows")
    statements = prepare_statements(source, options, embedder=embedder, nlp=nlp)
    everyone = statements if options.isolates else None
    dated = statements.loc[statements["date"].notna()].reset_index(drop=True)
    if isinstance(options.window, Duration) and options.window.unit == "events":
        return _event_windows(dated, options, everyone)
    windows = []
    day = pd.Timedelta(days=1)
    for start, end in _window_bounds(dated["date"], options):
        mid = start + (end - start) / 2
        if options.kernel == "none":
            mask = ((dated["date"] >= start) & (dated["date"] < end)).to_numpy()
            weights = np.ones(int(mask.sum()))
        else:
            offsets = 2.0 * ((dated["date"] - mid) / day).to_numpy(dtype=float) / ((end - start) / day)
            all_weights = kernel_weights(offsets, options.kernel)
            mask = all_weights > 0.0
            weights = all_weights[mask]
        members = dated.loc[mask].reset_index(drop=True)
        graph = network_from_statements(members, options, weights=weights, everyone=everyone,
                                        start=start, end=end - day)
        graph.graph["mid"] = mid.date().isoformat()
        windows.append(Window(start, end, mid, graph))
    return windows
