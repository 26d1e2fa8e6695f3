"""POST /api/uploads and GET /api/uploads/{id}: files read and analysed in the background, errors per input."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import httpx
import pytest
from webserver import build_store, start_server

pytestmark = pytest.mark.slow

NOTE = "Budget talks\n\nAnna Berg said on Monday that the carbon tax is fair. Carl Dorn said it will fail."
RECORDS = [{"id": "wire-1", "title": "Rail strike", "date": "2024-04-02",
            "text": "Eva Falk said the rail strike must end. The union said it would go on."},
           {"id": "wire-2", "title": "Pensions", "text": "Carl Dorn said the pension reform is unfair."}]
CSV = "id,title,date,text\nsheet-1,Housing,2024-05-01,Anna Berg said the housing plan is too small.\n"


def b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


@pytest.fixture(scope="module")
def upload_server(tmp_path_factory) -> Iterator:
    folder = tmp_path_factory.mktemp("web-uploads")
    running = start_server(build_store(folder / "corpus.duckdb"), folder / "server.log", "--no-embeddings")
    yield running
    running.stop()


def follow(http: httpx.Client, url: str, timeout: float = 600) -> tuple[dict, list[tuple[int, int | None]]]:
    """Poll an upload until it is done: its last state and every (done, total) seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = http.get(url).json()
        seen.append((state["done"], state["total"]))
        if state["status"] == "done":
            return state, seen
        time.sleep(0.2)
    raise AssertionError(f"upload not done: {state}")


def test_upload_reads_analyses_and_stores_with_errors_per_input(upload_server):
    jsonl = "\n".join(json.dumps(r) for r in RECORDS[:1]) + "\n{not json\n" + json.dumps(RECORDS[1]) + "\n"
    files = [{"name": "budget.txt", "content": b64(NOTE)},
             {"name": "wire.jsonl", "content": b64(jsonl)},
             {"name": "sheet.csv", "content": b64(CSV)},
             {"name": "broken.txt", "content": b64(b"\x00\x01\x02\xff" * 64)},
             {"name": "scan.pdf", "content": b64(b"%PDF-1.4")}]
    with upload_server.client() as http:
        answer = http.post("/api/uploads", json={"files": files})
        assert answer.status_code == 202, answer.text
        assert answer.headers["location"] == answer.json()["url"]
        state, seen = follow(http, answer.headers["location"])
        by_input = {entry["input"]: entry for entry in state["inputs"]}
        assert state["total"] == len(state["inputs"]) == state["done"] == 7
        assert state["stored"] == 4 and state["failed"] == 3
        dones = [done for done, _ in seen]
        assert dones == sorted(dones)  # progress only goes forward
        assert {by_input[name]["error"]["code"] for name in ("broken.txt", "scan.pdf")} == {"E102", "E111"}
        bad_line = [e for name, e in by_input.items() if name.startswith("wire.jsonl") and e["status"] == "failed"]
        assert len(bad_line) == 1 and bad_line[0]["error"]["code"] == "E105"
        stored = {e["article"] for e in state["inputs"] if e["status"] == "stored"}
        assert stored == {"budget", "wire-1", "wire-2", "sheet-1"}
        for article in stored:
            got = http.get(f"/api/articles/{article}")
            assert got.status_code == 200
        assert http.get("/api/articles/wire-1").json()["date"] == "2024-04-02"
        assert http.get("/api/articles/budget").json()["title"] == "Budget talks"
        speakers = {q.get("speaker", {}).get("text") for q in http.get("/api/articles/budget").json()["quotes"]}
        assert "Anna Berg" in speakers  # really analysed by the worker's pipeline
        # the same file again: stored already, not twice
        again, _ = follow(http, http.post("/api/uploads", json={"files": files[:1]}).headers["location"])
        assert again["stored"] == 1 and again["inputs"][0]["article"] == "budget"
        assert http.get("/api/articles", params={"q": "Budget talks"}).json()["total"] == 1


def test_upload_refuses_bad_bodies(upload_server):
    with upload_server.client() as http:
        cases = [({"files": [{"name": "a.txt", "content": "not base64!"}]}, 422, "E425"),
                 ({"files": [{"name": "../a.txt", "content": b64("x")}]}, 422, "E427"),
                 ({"files": [{"name": f"a{i}.txt", "content": b64("x")} for i in range(201)]}, 413, "E426"),
                 ({"files": []}, 422, "E406"),
                 ({"files": [{"name": "a.txt"}]}, 422, "E406")]
        for body, status, code in cases:
            answer = http.post("/api/uploads", json=body)
            assert (answer.status_code, answer.json()["error"]["code"]) == (status, code), answer.text
        missing = http.get("/api/uploads/nope")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "E404"


def test_upload_needs_the_token_off_loopback(token_server):
    body = {"files": [{"name": "a.txt", "content": b64(NOTE)}]}
    assert httpx.post(token_server.url.rstrip("/") + "/api/uploads", json=body).status_code == 401
    with httpx.Client() as browser_like:  # the login cookie is for reading only
        browser_like.get(token_server.url.rstrip("/") + "/login", params={"token": token_server.token})
        assert browser_like.post(token_server.url.rstrip("/") + "/api/uploads", json=body).status_code == 401
