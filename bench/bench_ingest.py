"""Ingest throughput on the BBC politics articles, as ratios measured in one run.

Prints, each on the same texts (417 BBC politics articles by default):

* ingest (one worker) over a bare ``nlp.pipe`` of the texts (target at most 1.3), and over the
  analysis alone (``analyze_articles``): what reading, hashing, resolving and writing add;
* two local workers over one (target at least 1.7x);
* the Dask engine on a 2-worker ``LocalCluster`` over the local engine with 2 workers;
* peak memory per worker (target under 1.5 GiB);
* the cores each run had (CPU seconds over wall seconds): on a shared machine a speed-up
  can be no more than the cores the machine gives;
* re-ingest of the same inputs (the ``stancegraph ingest`` command, start-up included) over
  the first ingest (target under 5%).

Engines are warmed up (workers started, spaCy loaded) before they are timed; their start-up
is printed apart. BLAS runs one thread per process, so a worker is a core::

    .venv/bin/python bench/bench_ingest.py [--data ../shared/data/bbc-news/politics] [--workers 2]
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # one core per process, before numpy loads a BLAS

import argparse  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import duckdb  # noqa: E402

from stancegraph.engines.base import Engine  # noqa: E402
from stancegraph.engines.ingest import IngestSummary, ingest, make_engine  # noqa: E402
from stancegraph.nlp import load_pipeline  # noqa: E402
from stancegraph.pipeline import analyze_articles  # noqa: E402
from stancegraph.records import Article  # noqa: E402
from stancegraph.sources import read_inputs  # noqa: E402

__all__ = ["main", "timed"]

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbc-news" / "politics"
GIB = 1024**3
COMPARED = ["articles", "actors", "aliases", "article_actors", "mentions", "roles", "quotes", "stances", "relations",
            "claims", "flags", "failures"]


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    """Wall time of one call, and what it returned."""
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def warm(engine: Engine) -> float:
    """Start the engine's workers and load spaCy in each; the seconds it took."""
    chunks = [[Article(f"Warm-up {n}: Merkel met Macron in Paris.", id=f"warm-{n}")] for n in range(2 * engine.workers)]
    seconds, _ = timed(lambda: list(engine.map(chunks)))
    return seconds


def store_rows(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        volatile = {"articles": " EXCLUDE (ingested_at)", "failures": " EXCLUDE (time)"}
        return {t: con.execute(f"SELECT *{volatile.get(t, '')} FROM {t} ORDER BY ALL").fetchall() for t in COMPARED}
    finally:
        con.close()


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (workers, once closed)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_engine(name: str, workers: int, data: Path, db: Path) -> tuple[float, float, float, IngestSummary]:
    """(start-up seconds, ingest seconds, CPU seconds of the whole run, summary) of one warmed engine."""
    cpu_before = cpu_seconds()
    engine = make_engine(name, workers=workers, max_chars=1_000_000)
    try:
        startup = warm(engine)
        seconds, summary = timed(lambda: ingest([str(data)], db, engine=engine))
    finally:
        engine.close()
    return startup, seconds, cpu_seconds() - cpu_before, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a folder of .txt articles")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="stancegraph-bench-"))

    texts = [a.text for a in read_inputs([str(args.data)]) if isinstance(a, Article)]
    nlp = load_pipeline()
    list(nlp.pipe(texts[:8]))  # warm
    pipe_s, _ = timed(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=32)))
    analyze_s, _ = timed(lambda: list(analyze_articles(Article(t, id=str(i)) for i, t in enumerate(texts))))

    one_db = out / "local-1.duckdb"
    _, one_s, one_cpu, one = run_engine("local", 1, args.data, one_db)
    many_start, many_s, many_cpu, many = run_engine("local", args.workers, args.data,
                                                    out / f"local-{args.workers}.duckdb")
    dask_start, dask_s, dask_cpu, dask = run_engine("dask", args.workers, args.data, out / f"dask-{args.workers}.duckdb")
    same = store_rows(one_db) == store_rows(out / f"local-{args.workers}.duckdb") == \
        store_rows(out / f"dask-{args.workers}.duckdb")

    again_in_process_s, _ = timed(lambda: ingest([str(args.data)], one_db))
    command = [sys.executable, "-c", "from stancegraph.cli.main import run; run()", "ingest", str(args.data),
               "--db", str(one_db)]
    again_s, again = timed(lambda: subprocess.run(command, capture_output=True, text=True, check=True))

    peak = max([*many.peak_rss.values(), *dask.peak_rss.values()], default=0)
    print(f"{args.data}: {len(texts)} articles, {one.added} added per run; results in {out}")
    print(f"  bare nlp.pipe                          {pipe_s:7.1f} s")
    print(f"  analyze_articles (parse + extraction)  {analyze_s:7.1f} s")
    print(f"  ingest, local, 1 worker                {one_s:7.1f} s   cores used {one_cpu / one_s:4.2f}")
    print(f"  ingest, local, {args.workers} workers               {many_s:7.1f} s   cores used "
          f"{many_cpu / (many_s + many_start):4.2f}   (+{many_start:.1f} s to start the workers)")
    print(f"  ingest, dask LocalCluster, {args.workers} workers   {dask_s:7.1f} s   cores used "
          f"{dask_cpu / (dask_s + dask_start):4.2f}   (+{dask_start:.1f} s to start the cluster)")
    print(f"  re-ingest, in this process             {again_in_process_s:7.1f} s")
    print(f"  re-ingest, the command, start-up incl. {again_s:7.1f} s   ({again.stdout.strip()})")
    print("ratios")
    print(f"  ingest 1 worker / bare nlp.pipe          {one_s / pipe_s:6.2f}   (target <= 1.3)")
    print(f"  ingest 1 worker / analyze_articles       {one_s / analyze_s:6.2f}   (what the store path adds)")
    print(f"  {args.workers} workers speed-up over 1              {one_s / many_s:6.2f}x  (target >= 1.7x; "
          f"CPU time {args.workers} workers / 1: {many_cpu / one_cpu:.2f})")
    print(f"  dask {args.workers} workers / local {args.workers} workers (time) {dask_s / many_s:6.2f}")
    print(f"  peak memory per worker                   {peak / GIB:6.2f} GiB (target < 1.5)")
    print(f"  re-ingest / first ingest                 {again_s / one_s:6.1%}  (target < 5%; "
          f"{again_in_process_s / one_s:.1%} without the command's start-up)")
    print(f"  stores identical (local 1, local {args.workers}, dask) {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
