"""The network page at corpus scale, in headless Chromium: 400 articles, 90 actors.

Labels are measured from cytoscape's rendered label boxes; screenshots go to test-artifacts/web/.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import networkx as nx
import pytest
from bigcorpus import ARTICLES, build_big_store
from browsing import Watched
from webserver import start_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LABEL_BOXES = """() => window.stancegraphNetwork.nodes('.labelled').map(n => {
    const b = n.renderedBoundingBox({includeLabels: true, includeNodes: false});
    return {id: n.id(), x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2, w: b.w}; })"""


@pytest.fixture(scope="module")
def big_server(tmp_path_factory) -> Iterator:
    folder = tmp_path_factory.mktemp("web-big")
    running = start_server(build_big_store(folder / "big.duckdb"), folder / "server.log", "--no-embeddings")
    yield running
    running.stop()


@pytest.fixture
def page(open_page, big_server) -> Watched:
    return open_page(big_server.url, accept_downloads=True)


def _ready(page: Watched) -> None:
    page.page.wait_for_function("() => document.querySelector('#graph').dataset.ready === 'true'", timeout=60000)


def _overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]]


def _nodes(page: Watched) -> list[dict]:
    return page.page.evaluate("() => window.stancegraphNetwork.nodes().map(n => n.data())")


def test_labels_of_a_400_article_network_do_not_overlap(page, artifacts):
    page.open("/network")
    _ready(page)
    nodes = _nodes(page)
    assert page.page.evaluate("() => fetch('/api/overview').then(r => r.json())")["counts"]["articles"] == ARTICLES
    assert len(nodes) >= 40, len(nodes)  # the corpus is at scale
    boxes = page.page.evaluate(LABEL_BOXES)
    assert len(boxes) >= 8, boxes  # the largest nodes are named ...
    assert len(boxes) < len(nodes)  # ... and not all of them
    assert all(b["w"] > 0 for b in boxes)
    assert _overlapping(boxes) == []
    largest = max(nodes, key=lambda n: n["statements"])
    assert largest["id"] in {b["id"] for b in boxes}
    # no two nodes overlap either (fcose)
    node_boxes = page.page.evaluate("""() => window.stancegraphNetwork.nodes().map(n => {
        const b = n.renderedBoundingBox({includeLabels: false, includeOverlays: false}); return {id: n.id(), x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2}; })""")
    assert len(_overlapping(node_boxes)) <= len(node_boxes) // 20
    # colours by actor type, with a legend naming each type shown
    colours = page.page.evaluate("""() => Object.fromEntries(window.stancegraphNetwork.nodes().map(
        n => [n.data('type'), n.style('background-color')]))""")
    assert {"person", "organization", "country", "group"} <= set(colours)
    assert len(set(colours.values())) == len(colours)
    legend = page.page.inner_text("#type-legend")
    assert all(word in legend for word in ("person", "organization", "country", "group"))
    # sizes follow statements
    sizes = page.page.evaluate("() => window.stancegraphNetwork.nodes().map(n => [n.data('statements'), n.width()])")
    sizes.sort()
    assert sizes[-1][1] > sizes[0][1]
    # hovering an unlabelled node shows its name
    hidden = page.page.evaluate("""() => { const n = window.stancegraphNetwork.nodes(':visible').not('.labelled')[0];
        n.emit('mouseover'); return [n.id(), n.style('label')]; }""")
    assert hidden[1] != ""
    page.page.evaluate("() => window.stancegraphNetwork.nodes().emit('mouseout')")
    page.page.screenshot(path=str(artifacts / "network-400-articles.png"), full_page=True)
    assert (artifacts / "network-400-articles.png").stat().st_size > 20000
    page.assert_clean()


def test_threshold_search_focus_and_two_mode(page, artifacts):
    page.open("/network")
    _ready(page)
    total = page.page.evaluate("() => window.stancegraphNetwork.edges().length")
    weights = page.page.evaluate("() => window.stancegraphNetwork.edges().map(e => e.data('weight'))")
    assert total <= 300  # a corpus this dense starts thinned to its 300 strongest edges
    cut = sorted(weights)[len(weights) // 2]
    page.page.evaluate("""(cut) => { const s = document.querySelector('#weight-threshold'); s.value = cut;
        s.dispatchEvent(new Event('change')); }""", cut)
    _ready(page)
    after = page.page.evaluate("() => window.stancegraphNetwork.edges().map(e => e.data('weight'))")
    assert after and len(after) < total and min(after) >= cut
    page.page.evaluate("""() => { const s = document.querySelector('#degree-threshold'); s.value = 5;
        s.dispatchEvent(new Event('change')); }""")
    _ready(page)
    degrees = page.page.evaluate("() => window.stancegraphNetwork.nodes().map(n => n.degree(false))")
    assert degrees and min(degrees) >= 5
    thinned = page.page.evaluate("() => window.stancegraphNetwork.edges().length")
    # search and focus on one actor's neighbourhood
    target = sorted(_nodes(page), key=lambda n: -n["statements"])[3]
    page.page.fill("#search-input", target["name"][2:-2].lower())  # part of the name, in any case
    page.page.click("#network-search button[type=submit]")
    _ready(page)
    ids = page.page.evaluate("() => window.stancegraphNetwork.edges().map(e => [e.data('source'), e.data('target')])")
    assert ids and all(target["id"] in pair for pair in ids)
    assert len(_nodes(page)) == len({end for pair in ids for end in pair})  # the actor and its neighbours
    page.page.screenshot(path=str(artifacts / "network-focus.png"))
    page.page.click("#focus-clear")
    _ready(page)
    assert page.page.evaluate("() => window.stancegraphNetwork.edges().length") == thinned
    # the two-mode view: actors and concepts
    page.page.select_option("#mode-filter", "two-mode")
    page.page.wait_for_function("() => document.querySelector('#network-status').textContent.includes('concepts')",
                                timeout=60000)
    kinds = page.page.evaluate("() => [...new Set(window.stancegraphNetwork.nodes().map(n => n.data('kind')))].sort()")
    assert kinds == ["actor", "concept"]
    ends = page.page.evaluate("""() => window.stancegraphNetwork.edges().map(e =>
        [e.source().data('kind'), e.target().data('kind')].sort().join('-'))""")
    assert set(ends) == {"actor-concept"}
    assert _overlapping(page.page.evaluate(LABEL_BOXES)) == []
    page.page.screenshot(path=str(artifacts / "network-two-mode.png"))
    page.assert_clean()


def test_time_slider_and_edge_event(page):
    page.open("/network")
    _ready(page)
    page.page.select_option("#window-filter", "3m")
    page.page.wait_for_selector("#time-box:not([hidden])")
    _ready(page)
    assert page.page.is_hidden("#undated-note")
    first = page.page.inner_text("#time-label")
    assert first.startswith("2024-01-01")
    count = int(page.page.get_attribute("#time-slider", "max")) + 1
    assert count >= 4  # 400 days in windows of three months
    page.page.evaluate("""() => { const s = document.querySelector('#time-slider'); s.value = 2;
        s.dispatchEvent(new Event('change')); }""")
    _ready(page)
    assert page.page.inner_text("#time-label") != first
    # every edge of this window rests on statements from inside it
    statements = page.page.evaluate("() => window.stancegraphNetwork.edges().map(e => e.data('statements')).flat()")
    start, end = (dt.date.fromisoformat(d) for d in page.page.inner_text("#time-label").split(" to "))
    days = {dt.date(2024, 1, 1) + dt.timedelta(days=int(s.split("/")[1].split("#")[0])) for s in statements}
    assert days and start <= min(days) and max(days) <= end
    # selecting an edge tells the page which statements are behind it
    detail = page.page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('stancegraph:edge-selected', e => resolve(e.detail), {once: true});
        const edge = window.stancegraphNetwork.edges()[0];
        edge.emit('tap'); })""")
    assert detail["source"].startswith("actor:") and detail["statements"]
    page.page.wait_for_function("() => document.querySelector('#edge-panel').dataset.loaded === 'true'")
    page.assert_clean()


