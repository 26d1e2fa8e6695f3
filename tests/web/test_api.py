"""The JSON API against a real server on loopback."""

from __future__ import annotations

import httpx
import pytest
from webcorpus import XSS_TITLE

from stancegraph.web.security import CSP


def _ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [a["id"] for a in response.json()["articles"]]


def test_articles_are_listed_newest_first_and_paged(client):
    body = client.get("/api/articles").json()
    assert body["total"] == 5
    assert [a["id"] for a in body["articles"]] == ["a3", "xss", "politics/a2", "a1", "plain"]
    first = client.get("/api/articles", params={"per_page": 2, "page": 2}).json()
    assert [a["id"] for a in first["articles"]] == ["politics/a2", "a1"] and first["total"] == 5
    assert body["articles"][2]["link"] == "/articles/politics/a2"


@pytest.mark.parametrize("params, expected", [
    ({"from": "2024-02-01"}, ["a3", "xss", "politics/a2"]),
    ({"from": "2024-02-01", "to": "2024-03-01"}, ["xss", "politics/a2"]),
    ({"source": "daily test"}, ["a3", "a1"]),
    ({"actor": "eva-falk"}, ["politics/a2", "a1"]),
    ({"actor": "Carl Dorn"}, ["a3", "politics/a2", "a1"]),
    ({"q": "MISTAKE"}, ["a1"]),
    ({"q": "attacks"}, ["politics/a2"]),
])
def test_articles_filter_by_date_source_actor_and_text(client, params, expected):
    assert _ids(client.get("/api/articles", params=params)) == expected


@pytest.mark.parametrize("params", [
    {"q": "' OR 1=1 --"}, {"q": "%"}, {"q": "_"}, {"actor": "x' OR '1'='1"}, {"source": "') OR TRUE; DROP TABLE articles; --"},
])
def test_filters_are_parameters_not_sql(client, params):
    assert _ids(client.get("/api/articles", params=params)) == []
    assert client.get("/api/articles").json()["total"] == 5


def test_an_article_is_its_full_analysis_in_the_output_contract(client):
    response = client.get("/api/articles/politics/a2")
    assert response.status_code == 200
    article = response.json()
    assert set(article) >= {"id", "title", "date", "source", "text", "actors", "quotes", "stances", "relations",
                            "claims", "flags"}
    assert article["id"] == "politics/a2" and article["date"] == "2024-02-20"
    text = article["text"]
    spans = [m for a in article["actors"] for m in a["mentions"]]
    spans += [q["content"] for q in article["quotes"]] + [s["evidence"] for s in article["stances"]]
    spans += [e for f in article["flags"] for e in f["evidence"]]
    assert spans and all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    assert {a["id"] for a in article["actors"]} == {"eva-falk", "anna-berg", "carl-dorn"}
    assert article["stances"][0] == {**article["stances"][0], "actor": "eva-falk", "target": "anna-berg",
                                     "target_kind": "actor", "polarity": -1}


