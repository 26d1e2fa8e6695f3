"""The /review page and the review buttons in Chromium: a stance reviewed through the page changes
the network, survives a re-ingest, a new analysis and a restart, is undone with a key, and the
precision estimate follows. Hostile text stays text; the page fits a phone. Screenshots in
test-artifacts/web/."""

from __future__ import annotations

import httpx
import pytest
from browsing import Watched
from webcorpus import corpus
from webserver import build_store, start_server

from stancegraph.store import open_store, write_analyses

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = '<img src=x onerror=alert(7)><script>alert(8)</script>'


def _ready(view: Watched, path: str = "/review") -> None:
    view.open(path)
    view.page.wait_for_selector("body[data-review-ready=true]")


def _edges(http: httpx.Client, statement: str, kind: str = "congruence") -> list[dict]:
    network = http.get("/api/network", params={"kind": kind}).json()
    return [e for e in network["edges"] if statement in (e.get("statements") or [])]


def _partners(http: httpx.Client, statement: str) -> set[str]:
    """The nodes tied to Carl Dorn by congruence edges that rest on ``statement``."""
    return {node for edge in _edges(http, statement) for node in (edge["source"], edge["target"])} - {"actor:carl-dorn"}


def _polarity(http: httpx.Client, statement: str) -> int:
    return http.get("/api/statements", params={"id": statement}).json()[0]["polarity"]


def _reviewed(view: Watched, count: int) -> None:
    view.page.wait_for_function("(n) => document.querySelectorAll('#review-recent li:not(.undone)').length === n "
                                "&& document.body.dataset.reviewBusy === 'false'", arg=count, timeout=15000)


def test_review_a_stance_through_the_page(open_page, tmp_path, artifacts):
    db = build_store(tmp_path / "corpus.duckdb")
    server = start_server(db, tmp_path / "server.log", "--no-embeddings")
    try:
        view = open_page(server.url)
        with server.client() as http:
            _ready(view)
            assert "0 of" in view.page.inner_text("#review-count")
            assert view.page.inner_text("#review-precision tr[data-kind=stance] .precision") == "–"
            # Dorn's only opposition to the carbon tax (a3#1) makes his congruence ties with Falk and Mallory
            assert "actor:eva-falk" in _partners(http, "a3#1") and _polarity(http, "a3#1") == -1
            item = view.page.locator('.review-item[data-id="a3#1"][data-kind=stance]')
            item.locator("button[data-verdict=edit]").click()
            item.locator("form.review-edit select").first.select_option("1")
            item.locator("form.review-edit button[type=submit]").click()
            _reviewed(view, 1)
            assert _polarity(http, "a3#1") == 1
            # Dorn now supports the tax: his tie with Falk on it is gone, one with Berg rests on it instead
            assert "actor:eva-falk" not in _partners(http, "a3#1") and "actor:anna-berg" in _partners(http, "a3#1")
            assert view.page.locator('.review-item[data-id="a3#1"][data-kind=stance]').count() == 0
            # keyboard: j moves, a accepts the selected item; the precision estimate follows
            view.page.keyboard.press("j")
            view.page.keyboard.press("k")
            view.page.keyboard.press("a")
            _reviewed(view, 2)
            view.page.wait_for_function("() => /reviewed/.test(document.querySelector('#review-count').textContent) "
                                        "&& !document.querySelector('#review-count').textContent.startsWith('0 ')")
            stats = http.get("/api/review-stats").json()
            assert stats["reviewed"] == 2
            shown = {row.get_attribute("data-kind"): row.locator(".precision").inner_text()
                     for row in view.page.locator("#review-precision tbody tr").all()}
            assert shown["stance"] != "–" and "%" in shown["stance"]
            _shot(view, artifacts, "review")
            view.assert_clean()

        # the same inputs again (skipped), then a new analysis of every article: the review holds
        con = open_store(db)
        try:
            assert write_analyses(con, corpus()).skipped == len(corpus())
            assert write_analyses(con, corpus(), reanalyse=True).added == len(corpus())
        finally:
            con.close()
        server.stop()
        server = start_server(db, tmp_path / "server2.log", "--no-embeddings")
        view = open_page(server.url)
        with server.client() as http:
            assert _polarity(http, "a3#1") == 1 and "actor:eva-falk" not in _partners(http, "a3#1")
            _ready(view)
            assert view.page.locator("#review-recent li").count() == 2
            # u undoes the latest review, then the edit of a3#1 (the latest left)
            view.page.keyboard.press("u")
            _reviewed(view, 1)
            view.page.keyboard.press("u")
            _reviewed(view, 0)
            assert _polarity(http, "a3#1") == -1 and "actor:eva-falk" in _partners(http, "a3#1")
            assert http.get("/api/review-stats").json()["reviewed"] == 0
            view.assert_clean()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review-page")
    running = start_server(build_store(folder / "corpus.duckdb"), folder / "server.log", "--no-embeddings")
    yield running
    running.stop()


