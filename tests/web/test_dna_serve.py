"""``stancegraph serve --dna FILE.dna``: a DNA database's networks, read-only, from a real server.

The database is the rDNA sample in ``../shared/data/dna-sample/`` (read where it is, never
copied); the numbers are those DNA 3.1.2 gives for it (issue 12).
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from webserver import SERVING, STANCEGRAPH, Server

SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dna-sample" / "sample.dna"
pytestmark = pytest.mark.skipif(not SAMPLE.is_file(), reason="the DNA sample is not here")


def start_dna_server(log: Path, *args: str) -> Server:
    """``stancegraph serve --dna SAMPLE --port 0 ARGS``, once it answers."""
    process = subprocess.Popen([*STANCEGRAPH, "serve", "--dna", str(SAMPLE), "--port", "0", "--log-level", "warning",
                                *args], stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        match = SERVING.search(log.read_text(encoding="utf-8", errors="replace"))
        if match:
            return Server(match.group(1), process, log, SAMPLE)
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start:\n{log.read_text()}")


@pytest.fixture(scope="module")
def dna_server(tmp_path_factory) -> Iterator[Server]:
    server = start_dna_server(tmp_path_factory.mktemp("dna") / "serve.log")
    yield server
    server.stop()


@pytest.fixture
def client(dna_server) -> Iterator[httpx.Client]:
    with dna_server.client() as client:
        yield client


def _cells(network: dict) -> float:
    return sum(edge["weight"] for edge in network["edges"])


def test_two_mode_organization_by_concept_is_dna_s_7_by_6_summing_to_40(client):
    response = client.get("/api/network", params={"kind": "two-mode"})
    assert response.status_code == 200
    network = response.json()
    kinds = [node["kind"] for node in network["nodes"]]
    assert (kinds.count("actor"), kinds.count("concept")) == (7, 6)
    assert _cells(network) == 40


def test_one_mode_organization_network_sums_to_dna_s_276(client):
    network = client.get("/api/network", params={"kind": "ignore"}).json()
    assert len(network["nodes"]) == 7
    assert 2 * _cells(network) == 276  # DNA's 7x7 matrix counts each tie twice


def test_an_edge_s_statements_come_from_the_database(client):
    network = client.get("/api/network", params={"kind": "two-mode"}).json()
    ids = network["edges"][0]["statements"][:3]
    statements = client.get("/api/statements", params=[("id", i) for i in ids]).json()
    assert sorted(s["id"] for s in statements) == sorted(ids)
    assert all(s["evidence_text"] and s["actor_name"] for s in statements)


def test_the_nested_backbone_is_dna_s(client):
    steps = client.get("/api/backbone").json()["steps"]
    assert [row["entity"] for row in steps][:2] == ["Cap and trade is the solution.",
                                                     "Climate change is caused by greenhouse gases (CO2)."]
    assert round(steps[0]["backbone_loss"], 4) == 0.0273 and steps[0]["statements"] == 22


def test_network_backbone_and_polarisation_pages_are_served(client):
    for page in ("/network", "/backbone", "/polarisation-time"):
        assert client.get(page, headers={"Accept": "text/html"}).status_code == 200
    assert client.get("/api/concepts").status_code == 200
    series = client.get("/api/polarisation-series", params={"window": 7})
    assert series.status_code == 200 and series.json()["windows"]


@pytest.mark.parametrize(("method", "path"), [("POST", "/api/articles"), ("PATCH", "/api/actors/x"),
                                              ("DELETE", "/api/concepts/x"), ("POST", "/api/concepts")])
def test_writes_are_refused_with_e414(client, method, path):
    response = client.request(method, path, json={"text": "Anything."})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "E414"
    assert "read-only" in response.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/articles", "/articles/some-id", "/actors/epa", "/flags", "/api/articles",
                                  "/api/actors", "/api/overview"])
def test_store_only_routes_answer_404_with_e415(client, path):
    response = client.get(path)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "E415" and "sample.dna" in error["message"] and "/network" in error["message"]


def test_a_store_only_page_explains_itself_in_html(client):
    response = client.get("/articles", headers={"Accept": "text/html"})
    assert response.status_code == 404 and "E415" in response.text
    assert re.search(r"/network", response.text)


def test_other_variables_choose_the_network(tmp_path):
    server = start_dna_server(tmp_path / "serve.log", "--variable1", "person", "--variable2", "concept")
    try:
        with server.client() as client:
            network = client.get("/api/network", params={"kind": "two-mode"}).json()
        actors = {node["name"] for node in network["nodes"] if node["kind"] == "actor"}
        assert actors and "Energy and Environmental Analysis, Inc." not in actors
    finally:
        server.stop()


def test_a_bad_variable_stops_the_command_with_the_dna_error(tmp_path):
    result = subprocess.run([*STANCEGRAPH, "serve", "--dna", str(SAMPLE), "--variable1", "nonsense", "--port", "0"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "E318" in result.stderr


def test_the_pages_link_only_to_what_a_dna_database_has(client):
    html = client.get("/network", headers={"Accept": "text/html"}).text
    nav = html[html.index('<nav id="site-nav">'):html.index("</nav>")]
    assert 'href="/backbone"' in nav and 'href="/articles"' not in nav and 'href="/flags"' not in nav


@pytest.mark.browser
@pytest.mark.slow
def test_the_network_and_backbone_pages_work_in_a_browser(open_page, dna_server, artifacts):
    page = open_page(dna_server.url)
    page.open("/network")
    page.page.wait_for_selector("#graph[data-ready=true]")
    edge = page.page.evaluate("""() => {
        const cy = window.stancegraphNetwork, edge = cy.edges()[0];
        cy.fit(edge.connectedNodes(), 80);
        const box = cy.container().getBoundingClientRect(), mid = edge.renderedMidpoint();
        return {x: box.left + mid.x, y: box.top + mid.y, id: edge.id(), n: cy.nodes().length}; }""")
    assert edge["n"] == 7  # the organisations of the sample
    page.page.mouse.click(edge["x"], edge["y"])
    page.page.wait_for_function("""(id) => { const panel = document.querySelector('#edge-panel');
        return panel.dataset.edge === id && panel.dataset.loaded === 'true'; }""", arg=edge["id"], timeout=10000)
    assert page.page.locator("#edge-panel .edge-statements li").count() > 0
    page.page.screenshot(path=str(artifacts / "dna-network-edge.png"))
    page.open("/backbone")
    page.page.wait_for_load_state("networkidle")
    assert "Cap and trade is the solution." in page.page.inner_text("main")
    page.assert_clean()