def test_downloads_png_svg_and_graphml(page, big_server, artifacts):
    page.open("/network")
    _ready(page)
    for button, magic in (("#download-png", b"\x89PNG"), ("#download-svg", b"<svg")):
        with page.page.expect_download() as info:
            page.page.click(button)
        content = info.value.path().read_bytes()
        assert magic in content[:400]
        assert len(content) > 5000
    svg = info.value.path().read_text(encoding="utf-8")
    assert "Anna Albrecht" in svg  # a label of the largest node is drawn as text
    page.page.select_option("#graphml-kind", "conflict")
    with page.page.expect_download() as info:
        page.page.click("#download-graphml")
    graph = nx.read_graphml(info.value.path())
    assert graph.number_of_nodes() >= 40 and graph.number_of_edges() > 0
    assert all(graph.nodes[n]["kind"] == "actor" for n in graph.nodes)
    assert graph.graph["kind"] == "conflict"
    # the API: the same filters as /api/network
    with big_server.client() as http:
        wanted = http.get("/api/network", params={"kind": "congruence", "concept": "carbon tax"}).json()
        answer = http.get("/api/network.graphml", params={"kind": "congruence", "concept": "carbon tax"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/graphml+xml")
    read = nx.read_graphml(io.BytesIO(answer.content))
    assert sorted(read.nodes) == sorted(n["id"] for n in wanted["nodes"])
    assert read.number_of_edges() == len(wanted["edges"])
    page.assert_clean()


@pytest.mark.parametrize("path", ["/network", "/articles/big/007"])
def test_phone_width_layout(open_page, big_server, artifacts, path):
    page = open_page(big_server.url, (390, 844), is_mobile=True, has_touch=True, device_scale_factor=2)
    page.open(path)
    if path == "/network":
        _ready(page)
        graph = page.page.evaluate("() => { const b = document.querySelector('#graph').getBoundingClientRect();"
                                   " return [b.width, b.height]; }")
        assert 300 <= graph[0] <= 390 and graph[1] >= 400  # the graph takes the phone's width
        assert _overlapping(page.page.evaluate(LABEL_BOXES)) == []
    else:
        assert page.page.is_visible("#article-text")
        width = page.page.evaluate("() => document.querySelector('#article-text').getBoundingClientRect().width")
        assert width >= 300
    overflow = page.page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 390, f"the page scrolls sideways: {overflow} px"
    name = "phone-network" if path == "/network" else "phone-article"
    page.page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    page.assert_clean()
