"""The server and other writers: ingest into the served store, and a server killed mid-write."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time

import httpx
import pytest
from webserver import STANCEGRAPH, build_store, start_server

from stancegraph.store import load_analysis, open_store

pytestmark = pytest.mark.slow

NEWS = [
    ("live-1", "2024-06-01", "Finance Minister Lena Holm said on Monday that the budget will balance next year."),
    ("live-2", "2024-06-02", "Opposition leader Piet Stam said the budget plan is a fantasy and must be withdrawn."),
    ("live-3", "2024-06-03", "Lena Holm rejected the criticism. \"The numbers add up,\" she told reporters in Oslo."),
]


def test_articles_ingested_while_the_server_runs_appear_without_a_restart(tmp_path):
    db = build_store(tmp_path / "corpus.duckdb")
    inputs = tmp_path / "more.jsonl"
    inputs.write_text("".join(json.dumps({"id": i, "date": d, "title": f"Live {n}", "source": "Live Wire", "text": t})
                              + "\n" for n, (i, d, t) in enumerate(NEWS)), encoding="utf-8")
    server = start_server(db, tmp_path / "server.log", "--no-embeddings")
    statuses: list[int] = []
    stale: list[bool] = []
    stop = threading.Event()

    def poll() -> None:  # a reader all through the ingest: stale or busy answers, never errors
        with server.client() as http:
            while not stop.is_set():
                response = http.get("/api/articles")
                statuses.append(response.status_code)
                stale.append(response.headers.get("x-stancegraph-stale") == "true")
                time.sleep(0.05)

    try:
        with server.client() as http:
            assert http.get("/api/articles").json()["total"] == 5
            reader = threading.Thread(target=poll)
            reader.start()
            try:
                ingest = subprocess.run([*STANCEGRAPH, "ingest", str(inputs), "--db", str(db)],
                                        capture_output=True, text=True, timeout=300)
            finally:
                stop.set()
                reader.join()
            assert ingest.returncode == 0, ingest.stderr
            assert "3 added" in ingest.stdout
            listing = http.get("/api/articles").json()
            assert listing["total"] == 8
            assert {"live-1", "live-2", "live-3"} <= {a["id"] for a in listing["articles"]}
            assert http.get("/api/articles/live-3").json()["text"] == NEWS[2][2]
            assert "Live 2" in http.get("/", headers={"Accept": "text/html"}).text
        assert statuses and set(statuses) <= {200, 503}, sorted(set(statuses))
        print("during the ingest:", {s: statuses.count(s) for s in set(statuses)}, "stale:", sum(stale))
    finally:
        server.stop()


def test_a_server_killed_mid_post_stream_leaves_a_consistent_store(tmp_path):
    db = build_store(tmp_path / "corpus.duckdb")
    server = start_server(db, tmp_path / "server.log", "--no-embeddings")
    acknowledged: list[str] = []

    def post_stream() -> None:
        with server.client(timeout=30) as http:
            for n in range(200):
                text = (f"Mayor Kari Lund said on day {n} that the harbour plan number {n} will cost "
                        f"{n + 3} million crowns. Councillor Odd Berg said plan {n} is too expensive.")
                try:
                    response = http.post("/api/articles", json={"id": f"stream-{n}", "text": text,
                                                                "date": "2024-07-01"})
                except httpx.HTTPError:
                    return
                if response.status_code == 201:
                    acknowledged.append(f"stream-{n}")

    poster = threading.Thread(target=post_stream)
    poster.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.13)  # land somewhere inside the next analysis or write
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    poster.join(60)
    assert len(acknowledged) >= 4

    con = open_store(db)  # read-write: the WAL is replayed
    try:
        ids = {i for (i,) in con.execute("SELECT id FROM articles").fetchall()}
        assert set(acknowledged) <= ids  # nothing acknowledged is lost
        for table in ("article_actors", "mentions", "quotes", "stances", "relations", "claims", "flags"):
            orphans = con.execute(f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")
            assert orphans.fetchone()[0] == 0, table
        for article_id in ids:
            analysis = load_analysis(con, article_id)  # every stored article is whole and true to its text
            spans = [m for a in analysis.actors for m in a.mentions] + [q.content for q in analysis.quotes]
            assert all(analysis.text[s.start:s.end] == s.text for s in spans)
        streamed = sorted(i for i in ids if i.startswith("stream-"))
        assert all(load_analysis(con, i).actors for i in streamed)
    finally:
        con.close()


HOLD = """
import sys, time
from stancegraph.records import ArticleAnalysis
from stancegraph.store import open_store, write_analyses
con = open_store(sys.argv[1])
write_analyses(con, [ArticleAnalysis("held", "Written while held", None, None, "A writer keeps the file.")])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def test_while_another_process_holds_the_store_reads_are_stale_or_503_and_a_post_waits(tmp_path):
    import sys

    db = build_store(tmp_path / "corpus.duckdb")
    server = start_server(db, tmp_path / "server.log", "--no-embeddings")
    try:
        with server.client() as http:
            assert http.post("/api/articles", json={"text": "Mayor Kari Lund opened the library."}).status_code == 201
            assert http.get("/api/articles").json()["total"] == 6  # read, and cached
            assert http.get("/articles", headers={"Accept": "text/html"}).status_code == 200
            holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), "8"], stdout=subprocess.PIPE, text=True)
            try:
                assert holder.stdout.readline().strip() == "holding"
                posted: list[httpx.Response] = []
                poster = threading.Thread(target=lambda: posted.append(http.post(
                    "/api/articles", json={"id": "during", "text": "Mayor Kari Lund closed the pool on Sunday."})))
                poster.start()
                busy = http.get("/api/articles", params={"page": 3})  # never read: nothing to fall back on
                assert busy.status_code == 503 and busy.json()["error"]["code"] == "E403"
                assert busy.headers["retry-after"] == "2"
                stale = http.get("/api/articles")
                assert stale.status_code == 200 and stale.headers["x-stancegraph-stale"] == "true"
                assert stale.json()["total"] == 6  # as it was before the other writer
                page = http.get("/articles", headers={"Accept": "text/html"})
                assert page.status_code == 200 and "Another process is writing" in page.text
            finally:
                holder.wait(timeout=30)
            poster.join(60)
            assert posted and posted[0].status_code == 201, posted  # it waited for the file, then wrote
            fresh = http.get("/api/articles")
            assert "x-stancegraph-stale" not in fresh.headers
            assert {"held", "during"} <= {a["id"] for a in fresh.json()["articles"]}
    finally:
        server.stop()
