"""Undated corpora: timelines follow the order of ingest, with a note; PATCH /api/articles/{id} sets a date."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from bigcorpus import big_corpus
from webserver import TOKEN, start_server

from stancegraph.store import open_store, write_analyses

UNDATED = 80  # articles, ingested in three batches


@pytest.fixture(scope="module")
def undated_server(tmp_path_factory) -> Iterator:
    folder = tmp_path_factory.mktemp("web-undated")
    path = folder / "undated.duckdb"
    articles = big_corpus(dated=False)[:UNDATED]
    con = open_store(path)
    try:
        for batch in (articles[:30], articles[30:55], articles[55:]):
            write_analyses(con, batch)
    finally:
        con.close()
    running = start_server(path, folder / "server.log", "--no-embeddings")
    yield running
    running.stop()


def _number(statement_id: str) -> int:
    return int(statement_id.split("/")[1].split("#")[0])


def test_network_windows_follow_the_order_of_ingest(undated_server):
    with undated_server.client() as http:
        answer = http.get("/api/network", params={"kind": "congruence", "window": "1m"}).json()
    assert answer["order"] == "ingest"
    windows = answer["windows"]
    assert len(windows) == 10
    assert [(w["first"], w["last"]) for w in windows][:2] == [(1, 8), (9, 16)]
    for w in windows:  # each window's edges rest on its own batch of articles, in the order they were ingested
        numbers = {_number(s) for e in w["edges"] for s in e["statements"]}
        assert numbers <= set(range(w["first"] - 1, w["last"])), (w["first"], sorted(numbers))


def test_actor_positions_and_polarisation_carry_the_ingest_order(undated_server):
    with undated_server.client() as http:
        actor = http.get("/api/actors/anna-albrecht").json()
        series = http.get("/api/polarisation-series", params={"window": 10}).json()
    assert actor["positions"] and all(p["date"] is None for p in actor["positions"])
    assert all(p["ingest"] == _number(p["id"]) + 1 for p in actor["positions"])
    assert series["order"] == "ingest" and series["windows"]
    assert all(w["middle"].startswith("#") for w in series["windows"])


def test_patch_sets_a_date_and_the_timeline_uses_it(undated_server):
    with undated_server.client() as http:
        changed = http.patch("/api/articles/big/003", json={"date": "2024-05-06"})
        assert changed.status_code == 200, changed.text
        assert changed.json()["date"] == "2024-05-06"
        assert http.get("/api/articles/big/003").json()["date"] == "2024-05-06"
        windows = http.get("/api/network", params={"kind": "congruence", "window": "1m"}).json()
        assert windows["order"] == "date"  # one dated article: the dates are the timeline again
        assert http.patch("/api/articles/big/003", json={"date": None}).json()["date"] is None
        assert http.get("/api/network", params={"kind": "congruence", "window": "1m"}).json()["order"] == "ingest"
        missing = http.patch("/api/articles/no-such", json={"date": "2024-05-06"})
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "E208"
        for bad in ({"date": "06/05/2024"}, {"date": "1500-01-01"}, {"when": "2024-05-06"}, {}):
            answer = http.patch("/api/articles/big/003", json=bad)
            assert answer.status_code == 422, (bad, answer.text)


def test_patch_needs_the_token_off_loopback(token_server):
    url = token_server.url.rstrip("/") + "/api/articles/plain"
    assert httpx.patch(url, json={"date": "2024-05-06"}).status_code == 401
    with httpx.Client() as browser_like:  # a login cookie alone is for reading only
        browser_like.get(token_server.url.rstrip("/") + "/login", params={"token": TOKEN})
        assert browser_like.cookies
        assert browser_like.patch(url, json={"date": "2024-05-06"}).status_code == 401
    with token_server.client() as http:
        answer = http.patch("/api/articles/plain", json={"date": "2024-05-06"})
        assert answer.status_code == 200 and answer.json()["date"] == "2024-05-06"
        assert http.patch("/api/articles/plain", json={"date": None}).status_code == 200  # as the other tests expect


@pytest.mark.browser
@pytest.mark.slow
def test_pages_say_the_timeline_follows_the_order_of_ingest(open_page, undated_server, artifacts):
    page = open_page(undated_server.url, (1280, 900))
    page.open("/network")
    page.page.wait_for_selector("#graph[data-ready=true]")
    assert page.page.is_hidden("#chart-undated")  # no timeline asked for yet
    page.page.select_option("#window-filter", "3m")
    page.page.wait_for_selector("#chart-undated:not([hidden])")
    page.page.wait_for_selector("#graph[data-ready=true]")
    assert page.page.inner_text("#time-label") == "articles 1 to 8 in order of ingest"
    note = page.page.inner_text("#chart-undated")
    assert "order in which they were ingested" in note and "PATCH /api/articles/{id}" in note
    page.page.screenshot(path=str(artifacts / "network-undated.png"))
    page.open("/actors/anna-albrecht")
    page.page.wait_for_selector("#positions-chart[data-ready=true]")
    assert page.page.get_attribute("#positions-chart", "data-axis") == "ingest"
    assert page.page.is_visible("#chart-undated")
    page.open("/polarisation-time")
    page.page.wait_for_selector("#polarisation-chart[data-ready=true]", timeout=120000)
    assert page.page.get_attribute("#polarisation-chart", "data-axis") == "ingest"
    assert page.page.is_visible("#chart-undated")
    page.assert_clean()
