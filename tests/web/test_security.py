"""The token on every route, the login cookie, the loopback rule and the body limit."""

from __future__ import annotations

import base64
import logging
import re

import httpx
import pytest
from typer.testing import CliRunner
from webserver import TOKEN

from stancegraph.cli.main import app as cli
from stancegraph.errors import ApiError
from stancegraph.web.app import create_app
from stancegraph.web.security import (
    COOKIE,
    RedactTokenFilter,
    check_host,
    is_loopback,
    iter_routes,
    safe_next,
    token_matches,
)
from stancegraph.web.state import Settings

SAMPLE = {"article_id": "a1", "actor_id": "anna-berg", "path": "app.css"}


def _route_urls(db) -> list[tuple[str, str]]:
    """(method, url) of every route of the app, path parameters filled with sample values."""
    app = create_app(Settings(db=db, token="x"))
    urls = []
    for path, methods in iter_routes(app.routes):
        for method in sorted(methods):
            if method == "HEAD":
                continue
            url = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: SAMPLE.get(m.group(1), "x"), path)
            if path == "/static":  # the mount: every file under it
                url = "/static/app.css"
            urls.append((method, url))
    return urls


def test_every_route_needs_the_token(token_server):
    urls = _route_urls(token_server.db)
    assert len(urls) >= 20 and ("POST", "/api/articles") in urls and ("GET", "/static/app.css") in urls
    with httpx.Client(base_url=token_server.url.rstrip("/"), timeout=30) as anonymous:
        for method, url in urls:
            if url == "/login":
                continue
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                            {"Cookie": f"{COOKIE}={TOKEN}"}):
                response = anonymous.request(method, url, headers=headers)
                assert response.status_code == 401, (method, url, headers, response.status_code)
                assert "Anna Berg" not in response.text and "carbon" not in response.text
    with token_server.client() as authorised:
        job = authorised.post("/api/articles", params={"wait": 0}, json={"text": "Mayor Tove Lind opened a pier."})
        assert job.status_code == 202
        upload = authorised.post("/api/uploads", json={"files": [{"name": "pier.txt", "content": base64.b64encode(
            b"Mayor Tove Lind opened a pier.").decode()}]})
        assert upload.status_code == 202
        for method, url in urls:
            url = url.replace("/api/jobs/x", job.headers["location"]).replace("/api/uploads/x", upload.headers["location"])
            if method == "GET":
                assert authorised.get(url).status_code in (200, 303), url


def test_the_token_can_also_come_from_the_environment_only(token_server):
    # the fixture passes it through STANCEGRAPH_TOKEN, never on the command line
    assert "s3cret" not in " ".join(token_server.process.args)
    with token_server.client() as http:
        assert http.get("/api/articles").json()["total"] >= 5


def test_a_browser_logs_in_once_and_reads_with_a_cookie(token_server):
    with httpx.Client(base_url=token_server.url.rstrip("/"), timeout=30) as browser:
        page = browser.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 401 and 'href="/login?next=/"' in page.text
        assert browser.get("/login").status_code == 200
        assert browser.get("/login", params={"token": "wrong"}).status_code == 401
        assert COOKIE not in browser.cookies
        login = browser.post("/login", data={"token": TOKEN, "next": "/network"})
        assert login.status_code == 303 and login.headers["location"] == "/network"
        set_cookie = login.headers["set-cookie"]
        assert "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie.replace("Strict", "strict")
        assert TOKEN not in set_cookie  # the cookie holds an HMAC, not the token
        assert browser.get("/").status_code == 200
        assert browser.get("/api/articles").status_code == 200
        # the cookie does not let another site make the browser post
        posted = browser.post("/api/articles", json={"text": "Cookie-only posts are refused."})
        assert posted.status_code == 401
        # an open redirect is not possible
        out = browser.get("/login", params={"token": TOKEN, "next": "//evil.example/"})
        assert out.status_code == 303 and out.headers["location"] == "/"


def test_the_body_limit_is_configurable_and_checked_after_the_token(token_server):
    body = {"text": "z" * 250_000}
    with httpx.Client(base_url=token_server.url.rstrip("/"), timeout=30) as anonymous:
        assert anonymous.post("/api/articles", json=body).status_code == 401
    with token_server.client() as http:
        response = http.post("/api/articles", json=body)
        assert response.status_code == 413 and response.json()["error"]["code"] == "E405"
        assert "200,000" in response.json()["error"]["message"]


def test_loopback_rule():
    assert is_loopback("127.0.0.1") and is_loopback("127.3.4.5") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")
    check_host("127.0.0.1", None)
    check_host("0.0.0.0", "a-token")
    with pytest.raises(ApiError) as error:
        check_host("0.0.0.0", None)
    assert error.value.code == "E402"


def test_serve_refuses_a_public_address_without_a_token(tmp_path, monkeypatch):
    monkeypatch.delenv("STANCEGRAPH_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.duckdb"), "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "E402" in result.output
    missing = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "E409" in missing.output


def test_token_comparison_and_redirects():
    assert token_matches("abc", "abc") and not token_matches("abd", "abc") and not token_matches(None, "abc")
    assert not token_matches("ab\udc80", "abc")
    assert safe_next("/network") == "/network"
    for bad in ("//evil.example", "https://evil.example", "\\\\evil", "/x\r\nSet-Cookie: a=b", None, ""):
        assert safe_next(bad) == "/"


def test_the_token_stays_out_of_the_access_log():
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/login?token=s3cret&next=/", "1.1", 303), None)
    RedactTokenFilter().filter(record)
    assert "s3cret" not in record.getMessage() and "token=***" in record.getMessage()
