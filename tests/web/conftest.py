"""Web test fixtures: a store, servers (one plain, one with a token) and the artefacts folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
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
