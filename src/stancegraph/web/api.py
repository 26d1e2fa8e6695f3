"""The JSON API: ``/api/...`` routes over the store, described at ``/openapi.json``.

Reads are cached by store state (:mod:`stancegraph.web.access`) and sent as prepared JSON;
a response served from before a write the server could not wait for carries
``X-Stancegraph-Stale: true``. ``POST /api/articles`` hands one article to the analysis worker
process (:mod:`stancegraph.web.worker`): 201 when it is stored within ``--post-wait`` seconds,
else 202 with its job's URL ``/api/jobs/{id}``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from stancegraph.errors import ApiError
from stancegraph.web import queries
from stancegraph.web.access import Cached
from stancegraph.web.models import (
    ActorOut,
    ActorsOut,
    AnalysisOut,
    ArticleDateIn,
    ArticleIn,
    ArticlesOut,
    ConceptOut,
    ErrorBody,
    FlagsOut,
    JobOut,
    NetworkOut,
    OverviewOut,
    QuoteRef,
    StatementRef,
)
from stancegraph.web.state import WebState, json_bytes, require
from stancegraph.web.worker import Job

__all__ = ["NetworkQuery", "network_options", "router"]

router = APIRouter(prefix="/api", tags=["api"])

MIN_DATE, MAX_DATE = dt.date(1678, 1, 1), dt.date(2261, 12, 31)
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A malformed request (E406)."},
    401: {"model": ErrorBody, "description": "Missing or wrong token (E401)."},
    422: {"model": ErrorBody, "description": "Invalid parameters (E406, E3xx)."},
    503: {"model": ErrorBody, "description": "The store is held by another writer (E403); retry."},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "No such item (E404)."}}
DURATION = r"^\s*[1-9][0-9]{0,3}\s*(d|days?|w|weeks?|m|months?)\s*$"
Text = Annotated[str | None, Query(max_length=1000)]


def _state(request: Request) -> WebState:
    return request.app.state.web


def _json(result: Cached[bytes], status: int = 200) -> Response:
    headers = {"X-Stancegraph-Stale": "true"} if result.stale else {}
    return Response(result.value, status_code=status, media_type="application/json", headers=headers)


def _date(value: dt.date | None, name: str) -> dt.date | None:
    if value is not None and not MIN_DATE <= value <= MAX_DATE:
        raise ApiError("E406", detail=f"{name} must be between {MIN_DATE} and {MAX_DATE}")
    return value


def _no_nul(*values: str | None) -> None:
    for value in values:
        if value is not None and "\x00" in value:
            raise ApiError("E406", detail="parameters must not contain NUL characters")


# --------------------------------------------------------------------------------------
# overview and articles


@router.get("/overview", response_model=None, responses={200: {"model": OverviewOut}, **_ERRORS},
            summary="Counts, latest articles and most active actors")
def get_overview(request: Request) -> Response:
    state = _state(request)
    return _json(state.read(("overview",), lambda con: json_bytes(queries.overview(con))))


@router.get("/articles", response_model=None, responses={200: {"model": ArticlesOut}, **_ERRORS},
            summary="Articles, newest first, filtered and paged")
def get_articles(
    request: Request,
    date_from: Annotated[dt.date | None, Query(alias="from", description="First date, inclusive.")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to", description="Last date, inclusive.")] = None,
    source: Text = None,
    actor: Annotated[str | None, Query(max_length=1000, description="An actor id or name.")] = None,
    q: Annotated[str | None, Query(max_length=1000, description="Words to find in the title or text.")] = None,
    lang: Annotated[Literal["en", "fr"] | None, Query(description="Only articles in this language.")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Response:
    _no_nul(source, actor, q)
    flt = queries.ArticleFilter(_date(date_from, "from"), _date(date_to, "to"), source or None, actor or None,
                                q or None, lang)
    state = _state(request)
    return _json(state.read(("articles", flt, page, per_page),
                            lambda con: json_bytes(queries.list_articles(con, flt, page=page, per_page=per_page))))


@router.get("/articles/{article_id:path}", response_model=None,
            responses={200: {"model": AnalysisOut}, **_NOT_FOUND, **_ERRORS},
            summary="One article's full analysis, in the output contract")
def get_article(request: Request, article_id: str) -> Response:
    _no_nul(article_id)
    state = _state(request)

    def compute(con: Any) -> bytes | None:
        payload = queries.article_payload(con, article_id)
        return None if payload is None else json_bytes(payload)

    result = state.read(("article", article_id), compute)
    require(result.value, "article", article_id)
    return _json(result)


@router.post("/articles", response_model=None, status_code=201,
             responses={201: {"model": AnalysisOut, "description": "Analysed and stored within the short wait "
                              "(`--post-wait`); `Location` is the article's URL.",
                              "links": {"article": {"operationId": "get_article_api_articles__article_id__get",
                                                    "parameters": {"article_id": "$response.body#/id"}}}},
                        200: {"model": AnalysisOut, "description": "The same text was already stored."},
                        202: {"model": JobOut, "description": "Queued or under analysis: poll `Location` "
                              "(`/api/jobs/{id}`) until it is `done` (then `link` is the article) or `failed` "
                              "(with the error code).",
                              "links": {"job": {"operationId": "get_job_api_jobs__job_id__get",
                                                "parameters": {"job_id": "$response.body#/id"}}}},
                        409: {"model": ErrorBody, "description": "The id is taken by another text (E407)."},
                        413: {"model": ErrorBody, "description": "The body is over the limit (E405), or the text over "
                              "`--max-chars` (E104)."},
                        **_ERRORS,
                        422: {"model": ErrorBody, "description": "Invalid body (E406; an id outside the allowed form "
                              "is E406 with the E120 rule), empty text (E101), or an analysis over the time budget "
                              "within the wait (E121)."},
                        503: {"model": ErrorBody, "description": "The analysis queue is full (E123), the server is "
                              "stopping (E124) or the store is held (E403): retry after `Retry-After` seconds."}},
             summary="Analyse one article and store it (the analysis runs in a worker process)")
async def post_article(
    request: Request,
    article: ArticleIn,
    wait: Annotated[float | None, Query(ge=0, le=3600, description="Seconds to wait for the analysis before "
                                        "answering 202 (at most the server's `--post-wait`; 0: answer 202 at once).")] = None,
) -> Response:
    """Hand the article to the analysis worker; answer 201 when it is stored within the wait, else 202."""
    from stancegraph.records import ArticleAnalysis
    from stancegraph.sources.text import check_text
    from stancegraph.store import content_hash

    state = _state(request)
    check_text(article.text, input=article.id or "<text>", max_chars=state.settings.max_chars)
    text_hash = content_hash(article.text)
    date = article.date.isoformat() if article.date else None

    def lookup() -> tuple[str | None, str | None]:
        with state.store_gate.reading(wait=state.settings.write_wait) as con:  # a write may wait longer than a read
            return queries.stored_text(con, text_hash, article.id)

    same, given = await run_in_threadpool(lookup)
    if given is not None:  # the id is stored: with this text it is already there, with another it clashes
        if given != text_hash:
            raise ApiError("E407", id=article.id)
        return await _stored(state, article.id, 200)  # type: ignore[arg-type]
    stored_id: str | None
    if same is not None:
        if article.id is None:
            return await _stored(state, same, 200)
        # a stored text under a new id: a duplicate, which needs no analysis
        analysis = ArticleAnalysis(article.id, article.title, date, article.source, article.text, url=article.url)
        stored_id, created = await run_in_threadpool(state.store_analysis, analysis)
    else:
        job = state.jobs.submit({"text": article.text, "id": article.id, "title": article.title, "date": date,
                                 "source": article.source, "url": article.url})
        patience = state.settings.post_wait if wait is None else min(wait, state.settings.post_wait)
        if not await _finished(job, patience):
            return JSONResponse(job.to_dict(), status_code=202,
                                headers={"Location": f"/api/jobs/{job.id}", "Retry-After": "1"})
        if job.error is not None:
            raise job.error
        stored_id, created = job.article_id, job.created
    assert stored_id is not None  # a job that finished without an error has stored its article
    response = await _stored(state, stored_id, 201 if created else 200)
    response.headers["Location"] = "/api" + queries.link(stored_id)
    return response


async def _finished(job: Job, wait: float) -> bool:
    """Wait up to ``wait`` s for a job without holding a thread (reads keep every thread)."""
    deadline = time.monotonic() + wait
    delay = 0.01
    while not job.finished.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        await asyncio.sleep(min(delay, left))
        delay = min(delay * 2, 0.2)
    return True


@router.patch("/articles/{article_id:path}", response_model=None,
              responses={200: {"model": AnalysisOut}, **_NOT_FOUND, **_ERRORS},
              summary="Set a stored article's date (an undated corpus gains a timeline)")
def patch_article(request: Request, article_id: str, body: ArticleDateIn) -> Response:
    from stancegraph.store.writer import set_article_date

    _no_nul(article_id)
    state = _state(request)
    with state.store_gate.writing(wait=state.settings.write_wait) as con:
        set_article_date(con, article_id, body.date)
    return get_article(request, article_id)


@router.get("/jobs/{job_id}", response_model=None, responses={200: {"model": JobOut}, **_NOT_FOUND, **_ERRORS},
            summary="Where an article posted with a 202 answer stands: queued, running, done or failed")
def get_job(request: Request, job_id: str) -> Response:
    job = require(_state(request).jobs.get(job_id), "job", job_id.replace("\x00", ""))
    return JSONResponse(job.to_dict())


async def _stored(state: WebState, article_id: str, status: int) -> Response:
    def compute(con: Any) -> bytes | None:
        payload = queries.article_payload(con, article_id)
        return None if payload is None else json_bytes(payload)

    result = await run_in_threadpool(state.read, ("article", article_id), compute)
    require(result.value, "article", article_id)
    return _json(result, status)


# --------------------------------------------------------------------------------------
# actors


@router.get("/actors", response_model=None, responses={200: {"model": ActorsOut}, **_ERRORS},
            summary="Corpus actors, most active first")
def get_actors(
    request: Request,
    search: Annotated[str | None, Query(max_length=1000, description="Part of an id, name or alias.")] = None,
    type: Annotated[Literal["person", "organization", "country", "group"] | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    _no_nul(search)
    state = _state(request)
    return _json(state.read(("actors", search or None, type, page, per_page), lambda con: json_bytes(
        queries.list_actors(con, search=search or None, type=type, page=page, per_page=per_page))))


@router.get("/actors/{actor_id:path}", response_model=None,
            responses={200: {"model": ActorOut}, **_NOT_FOUND, **_ERRORS},
            summary="An actor: aliases, roles, quotes, stances and positions over time")
def get_actor(
    request: Request,
    actor_id: str,
    similarity: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    no_embeddings: bool | None = None,
    heads_as_countries: bool = True,
) -> Response:
    from stancegraph.store.queries import ingest_order
    from stancegraph.web.networks import positions

    _no_nul(actor_id)
    state = _state(request)
    threshold = state.similarity_for(similarity, no_embeddings)

    def compute(con: Any) -> bytes | None:
        actor = queries.actor_payload(con, actor_id)
        if actor is None:
            return None
        actor["positions"] = positions(state.folded(con, threshold, heads_as_countries), actor_id, ingest_order(con))
        return json_bytes(actor)

    result = state.read(("actor", actor_id, threshold, heads_as_countries), compute)
    require(result.value, "actor", actor_id)
    return _json(result)


# --------------------------------------------------------------------------------------
# concepts and networks


@router.get("/concepts", response_model=None, responses={200: {"model": list[ConceptOut]}, **_ERRORS},
            summary="Concepts the stances' issue labels fold into")
def get_concepts(
    request: Request,
    similarity: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    no_embeddings: bool | None = None,
    heads_as_countries: bool = True,
) -> Response:
    from stancegraph.web.networks import concepts_payload

    state = _state(request)
    threshold = state.similarity_for(similarity, no_embeddings)
    return _json(state.read(("concepts", threshold, heads_as_countries), lambda con: json_bytes(
        concepts_payload(state.folded(con, threshold, heads_as_countries)))))


class NetworkQuery:
    """The options of ``stancegraph network`` as query parameters (lists repeat: ``?actor=a&actor=b``)."""

    def __init__(
        self,
        kind: Literal["two-mode", "ignore", "congruence", "conflict", "subtract"] = "two-mode",
        nodes: Literal["actor", "concept"] = "actor",
        qualifier: Literal["ignore", "combine", "subtract"] = "ignore",
        normalize: Literal["none", "average", "jaccard", "cosine", "activity", "prominence"] = "none",
        date_from: Annotated[dt.date | None, Query(alias="from")] = None,
        date_to: Annotated[dt.date | None, Query(alias="to")] = None,
        source: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006 (FastAPI copies defaults)
        actor_type: Annotated[list[Literal["person", "organization", "country", "group"]], Query(max_length=4)] = [],  # noqa: B006
        actor: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006
        concept: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006
        min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
        targets: Literal["all", "issue", "actor"] = "all",
        neutral: bool = False,
        duplicates: Literal["include", "document", "week", "month", "year", "acrossrange"] = "include",
        isolates: bool = False,
        details: bool = True,
        window: Annotated[str | None, Query(pattern=DURATION, description="30d, 4w, 3m")] = None,
        step: Annotated[str | None, Query(pattern=DURATION)] = None,
        kernel: Literal["none", "uniform", "gaussian", "epanechnikov", "triangular"] = "none",
        similarity: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
        no_embeddings: bool | None = None,
        heads_as_countries: bool = True,
    ) -> None:
        self.values = dict(locals())
        self.values.pop("self")


def network_options(state: WebState, query: NetworkQuery) -> tuple[Any, float | None, bool]:
    """The :class:`~stancegraph.networks.NetworkOptions` of a request, its folding threshold and head rule."""
    from stancegraph.networks import NetworkOptions

    v = query.values
    _no_nul(*v["source"], *v["actor"], *v["concept"])
    threshold = state.similarity_for(v["similarity"], v["no_embeddings"])
    options = NetworkOptions(
        date_from=_date(v["date_from"], "from"), date_to=_date(v["date_to"], "to"),
        sources=tuple(v["source"]), actor_types=tuple(v["actor_type"]), actors=tuple(v["actor"]),
        concepts=tuple(v["concept"]), min_confidence=v["min_confidence"], targets=v["targets"],
        neutral=v["neutral"], duplicates=v["duplicates"], kind=v["kind"], nodes=v["nodes"],
        qualifier=v["qualifier"], normalize=v["normalize"], isolates=v["isolates"], details=v["details"],
        window=v["window"], step=v["step"], kernel=v["kernel"], similarity=threshold,
        heads_as_countries=v["heads_as_countries"])
    return state.source_options(options), threshold, v["heads_as_countries"]


@router.get("/network", response_model=None, responses={200: {"model": NetworkOut}, **_ERRORS},
            summary="A discourse network, with the options of `stancegraph network`")
def get_network(request: Request, query: Annotated[NetworkQuery, Depends()]) -> Response:
    from stancegraph.web.networks import network_payload

    state = _state(request)
    options, threshold, heads = network_options(state, query)
    return _json(state.read(("network", options), lambda con: json_bytes(network_payload(
        state.folded(con, threshold, heads), options, state.ingest_order(con) if options.window else None))))


@router.get("/network.graphml", response_model=None,
            responses={200: {"content": {"application/graphml+xml": {}}, "description": "The network as GraphML."},
                       **_ERRORS},
            summary="The network of `/api/network` (same filters; any time window ignored) as GraphML")
def get_network_graphml(request: Request, query: Annotated[NetworkQuery, Depends()]) -> Response:
    from stancegraph.web.networks import graphml_bytes

    state = _state(request)
    options, threshold, heads = network_options(state, query)
    result = state.read(("graphml", options), lambda con: graphml_bytes(state.folded(con, threshold, heads), options))
    headers = {"Content-Disposition": 'attachment; filename="network.graphml"'}
    if result.stale:
        headers["X-Stancegraph-Stale"] = "true"
    return Response(result.value, media_type="application/graphml+xml", headers=headers)


# --------------------------------------------------------------------------------------
# what edges rest on, and flags

Ids = Annotated[list[str], Query(alias="id", max_length=500, description="Ids '<article id>#<n>', repeated.")]


@router.get("/quotes", response_model=None, responses={200: {"model": list[QuoteRef]}, **_ERRORS},
            summary="Quotes by id (the `quotes` of a network edge)")
def get_quotes(request: Request, ids: Ids = []) -> Response:  # noqa: B006
    _no_nul(*ids)
    state = _state(request)
    wanted = tuple(dict.fromkeys(ids))
    return _json(state.read(("quotes", wanted), lambda con: json_bytes(queries.quotes_by_id(con, list(wanted)))))


@router.get("/statements", response_model=None, responses={200: {"model": list[StatementRef]}, **_ERRORS},
            summary="Stances by id (the `statements` of a network edge)")
def get_statements(request: Request, ids: Ids = []) -> Response:  # noqa: B006
    _no_nul(*ids)
    state = _state(request)
    wanted = tuple(dict.fromkeys(ids))
    if state.settings.dna is not None:
        from stancegraph.web import dna_serve

        return _json(state.read(("statements", wanted), lambda source: json_bytes(
            dna_serve.statements_by_id(source.statements, list(wanted)))))
    return _json(state.read(("statements", wanted),
                            lambda con: json_bytes(queries.statements_by_id(con, list(wanted)))))


@router.get("/flags", response_model=None, responses={200: {"model": FlagsOut}, **_ERRORS},
            summary="In-article consistency flags, and (with checks=true) the corpus checks")
def get_flags(
    request: Request,
    kind: Annotated[str | None, Query(max_length=200)] = None,
    article: Annotated[str | None, Query(max_length=1000)] = None,
    checks: bool = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    _no_nul(kind, article)
    state = _state(request)

    def compute(con: Any) -> bytes:
        payload = queries.list_flags(con, kind=kind or None, article=article or None, page=page, per_page=per_page)
        if checks:
            from stancegraph.store.checks import run_checks

            payload["findings"] = queries.findings_payload(run_checks(con))
        return json_bytes(payload)

    return _json(state.read(("flags", kind, article, checks, page, per_page), compute))
