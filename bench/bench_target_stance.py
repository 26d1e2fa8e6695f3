"""Throughput of the target stance classifier beside the spaCy parse of the same sentences.

Both run on one thread over the NewsMTSC dev-rw sentences, each timed as the best of a few
rounds after a warm-up, and the ratio of the two times says what target stance adds to the
cost of parsing a corpus::

    .venv/bin/python bench/bench_target_stance.py [--data ../shared/data/newsmtsc/dev-rw.jsonl]
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # one core, before numpy loads a BLAS

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from stancegraph.evaluation.newsmtsc import read_newsmtsc  # noqa: E402
from stancegraph.extract.target_stance import TargetStanceClassifier  # noqa: E402
from stancegraph.nlp import load_pipeline, parse  # noqa: E402

__all__ = ["best_time", "main"]

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "newsmtsc" / "dev-rw.jsonl"


def best_time(run: Callable[[], object], rounds: int) -> float:
    """The shortest wall time of ``rounds`` calls of ``run``, after one warm-up call."""
    run()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a NewsMTSC JSONL file")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    sentences = read_newsmtsc(args.data)
    texts = [sentence.text for sentence in sentences]
    items = [(sentence.text, sentence.spans) for sentence in sentences]
    targets = sum(len(sentence.spans) for sentence in sentences)
    nlp = load_pipeline()
    classifier = TargetStanceClassifier(threads=1)

    parse_seconds = best_time(lambda: list(parse(texts, nlp=nlp)), args.rounds)
    stance_seconds = best_time(lambda: classifier.predict(items), args.rounds)
    print(f"{args.data.name}: {len(texts)} sentences, {targets} targets, one thread, best of {args.rounds}")
    print(f"  spaCy parse ({nlp.meta['name']})  {parse_seconds:7.2f} s  {len(texts) / parse_seconds:7.0f} sentences/s")
    print(f"  target stance (int8 ONNX)     {stance_seconds:7.2f} s  {targets / stance_seconds:7.0f} targets/s")
    print(f"  stance time / parse time      {stance_seconds / parse_seconds:7.2f}")


if __name__ == "__main__":
    main()
