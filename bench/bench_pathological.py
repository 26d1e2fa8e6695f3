"""Analysis time of pathological text beside ordinary prose of the same length.

Times ``stancegraph.analyze`` on runs of ``"``, ``(`` and ``=`` of 10k, 20k and 40k characters
and on the same lengths of prose (the BBC politics articles, read in place, joined), in this
process on one core, best of ``--repeat``. Prints the time per character, its ratio to prose
(target: at most 3) and the growth from 10k to 20k and 20k to 40k (linear: about 2).

    .venv/bin/python bench/bench_pathological.py [--corpus DIR] [--repeat 2] [--sizes 10000 20000 40000]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from stancegraph.pipeline import analyze

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bbc-news" / "politics"
MARKS = ['"', "(", "="]


def prose_of(corpus: Path, length: int) -> str:
    """``length`` characters of the corpus's articles, joined by blank lines."""
    text = ""
    for path in sorted(corpus.glob("*.txt")):
        text += path.read_text(encoding="utf-8", errors="replace") + "\n\n"
        if len(text) >= length:
            return text[:length]
    raise SystemExit(f"{corpus} holds fewer than {length} characters")


def best_of(repeat: int, text: str) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        analyze(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 40_000])
    args = parser.parse_args()

    analyze(prose_of(args.corpus, 2_000))  # loads the models
    shapes = {"prose": lambda n: prose_of(args.corpus, n)} | {f"{m} run": (lambda n, m=m: m * n) for m in MARKS}
    seconds = {(name, n): best_of(args.repeat, shape(n)) for name, shape in shapes.items() for n in args.sizes}

    print(f"{'text':<8} {'chars':>7} {'seconds':>8} {'us/char':>8} {'vs prose':>9}")
    for name in shapes:
        for n in args.sizes:
            t = seconds[(name, n)]
            print(f"{name:<8} {n:>7,} {t:>8.3f} {t / n * 1e6:>8.1f} {t / seconds[('prose', n)]:>8.2f}x")
    print()
    steps = list(zip(args.sizes, args.sizes[1:]))
    print(f"{'text':<8} " + " ".join(f"{f'{b // 1000}k/{a // 1000}k':>9}" for a, b in steps) + "   (growth; linear = size ratio)")
    for name in shapes:
        print(f"{name:<8} " + " ".join(f"{seconds[(name, b)] / seconds[(name, a)]:>8.2f}x" for a, b in steps))


if __name__ == "__main__":
    main()
