"""Networks, concepts and an actor's positions for the server, from the store's statements.

The statements of the store, with their labels folded into concepts, are loaded once per
store state and folding settings (see :class:`~stancegraph.web.access.StoreGate`); each
network is then built from that table with the options of ``stancegraph network``, so a
request with new filters does not fold the corpus again. Label embeddings are remembered in
the process (the server's connections are read-only, so the store's label cache is read but
not written).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from stancegraph.errors import ApiError

__all__ = [
    "INGEST_WINDOWS",
    "MAX_WINDOWS",
    "CachingEmbedder",
    "Folded",
    "concepts_payload",
    "count_windows",
    "fold_store",
    "graphml_bytes",
    "network_payload",
    "positions",
    "undated",
]

MAX_WINDOWS = 400
"""Most time windows one request may ask for."""
INGEST_WINDOWS = 10
"""Windows over a corpus without dates: consecutive batches of articles in the order of ingest."""


class CachingEmbedder:
    """The sentence embedder, loaded on first use, remembering every label it has encoded."""

    def __init__(self) -> None:
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def encode(self, labels: list[str]) -> np.ndarray:
        from stancegraph.networks import load_embedder

        with self._lock:
            missing = [label for label in dict.fromkeys(labels) if label not in self._vectors]
            if missing:
                self._vectors.update(zip(missing, load_embedder().encode(missing)))
            return np.stack([self._vectors[label] for label in labels]) if labels else np.zeros((0, 384), np.float32)


@dataclass
class Folded:
    """The store's statements with their concepts, and how the labels were folded."""

    statements: pd.DataFrame
    folding: Any


def fold_store(con: Any, *, similarity: float | None, heads_as_countries: bool, embedder: Any) -> Folded:
    """Load and fold the statements of the store (the slow part of every network)."""
    from stancegraph.networks import assign_concepts, corpus_folding, load_statements

    statements = load_statements(con, heads_as_countries=heads_as_countries)
    folding = corpus_folding(con, statements, similarity=similarity, embedder=embedder)
    return Folded(assign_concepts(statements, folding), folding)


def count_windows(statements: pd.DataFrame, options: Any) -> int:
    """How many windows :func:`stancegraph.networks.time_windows` would build (an upper bound)."""
    from stancegraph.networks import Duration

    window = Duration.parse(options.window)
    step = Duration.parse(options.step) if options.step is not None else window
    dates = statements["date"].dropna()
    first = pd.Timestamp(options.date_from) if options.date_from else (dates.min() if len(dates) else None)
    last = pd.Timestamp(options.date_to) if options.date_to else (dates.max() if len(dates) else None)
    if first is None or last is None or pd.isna(first) or pd.isna(last) or last < first:
        return 0
    days = (last - first).days
    per_step = {"days": 1, "weeks": 7, "months": 28}[step.unit] * step.count
    return days // per_step + 1


def _plain(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.isoformat()[:10]
    return value


def _graph(graph: Any) -> dict[str, Any]:
    nodes = [{"id": node, **{k: _plain(v) for k, v in data.items()}} for node, data in graph.nodes(data=True)]
    edges = [{"source": u, "target": v, **{k: _plain(w) for k, w in data.items()}}
             for u, v, data in graph.edges(data=True)]
    return {"graph": {k: _plain(v) for k, v in graph.graph.items()}, "nodes": nodes, "edges": edges}


def undated(statements: pd.DataFrame) -> bool:
    """Has no statement a date? Then timelines follow the order of ingest."""
    return len(statements) > 0 and bool(statements["date"].isna().all())


def _ingest_windows(statements: pd.DataFrame, options: Any, order: list[str]) -> list[dict[str, Any]]:
    """Networks over batches of articles taken in the order of ingest (for a corpus without dates)."""
    from stancegraph.networks import build_network

    present = set(statements["article_id"])
    articles = [article for article in order if article in present]
    size = max(1, math.ceil(len(articles) / INGEST_WINDOWS))
    single = replace(options, window=None, step=None)
    windows = []
    for first in range(0, len(articles), size):
        batch = set(articles[first:first + size])
        graph = build_network(statements.loc[statements["article_id"].isin(batch)], single)
        windows.append({"start": None, "end": None, "mid": None, "first": first + 1,
                        "last": min(first + size, len(articles)), **_graph(graph)})
    return windows


def network_payload(folded: Folded, options: Any, order: list[str] | None = None) -> dict[str, Any]:
    """The network (or window sequence) of the folded statements: nodes, edges and what is behind each edge.

    Windows over a corpus without any date follow ``order`` (article ids in the order of ingest)
    and say so with ``"order": "ingest"``.
    """
    from stancegraph.networks import build_network, time_windows

    if options.window is not None:
        if order is not None and undated(folded.statements):
            return {"order": "ingest", "windows": _ingest_windows(folded.statements, options, order)}
        count = count_windows(folded.statements, options)
        if count > MAX_WINDOWS:
            raise ApiError("E408", count=count, limit=MAX_WINDOWS)
        windows = time_windows(folded.statements, options)
        return {"order": "date", "windows": [{"start": w.graph.graph.get("start"), "end": w.graph.graph.get("end"),
                                              "mid": w.graph.graph.get("mid"), **_graph(w.graph)} for w in windows]}
    return _graph(build_network(folded.statements, options))


def graphml_bytes(folded: Folded, options: Any) -> bytes:
    """The network of the folded statements as GraphML (one network: any time window is ignored)."""
    import networkx as nx

    from stancegraph.networks import build_network
    from stancegraph.networks.readwrite import flat_graph

    graph = build_network(folded.statements, replace(options, window=None, step=None))
    return "\n".join(nx.generate_graphml(flat_graph(graph))).encode("utf-8")


def concepts_payload(folded: Folded) -> list[dict[str, Any]]:
    """Every concept with its statements, origin and the labels folded into it, most used first."""
    folding = folded.folding
    counts = Counter(folded.statements["concept"])
    rows = []
    for concept in folding.concepts():
        members = folding.members(concept)
        rows.append({"concept": concept, "origin": "user" if concept in folding.user else "automatic",
                     "statements": int(counts.get(concept, 0)), "labels": members,
                     "how": sorted({folding.reason[label] for label in members if label in folding.reason})})
    rows.sort(key=lambda row: (-row["statements"], row["concept"].casefold()))
    return rows


def positions(folded: Folded, actor_id: str, order: list[str] | None = None) -> list[dict[str, Any]]:
    """An actor's statements with their concepts, in date order: one point per stance for the chart.

    ``order`` (article ids in the order of ingest) gives each point its ``ingest`` position, the
    chart's axis when no article has a date.
    """
    mine = folded.statements.loc[folded.statements["actor_id"] == actor_id]
    mine = mine.sort_values(["date", "article_id", "n"], kind="stable", na_position="last")
    place = {article: number for number, article in enumerate(order or [], start=1)}
    return [
        {"id": row.statement_id, "article_id": row.article_id, "date": _plain(row.date) if not pd.isna(row.date) else None,
         "ingest": place.get(row.article_id), "concept": row.concept, "label": row.label,
         "polarity": int(row.polarity), "confidence": _plain(row.confidence), "evidence": row.evidence_text}
        for row in mine.itertuples(index=False)
    ]
