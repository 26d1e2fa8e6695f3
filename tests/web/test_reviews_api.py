"""The review API on real servers: reviews change what the API and networks give, survive a
restart and a new analysis, can be undone, and are refused without the token or from another site."""

from __future__ import annotations

import itertools
import re

import httpx
import pytest
from webcorpus import corpus
from webserver import TOKEN, build_store, start_server

from stancegraph.store import open_store, write_analyses

HOSTILE = '<script>alert("r")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("reviews") / "corpus.duckdb")


@pytest.fixture(scope="module")
def served(store, tmp_path_factory):
    running = start_server(store, tmp_path_factory.mktemp("reviews-log") / "server.log", "--no-embeddings")
    yield running
    running.stop()


@pytest.fixture
def http(served):
    with served.client() as client:
        yield client


def edges_with(http, statement, kind):
    network = http.get("/api/network", params={"kind": kind}).json()
    return [e for e in network["edges"] if statement in (e.get("statements") or [])]


def post(http, **body):
    return http.post("/api/reviews", json=body)


def test_an_edit_flips_the_edges_and_undo_restores_them(http):
    # Dorn opposes the carbon tax only in a3: his congruence ties to Falk and Mallory rest on it
    assert edges_with(http, "a3#1", "congruence")
    answer = post(http, target="stance", id="a3#1", verdict="edit", changes={"polarity": 1}, reviewer="ana")
    assert answer.status_code == 201, answer.text
    review = answer.json()
    assert review["before"]["polarity"] == -1 and review["after"]["polarity"] == 1 and review["item"] == "a3#1"
    assert http.get("/api/statements", params={"id": "a3#1"}).json()[0]["polarity"] == 1
    congruent = {frozenset((e["source"], e["target"])) for e in http.get("/api/network", params={"kind": "congruence"}).json()["edges"]
                 if "a3#1" in (e.get("statements") or [])}
    assert all("Eva Falk" not in pair and "falk" not in pair for pair in congruent)
    undone = http.post(f"/api/reviews/{review['id']}/undo")
    assert undone.status_code == 200 and undone.json()["undone"] is True
    assert http.get("/api/statements", params={"id": "a3#1"}).json()[0]["polarity"] == -1
    assert http.post(f"/api/reviews/{review['id']}/undo").json()["error"]["code"] == "E224"


def test_a_rejection_removes_the_edges_the_stance_made(http):
    assert edges_with(http, "a1#2", "conflict")
    answer = post(http, target="stance", id="a1#2", verdict="reject")
    assert answer.status_code == 201
    assert not edges_with(http, "a1#2", "conflict") and not edges_with(http, "a1#2", "two-mode")
    assert http.get("/api/statements", params={"id": "a1#2"}).json() == []
    article = http.get("/api/articles/a1").json()
    assert [s["id"] for s in article["stances"]] == ["a1#0", "a1#1"]
    deleted = http.delete(f"/api/reviews/{answer.json()['id']}")
    assert deleted.status_code == 200
    assert edges_with(http, "a1#2", "conflict")


def test_queue_stats_and_listing(http):
    queue = http.get("/api/review-queue", params={"limit": 50}).json()
    assert queue and all(a["score"] >= b["score"] for a, b in itertools.pairwise(queue))
    first = queue[0]
    assert first["kind"] in ("stance", "quote") and first["text"]
    before = http.get("/api/review-stats").json()
    assert post(http, target=first["kind"], id=first["id"], verdict="accept").status_code == 201
    assert first["id"] not in {i["id"] for i in http.get("/api/review-queue", params={"limit": 50}).json()
                               if i["kind"] == first["kind"]}
    after = http.get("/api/review-stats").json()
    kind = after["kinds"][first["kind"]]
    assert kind["reviewed"] == before["kinds"][first["kind"]]["reviewed"] + 1
    assert kind["precision"] is not None and kind["low"] <= kind["precision"] <= kind["high"]
    listed = http.get("/api/reviews", params={"undone": "false"}).json()
    assert listed["reviews"][0]["item"] == first["id"] and listed["reviews"][0]["verdict"] == "accept"