def test_hostile_reviewer_name_is_shown_as_text(open_page, served):
    view = open_page(served.url)
    _ready(view)
    view.page.fill("#reviewer", HOSTILE)
    view.page.press("#reviewer", "Tab")
    view.page.locator(".review-item").first.locator("button[data-verdict=reject]").click()
    view.page.wait_for_function("() => document.querySelector('#review-recent li') !== null")
    assert HOSTILE in view.page.inner_text("#review-recent")
    _ready(view)  # and again from the store
    assert HOSTILE in view.page.inner_text("#review-recent")
    view.page.locator("#review-recent button.undo").first.click()
    view.page.wait_for_function("() => document.querySelector('#review-recent li.undone') !== null")
    view.assert_clean()


def test_article_page_review_buttons(open_page, served, artifacts):
    view = open_page(served.url)
    view.open("/articles/a3")
    stances = view.page.locator("#stances .stance-item")
    assert stances.count() == 2
    assert stances.first.locator(".review-actions button").count() == 3
    _shot(view, artifacts, "article-review")
    with view.page.expect_navigation():
        stances.nth(1).locator("button.reject").click()
    view.page.wait_for_load_state("networkidle")
    assert view.page.locator("#stances .stance-item").count() == 1
    with served.client() as http:
        assert http.get("/api/statements", params={"id": "a3#1"}).json() == []
        review = http.get("/api/reviews", params={"undone": "false"}).json()["reviews"][0]
        assert review["item"] == "a3#1" and review["verdict"] == "reject"
        assert http.post(f"/api/reviews/{review['id']}/undo").status_code == 200
    view.assert_clean()


def test_network_edge_panel_hook(open_page, served):
    view = open_page(served.url)
    view.open("/network")
    view.page.evaluate("""() => document.dispatchEvent(new CustomEvent('stancegraph:edge-selected',
        {detail: {statements: ['a1#0', 'a1#1']}}))""")
    view.page.wait_for_selector("#review-edge li.review-statement >> nth=1")
    assert "Anna Berg supports carbon tax" in view.page.inner_text("#review-edge")
    view.page.evaluate("() => { window.reviewed = []; document.addEventListener('stancegraph:reviewed', "
                       "e => window.reviewed.push(e.detail.review.id)); }")
    view.page.locator('#review-edge li[data-id="a1#0"] button.accept').click()
    view.page.wait_for_function("() => window.reviewed.length === 1")
    assert "accepted" in view.page.inner_text('#review-edge li[data-id="a1#0"]')
    view.assert_clean()


def test_review_page_fits_a_phone(open_page, served, artifacts):
    view = open_page(served.url, (390, 844))
    _ready(view)
    scroll, inner = view.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    button = view.page.locator(".review-item button[data-verdict=accept]").first.bounding_box()
    assert button["height"] >= 44 and button["x"] + button["width"] <= inner
    _shot(view, artifacts, "review-phone")
    view.assert_clean()


def _shot(view: Watched, artifacts, name: str) -> None:
    path = artifacts / f"{name}.png"
    view.page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5000


def test_merge_an_actor_from_the_article_page(open_page, served):
    view = open_page(served.url)
    view.open("/articles/xss")
    actor = view.page.locator("#actors .actor-item").first
    assert actor.locator(".review-actions button.reject").count() == 0
    actor.locator("button.edit").click()
    actor.locator("form.review-edit input").fill("eva-falk")
    with view.page.expect_navigation():
        actor.locator("form.review-edit button[type=submit]").click()
    view.page.wait_for_load_state("networkidle")
    assert "Eva Falk" in view.page.inner_text("#actors")
    with served.client() as http:
        assert http.get("/api/actors/mallory-svg-onload-alert-5").status_code == 404
        review = http.get("/api/reviews", params={"target": "actor"}).json()["reviews"][0]
        assert review["after"] == {"merged_into": "eva-falk"}
    view.assert_clean()