def test_missing_things_are_404_with_a_code(client):
    for path in ("/api/articles/nope", "/api/actors/nobody", "/api/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "E404"


def test_actors_and_an_actor_over_time(client):
    actors = client.get("/api/actors").json()
    assert actors["total"] == 4
    assert [a["id"] for a in actors["actors"]][:3] == ["carl-dorn", "anna-berg", "eva-falk"]
    assert [a["id"] for a in client.get("/api/actors", params={"search": "dorn"}).json()["actors"]] == ["carl-dorn"]
    dorn = client.get("/api/actors/carl-dorn").json()
    assert dorn["name"] == "Carl Dorn" and len(dorn["quotes"]) == 3
    assert [(p["date"], p["polarity"]) for p in dorn["positions"]] == [
        ("2024-01-10", 1), ("2024-02-20", 1), ("2024-03-15", -1)]
    assert {p["concept"] for p in dorn["positions"]} == {"carbon tax"}
    assert dorn["quotes"][0]["link"].startswith("/articles/a3#")


def test_concepts(client):
    concepts = client.get("/api/concepts").json()
    by_name = {c["concept"]: c for c in concepts}
    assert by_name["carbon tax"]["statements"] == 7
    assert "Anna Berg" in by_name


def test_network_edges_carry_the_quotes_behind_them(client):
    agree = client.get("/api/network", params={"kind": "congruence"}).json()
    edges = {frozenset((e["source"], e["target"])): e for e in agree["edges"]}
    berg_dorn = edges[frozenset(("actor:anna-berg", "actor:carl-dorn"))]
    assert berg_dorn["weight"] > 0 and berg_dorn["concepts"] == ["carbon tax"]
    quotes = client.get("/api/quotes", params=[("id", q) for q in berg_dorn["quotes"]]).json()
    assert {q["actor_id"] for q in quotes} == {"anna-berg", "carl-dorn"}
    assert all(q["link"].startswith("/articles/") and "#" in q["link"] for q in quotes)
    conflict = client.get("/api/network", params={"kind": "conflict"}).json()
    pairs = {frozenset((e["source"], e["target"])) for e in conflict["edges"]}
    assert frozenset(("actor:anna-berg", "actor:eva-falk")) in pairs
    odd = [("id", i) for i in ("a1#¹", "#", "a1#99999999999", "a1#-1", "nope#0", "a1")]
    assert client.get("/api/quotes", params=odd).json() == []
    statements = client.get("/api/statements", params=[("id", "a1#2")]).json()
    assert statements[0]["actor_id"] == "eva-falk" and statements[0]["polarity"] == -1


def test_network_takes_the_cli_options(client):
    january = client.get("/api/network", params={"kind": "congruence", "to": "2024-01-31"}).json()
    assert january["graph"]["statements"] == 3
    two_mode = client.get("/api/network", params={"kind": "two-mode", "actor": "Eva Falk"}).json()
    assert {n["id"] for n in two_mode["nodes"] if n["kind"] == "actor"} == {"actor:eva-falk"}
    windows = client.get("/api/network", params={"kind": "conflict", "window": "1m"}).json()
    assert [w["start"] for w in windows["windows"]] == ["2024-01-10", "2024-02-10", "2024-03-10"]
    concept = client.get("/api/network", params={"kind": "congruence", "concept": "nothing like it"}).json()
    assert concept["edges"] == []


@pytest.mark.parametrize("params, code", [
    ({"kind": "star"}, "E406"), ({"window": "0d"}, "E406"), ({"step": "1d"}, "E315"),
    ({"window": "1d", "from": "1700-01-01", "to": "2200-01-01"}, "E408"), ({"from": "0001-01-01"}, "E406"),
    ({"min_confidence": "2"}, "E406"),
])
def test_bad_network_options_are_422_with_a_code(client, params, code):
    response = client.get("/api/network", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code


def test_flags_and_corpus_checks(client):
    flags = client.get("/api/flags").json()
    assert flags["total"] == 2 and flags["kinds"] == ["contradiction"]
    falk = next(f for f in flags["flags"] if f["article_id"] == "politics/a2")
    assert falk["evidence"][0]["link"].startswith("/articles/politics/a2#")
    assert client.get("/api/flags", params={"checks": "true"}).json()["findings"] == []


def test_untrusted_text_is_returned_as_data(client):
    article = client.get("/api/articles/xss").json()
    assert article["title"] == XSS_TITLE
    assert client.get("/api/articles/xss").headers["content-type"].startswith("application/json")


def test_every_response_carries_the_security_headers(client):
    for path in ("/api/articles", "/", "/static/app.css", "/api/articles/nope"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP


def test_a_non_loopback_host_header_is_refused_without_a_token(client):
    response = client.get("/api/articles", headers={"Host": "evil.example:8000"})
    assert response.status_code == 400
    assert client.get("/api/articles", headers={"Host": "localhost:1234"}).status_code == 200


def test_openapi_describes_every_api_route(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/articles", "/api/articles/{article_id}", "/api/actors", "/api/actors/{actor_id}", "/api/concepts",
            "/api/network", "/api/flags"} <= paths
    assert "post" in spec["paths"]["/api/articles"]
    assert "413" in spec["paths"]["/api/articles"]["post"]["responses"]
    assert not any(p.startswith("/articles") for p in paths)  # pages are not API


# --------------------------------------------------------------------------------------
# POST


def test_a_posted_article_is_analysed_stored_and_listed(client):
    before = client.get("/api/articles").json()["total"]
    text = "Prime Minister Ola Nordmann said on Monday that the new bridge will open in May."
    response = client.post("/api/articles", json={"id": "posted-1", "title": "Bridge", "date": "2024-05-02",
                                                  "source": "Post Test", "text": text})
    assert response.status_code == 201, response.text
    article = response.json()
    assert article["id"] == "posted-1" and article["text"] == text and article["date"] == "2024-05-02"
    assert any(a["name"].endswith("Nordmann") for a in article["actors"])
    assert response.headers["location"] == "/api/articles/posted-1"
    listing = client.get("/api/articles").json()
    assert listing["total"] == before + 1 and listing["articles"][0]["id"] == "posted-1"
    assert client.get("/api/articles/posted-1").json()["text"] == text
    # the same text again is no new article
    again = client.post("/api/articles", json={"id": "posted-1", "text": text})
    assert again.status_code == 200 and client.get("/api/articles").json()["total"] == before + 1
    # the same text under a new id is a duplicate: stored without a new analysis
    copy = client.post("/api/articles", json={"id": "posted-1-copy", "title": "Bridge again", "text": text})
    assert copy.status_code == 201 and copy.json()["id"] == "posted-1-copy"
    assert copy.json()["quotes"] == article["quotes"] and copy.json()["title"] == "Bridge again"
    assert client.get("/api/articles").json()["total"] == before + 2
    # an id that another text has is a conflict
    clash = client.post("/api/articles", json={"id": "posted-1", "text": "A different text altogether."})
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "E407"


def test_a_post_without_an_id_gets_the_hash_of_its_text(client):
    response = client.post("/api/articles", json={"text": "The council met in Oslo on Friday."})
    assert response.status_code == 201
    assert len(response.json()["id"]) == 16


@pytest.mark.parametrize("body", [
    {}, {"text": ""}, {"text": "   \n  "}, {"text": "x", "date": "2024-02-30"}, {"text": "x", "date": "0001-01-01"},
    {"text": "x", "unknown": 1}, {"text": "x", "id": ""}, {"text": "x", "id": "a\nb"}, b'{"text": "bad \\ud800 text"}',
    {"text": "nul \x00 inside"}, {"text": 42}, b'{"text": "unclosed', b"[1, 2]",
])
def test_invalid_posts_are_422(client, body):
    if isinstance(body, bytes):
        response = client.post("/api/articles", content=body, headers={"Content-Type": "application/json"})
    else:
        response = client.post("/api/articles", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] in {"E406", "E101"}


def test_bodies_over_the_limit_are_413(client):
    big = b'{"text": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    response = client.post("/api/articles", content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "E405"

    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"text": "'
        for _ in range(11):
            yield b"b" * (1024 * 1024)
        yield b'"}'

    streamed = client.post("/api/articles", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    # just under the limit is fine as far as size goes (the text is then too long: 1,000,000 characters)
    under = client.post("/api/articles", json={"text": "c" * 1_000_001})
    assert under.status_code in (413, 422) and under.json()["error"]["code"] in {"E104", "E405"}
