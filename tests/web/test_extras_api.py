"""Without the networks extra (SciPy hidden), the API still serves the store and answers a one-mode
network request with 501 and E130 naming the extra; the two-mode network needs no SciPy."""

from __future__ import annotations

import sys

import pytest
from starlette.testclient import TestClient
from webserver import build_store

from stancegraph.web.app import create_app
from stancegraph.web.state import Settings


def test_a_one_mode_network_without_scipy_is_501_naming_the_extra(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = build_store(tmp_path / "web.duckdb")
    for name in [m for m in sys.modules if m.split(".")[0] == "scipy"] + ["scipy"]:
        monkeypatch.setitem(sys.modules, name, None)
    with TestClient(create_app(Settings(db=store)), base_url="http://127.0.0.1") as client:
        assert client.get("/api/overview").status_code == 200
        assert client.get("/api/network", params={"kind": "two-mode"}).status_code == 200
        response = client.get("/api/network", params={"kind": "subtract"})
        assert response.status_code == 501
        error = response.json()["error"]
        assert error["code"] == "E130"
        assert "pip install 'stancegraph[networks]'" in error["message"]
