"""Token mode hardened: short tokens refused, /login rate-limited, TLS with Secure cookies, HEAD like GET."""

from __future__ import annotations

import ssl
import subprocess
import time

import httpx
import pytest
from typer.testing import CliRunner
from webserver import TOKEN, build_store, start_server

from stancegraph.cli.main import app as cli
from stancegraph.errors import ApiError
from stancegraph.web.security import COOKIE, MIN_TOKEN, LoginLimiter, check_tls, check_token


def test_a_short_token_is_refused_with_how_to_make_one(tmp_path, monkeypatch):
    db = build_store(tmp_path / "corpus.duckdb")
    monkeypatch.setenv("STANCEGRAPH_TOKEN", "a")
    result = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert result.exit_code == 1 and "E411" in result.output
    assert "secrets.token_urlsafe(32)" in result.output and "1 characters" in result.output
    check_token("x" * MIN_TOKEN)
    check_token(None)
    with pytest.raises(ApiError) as caught:
        check_token("x" * (MIN_TOKEN - 1))
    assert caught.value.code == "E411"


def test_tls_needs_both_files(tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_text("not read here")
    for args in ((cert, None), (None, cert), (cert, tmp_path / "missing.pem")):
        with pytest.raises(ApiError) as caught:
            check_tls(*args)
        assert caught.value.code == "E413"
    check_tls(None, None)


def test_the_login_limiter_counts_failures_per_address_within_the_window():
    limiter = LoginLimiter(limit=3, window=0.5)
    for _ in range(3):
        assert limiter.retry_after("10.0.0.1") is None
        limiter.failed("10.0.0.1")
    assert limiter.retry_after("10.0.0.1") == 1
    assert limiter.retry_after("10.0.0.2") is None  # another address is not held up
    time.sleep(0.6)
    assert limiter.retry_after("10.0.0.1") is None  # the window has passed


def test_login_is_rate_limited_with_429_and_retry_after(tmp_path):
    server = start_server(build_store(tmp_path / "corpus.duckdb"), tmp_path / "server.log", "--no-embeddings",
                          token=TOKEN)
    try:
        with httpx.Client(base_url=server.url.rstrip("/"), timeout=30) as browser:
            statuses = [browser.post("/login", data={"token": f"guess-{n}", "next": "/"}).status_code
                        for n in range(5)]
            assert statuses == [401] * 5
            refused = browser.post("/login", data={"token": "guess-6", "next": "/"})
            assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
            assert "too many failed logins" in refused.text
            # even the right token waits: guessing on is no use
            right = browser.get("/login", params={"token": TOKEN}, follow_redirects=False)
            assert right.status_code == 429
            # programs with the Bearer header are not held up
            assert browser.get("/api/overview", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    finally:
        server.stop()


def test_a_tls_server_sets_a_secure_cookie(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    server = start_server(build_store(tmp_path / "corpus.duckdb"), tmp_path / "server.log", "--no-embeddings",
                          "--tls-cert", str(cert), "--tls-key", str(key), token=TOKEN)
    try:
        assert server.url.startswith("https://127.0.0.1:")
        with httpx.Client(base_url=server.url.rstrip("/"), verify=ssl.create_default_context(cafile=str(cert)), timeout=30) as browser:
            login = browser.post("/login", data={"token": TOKEN, "next": "/"}, follow_redirects=False)
            assert login.status_code == 303
            cookie = login.headers["set-cookie"]
            assert cookie.startswith(f"{COOKIE}=") and "; secure" in cookie.lower() and "httponly" in cookie.lower()
            assert browser.get("/api/overview").status_code == 200  # the cookie is sent back over TLS
        with pytest.raises(httpx.HTTPError):  # plain HTTP to the TLS port is not served
            httpx.get(server.url.replace("https://", "http://") + "api/overview", timeout=10)
    finally:
        server.stop()


def test_a_login_over_plain_http_has_no_secure_flag_unless_a_trusted_proxy_says_https(tmp_path):
    server = start_server(build_store(tmp_path / "corpus.duckdb"), tmp_path / "server.log", "--no-embeddings",
                          "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1", token=TOKEN)
    try:
        with httpx.Client(base_url=server.url.rstrip("/"), timeout=30) as browser:
            plain = browser.post("/login", data={"token": TOKEN}, follow_redirects=False)
            assert "secure" not in plain.headers["set-cookie"].lower()
            proxied = browser.post("/login", data={"token": TOKEN}, follow_redirects=False,
                                   headers={"X-Forwarded-Proto": "https"})
            assert "; secure" in proxied.headers["set-cookie"].lower()
    finally:
        server.stop()


@pytest.mark.parametrize("path", ["/", "/articles", "/articles/a1", "/api/articles", "/api/overview", "/static/app.css"])
def test_head_answers_like_get_without_a_body(client, path):
    got = client.get(path, headers={"Accept": "text/html"})
    head = client.head(path, headers={"Accept": "text/html"})
    assert head.status_code == got.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-security-policy"] == got.headers["content-security-policy"]


def test_the_401_page_is_styled_and_says_how_to_log_in(token_server):
    with httpx.Client(base_url=token_server.url.rstrip("/"), timeout=30) as anonymous:
        page = anonymous.get("/network?x=1", headers={"Accept": "text/html"})
    assert page.status_code == 401 and page.headers["content-type"].startswith("text/html")
    assert '<link rel="stylesheet" href="/static/app.css">' in page.text and 'class="top"' in page.text
    main = page.text[page.text.index("<main>"):page.text.index("</main>")]
    assert "Authorization" not in main and "header" not in main.lower() and "Bearer" not in main
    assert "log in" in main.lower() and 'href="/login?next=/network%3Fx%3D1"' in page.text
