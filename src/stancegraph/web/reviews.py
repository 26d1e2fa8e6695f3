"""Reviewing the automatic coding over HTTP: the ``/api/reviews`` routes and the ``/review`` page.

Reviews are stored and applied by :mod:`stancegraph.store.reviews`; a review changes the
automatic rows in the store, so every page, API answer, network and export shows it at once
(the read caches follow the store's fingerprint).

Writes are guarded twice. The security middleware asks for the token on a server that has
one (``Authorization: Bearer``, or the login cookie together with the page's CSRF token).
Here, a request that looks like a browser's (it carries an ``Origin``, ``Sec-Fetch-Site`` or
a cookie) must come from this server's own pages: a cross-site origin is refused (E421), and
without the CSRF token the page holds in ``<meta name="csrf-token">``, sent back as
``X-CSRF-Token``, it is refused too (E420). Programs with the bearer token, or on a loopback
server without a token, post as they are.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from stancegraph.errors import ApiError
from stancegraph.store import reviews as store_reviews
from stancegraph.web.models import ErrorBody
from stancegraph.web.security import token_matches
from stancegraph.web.state import WebState, json_bytes

__all__ = ["ReviewIn", "pages", "router", "write_guard"]

router = APIRouter(prefix="/api", tags=["reviews"])
pages = APIRouter(include_in_schema=False)

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Missing or wrong token (E401)."},
    403: {"model": ErrorBody, "description": "A browser request without the page's CSRF token (E420), or from "
                                             "another site (E421)."},
    404: {"model": ErrorBody, "description": "No such item (E221) or review (E223)."},
    422: {"model": ErrorBody, "description": "An invalid review (E406, E220, E222, E225)."},
    503: {"model": ErrorBody, "description": "The store is held by another writer (E403); retry."},
}


class ReviewIn(BaseModel):
    """A decision on one automatic item."""

    model_config = ConfigDict(extra="forbid")

    target: Literal["stance", "quote", "mention", "actor"]
    id: Annotated[str, Field(min_length=1, max_length=1100, description="The item's id as the API gives it: "
                                                                         "'<article id>#<n>' for a stance or a quote, "
                                                                         "'<article id>@<start>-<end>' for a mention, "
                                                                         "the actor's id for an actor.")]
    verdict: Literal["accept", "reject", "edit"]
    changes: Annotated[dict[Literal["actor", "target", "target_kind", "polarity", "kind", "merge_into"],
                            StrictStr | StrictInt | None],
                       Field(default_factory=dict, description="An edit's changes: a stance's actor, target, "
                                                               "target_kind, polarity; a quote's actor, kind; "
                                                               "a mention's actor; an actor's merge_into.")]
    reviewer: Annotated[str | None, Field(default=None, min_length=1, max_length=200)] = None


class ReviewsOut(BaseModel):
    total: int
    page: int
    per_page: int
    reviews: list[store_reviews.Review]


class QueueItem(BaseModel):
    """An unreviewed stance or quote, with what is needed to judge it."""

    kind: Literal["stance", "quote"]
    id: str
    article_id: str
    n: int
    start: int
    end: int
    confidence: float
    edges: int
    score: float
    actor_id: str | None
    actor_name: str | None
    target: str | None
    target_name: str | None
    target_kind: str | None
    polarity: int | None
    quote_kind: str | None
    text: str
    before_text: str
    after_text: str
    title: str | None
    date: str | None


class KindStats(BaseModel):
    total: int
    reviewed: int
    accepted: int
    precision: float | None = Field(description="Accepted / reviewed: the automatic coding's precision.")
    low: float | None = Field(description="Lower end of the Wilson 95% interval of the precision.")
    high: float | None = Field(description="Upper end of the Wilson 95% interval.")


class ArticleStats(BaseModel):
    article_id: str
    title: str | None
    total: int
    reviewed: int


class StatsOut(BaseModel):
    reviewed: int
    total: int
    kinds: dict[str, KindStats]
    articles: list[ArticleStats]


def _state(request: Request) -> WebState:
    return request.app.state.web


def _same_origin(origin: str, request: Request) -> bool:
    parts = urlsplit(origin)
    return bool(parts.netloc) and parts.netloc.lower() == request.headers.get("host", "").lower()


def write_guard(request: Request) -> None:
    """Refuse a browser's write from another site (E421) or without the page's CSRF token (E420)."""
    origin = request.headers.get("origin")
    if (origin and origin != "null" and not _same_origin(origin, request)) or origin == "null" or \
            request.headers.get("sec-fetch-site") == "cross-site":
        raise ApiError("E421", origin=(origin or "of another site")[:200])
    token = _state(request).settings.token
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and token_matches(given.strip(), token):
        return
    if origin or request.headers.get("sec-fetch-site") or request.headers.get("cookie"):
        sent = request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(sent.encode("utf-8", "surrogatepass"), request.app.state.csrf.encode()):
            raise ApiError("E420")


Guard = Annotated[None, Depends(write_guard)]


def _json(value: Any, status: int = 200, stale: bool = False) -> Response:
    headers = {"X-Stancegraph-Stale": "true"} if stale else {}
    return Response(json_bytes(value), status_code=status, media_type="application/json", headers=headers)


def _write(request: Request, action: Any) -> Any:
    state = _state(request)
    with state.store_gate.writing(wait=state.settings.write_wait) as con:
        return action(con)


@router.post("/reviews", response_model=None, status_code=201,
             responses={201: {"model": store_reviews.Review, "description": "Recorded and applied."}, **_ERRORS},
             summary="Review an automatic item: accept, reject or edit it")
def post_review(request: Request, review: ReviewIn, _: Guard) -> Response:
    stored = _write(request, lambda con: store_reviews.record(
        con, review.target, review.id, review.verdict, {str(key): value for key, value in review.changes.items()},
        reviewer=review.reviewer or "reviewer"))
    return _json(stored.to_dict(), 201)


@router.get("/reviews", response_model=None, responses={200: {"model": ReviewsOut}, **_ERRORS},
            summary="Reviews, newest first")
def get_reviews(
    request: Request,
    article: Annotated[str | None, Query(max_length=1000)] = None,
    target: Literal["stance", "quote", "mention", "actor"] | None = None,
    undone: Annotated[bool, Query(description="Include undone reviews.")] = True,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    if article and "\x00" in article:
        raise ApiError("E406", detail="parameters must not contain NUL characters")

    def compute(con: Any) -> dict[str, Any]:
        total, found = store_reviews.list_reviews(con, article=article or None, target=target, undone=undone,
                                                  limit=per_page, offset=(page - 1) * per_page)
        return {"total": total, "page": page, "per_page": per_page, "reviews": [r.to_dict() for r in found]}

    result = _state(request).read(("reviews", article, target, undone, page, per_page), compute)
    return _json(result.value, stale=result.stale)


def _undo(request: Request, review_id: int) -> Response:
    return _json(_write(request, lambda con: store_reviews.undo(con, review_id)).to_dict())


ReviewId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/reviews/{review_id}/undo", response_model=None,
             responses={200: {"model": store_reviews.Review, "description": "Undone: the item is as before the review."},
                        409: {"model": ErrorBody, "description": "Already undone, or a later review changed the "
                                                                 "item (E224)."}, **_ERRORS},
             summary="Undo a review")
def undo_review(request: Request, review_id: ReviewId, _: Guard) -> Response:
    return _undo(request, review_id)


@router.delete("/reviews/{review_id}", response_model=None,
               responses={200: {"model": store_reviews.Review, "description": "Undone (the review is kept, marked undone)."},
                          409: {"model": ErrorBody, "description": "Already undone, or a later review changed the "
                                                                   "item (E224)."}, **_ERRORS},
               summary="Undo a review (the same as POST /api/reviews/{id}/undo)")
def delete_review(request: Request, review_id: ReviewId, _: Guard) -> Response:
    return _undo(request, review_id)


@router.get("/review-queue", response_model=None, responses={200: {"model": list[QueueItem]}, **_ERRORS},
            summary="Unreviewed stances and quotes, those that matter most first (low confidence, many edges)")
def get_queue(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    kind: Annotated[list[Literal["stance", "quote"]], Query(max_length=2)] = ["stance", "quote"],  # noqa: B006
) -> Response:
    kinds = tuple(dict.fromkeys(kind))
    result = _state(request).read(("review-queue", limit, kinds),
                                  lambda con: store_reviews.queue(con, limit=limit, kinds=kinds))
    return _json(result.value, stale=result.stale)


@router.get("/review-stats", response_model=None, responses={200: {"model": StatsOut}, **_ERRORS},
            summary="Reviewed / total per kind and article, and the precision per kind with its 95% interval")
def get_stats(request: Request) -> Response:
    result = _state(request).read(("review-stats",), store_reviews.stats)
    return _json(result.value, stale=result.stale)


@pages.get("/review", response_class=HTMLResponse)
def review_page(request: Request) -> HTMLResponse:
    from stancegraph.web.pages import render

    return render("review.html", request)
