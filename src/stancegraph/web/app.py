"""The web application: the JSON API (``/api``), the pages, the static files, one FastAPI app.

Example
-------
>>> import tempfile, pathlib
>>> from stancegraph.store import open_store
>>> path = pathlib.Path(tempfile.mkdtemp()) / "corpus.duckdb"
>>> open_store(path).close()
>>> from stancegraph.web.security import iter_routes
>>> app = create_app(Settings(db=path))
>>> sorted(path for path, _ in iter_routes(app.routes) if path.startswith("/api/a"))[:3]
['/api/actors', '/api/actors/{actor_id:path}', '/api/articles']
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from stancegraph import __version__
from stancegraph.errors import (
    ApiError,
    Errors,
    InputError,
    MissingExtraError,
    NetworkError,
    StanceGraphError,
    StoreError,
)
from stancegraph.web.access import DnaReadOnly, dna_gate
from stancegraph.web.security import SecurityMiddleware, csrf_value
from stancegraph.web.state import Settings, WebState

__all__ = ["STATIC", "VENDOR_FILES", "Settings", "create_app"]

STATIC = Path(__file__).parent / "static"
VENDOR_FILES = ("vendor/cytoscape.min.js", "vendor/chart.umd.min.js", "vendor/layout-base.js", "vendor/cose-base.js",
                "vendor/cytoscape-fcose.js", "vendor/cytoscape-svg.js")

_STATUS = {"E401": 401, "E403": 503, "E404": 404, "E405": 413, "E406": 422, "E407": 409, "E408": 422,
           "E121": 422, "E122": 500, "E123": 503, "E124": 503, "E412": 429, "E414": 405, "E415": 404,
           "E420": 403, "E421": 403,
           "E425": 422, "E426": 413, "E427": 422, "E428": 429}
_STORE_STATUS = {"E208": 404, "E220": 422, "E221": 404, "E222": 422, "E223": 404, "E224": 409, "E225": 422}


def _status(error: StanceGraphError) -> int:
    if isinstance(error, ApiError):
        return _STATUS.get(error.code, 400)
    if isinstance(error, StoreError):
        return _STORE_STATUS.get(error.code, 503)
    if isinstance(error, NetworkError):
        return 503 if error.code == "E314" else 422
    if isinstance(error, InputError):
        return 413 if error.code == "E104" else 422
    if isinstance(error, MissingExtraError):  # this install lacks an optional part (E130)
        return 501
    return 500


def _body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


async def _error_response(request: Request, status: int, code: str, message: str, **extra: Any) -> Response:
    headers = {"Retry-After": "2"} if status == 503 else {}
    if _wants_html(request):
        from stancegraph.web.pages import error_page

        response = await error_page(request, status, code, message)
        response.headers.update(headers)
        return response
    return JSONResponse(_body(code, message, **extra), status_code=status, headers=headers)


def create_app(settings: Settings) -> FastAPI:
    """The app serving ``settings.db`` (or, read-only, ``settings.dna``): API, pages and static
    files, behind the security middleware."""
    from stancegraph.web import api, dna_views, pages, reviews, uploads

    state = WebState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.dna is None:  # a DNA database is read-only: nothing to analyse
            state.jobs.start_worker()  # spaCy loads in the worker while the first requests are served
        try:
            yield
        finally:
            state.close()  # an analysis about to finish is written; the worker stops with the server

    app = FastAPI(
        title="stancegraph",
        version=__version__,
        summary="Who says what about whom, and who sides with whom: the articles, actors, quotes, stances "
                "and discourse networks of a stancegraph store.",
        description="Errors are `{\"error\": {\"code\", \"message\"}}` with a stable stancegraph code. "
                    "When the server has a token, send `Authorization: Bearer <token>`.",
        docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None,
        lifespan=lifespan,
        dependencies=[Depends(dna_gate)],
    )
    app.state.web = state
    app.state.csrf = csrf_value(settings.token) if settings.token else secrets.token_urlsafe(32)

    @app.exception_handler(StanceGraphError)
    async def stancegraph_error(request: Request, error: StanceGraphError) -> Response:
        return await _error_response(request, _status(error), error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        problems = []
        for item in error.errors():
            where = ".".join(str(part) for part in item.get("loc", ()))
            problems.append(f"{where}: {item.get('msg', 'invalid')}")
        message = Errors.E406.format(detail="; ".join(problems)[:2000])
        return await _error_response(request, 422, "E406", message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 413:
            return await _error_response(request, 413, "E405", Errors.E405.format(limit=settings.max_body))
        if error.status_code == 404:
            return await _error_response(request, 404, "E404", Errors.E404.format(what="page", id=request.url.path))
        response = await _error_response(request, error.status_code, "E406",
                                         Errors.E406.format(detail=str(error.detail)))
        response.headers.update(error.headers or {})
        return response

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(dna_views.router)
    app.include_router(reviews.router)
    app.include_router(reviews.pages)
    app.include_router(uploads.router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=True), name="static")
    app.add_middleware(DnaReadOnly, dna=settings.dna)
    app.add_middleware(SecurityMiddleware, token=settings.token, max_body=settings.max_body)
    return app


def check_assets() -> None:
    """Refuse to serve pages without the front-end libraries (E410): ``make web-assets`` builds them."""
    for name in VENDOR_FILES:
        if not (STATIC / name).is_file():
            raise ApiError("E410", path=str(STATIC / name))
