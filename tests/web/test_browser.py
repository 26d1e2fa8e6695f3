"""The pages in headless Chromium (Debian's, driven by Playwright): screenshots in test-artifacts/web/."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from browsing import Watched
from webcorpus import XSS_ACTOR, XSS_SOURCE, XSS_TITLE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

XSS_ACTOR_ID = "mallory-svg-onload-alert-5"


@pytest.fixture
def page(open_page, server) -> Watched:
    return open_page(server.url)


def _shot(watched: Watched, artifacts: Path, name: str, full: bool = True) -> None:
    path = artifacts / f"{name}.png"
    watched.page.screenshot(path=str(path), full_page=full)
    assert path.stat().st_size > 5000


def test_overview(page, artifacts):
    page.open("/")
    text = page.page.inner_text("main")
    assert re.search(r"\b[5-9]\s+articles", text)
    assert "Berg and Dorn back the carbon tax" in text
    assert XSS_TITLE in page.page.inner_text("#latest")  # shown as text
    assert "Carl Dorn" in page.page.inner_text("#active-actors")
    page.page.wait_for_selector("#graph[data-ready=true]")
    assert int(page.page.get_attribute("#graph", "data-edges")) >= 3
    _shot(page, artifacts, "overview")
    page.assert_clean()


def test_article_page_highlights(page, artifacts):
    page.open("/articles/a1")
    text = page.page.locator("#article-text")
    assert text.inner_text() .startswith("Anna Berg said the carbon tax is fair.")
    assert page.page.locator("#article-text .mention").count() == 3
    quotes = page.page.locator("#article-text .quote")
    assert quotes.count() >= 3
    assert page.page.locator("#article-text .stance-support").count() >= 2
    assert page.page.locator("#article-text .stance-oppose").count() >= 1
    # a quote inside a stance's evidence: both classes on one piece, and its speaker shown after it
    nested = page.page.locator("#article-text .quote.stance").first
    assert nested.inner_text() == "the carbon tax is fair"
    speaker = page.page.evaluate(
        "() => getComputedStyle(document.querySelector('#article-text .quote-end'), '::after').content")
    assert "Anna Berg" in speaker
    links = page.page.locator("#quotes .speaker-link")
    assert links.first.inner_text() == "Anna Berg" and links.first.get_attribute("href") == "/actors/anna-berg"
    # the checks' links "#start-end" mark the span
    start = page.page.locator("#article-text .quote").first.get_attribute("data-start")
    page.page.goto(f"{page.base}/articles/a1#{start}-{int(start) + 22}")
    page.page.wait_for_selector("#article-text[data-target]")
    assert page.page.locator("#article-text .target").first.inner_text() == "the carbon tax is fair"
    _shot(page, artifacts, "article")
    page.open("/articles/politics/a2")
    assert "contradiction" in page.page.inner_text("#flags")
    assert page.page.locator("#article-text .flag").count() >= 2
    _shot(page, artifacts, "article-flags")
    page.assert_clean()


def _click_edge(page: Watched, kind: str, between: set[str]) -> dict:
    """Click the middle of the edge of ``kind`` between two actors, as a user would."""
    # below the controls on a phone: scroll to the graph as a user would, and let cytoscape see the scroll
    page.page.evaluate("""() => new Promise(done => { document.querySelector('#graph').scrollIntoView({block: 'nearest'});
        requestAnimationFrame(() => requestAnimationFrame(done)); })""")
    found = page.page.evaluate("""([kind, ids]) => {
        const cy = window.stancegraphNetwork;
        const edge = cy.edges().filter(e => e.data('kind') === kind && ids.includes(e.data('source'))
                                        && ids.includes(e.data('target')))[0];
        if (!edge) return null;
        cy.fit(edge.connectedNodes(), 80);
        const box = cy.container().getBoundingClientRect();
        const mid = edge.renderedMidpoint();
        return {x: box.left + mid.x, y: box.top + mid.y, id: edge.id()};
    }""", [kind, sorted(between)])
    assert found, f"no {kind} edge between {between}"
    page.page.mouse.click(found["x"], found["y"])
    page.page.wait_for_function("""(id) => {
        const panel = document.querySelector('#edge-panel');
        return panel.dataset.edge === id && panel.dataset.loaded === 'true'; }""", arg=found["id"], timeout=10000)
    return found


def test_network_view_click_on_an_edge_shows_its_quotes(page, artifacts):
    page.open("/network")
    page.page.wait_for_selector("#graph[data-ready=true]")
    kinds = page.page.evaluate("() => window.stancegraphNetwork.edges().map(e => e.data('kind'))")
    assert "agree" in kinds and "conflict" in kinds
    colours = page.page.evaluate("""() => {
        const cy = window.stancegraphNetwork;
        return [...new Set(cy.edges().map(e => e.data('kind') + '=' + e.style('line-color')))].sort(); }""")
    assert len({c.split("=")[1] for c in colours}) == 2  # agreement and conflict in distinct colours
    _click_edge(page, "agree", {"actor:anna-berg", "actor:carl-dorn"})
    panel = page.page.inner_text("#edge-panel")
    assert "Anna Berg" in panel and "Carl Dorn" in panel and "carbon tax" in panel
    assert "the carbon tax is fair" in panel and "the carbon tax will help" in panel
    hrefs = page.page.eval_on_selector_all("#edge-panel .edge-quote a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(re.match(r"^/articles/.+#\d+-\d+$", h) for h in hrefs)
    page.page.evaluate("() => { window.stancegraphNetwork.fit(undefined, 30); }")
    _shot(page, artifacts, "network-edge")
    # a conflict edge with an untrusted quote: its markup is text in the panel
    _click_edge(page, "conflict", {f"actor:{XSS_ACTOR_ID}", "actor:anna-berg"})
    assert "<script>alert(2)</script>" in page.page.inner_text("#edge-panel")
    page.page.evaluate("() => { window.stancegraphNetwork.fit(undefined, 30); }")
    _shot(page, artifacts, "network-conflict-edge")
    # filters: a concept and a time window
    page.page.select_option("#concept-filter", "carbon tax")
    page.page.fill("#to-filter", "2024-01-31")
    page.page.click("#network-filters button")
    page.page.wait_for_function("() => document.querySelector('#graph').dataset.ready === 'true'")
    pairs = page.page.evaluate("() => window.stancegraphNetwork.edges().map(e => e.data('kind'))")
    assert sorted(pairs) == ["agree", "conflict", "conflict"]  # January only: Berg and Dorn against Falk
    page.page.fill("#from-filter", "2030-01-01")
    page.page.fill("#to-filter", "2030-12-31")
    page.page.click("#network-filters button")
    page.page.wait_for_function("() => document.querySelector('#network-status').textContent.startsWith('No ')")
    page.assert_clean()


def test_actor_page_charts_positions_over_time(page, artifacts):
    page.open("/actors/carl-dorn")
    assert page.page.inner_text("#actor-name") == "Carl Dorn"
    page.page.wait_for_selector("#positions-chart[data-ready=true]")
    points = page.page.evaluate("() => window.stancegraphChart.data.datasets.map(d => [d.label, d.data.map(p => p.y)])")
    assert points == [["carbon tax", [1, 1, -1]]]
    assert "the carbon tax should go" in page.page.inner_text("#actor-quotes")
    assert "opposes" in page.page.inner_text("#positions")
    _shot(page, artifacts, "actor")
    page.assert_clean()


@pytest.mark.parametrize("path", [
    "/", "/articles", "/articles?q=alert", "/articles/xss", f"/articles/xss#0-{len('Mallory')}", "/actors",
    f"/actors/{XSS_ACTOR_ID}", "/network", "/flags",
])
def test_untrusted_markup_is_shown_as_text_on_every_page(page, artifacts, path):
    page.open(path)
    if "network" in path:
        page.page.wait_for_selector("#graph[data-ready=true]")
    body = page.page.inner_text("body")
    if path.startswith("/articles/xss"):
        assert page.page.inner_text("#article-title") == XSS_TITLE
        assert page.page.inner_text("#article-source") == XSS_SOURCE
        text = page.page.inner_text("#article-text")
        assert "<script>alert(2)</script>" in text and 'onmouseover="alert(3)"' in text
        page.page.hover("#article-text >> text=Trent")
        assert page.page.title().startswith(XSS_TITLE)
        assert "<b>bold</b> claim <script>alert(6)</script>" in page.page.inner_text("#flags")
    elif path.startswith("/actors/"):
        assert page.page.inner_text("#actor-name") == XSS_ACTOR
        page.page.wait_for_selector("#positions-chart[data-ready=true]")
    elif path in ("/", "/articles", "/articles?q=alert"):
        assert XSS_TITLE in body
    elif path == "/actors":
        assert XSS_ACTOR in body
    elif path == "/flags":
        assert "<script>alert(6)</script>" in body
    page.page.wait_for_timeout(300)  # time for anything injected to fire
    if path == "/articles/xss":
        _shot(page, artifacts, "xss-article")
    page.assert_clean()


def test_a_missing_article_is_a_404_page(page):
    response = page.page.goto(f"{page.base}/articles/{quote('no such <b>thing</b>')}")
    assert response.status == 404
    assert "no such <b>thing</b>" in page.page.inner_text("main")
    page.errors.clear()  # the 404 itself is expected
    page.assert_clean()
