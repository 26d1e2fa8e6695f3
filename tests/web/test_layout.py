"""The pages in Chromium at a desktop and a phone size: hostile text (direction overrides, a
3,000-character word) stays in its box, the layout fits a phone, and the defects of issue 16 stay
fixed. Screenshots in test-artifacts/web/."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browsing import Watched
from test_browser import _click_edge
from webcorpus import _article, corpus
from webserver import TOKEN, start_server

from stancegraph.store import open_store, write_analyses

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORTS = [pytest.param((1366, 900), id="desktop"), pytest.param((390, 844), id="phone")]
RLO = "\u202e"
LONG = "W" * 3000
PAGES = ["/", "/articles", "/articles/rtl", "/articles/long", "/articles/twice", "/actors", "/actors/anna-berg",
         "/network", "/flags", "/review"]


def _extra() -> list:
    """Articles written for these tests: an override in the title and source, a long word, repeated stances."""
    twice = "Nora Vik said the toll is unfair. Nora Vik said the toll is unfair. Nora Vik wants the toll gone."
    return [
        _article("rtl", f"{RLO}Reversed headline", "2024-04-01", f"{RLO}Mirror Gazette",
                 "Olav Tind said the ferry is late.",
                 actors=[("tind", f"{RLO}Olav Tind", "person", ["Olav Tind"])],
                 quotes=[("the ferry is late", "said", "Olav Tind", "tind", "indirect")],
                 stances=[("tind", "ferry", "issue", -1, "Olav Tind said the ferry is late")]),
        _article("long", LONG, "2024-04-02", "Daily Test", f"{LONG} is one word, and the note ends here."),
        _article("twice", "Vik against the toll", "2024-04-03", "Daily Test", twice,
                 actors=[("vik", "Nora Vik", "person", ["Nora Vik", ("Nora Vik", 1), ("Nora Vik", 2)])],
                 stances=[("vik", "toll", "issue", -1, "Nora Vik said the toll is unfair"),
                          ("vik", "toll", "issue", -1, "Nora Vik said the toll is unfair"),  # the same again
                          ("vik", "toll", "issue", -1, "Nora Vik wants the toll gone")],
                 flags=[("stance_conflict", "vik", "Vik is said to oppose the toll and to back it.",
                         ["Nora Vik wants the toll gone"])]),
    ]


@pytest.fixture(scope="module")
def layout_server(tmp_path_factory) -> Iterator:
    folder = tmp_path_factory.mktemp("web-layout")
    con = open_store(folder / "corpus.duckdb")
    try:
        write_analyses(con, corpus() + _extra())
    finally:
        con.close()
    running = start_server(folder / "corpus.duckdb", folder / "server.log", "--no-embeddings")
    yield running
    running.stop()


@pytest.fixture(params=VIEWPORTS)
def view(request, open_page, layout_server) -> Watched:
    watched = open_page(layout_server.url, request.param)
    watched.size = "phone" if request.param[0] < 700 else "desktop"
    return watched


def _shot(view: Watched, artifacts: Path, name: str) -> None:
    path = artifacts / f"{name}-{view.size}.png"
    view.page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 3000


WORD_BOXES = """([selector, words]) => {
    const root = document.querySelector(selector);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const found = {};
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of words) {
            const at = node.data.indexOf(word);
            if (at >= 0 && !(word in found)) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + word.length);
                const box = range.getBoundingClientRect();
                found[word] = [box.top, box.left, box.height];
            }
        }
    }
    return words.map((w) => found[w]);
}"""


def _in_reading_order(boxes: list) -> bool:
    """Left to right on a line, or on a later line."""
    for (top, left, height), (next_top, next_left, _) in itertools.pairwise(boxes):
        if next_top > top + height / 2:
            continue
        if abs(next_top - top) > height / 2 or next_left <= left:
            return False
    return True


def test_a_direction_override_does_not_reverse_the_page_text_after_it(view, artifacts):
    view.open("/articles")
    meta = '#article-list li:has(a[href="/articles/rtl"]) .meta'
    words = ["actors", "quotes", "stances"]
    boxes = view.page.evaluate(WORD_BOXES, [meta, words])
    assert all(boxes) and _in_reading_order(boxes), boxes
    # the same text without isolation is reversed: the measure tells the two apart
    view.page.evaluate("""(text) => { const p = document.createElement('p'); p.id = 'bare'; p.textContent = text;
                                     document.querySelector('main').append(p); }""",
                       f"2024-04-01 · {RLO}Mirror Gazette · 1 actors · 1 quotes · 1 stances")
    assert not _in_reading_order(view.page.evaluate(WORD_BOXES, ["#bare", words]))
    view.page.evaluate("() => document.querySelector('#bare').remove()")
    view.open("/articles/rtl")
    assert view.page.inner_text("#article-source") == f"{RLO}Mirror Gazette"
    assert _in_reading_order(view.page.evaluate(WORD_BOXES, [".article-page .meta", ["2024", "id"]]))
    for selector in ("#article-title bdi", "#article-source bdi", "#actors bdi", "#stances bdi"):
        assert view.page.eval_on_selector(selector, "e => getComputedStyle(e).unicodeBidi") == "isolate", selector
    _shot(view, artifacts, "rtl-article")
    view.assert_clean()


@pytest.mark.parametrize("path", ["/", "/articles", "/articles/long"])
def test_a_3000_character_word_does_not_widen_the_page(view, artifacts, path):
    view.open(path)
    assert LONG in view.page.inner_text("body")
    width = view.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    if path == "/articles":
        _shot(view, artifacts, "long-title")
    view.assert_clean()


def test_every_page_fits_the_screen_and_the_navigation_stays_on_it(view, artifacts):
    for path in PAGES:
        view.open(path)
        if path in ("/", "/network"):
            view.page.wait_for_selector("#graph[data-ready=true]")
        scroll, inner = view.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, (path, scroll, inner)
        rights = view.page.eval_on_selector_all("#site-nav a", "links => links.map(a => a.getBoundingClientRect().right)")
        assert len(rights) == 7 and max(rights) <= inner, (path, rights)
        if path in ("/", "/network"):
            height = view.page.eval_on_selector("#graph", "g => g.getBoundingClientRect().height")
            assert height >= 300, (path, height)
            width = view.page.eval_on_selector("#graph", "g => g.getBoundingClientRect().width")
            assert width >= (0.8 if inner < 700 else 0.5) * inner, (path, width)
    view.open("/actors")
    _shot(view, artifacts, "actors")
    view.open("/network")
    view.page.wait_for_selector("#graph[data-ready=true]")
    _shot(view, artifacts, "network")
    view.assert_clean()


def test_a_new_filter_clears_the_edge_panel(view, artifacts):
    view.open("/network")
    view.page.wait_for_selector("#graph[data-ready=true]")
    _click_edge(view, "agree", {"actor:anna-berg", "actor:carl-dorn"})
    assert "Anna Berg" in view.page.inner_text("#edge-panel")
    view.page.fill("#to-filter", "2024-01-31")
    view.page.click("#network-filters button")
    view.page.wait_for_function("() => document.querySelector('#graph').dataset.ready === 'true'")
    panel = view.page.inner_text("#edge-panel")
    assert "Anna Berg" not in panel and "Click an edge" in panel
    assert view.page.get_attribute("#edge-panel", "data-edge") == ""
    _shot(view, artifacts, "network-filtered")
    view.assert_clean()


def test_the_overview_says_so_when_the_network_cannot_be_loaded(view, artifacts):
    body = '{"error": {"code": "E403", "message": "the store is busy"}}'
    view.page.route("**/api/network?*", lambda route: route.fulfill(status=503, body=body,
                                                                     content_type="application/json"))
    view.open("/")
    view.page.wait_for_selector("#graph[data-ready=error]")
    message = view.page.locator("#graph .graph-message")
    assert message.is_visible() and "Could not load the network" in message.inner_text()
    assert "E403" in message.inner_text()
    _shot(view, artifacts, "overview-network-failed")
    view.errors = [e for e in view.errors if "/api/network" not in e and "503" not in e]  # the failure was ours
    view.assert_clean()


def test_flag_kinds_are_readable_and_stance_rows_are_not_repeated(view, artifacts):
    view.open("/flags")
    flags = view.page.inner_text("#article-flags")
    assert "stance conflict in" in flags and "stance_conflict" not in flags
    view.open("/articles/twice")
    rows = view.page.locator("#stances .stance-item")
    assert rows.count() == 1  # three stances, one actor, polarity and target
    assert view.page.locator("#stances .stance-item a.evidence").count() == 2  # its two distinct evidence spans
    assert "stance conflict" in view.page.inner_text("#flags")
    _shot(view, artifacts, "article-stances")
    view.assert_clean()


def test_the_401_page_is_styled_and_leads_to_the_login(view, artifacts, token_server):
    page = view.page
    response = page.goto(token_server.url.rstrip("/") + "/network")
    assert response.status == 401
    assert page.locator("header.top").is_visible() and page.locator("#site-nav").is_visible()
    text = page.inner_text("main")
    assert "log in" in text.lower() and "header" not in text.lower()
    _shot(view, artifacts, "unauthorised")
    page.click("#login-link")
    page.fill("input[name=token]", TOKEN)
    page.click("form.login button")
    page.wait_for_url("**/network")
    assert page.inner_text("h1") == "Who sides with whom"
    with httpx.Client(base_url=token_server.url.rstrip("/")) as anonymous:
        assert anonymous.get("/network").status_code == 401
