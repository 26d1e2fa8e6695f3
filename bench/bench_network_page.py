"""The network page at corpus scale in headless Chromium: time to a drawn graph, nodes, edges, labels.

Builds the 400-article corpus of the web tests (``tests/web/bigcorpus.py``: hand-made
analyses, no parsing), starts ``stancegraph serve`` on loopback, opens ``/network`` in Debian's
chromium and reloads it ``--reloads`` times, printing for each reload the seconds until the graph
is drawn and labelled, the nodes and edges shown, the labels kept and the pairs of labels that
overlap (always 0). ``--db`` serves a store of your own instead (e.g. the BBC politics articles
after ``stancegraph ingest ../shared/data/bbc-news/politics --db bbc.duckdb``)::

    PYTHONPATH=src .venv/bin/python bench/bench_network_page.py [--reloads 3] [--db STORE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "web"))

from bigcorpus import build_big_store
from test_browser import ARGS, CHROMIUM
from webserver import start_server

MEASURE = """() => { const cy = window.stancegraphNetwork;
    const boxes = cy.nodes('.labelled').map(n => n.renderedBoundingBox({includeLabels: true, includeNodes: false}));
    let overlaps = 0;
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps += 1; }));
    return {nodes: cy.nodes().length, edges: cy.edges().length, labels: boxes.length, overlaps: overlaps}; }"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reloads", type=int, default=3)
    parser.add_argument("--db", type=Path, help="a store to serve instead of the built 400-article corpus")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        store = args.db or build_big_store(Path(folder) / "big.duckdb")
        server = start_server(store, Path(folder) / "server.log", "--no-embeddings")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1360, "height": 900})
                page.goto(server.url + "network")
                page.wait_for_selector("#graph[data-ready=true]", timeout=120000)
                for _ in range(args.reloads):
                    start = time.monotonic()
                    page.reload()
                    page.wait_for_selector("#graph[data-ready=true]", timeout=120000)
                    print(f"ready in {time.monotonic() - start:.2f} s: {page.evaluate(MEASURE)}")
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
