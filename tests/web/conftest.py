"""Web test fixtures: a store, servers (one plain, one with a token), the artefacts folder and one
headless Chromium for the whole run (each test opens its own context)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from browsing import Watched, launch
from webserver import ARTIFACTS, TOKEN, Server, build_store, start_server


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """The main test server: no token, default limits, concepts folded without embeddings."""
    folder = tmp_path_factory.mktemp("web")
    running = start_server(build_store(folder / "corpus.duckdb"), folder / "server.log", "--no-embeddings")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def token_server(tmp_path_factory) -> Iterator[Server]:
    """A server with a token (from STANCEGRAPH_TOKEN) and a small body limit."""
    folder = tmp_path_factory.mktemp("web-token")
    running = start_server(build_store(folder / "corpus.duckdb"), folder / "server.log", "--no-embeddings",
                           "--max-body", "200000", token=TOKEN)
    yield running
    running.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium through Playwright, started once for every page test of the run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., Watched]]:
    """Opens watched pages, each in a context of its own (no cookies shared), closed after the test.

    ``open_page(base, (width, height), **context_options)``.
    """
    contexts = []

    def opener(base: str, size: tuple[int, int] = (1360, 900), **options) -> Watched:
        context = browser.new_context(viewport={"width": size[0], "height": size[1]}, **options)
        contexts.append(context)
        return Watched(context.new_page(), base)

    yield opener
    for context in contexts:
        context.close()