def test_invalid_reviews_are_refused(http):
    assert post(http, target="stance", id="a1#99", verdict="accept").json()["error"]["code"] == "E221"
    assert post(http, target="stance", id="a1#0", verdict="edit", changes={"polarity": 5}).status_code == 422
    assert post(http, target="stance", id="a1#0", verdict="edit", changes={"actor": "nobody"}).json()["error"]["code"] == "E225"
    assert post(http, target="stance", id="a1#0", verdict="edit", changes={"colour": 1}).status_code == 422
    assert post(http, target="stance", id="a1#0", verdict="edit", changes={"polarity": True}).status_code == 422
    assert post(http, target="claim", id="a1#0", verdict="accept").status_code == 422
    assert http.post("/api/reviews/999999/undo").status_code == 404


def test_browser_requests_need_the_page_csrf_token(http, served):
    page = http.get("/review").text
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    body = {"target": "stance", "id": "a1#0", "verdict": "accept"}
    evil = http.post("/api/reviews", json=body, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403 and evil.json()["error"]["code"] == "E421"
    same = served.url.rstrip("/")
    missing = http.post("/api/reviews", json=body, headers={"Origin": same})
    assert missing.status_code == 403 and missing.json()["error"]["code"] == "E420"
    ok = http.post("/api/reviews", json=body, headers={"Origin": same, "X-CSRF-Token": csrf})
    assert ok.status_code == 201
    forged = http.post("/api/reviews", json=body, headers={"Origin": "http://evil.example", "X-CSRF-Token": csrf})
    assert forged.status_code == 403


def test_hostile_text_is_kept_as_text(http):
    answer = post(http, target="quote", id="a1#0", verdict="accept", reviewer=HOSTILE)
    assert answer.status_code == 201 and answer.json()["reviewer"] == HOSTILE
    assert answer.headers["content-type"].startswith("application/json")


def test_reviews_survive_a_new_analysis_and_a_restart(tmp_path):
    db = build_store(tmp_path / "c.duckdb")
    log = tmp_path / "server.log"
    running = start_server(db, log, "--no-embeddings")
    try:
        with running.client() as http:
            assert post(http, target="stance", id="a3#1", verdict="edit", changes={"polarity": 1}).status_code == 201
            assert post(http, target="stance", id="a1#2", verdict="reject").status_code == 201
    finally:
        running.stop()
    con = open_store(db)  # a new model analyses every article again
    try:
        assert write_analyses(con, corpus(), reanalyse=True).added == len(corpus())
    finally:
        con.close()
    running = start_server(db, log, "--no-embeddings")
    try:
        with running.client() as http:
            assert http.get("/api/statements", params={"id": "a3#1"}).json()[0]["polarity"] == 1
            assert not edges_with(http, "a1#2", "conflict")
            assert http.get("/api/review-stats").json()["kinds"]["stance"]["reviewed"] == 2
    finally:
        running.stop()


@pytest.fixture(scope="module")
def token_served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reviews-token")
    running = start_server(build_store(folder / "corpus.duckdb"), folder / "server.log", "--no-embeddings", token=TOKEN)
    yield running
    running.stop()


def test_with_a_token_writes_need_it_and_a_cookie_needs_the_csrf_token(token_served):
    body = {"target": "stance", "id": "a1#0", "verdict": "accept"}
    base = token_served.url.rstrip("/")
    with httpx.Client(base_url=base, timeout=60) as anonymous:
        refused = anonymous.post("/api/reviews", json=body)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "E401"
        assert anonymous.get("/api/review-queue").status_code == 401
        login = anonymous.get("/login", params={"token": TOKEN}, follow_redirects=False)
        assert login.status_code == 303 and anonymous.cookies.get("stancegraph_session")
        csrf = re.search(r'<meta name="csrf-token" content="([^"]+)">', anonymous.get("/review").text).group(1)
        assert TOKEN not in csrf
        cookie_only = anonymous.post("/api/reviews", json=body, headers={"Origin": "http://evil.example"})
        assert cookie_only.status_code in (401, 403)
        cookie_only = anonymous.post("/api/reviews", json=body)
        assert cookie_only.status_code == 401
        with_csrf = anonymous.post("/api/reviews", json=body, headers={"X-CSRF-Token": csrf, "Origin": base})
        assert with_csrf.status_code == 201, with_csrf.text
        assert anonymous.post("/api/reviews", json=body, headers={"X-CSRF-Token": csrf,
                                                                  "Origin": "http://evil.example"}).status_code == 403
    with token_served.client() as program:
        assert program.post("/api/reviews", json=body).status_code == 201
