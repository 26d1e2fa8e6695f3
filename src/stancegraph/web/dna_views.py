"""rDNA's views on the web page: the concept network's backbone and polarisation over time.

``GET /api/backbone``
    DNA's nested backbone of the store's statements (one step per removed concept, losses
    as ``stancegraph backbone``) and the concept network (congruence between concepts), each
    concept node carrying ``removed`` (its step; the last removed is the core of the
    backbone) and ``backbone`` (true for the concepts still in after the loss jumps).
``GET /api/polarisation-series``
    rDNA's polarisation (greedy or genetic) per day-unit kernel slice: mid-point, number of
    statements and actors, polarisation and clusters.
``GET /backbone``, ``GET /polarisation-time``
    The two pages (scripts in ``static/js/backbone.js`` and ``polarisation.js``).

Both read the folded statements the network page uses, so they follow its concept list.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from stancegraph.errors import ApiError
from stancegraph.web.state import json_bytes

if TYPE_CHECKING:
    from stancegraph.networks.statements import Duplicates

__all__ = ["MAX_SLICES", "backbone_payload", "polarisation_payload", "router"]

router = APIRouter()
MAX_SLICES = 400
"""Most kernel slices one polarisation request may ask for."""


def _state(request: Request) -> Any:
    return request.app.state.web


def _response(result: Any) -> Response:
    headers = {"X-Stancegraph-Stale": "true"} if result.stale else {}
    return Response(result.value, media_type="application/json", headers=headers)


def backbone_payload(statements: Any, *, duplicates: Duplicates, aggregation: str, normalize: str) -> dict[str, Any]:
    """The nested backbone and the concept network of folded statements."""
    from stancegraph.networks import NetworkOptions, build_network
    from stancegraph.networks.backbone import BackboneOptions, nested_backbone
    from stancegraph.web.networks import _graph

    options = NetworkOptions(kind="congruence", nodes="concept", duplicates=duplicates, similarity=None,
                             details=False)
    graph = build_network(statements, options)
    prepared = statements.loc[statements["polarity"] != 0]
    prepared = prepared if duplicates == "include" else _deduped(prepared, duplicates)
    steps = (nested_backbone(prepared, BackboneOptions(aggregation, normalize))
             if prepared["concept"].nunique() > 1 else None)
    rows = [] if steps is None else steps.to_dict(orient="records")
    removed = {row["entity"]: row["iteration"] for row in rows}
    core = _core(rows)
    for _node, data in graph.nodes(data=True):
        data["removed"] = removed.get(data["name"])
        data["backbone"] = data["name"] in core
    return {"statements": len(prepared), "steps": rows, "network": _graph(graph)}


def _deduped(statements: Any, duplicates: str) -> Any:
    from stancegraph.networks.statements import dedupe_statements

    return dedupe_statements(statements, duplicates)


def _core(steps: list[dict[str, Any]]) -> set[str]:
    """The backbone: the concepts removed after the largest jump in backbone loss."""
    if len(steps) < 2:
        return {row["entity"] for row in steps}
    losses = [row["backbone_loss"] for row in steps]
    jumps = [later - earlier for earlier, later in itertools.pairwise(losses)]
    cut = jumps.index(max(jumps)) + 1
    return {row["entity"] for row in steps[cut:]}


def polarisation_payload(statements: Any, *, algorithm: str, window: int, kernel: str, k: int,
                         seed: int, order: list[str] | None = None) -> dict[str, Any]:
    """rDNA's polarisation of folded statements, one row per day.

    When no statement has a date and ``order`` (article ids in the order of ingest) is given,
    the days are places in that order (``"order": "ingest"``, labels ``#1``, ``#2``...).
    """
    from stancegraph.networks.camps import dna_polarisation
    from stancegraph.web.networks import _plain, undated

    signed = statements.loc[statements["polarity"] != 0]
    by_ingest = order is not None and undated(signed)
    if by_ingest and order is not None:  # no dates: the order of ingest is the timeline, one article a day
        signed = signed.assign(date=_ingest_days(signed["article_id"], order))
    dates = signed["date"].dropna()
    days = int((dates.max() - dates.min()).days) + 1 if len(dates) else 0
    if days > MAX_SLICES:
        raise ApiError("E408", count=days, limit=MAX_SLICES)
    if not days:
        return {"algorithm": algorithm, "order": "date", "windows": []}
    genetic: dict[str, Any] = {"parents": 20, "iterations": 100} if algorithm == "genetic" else {}
    table = dna_polarisation(signed, algorithm=algorithm, k=k, unit="days", window=window, kernel=kernel, seed=seed,
                             **genetic)
    when = _ingest_place if by_ingest else _plain
    windows = [{"start": when(row.start), "middle": when(row.middle), "stop": when(row.stop),
                "statements": int(row.statements), "actors": int(row.actors),
                "polarisation": _plain(row.polarisation), "clusters": {str(a): int(c) for a, c in row.clusters.items()}}
               for row in table.itertuples(index=False)]
    return {"algorithm": algorithm, "order": "ingest" if by_ingest else "date", "windows": windows}


INGEST_EPOCH = pd.Timestamp("2000-01-01")
"""The day that stands for the first article when the order of ingest replaces dates."""


def _ingest_days(articles: pd.Series, order: list[str]) -> pd.Series:
    """Stand-in dates for undated statements: a day per place in the order of ingest (at most MAX_SLICES days)."""
    place = {article: number for number, article in enumerate(order)}
    per_day = max(1, math.ceil(len(order) / MAX_SLICES))
    return INGEST_EPOCH + pd.to_timedelta(articles.map(place).fillna(0).astype(int) // per_day, unit="D")


def _ingest_place(value: Any) -> str:
    """The label of a stand-in date: the place in the order of ingest it stands for."""
    return f"#{(pd.Timestamp(value) - INGEST_EPOCH).days + 1}"


@router.get("/api/backbone", tags=["api"], summary="DNA's nested backbone of the concepts, and the concept network")
def get_backbone(
    request: Request,
    duplicates: Literal["include", "document", "week", "month", "year", "acrossrange"] = "document",
    aggregation: Literal["ignore", "congruence", "conflict", "subtract"] = "subtract",
    normalize: Literal["none", "average", "jaccard", "cosine"] = "average",
    similarity: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    no_embeddings: bool | None = None,
) -> Response:
    state = _state(request)
    threshold = state.similarity_for(similarity, no_embeddings)
    return _response(state.read(("backbone", duplicates, aggregation, normalize, threshold), lambda con: json_bytes(
        backbone_payload(state.folded(con, threshold, True).statements, duplicates=duplicates,
                         aggregation=aggregation, normalize=normalize))))


@router.get("/api/polarisation-series", tags=["api"], summary="rDNA's polarisation per day (kernel-smoothed)")
def get_polarisation(
    request: Request,
    algorithm: Literal["greedy", "genetic"] = "greedy",
    window: Annotated[int, Query(ge=2, le=3650, description="kernel width in days")] = 30,
    kernel: Literal["uniform", "triangular", "epanechnikov", "gaussian"] = "uniform",
    k: Annotated[int, Query(ge=2, le=6)] = 2,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    similarity: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    no_embeddings: bool | None = None,
) -> Response:
    state = _state(request)
    threshold = state.similarity_for(similarity, no_embeddings)
    key = ("polarisation-series", algorithm, window, kernel, k, seed, threshold)
    return _response(state.read(key, lambda con: json_bytes(polarisation_payload(
        state.folded(con, threshold, True).statements, algorithm=algorithm, window=window, kernel=kernel, k=k,
        seed=seed, order=state.ingest_order(con)))))


@router.get("/backbone", response_class=HTMLResponse, include_in_schema=False)
def backbone_page(request: Request) -> HTMLResponse:
    from stancegraph.web.pages import render

    return render("backbone.html", request)


@router.get("/polarisation-time", response_class=HTMLResponse, include_in_schema=False)
def polarisation_page(request: Request) -> HTMLResponse:
    from stancegraph.web.pages import render

    return render("polarisation_time.html", request)
