"""The server's guards: the token, the loopback rule, security headers, the token kept out of logs.

Token
    Off by default, and then the server must listen on a loopback address. With a token
    (``--token`` or ``STANCEGRAPH_TOKEN``), every route but ``/login`` needs it: programs send
    ``Authorization: Bearer <token>``; a browser visits ``/login`` (a form, or
    ``/login?token=...``) once and gets a cookie holding an HMAC of the token (never the token
    itself), ``HttpOnly`` and ``SameSite=Strict``. The cookie is accepted for reads
    (``GET``/``HEAD``), and for a write only with the CSRF token of the server's pages
    (:func:`csrf_value`, in their ``<meta name="csrf-token">``) in ``X-CSRF-Token``, so no
    other site can make a browser write. Comparisons are constant-time (:func:`hmac.compare_digest`).

Headers
    Every response carries a strict Content-Security-Policy (scripts and styles only from the
    server's own files: no inline script can run, whatever an article contains),
    ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and ``Referrer-Policy:
    no-referrer``. Without a token, requests must name a loopback host (``Host:``), which
    stops DNS-rebinding pages from reading the API through the user's browser.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stancegraph.errors import ApiError, Errors

__all__ = [
    "COOKIE",
    "CSP",
    "MIN_TOKEN",
    "OPEN_PATHS",
    "LoginLimiter",
    "RedactTokenFilter",
    "SecurityMiddleware",
    "check_host",
    "check_tls",
    "check_token",
    "cookie_value",
    "csrf_value",
    "is_loopback",
    "iter_routes",
    "token_matches",
]

COOKIE = "stancegraph_session"
MIN_TOKEN = 32
OPEN_PATHS = frozenset({"/login"})
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """Is ``host`` a loopback name or address (127.0.0.0/8, ::1, localhost)?"""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_host(host: str, token: str | None) -> None:
    """Refuse (E402) to listen on a non-loopback address without a token."""
    if not token and not is_loopback(host):
        raise ApiError("E402", host=host)


def check_token(token: str | None) -> None:
    """Refuse (E411) a token shorter than :data:`MIN_TOKEN` characters: it could be guessed."""
    if token and len(token) < MIN_TOKEN:
        raise ApiError("E411", length=len(token), minimum=MIN_TOKEN)


def check_tls(cert: Path | None, key: Path | None) -> None:
    """Refuse (E413) a certificate without its key, a key without its certificate, or a missing file."""
    if (cert is None) != (key is None):
        raise ApiError("E413", detail="both --tls-cert and --tls-key")
    for path in (cert, key):
        if path is not None and not path.is_file():
            raise ApiError("E413", detail=f"a readable file at {path}")


def cookie_value(token: str) -> str:
    """What the login cookie holds: an HMAC of the token, so the cookie never reveals it."""
    return hmac.new(token.encode("utf-8"), b"stancegraph web session", hashlib.sha256).hexdigest()


def csrf_value(token: str) -> str:
    """The CSRF token of a server with a token: an HMAC of it that its pages hold and other sites cannot read."""
    return hmac.new(token.encode("utf-8"), b"stancegraph csrf", hashlib.sha256).hexdigest()


def token_matches(given: str | None, token: str) -> bool:
    """Constant-time comparison of a presented token with the server's."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), token.encode("utf-8"))


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _cookies(scope: Scope) -> dict[str, str]:
    from http.cookies import SimpleCookie

    raw = _header(scope, b"cookie")
    if not raw:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed cookie header is no cookie
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _host_name(value: str | None) -> str:
    if not value:
        return ""
    value = value.strip()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class LoginLimiter:
    """Failed logins per client address: after ``limit`` in ``window`` seconds, the next are refused (E412, 429)."""

    def __init__(self, limit: int = 5, window: float = 60.0, addresses: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.addresses = addresses
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> int | None:
        """Seconds until ``address`` may try again, or None when it may now."""
        now = time.monotonic()
        with self._lock:
            failures = self._failures.get(address)
            while failures and now - failures[0] >= self.window:
                failures.popleft()
            if not failures or len(failures) < self.limit:
                return None
            return max(1, int(failures[0] + self.window - now + 0.999))

    def failed(self, address: str) -> None:
        with self._lock:
            failures = self._failures.setdefault(address, deque(maxlen=self.limit))
            failures.append(time.monotonic())
            self._failures.move_to_end(address)
            while len(self._failures) > self.addresses:  # a bounded memory, whatever the number of clients
                self._failures.popitem(last=False)


class SecurityMiddleware:
    """Adds the security headers to every response and enforces the host rule and the token."""

    def __init__(self, app: ASGIApp, *, token: str | None, max_body: int | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.token = token or None
        self.cookie = cookie_value(token) if token else None

    def authorised(self, scope: Scope) -> bool:
        if self.token is None:
            return True
        if scope["path"] in OPEN_PATHS:
            return True
        auth = _header(scope, b"authorization")
        if auth:
            scheme, _, given = auth.partition(" ")
            if scheme.lower() == "bearer" and token_matches(given.strip(), self.token):
                return True
        if scope.get("method", "GET") in ("GET", "HEAD") or hmac.compare_digest(
                (_header(scope, b"x-csrf-token") or "").encode("utf-8", "surrogatepass"), csrf_value(self.token).encode()):
            assert self.cookie is not None
            cookie = _cookies(scope).get(COOKIE)
            if cookie is not None and hmac.compare_digest(cookie.encode("utf-8", "surrogatepass"), self.cookie.encode()):
                return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        head = scope.get("method") == "HEAD"
        if head:  # answered as GET without the body (the routes are declared for GET only)
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k not in dict(SECURITY_HEADERS)]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        if self.token is None and not is_loopback(_host_name(_header(scope, b"host"))):
            await _refuse(scope, send_with_headers, 400, "E406", detail="the Host header must name a loopback address")
            return
        if not self.authorised(scope):
            await _refuse(scope, send_with_headers, 401, "E401")
            return
        declared = _header(scope, b"content-length")
        if self.max_body is not None and declared and declared.strip().isascii() and declared.strip().isdigit() and int(declared) > self.max_body:
            # refused before reading a byte (a body without a length is counted as it arrives, by FastAPI)
            await _refuse(scope, send_with_headers, 413, "E405", limit=self.max_body)
            return
        if self.max_body is None:
            await self.app(scope, receive, send_with_headers)
            return
        received = 0
        started = False

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:  # type: ignore[operator]
                    raise BodyTooLarge()
            return message

        async def send_started(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, receive_limited, send_started)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(scope, send_with_headers, 413, "E405", limit=self.max_body)


class BodyTooLarge(HTTPException):
    """Raised while reading a request body that passes the limit (FastAPI answers it with 413)."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="Content Too Large")


async def _refuse(scope: Scope, send: Send, status: int, code: str, **details: Any) -> None:
    message = getattr(Errors, code).format(**details)
    wants_html = not scope["path"].startswith("/api") and "text/html" in (_header(scope, b"accept") or "")
    if wants_html and status == 401:
        from urllib.parse import quote

        from stancegraph.web.pages import templates

        target = quote(scope["path"], safe="/") + ("?" + scope["query_string"].decode("latin-1")
                                                   if scope.get("query_string") else "")
        body = templates().get_template("unauthorised.html").render(
            stale=False, token_required=True, path=scope["path"],
            login="/login?next=" + quote(safe_next(target), safe="/")).encode()
        content_type = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"error": {"code": code, "message": message}}).encode()
        content_type = b"application/json"
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="stancegraph"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


_TOKEN_IN_QUERY = re.compile(r"(token=)[^&\s\"]*", re.IGNORECASE)


class RedactTokenFilter(logging.Filter):
    """Keeps ``/login?token=...`` out of the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_TOKEN_IN_QUERY.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_QUERY.sub(r"\1***", record.msg)
        return True


def safe_next(value: str | None) -> str:
    """A redirect target after login: a path on this server, else ``/``."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(c) < 32 for c in value):
        return "/"
    return value


def iter_routes(routes: Iterable[Any]) -> list[tuple[str, frozenset[str]]]:
    """(path, methods) of every route of an app, included routers flattened (a mount: ``(path, {"GET"})``)."""
    found: list[tuple[str, frozenset[str]]] = []
    for route in routes:
        if hasattr(route, "effective_candidates"):  # a router included in the app (FastAPI keeps it whole)
            found.extend(iter_routes(route.effective_candidates()))
            continue
        path = getattr(route, "path", None)
        if path is not None:
            found.append((path, frozenset(getattr(route, "methods", None) or {"GET"})))
    return found
