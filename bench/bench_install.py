"""What installing and starting stancegraph costs, before and after the move off torch.

Builds two fresh venvs with the same stancegraph wheel (``--no-deps``) and a different
dependency set:

* before: the pinned set of ``pyproject.toml`` at ``--before`` (a git revision: torch,
  sentence-transformers and VADER at run time), torch first from the CPU wheels, plus what
  today's wheel needs to analyse an English article that the set predates (py3langid, at the
  version ``requirements/runtime.txt`` locks);
* after: ``requirements/runtime.txt``, hash-checked.

Prints, measured in one run on the same machine with the same installer and cache: install time
and venv size (target: after under a third of before); the cold start of ``stancegraph analyze`` on one
short article, the median of ``--repeat`` runs (target <= 2.5 s after); and, with ``--corpus``,
``stancegraph ingest`` end to end over a bare parse of the same texts, each a fresh process with
one worker, start-up included (target <= 1.2)::

    .venv/bin/python bench/bench_install.py [--before 2c25337] [--corpus ../shared/data/bbc-news/politics]

Both sets are installed by the same installer: pip (the default), or with ``--installer uv``
uv's ``uv pip install --compile-bytecode`` (byte-compiled like pip, from uv's cache), so that
the ratio compares the sets, not the installers.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
ARTICLE = ('Mayor Ilse Brandt said on Tuesday: "The harbour tunnel will take ten thousand lorries off our streets."\n'
           "Councillor Tomas Vidal criticised the plan and said the city could not afford it.\n")
BARE_PARSE = (
    "import sys; from pathlib import Path\n"
    "from stancegraph.nlp import parse\n"
    "from stancegraph.sources import read_inputs\n"
    "texts = [a.text for a in read_inputs([sys.argv[1]]) if hasattr(a, 'text')]\n"
    "print(sum(len(doc) for doc in parse(texts)))\n"
)


def timed(*args: str | Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run([str(arg) for arg in args], check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def size(path: Path) -> int:
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file() and not entry.is_symlink())


def before_requirements(revision: str) -> list[str]:
    """The run-time dependencies of ``pyproject.toml`` at ``revision``."""
    text = subprocess.run(["git", "-C", str(REPO), "show", f"{revision}:pyproject.toml"], check=True,
                          capture_output=True, text=True).stdout
    return tomllib.loads(text)["project"]["dependencies"]


def locked(name: str) -> str:
    """``name==version`` as ``requirements/runtime.txt`` locks it."""
    text = (REPO / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(name)}==(\S+)", text, re.MULTILINE)
    if found is None:
        raise SystemExit(f"{name} is not in requirements/runtime.txt")
    return f"{name}=={found.group(1)}"


NEWER_NEEDS = ("py3langid",)
"""Run-time needs of today's code that the ``--before`` set predates (language detection)."""


def make_venv(path: Path, wheel: Path, install: list[list[str]], env: dict[str, str], installer: str) -> float:
    """A venv at ``path`` with the ``install`` commands run by ``installer``, then the wheel; the seconds it took."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, env=env)
    pip = ([str(path / "bin" / "python"), "-m", "pip", "install", "--quiet"] if installer == "pip" else
           [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--compile-bytecode", "--python",
            str(path / "bin" / "python")])
    for args in install:
        subprocess.run(pip + args, check=True, env=env)
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default="2c25337", help="git revision of the pinned, torch-at-run-time set")
    parser.add_argument("--torch-wheels", default="/opt/wheels", help="where the CPU build of torch lies")
    parser.add_argument("--corpus", type=Path, help="a folder of articles for ingest over bare parse")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--installer", choices=("pip", "uv"), default="pip",
                        help="what installs both sets (uv: python -m uv, byte-compiling like pip)")
    args = parser.parse_args()
    if args.installer == "uv" and subprocess.run([sys.executable, "-m", "uv", "--version"], capture_output=True).returncode:
        raise SystemExit(f"--installer uv needs uv beside this Python: {sys.executable} -m pip install uv")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(scratch), str(REPO)],
                       check=True, capture_output=True)
        [wheel] = scratch.glob("stancegraph-*.whl")
        print(f"wheel: {wheel.name}, {wheel.stat().st_size / 1e6:.1f} MB")
        torch = next(spec for spec in before_requirements(args.before) if re.match(r"torch\b", spec))
        sets = {
            "before": [["--find-links", args.torch_wheels, torch],
                       before_requirements(args.before) + [locked(name) for name in NEWER_NEEDS]],
            "after": [["--require-hashes", "-r", str(REPO / "requirements" / "runtime.txt")]],
        }
        results: dict[str, dict[str, float]] = {}
        for label, install in sets.items():
            venv = scratch / label
            seconds = make_venv(venv, wheel, install, env, args.installer)
            (scratch / "article.txt").write_text(ARTICLE, encoding="utf-8")
            cli = venv / "bin" / "stancegraph"
            timed(cli, "analyze", scratch / "article.txt", env=env)  # first run: byte-compiles, fills caches
            starts = [timed(cli, "analyze", scratch / "article.txt", env=env) for _ in range(args.repeat)]
            results[label] = {"install": seconds, "size": size(venv), "start": statistics.median(starts)}
            print(f"{label}: install ({args.installer}) {seconds:.0f} s, venv {size(venv) / 1e6:.0f} MB, "
                  f"analyze one article {statistics.median(starts):.2f} s (median of {args.repeat})")
        before, after = results["before"], results["after"]
        print(f"after/before: install time {after['install'] / before['install']:.2f}, venv size "
              f"{after['size'] / before['size']:.2f} (target < 0.33), cold start {after['start'] / before['start']:.2f}")
        if args.corpus:
            venv = scratch / "after"
            ingest = timed(venv / "bin" / "stancegraph", "ingest", args.corpus, "--db", scratch / "bench.duckdb",
                           "--workers", "1", env=env)
            parse = timed(venv / "bin" / "python", "-c", BARE_PARSE, args.corpus, env=env)
            print(f"after: ingest {ingest:.1f} s, bare parse {parse:.1f} s, both start-up included, one worker: "
                  f"ingest/parse {ingest / parse:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
