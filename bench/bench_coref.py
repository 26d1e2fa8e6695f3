"""Time of the coreference ranker beside the spaCy parse, on BBC politics articles.

The articles are parsed once (timed), then the actor step runs on each parse with the
ranking of descriptions and pronouns timed apart from the rest; each side is the best of a
few rounds after a warm-up, on one thread, and the ratio says what coreference adds to the
cost of parsing a corpus::

    PYTHONPATH=src .venv/bin/python bench/bench_coref.py [--articles 100]
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # one core, before numpy loads a BLAS

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from bench_target_stance import best_time  # noqa: E402

from stancegraph.extract import coref  # noqa: E402
from stancegraph.extract.actors import find_actors  # noqa: E402
from stancegraph.nlp import load_pipeline, parse  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbc-news" / "politics"


def ranking_seconds(docs: list) -> float:
    """Seconds spent ranking descriptions and pronouns while the actor step runs on ``docs``."""
    spent = 0.0
    originals = coref.resolve_descriptions, coref.resolve_pronouns

    def timed(function):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            nonlocal spent
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent += time.perf_counter() - started
        return run

    coref.resolve_descriptions, coref.resolve_pronouns = (timed(f) for f in originals)
    try:
        for doc in docs:
            find_actors(doc)
    finally:
        coref.resolve_descriptions, coref.resolve_pronouns = originals
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a folder of .txt articles")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(args.data.glob("*.txt"))[: args.articles]]
    nlp = load_pipeline()
    parse_seconds = best_time(lambda: list(parse(texts, nlp=nlp)), args.rounds)
    docs = list(parse(texts, nlp=nlp))
    ranking = [ranking_seconds(docs) for _ in range(args.rounds + 1)][1:]
    actor_seconds = best_time(lambda: [find_actors(doc) for doc in docs], args.rounds)
    words = sum(len(doc) for doc in docs)
    print(f"{args.data.name}: {len(texts)} articles, {words} tokens, one thread, best of {args.rounds}")
    print(f"  spaCy parse ({nlp.meta['name']})      {parse_seconds:7.2f} s")
    print(f"  actor step, all of it            {actor_seconds:7.2f} s")
    print(f"  coreference ranking in it        {min(ranking):7.2f} s")
    print(f"  coreference time / parse time    {min(ranking) / parse_seconds:7.3f}")


if __name__ == "__main__":
    main()
