"""Load on the web server: concurrent clients on loopback against /api/articles and /api/network.

Builds a store of synthetic articles (hand-made analyses written through ``write_analyses``:
no parsing), starts ``stancegraph serve`` on a free loopback port, and runs ``--clients``
concurrent clients for ``--seconds`` seconds. Each client repeats a mix of requests: article
listings (pages, a date range, a text search, an actor filter) and networks (congruence and
conflict, over the whole range and over a quarter, of one concept). Prints the requests,
errors (a status other than 200, or a failed connection) and p50/p99 latency per route, and
writes them to ``bench/results/web_load.json``::

    .venv/bin/python bench/bench_web_load.py [--articles 400] [--clients 50] [--seconds 30] [--hostile] [--reviews]

With ``--hostile`` the same load runs twice on the same server, first quiet, then while a
client keeps posting 200 KB runs of ``"`` (the text of issue 16 that once froze the server for
minutes) to ``POST /api/articles``; it prints the p99 read latency under that load over the
quiet one, a ratio measured in one run.

With ``--reviews`` the load runs again while a client posts a review every
``--review-interval`` seconds (default 1) to ``POST /api/reviews`` (an accept, or an edit of a
stance's polarity, a third of them undone at once): every review is a write that changes the
store, so the reads' cached networks are built again. It prints the reviews' answers and
latency, and the read p99 under that load over the quiet one.

The load is bounded (count of clients and time) and goes only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from stancegraph.records import Actor, ArticleAnalysis, Quote, Span, Stance
from stancegraph.store import open_store, write_analyses

PEOPLE = ["Ana Lind", "Bo Krantz", "Cem Aydin", "Dora Weiss", "Eli Navarro", "Fay Okoro", "Gus Petit", "Hana Sato",
          "Ivo Marek", "Jon Berg", "Kim Laval", "Lea Vogt"]
ISSUES = ["carbon tax", "border checks", "pension reform", "rail subsidy", "arms exports", "rent cap"]
SOURCES = ["Daily Bench", "Evening Bench", "Weekly Bench"]
SERVING = re.compile(r"serving .* at (https?://[^ ]+/)")
HOSTILE = '"' * 100_000  # 200 KB as JSON


def synthetic(n: int, seed: int = 1) -> list[ArticleAnalysis]:
    """``n`` articles, each with three speakers taking sides on one issue, quoted."""
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    articles = []
    for i in range(n):
        issue = rng.choice(ISSUES)
        speakers = rng.sample(PEOPLE, 3)
        parts, actors, quotes, stances = [], [], [], []
        offset = 0
        for k, name in enumerate(speakers):
            polarity = rng.choice([1, -1])
            said = f"the {issue} is {'right' if polarity > 0 else 'wrong'} ({i}-{k})"
            sentence = f"{name} said {said}. "
            name_span = Span(offset, offset + len(name), name)
            said_start = offset + len(name) + len(" said ")
            content = Span(said_start, said_start + len(said), said)
            evidence = Span(offset, said_start + len(said), sentence[:-2])
            local = f"p{k}"
            actors.append(Actor(local, name, "person", mentions=[name_span]))
            quotes.append(Quote("indirect", content, Span(offset + len(name) + 1, offset + len(name) + 5, "said"),
                                name_span, local, 0.9))
            stances.append(Stance(local, issue, "issue", polarity, evidence, 0.8))
            parts.append(sentence)
            offset += len(sentence)
        text = "".join(parts).rstrip()
        date = (start + dt.timedelta(days=rng.randrange(365))).isoformat()
        articles.append(ArticleAnalysis(f"bench-{i:05d}", f"Bench article {i} on the {issue}", date,
                                        rng.choice(SOURCES), text, actors=actors, quotes=quotes, stances=stances))
    return articles


def requests_mix(rng: random.Random) -> tuple[str, str, dict]:
    """(route, path, params) of one request."""
    if rng.random() < 0.5:
        params = rng.choice([
            {"page": rng.randint(1, 10)},
            {"from": "2023-03-01", "to": "2023-06-30"},
            {"q": rng.choice(ISSUES)},
            {"actor": rng.choice(PEOPLE)},
            {"source": rng.choice(SOURCES), "per_page": 50},
        ])
        return "/api/articles", "/api/articles", params
    params = rng.choice([
        {"kind": "congruence"},
        {"kind": "conflict"},
        {"kind": "conflict", "from": "2023-04-01", "to": "2023-06-30"},
        {"kind": "congruence", "concept": rng.choice(ISSUES)},
        {"kind": "two-mode"},
    ])
    return "/api/network", "/api/network", params


async def client(base: str, deadline: float, seed: int, results: dict[str, list[float]], errors: dict[str, int]) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.monotonic() < deadline:
            route, path, params = requests_mix(rng)
            started = time.perf_counter()
            try:
                response = await http.get(path, params=params)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            elapsed = time.perf_counter() - started
            if ok:
                results.setdefault(route, []).append(elapsed)
            else:
                errors[route] = errors.get(route, 0) + 1


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run_load(base: str, clients: int, seconds: float) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """``clients`` concurrent clients for ``seconds``: latencies and errors per route, and the wall time."""
    results: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    started = time.monotonic()
    deadline = started + seconds

    async def run() -> None:
        await asyncio.gather(*(client(base, deadline, seed, results, errors) for seed in range(clients)))

    asyncio.run(run())
    return results, errors, time.monotonic() - started


def post_hostile(base: str, stop: threading.Event, outcomes: dict[int, int]) -> None:
    """Keep the analysis worker busy with hostile texts until ``stop`` (each answered at once: ``wait=0``)."""
    with httpx.Client(base_url=base, timeout=60) as http:
        while not stop.is_set():
            response = http.post("/api/articles", params={"wait": 0}, json={"text": HOSTILE + str(time.time_ns())})
            outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1
            stop.wait(float(response.headers.get("retry-after", "0.5")))


def post_reviews(base: str, stop: threading.Event, interval: float, articles: int, outcomes: dict[int, int],
                 latencies: list[float]) -> None:
    """Review a random stance every ``interval`` s until ``stop``: accept it or set its polarity, undo a third."""
    rng = random.Random(7)
    with httpx.Client(base_url=base, timeout=60) as http:
        while not stop.is_set():
            body: dict = {"target": "stance", "id": f"bench-{rng.randrange(articles):05d}#{rng.randrange(3)}",
                          "verdict": "accept", "reviewer": "bench"}
            if rng.random() < 0.5:
                body.update(verdict="edit", changes={"polarity": rng.choice([1, -1])})
            started = time.perf_counter()
            try:
                response = http.post("/api/reviews", json=body)
                status = response.status_code
                if status == 201 and rng.random() < 1 / 3:
                    status = http.post(f"/api/reviews/{response.json()['id']}/undo").status_code
            except httpx.HTTPError:
                status = 0
            latencies.append(time.perf_counter() - started)
            outcomes[status] = outcomes.get(status, 0) + 1
            stop.wait(interval)


def report_phase(name: str, results: dict[str, list[float]], errors: dict[str, int], wall: float) -> dict:
    entries = {}
    print(f"{name}: {wall:.1f} s")
    print(f"{'route':<16}{'requests':>10}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for route in ("/api/articles", "/api/network"):
        times = results.get(route, [])
        entry = {"requests": len(times) + errors.get(route, 0), "errors": errors.get(route, 0),
                 "per_second": round(len(times) / wall, 1),
                 "p50_ms": round(1000 * statistics.median(times), 1) if times else None,
                 "p99_ms": round(1000 * percentile(times, 0.99), 1) if times else None,
                 "max_ms": round(1000 * max(times), 1) if times else None}
        entries[route] = entry
        print(f"{route:<16}{entry['requests']:>10}{entry['errors']:>8}{entry['per_second']:>8}"
              f"{entry['p50_ms']:>9}{entry['p99_ms']:>9}{entry['max_ms']:>9}")
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--hostile", action="store_true", help="a second run while hostile texts are posted")
    parser.add_argument("--reviews", action="store_true", help="a run while reviews are posted")
    parser.add_argument("--review-interval", type=float, default=1.0, help="seconds between reviews")
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "results" / "web_load.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.duckdb"
        con = open_store(db)
        write_analyses(con, synthetic(args.articles))
        con.close()
        log = Path(folder) / "server.log"
        with log.open("w") as handle:
            server = subprocess.Popen([sys.executable, "-m", "stancegraph.cli.main", "serve", "--db", str(db),
                                       "--host", "127.0.0.1", "--port", "0", "--no-embeddings", "--log-level", "warning"],
                                      stdout=handle, stderr=subprocess.STDOUT)
        try:
            base = None
            for _ in range(600):
                match = SERVING.search(log.read_text())
                if match:
                    base = match.group(1).rstrip("/")
                    break
                if server.poll() is not None:
                    raise SystemExit(f"server exited:\n{log.read_text()}")
                time.sleep(0.1)
            if base is None:
                raise SystemExit("server did not start")
            # one warm-up request per route (the first network folds the corpus's labels)
            warm = time.perf_counter()
            httpx.get(f"{base}/api/network", params={"kind": "congruence"}, timeout=120).raise_for_status()
            warm_up = time.perf_counter() - warm
            phases = {"quiet": run_load(base, args.clients, args.seconds)}
            posted: dict[int, int] = {}
            if args.hostile:
                stop = threading.Event()
                poster = threading.Thread(target=post_hostile, args=(base, stop, posted))
                poster.start()
                try:
                    phases["hostile"] = run_load(base, args.clients, args.seconds)
                finally:
                    stop.set()
                    poster.join(120)
            reviewed: dict[int, int] = {}
            review_times: list[float] = []
            if args.reviews:
                stop = threading.Event()
                reviewer = threading.Thread(target=post_reviews, args=(base, stop, args.review_interval, args.articles,
                                                                       reviewed, review_times))
                reviewer.start()
                try:
                    phases["reviews"] = run_load(base, args.clients, args.seconds)
                finally:
                    stop.set()
                    reviewer.join(120)
        finally:
            server.terminate()
            server.wait(timeout=60)

    print(f"{args.clients} clients on {args.articles} articles (first network: {warm_up:.2f} s)")
    report: dict = {"articles": args.articles, "clients": args.clients, "warm_up_seconds": round(warm_up, 2)}
    for name, (results, errors, wall) in phases.items():
        report[name] = {"seconds": round(wall, 1), "routes": report_phase(name, results, errors, wall)}
    report["routes"] = report["quiet"]["routes"]
    if args.hostile:
        report["hostile_posts"] = {str(k): v for k, v in sorted(posted.items())}
        print(f"hostile posts answered: {report['hostile_posts']}")
        for route in ("/api/articles", "/api/network"):
            quiet, hostile = report["quiet"]["routes"][route], report["hostile"]["routes"][route]
            if quiet["p99_ms"] and hostile["p99_ms"]:
                print(f"{route}: p99 while hostile texts are analysed / quiet = {hostile['p99_ms'] / quiet['p99_ms']:.2f}")
    review_errors = 0
    if args.reviews:
        review_errors = sum(n for status, n in reviewed.items() if status not in (200, 201))
        report["reviews_posted"] = {"answers": {str(k): v for k, v in sorted(reviewed.items())}, "errors": review_errors,
                                    "p50_ms": round(1000 * statistics.median(review_times), 1) if review_times else None,
                                    "p99_ms": round(1000 * percentile(review_times, 0.99), 1) if review_times else None}
        print(f"reviews posted: {report['reviews_posted']}")
        for route in ("/api/articles", "/api/network"):
            quiet, busy = report["quiet"]["routes"][route], report["reviews"]["routes"][route]
            if quiet["p99_ms"] and busy["p99_ms"]:
                print(f"{route}: p99 while reviews are posted / quiet = {busy['p99_ms'] / quiet['p99_ms']:.2f}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    failed = sum(sum(errors.values()) for _, errors, _ in phases.values()) + review_errors
    if failed:
        raise SystemExit(f"{failed} errors")


if __name__ == "__main__":
    main()
