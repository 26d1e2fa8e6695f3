"""The HTML pages: server-rendered Jinja2 templates (autoescaped) and small scripts of our own.

Article text, titles, sources, names and quotes are untrusted: they reach the page only
through autoescaped template expressions (or, in the scripts, as ``textContent`` of JSON
fetched from the API), and the Content-Security-Policy allows no inline script at all. Each
is isolated (``<bdi>``, or U+2068/U+2069 in plain text) so that a direction override in it
cannot reverse the page's own text after it, and long unbroken strings wrap.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import cache
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from stancegraph.errors import Errors
from stancegraph.store.web_queries import actor_names
from stancegraph.web import queries
from stancegraph.web.highlight import article_marks, segment
from stancegraph.web.security import COOKIE, cookie_value, safe_next, token_matches
from stancegraph.web.state import WebState, require

__all__ = ["render", "router", "templates"]

router = APIRouter(include_in_schema=False)


@cache
def templates() -> Environment:
    env = Environment(loader=PackageLoader("stancegraph.web", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html",), default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["article_url"] = lambda article_id: queries.link(article_id)
    env.filters["actor_url"] = lambda actor_id: "/actors/" + quote(actor_id or "", safe="")
    env.filters["polarity"] = lambda p: {1: "supports", -1: "opposes"}.get(int(p), "neutral on")
    env.filters["css"] = lambda value: "".join(c for c in str(value).lower() if c.isalnum() or c == "-")
    env.filters["bdi"] = bdi
    env.filters["fsi"] = fsi
    env.filters["flag_kind"] = lambda kind: str(kind).replace("_", " ")
    return env


_DIRECTED = frozenset({"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def fsi(value: Any) -> str:
    """Untrusted plain text (a page title, an attribute) between U+2068 and U+2069 when it holds any
    right-to-left letter or direction control, so that the page's own text after it keeps its order."""
    text = str(value)
    return f"\u2068{text}\u2069" if any(unicodedata.bidirectional(c) in _DIRECTED for c in text) else text


def bdi(value: Any) -> Markup:
    """Untrusted text, escaped and isolated in ``<bdi>``: its direction controls end with it."""
    return Markup(f"<bdi>{escape(str(value))}</bdi>")


def render(name: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    state: WebState = request.app.state.web
    html = templates().get_template(name).render(
        stale=context.pop("stale", False), token_required=bool(state.settings.token), path=request.url.path,
        dna=state.settings.dna is not None,
        csrf=request.app.state.csrf, **context)
    return HTMLResponse(html, status_code=status)


def _state(request: Request) -> WebState:
    return request.app.state.web


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if dt.date(1678, 1, 1) <= day <= dt.date(2261, 12, 31) else None


def _clean(value: str | None, limit: int = 1000) -> str | None:
    if not value:
        return None
    value = value.replace("\x00", "")[:limit]
    return value or None


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request) -> HTMLResponse:
    result = _state(request).read(("page-overview",), lambda con: queries.overview(con))
    return render("overview.html", request, stale=result.stale, data=result.value)


