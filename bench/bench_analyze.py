"""Analysis cost over a bare spaCy parse: ``stancegraph.analyze_articles`` against ``nlp.pipe``.

Both run in this process, one core, on the same texts (the BBC politics articles by default),
with the same model. Times are this process's CPU time (one thread, so time another job on
the machine takes is not counted), in ``--repeat`` rounds that run each pipeline in turn, so
that a slow spell of the machine falls on all of them; the best round of each counts. Prints the
ratio with the default tagger (target: at most 2.0 when that is the transformer, as today; 1.5
with the CRF), with the transformer quote tagger
(``--fast``'s time with its quote step swapped for the transformer's; target: at most 2.0) and
with ``fast=True``, the CRF (target: at most 1.3), and the time of each step per article;
``stances`` is the rules alone, ``target`` and ``directed`` what each stance model adds.

    .venv/bin/python bench/bench_analyze.py [--corpus DIR] [--limit N] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import spacy

from stancegraph import pipeline
from stancegraph.extract import actors, claims, consistency, quotes, stances
from stancegraph.extract.span_tagger import SpanTagger, load_span_tagger, preferred_tagger
from stancegraph.nlp import MODEL, load_pipeline, parse
from stancegraph.records import Article

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bbc-news" / "politics"


def best_of(repeat: int, run) -> float:
    """The least CPU time of ``repeat`` calls of ``run``."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def best_in_turn(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The least CPU time of each of ``runs``, over ``repeat`` rounds that call each once in turn."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            times[name].append(best_of(1, run))
    return {name: min(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    files = sorted(args.corpus.glob("*.txt"))[: args.limit or None]
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    words = sum(len(t.split()) for t in texts)

    bare = spacy.load(MODEL)
    load_pipeline()
    articles = [Article(text=t, id=f.stem) for f, t in zip(files, texts)]
    # one untimed pass of each over all the texts: a pipeline's first pass over new text is slower
    # (its vocabulary grows), which would favour whichever runs second; this also loads the models
    list(bare.pipe(texts, batch_size=32))
    list(pipeline.analyze_articles(articles))
    list(pipeline.analyze_articles(articles, fast=True))

    timed = best_in_turn(args.repeat, {
        "bare": lambda: list(bare.pipe(texts, batch_size=32)),
        "ours": lambda: list(pipeline.analyze_articles(articles)),
        "fast": lambda: list(pipeline.analyze_articles(articles, fast=True)),
    })
    bare_time, ours_time, fast_time = timed["bare"], timed["ours"], timed["fast"]

    # where the time goes, step by step, on one pass
    docs = list(parse(texts))
    steps = {}
    start = time.process_time()
    indexes = [actors.find_actors(d) for d in docs]
    steps["actors"] = time.process_time() - start
    start = time.process_time()
    found_quotes = [quotes.find_quotes(d, i) for d, i in zip(docs, indexes)]
    steps["quotes"] = time.process_time() - start
    # stances three ways, to show each model's share: rules alone, + target model, + directed model
    start = time.process_time()
    for d, i, q in zip(docs, indexes, found_quotes):
        stances.find_stances(d, i, q, classifier=stances.RULES_ONLY, directed=stances.RULES_ONLY)
    steps["stances"] = time.process_time() - start
    start = time.process_time()
    for d, i, q in zip(docs, indexes, found_quotes):
        stances.find_stances(d, i, q, directed=stances.RULES_ONLY)
    steps["target"] = time.process_time() - start - steps["stances"]
    start = time.process_time()
    for d, i in zip(docs, indexes):
        quotes.find_quotes(d, i, fast=True)
    steps["quotes (fast)"] = time.process_time() - start
    transformer = load_span_tagger()
    start = time.process_time()
    for d, i in zip(docs, indexes):
        quotes.find_quotes(d, i, tagger=transformer)
    steps["quotes (transformer)"] = time.process_time() - start
    start = time.process_time()
    found_stances = [stances.find_stances(d, i, q) for d, i, q in zip(docs, indexes, found_quotes)]
    steps["directed"] = time.process_time() - start - steps["stances"] - steps["target"]
    start = time.process_time()
    found_claims = [claims.find_claims(d, i, q) for d, i, q in zip(docs, indexes, found_quotes)]
    steps["claims"] = time.process_time() - start
    start = time.process_time()
    for a, d, i, q, s, c in zip(articles, docs, indexes, found_quotes, found_stances, found_claims):
        consistency.find_flags(d, a, i, q, s, c)
    steps["flags"] = time.process_time() - start

    n = len(texts)
    print(f"articles: {n}  words: {words:,}  repeat: {args.repeat} (best run counts)")
    print(f"bare nlp.pipe:               {bare_time:8.2f} s  ({words / bare_time:,.0f} words/s)")
    print(f"stancegraph analyze_articles:{ours_time:8.2f} s  ({words / ours_time:,.0f} words/s)")
    print(f"stancegraph --fast (CRF):    {fast_time:8.2f} s  ({words / fast_time:,.0f} words/s)")
    with_transformer = fast_time - steps["quotes (fast)"] + steps["quotes (transformer)"]
    default = preferred_tagger()
    target = 2.0 if isinstance(default, SpanTagger) else 1.5
    print(f"ratio analyze / bare parse:  {ours_time / bare_time:8.2f}  (default tagger: {type(default).__name__}; target <= {target})")
    print(f"ratio with the transformer:  {with_transformer / bare_time:8.2f}  (--fast with its quote step swapped; target <= 2.0)")
    print(f"ratio --fast / bare parse:   {fast_time / bare_time:8.2f}  (the CRF with both stance models; target <= 1.3, and <= 1.5 for the directed model)")
    for name, seconds in steps.items():
        print(f"  {name:<14} {1000 * seconds / n:7.2f} ms/article  ({seconds / bare_time:6.1%} of the bare parse)")


if __name__ == "__main__":
    main()
