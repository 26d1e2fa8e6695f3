"""Article ids on the web: ids outside the allowed form are refused by POST, and every link built
from an id is percent-encoded so that it opens that article (an older store's '../x' included)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from webcorpus import _article
from webserver import Server, start_server

from stancegraph.store import open_store, write_analyses

LEGACY = ["../../api/overview", "./here", "a//b", "ok/#1?x=y%20z"]


@pytest.mark.parametrize(("article_id", "reason"), [
    ("../../api/overview", "'..' segment"), ("a/./b", "'.' segment"), ("a//b", "empty segment"),
    ("/leading", "empty segment"), ("tab\there", "control character"),
])
def test_a_post_with_an_id_outside_the_allowed_form_is_422(client, article_id, reason):
    response = client.post("/api/articles", json={"id": article_id, "text": "Mayor Tove Lind opened a pier."})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "E406" and reason in error["message"] and "scheme://" in error["message"]


def test_the_openapi_schema_states_the_id_form(client):
    spec = client.get("/openapi.json").json()
    described = spec["components"]["schemas"]["ArticleIn"]["properties"]["id"]["description"]
    assert "`..`" in described and "512" in described
    assert {"201", "202", "503"} <= set(spec["paths"]["/api/articles"]["post"]["responses"])
    assert "/api/jobs/{job_id}" in spec["paths"]


@pytest.fixture(scope="module")
def legacy_server(tmp_path_factory) -> Iterator[Server]:
    """A store written before ids were checked, holding ids a browser would resolve or merge."""
    folder = tmp_path_factory.mktemp("web-ids")
    con = open_store(folder / "corpus.duckdb")
    try:
        write_analyses(con, [_article(i, f"Legacy {n}", "2024-05-0" + str(n + 1), "Old Store",
                                      f"Note {n} about the pier.") for n, i in enumerate(LEGACY)])
    finally:
        con.close()
    running = start_server(folder / "corpus.duckdb", folder / "server.log", "--no-embeddings")
    yield running
    running.stop()


def test_every_article_link_opens_its_article(legacy_server):
    with legacy_server.client() as http:
        page = http.get("/articles", headers={"Accept": "text/html"}).text
        links = {unescape(title): unescape(href) for href, title in
                 re.findall(r'<a href="(/articles/[^"]+)"><bdi>(Legacy \d)</bdi></a>', page)}
        assert len(links) == len(LEGACY)
        for n, _article_id in enumerate(LEGACY):
            href = links[f"Legacy {n}"]
            assert ".." not in href.split("/") and "." not in href.split("/") and "//" not in href
            assert "#" not in href and "?" not in href  # they would cut the id short
            opened = http.get(href, headers={"Accept": "text/html"})
            assert opened.status_code == 200 and f"Legacy {n}" in opened.text, href
        for article in http.get("/api/articles").json()["articles"]:
            assert http.get("/api" + article["link"]).json()["id"] == article["id"]