@router.get("/articles", response_class=HTMLResponse)
def articles_page(
    request: Request,
    q: str | None = None,
    source: str | None = None,
    actor: str | None = None,
    date_from: Annotated[str | None, Query(alias="from")] = None,
    date_to: Annotated[str | None, Query(alias="to")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    flt = queries.ArticleFilter(_date(date_from), _date(date_to), _clean(source), _clean(actor), _clean(q))
    result = _state(request).read(("page-articles", flt, page),
                                  lambda con: queries.list_articles(con, flt, page=page, per_page=25))
    data = result.value
    params = {k: v for k, v in {"q": flt.q, "source": flt.source, "actor": flt.actor,
                                "from": flt.date_from and flt.date_from.isoformat(),
                                "to": flt.date_to and flt.date_to.isoformat()}.items() if v}
    pages = {"prev": f"/articles?{urlencode({**params, 'page': page - 1})}" if page > 1 else None,
             "next": f"/articles?{urlencode({**params, 'page': page + 1})}" if page * 25 < data["total"] else None}
    return render("articles.html", request, stale=result.stale, data=data, filters=params, pages=pages)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    def compute(con: Any) -> dict[str, Any] | None:
        analysis = queries.article_payload(con, article_id)
        if analysis is None:
            return None
        names = {a["id"]: a["name"] for a in analysis["actors"]}
        missing = {q["actor"] for q in analysis["quotes"] if q.get("actor") and q["actor"] not in names}
        missing |= {s["target"] for s in analysis["stances"] if s.get("target_kind") == "actor"} - set(names)
        missing |= {s["actor"] for s in analysis["stances"] if s.get("actor")} - set(names)
        names.update(actor_names(con, [m for m in missing if m]))
        return {"analysis": analysis, "names": names, "stance_rows": stance_rows(analysis["stances"]),
                "segments": segment(analysis["text"], article_marks(analysis, names))}

    result = _state(request).read(("page-article", article_id), compute)
    data = require(result.value, "article", article_id.replace("\x00", ""))
    return render("article.html", request, stale=result.stale, **data)


def stance_rows(stances: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An article's stances with one actor, polarity and target as one row, holding every distinct evidence."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for stance in stances:
        key = (stance["actor"], stance["polarity"], stance["target"], stance["target_kind"])
        row = rows.setdefault(key, {**stance, "evidences": [], "ids": []})
        row["ids"].append(stance.get("id"))
        span = (stance["evidence"]["start"], stance["evidence"]["end"])
        if span not in [(e["start"], e["end"]) for e in row["evidences"]]:
            row["evidences"].append(stance["evidence"])
    return list(rows.values())


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, search: str | None = None,
                page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> HTMLResponse:
    search = _clean(search)
    result = _state(request).read(("page-actors", search, page),
                                  lambda con: queries.list_actors(con, search=search, page=page, per_page=50))
    data = result.value
    params = {"search": search} if search else {}
    pages = {"prev": f"/actors?{urlencode({**params, 'page': page - 1})}" if page > 1 else None,
             "next": f"/actors?{urlencode({**params, 'page': page + 1})}" if page * 50 < data["total"] else None}
    return render("actors.html", request, stale=result.stale, data=data, search=search or "", pages=pages)


@router.get("/actors/{actor_id:path}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str) -> HTMLResponse:
    result = _state(request).read(("page-actor", actor_id), lambda con: queries.actor_payload(con, actor_id))
    actor = require(result.value, "actor", actor_id.replace("\x00", ""))
    by_concept: dict[str, list[dict[str, Any]]] = {}
    for stance in actor["stances"]:
        by_concept.setdefault(stance["target_name"] or stance["target"], []).append(stance)
    return render("actor.html", request, stale=result.stale, actor=actor, by_concept=by_concept)


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> HTMLResponse:
    return render("network.html", request)


@router.get("/flags", response_class=HTMLResponse)
def flags_page(request: Request, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> HTMLResponse:
    from stancegraph.store.checks import run_checks

    def compute(con: Any) -> dict[str, Any]:
        data = queries.list_flags(con, page=page, per_page=50)
        data["findings"] = queries.findings_payload(run_checks(con)) if page == 1 else []
        return data

    result = _state(request).read(("page-flags", page), compute)
    data = result.value
    pages = {"prev": f"/flags?page={page - 1}" if page > 1 else None,
             "next": f"/flags?page={page + 1}" if page * 50 < data["total"] else None}
    return render("flags.html", request, stale=result.stale, data=data, pages=pages)


# --------------------------------------------------------------------------------------
# logging in (only when the server has a token)


def _logged_in(request: Request, token: str, target: str) -> Response:
    response = RedirectResponse(safe_next(target), status_code=303)
    response.set_cookie(COOKIE, cookie_value(token), httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, token: Annotated[str | None, Query(max_length=1000)] = None,
               next: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    if not _state(request).settings.token:
        return RedirectResponse(safe_next(next), status_code=303)
    if token is not None:
        return _attempt(request, token, next or "/")
    return render("login.html", request, failed=False, next=safe_next(next))


@router.post("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> Response:
    body = (await request.body())[:10_000].decode("utf-8", "replace")
    fields = parse_qs(body, max_num_fields=10)
    given = next(iter(fields.get("token", [])), None)
    target = (fields.get("next") or ["/"])[0]
    if not _state(request).settings.token:
        return RedirectResponse(safe_next(target), status_code=303)
    return _attempt(request, given, target)


def _attempt(request: Request, given: str | None, target: str) -> Response:
    """Log in with ``given``, unless this address failed too often lately (429, E412)."""
    state = _state(request)
    address = request.client.host if request.client else "unknown"
    wait = state.logins.retry_after(address)
    if wait is not None:
        response = render("login.html", request, status=429, failed=False, next=safe_next(target),
                          refused=Errors.E412.format(seconds=wait))
        response.headers["Retry-After"] = str(wait)
        return response
    if given is not None and token_matches(given, state.settings.token):  # type: ignore[arg-type]
        return _logged_in(request, state.settings.token, target)  # type: ignore[arg-type]
    state.logins.failed(address)
    return render("login.html", request, status=401, failed=True, next=safe_next(target))


async def error_page(request: Request, status: int, code: str, message: str) -> HTMLResponse:
    return await run_in_threadpool(render, "error.html", request, status, code=code, message=message)
