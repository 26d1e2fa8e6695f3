"""A per-article time budget: each article analysed in a child process that is killed and
replaced when one article takes longer than the budget.

Nothing short of a process boundary can stop a spaCy parse midway (it runs in compiled code
that never returns to Python until done, and a signal only reaches the main thread), so a
budget checked between steps would not bound anything. :class:`BudgetedAnalyzer` keeps one
child process (``python -m stancegraph.engines.budget``) with the pipeline loaded, hands it
one article at a time over a pipe, and waits at most the budget for the answer. An article
that runs over is a failure with code E116; the child is killed, a new one is started (the
time it takes to load the pipeline is not counted against the next article) and the rest go
on. A child that dies on its own (out of memory) fails its article with E211, and is replaced
the same way.

Example (starts a child process, so not run as a doctest)::

    analyzer = BudgetedAnalyzer(seconds=60)
    outcome = analyzer.analyze(Article("Merkel met Macron.", id="a1"))   # an ArticleAnalysis
    analyzer.close()
"""

from __future__ import annotations

import itertools
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from stancegraph.errors import InputError, StanceGraphError, StoreError
from stancegraph.records import Article, ArticleAnalysis
from stancegraph.sources.text import DEFAULT_MAX_CHARS

__all__ = ["DEFAULT_TIME_BUDGET", "BudgetedAnalyzer", "analyze_in_child", "analyzer_for", "check_budget"]

DEFAULT_TIME_BUDGET = 60.0
"""Seconds one article may take in an ingest (the longest BBC politics article takes about 1 s)."""

_HEADER = struct.Struct("!Q")
_WARM_UP = 'Talks\n\nAda Kovacs said Lev Okafor was wrong about the 5% tax. "He misled us," Kovacs said.'
"""Analysed by a new child before it says it is ready, so that no article's budget pays for
loading the models (the stance classifier, the attribution model, the name lists)."""
_READY = "ready"


def _write(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("the child process closed its output")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read(fd: int, timeout: float | None) -> Any:
    """The next value the child sends; TimeoutError when none starts within ``timeout``."""
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        raise TimeoutError
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size))
    return pickle.loads(_read_exact(fd, size))


class BudgetedAnalyzer:
    """Analyses articles in a child process, each within ``seconds`` of the one before."""

    def __init__(self, seconds: float, *, max_chars: int = DEFAULT_MAX_CHARS, fast: bool = False) -> None:
        self.seconds = seconds
        self.max_chars = max_chars
        self.fast = fast  # the CRF quote tagger (``analyze --fast``)
        self.peak_rss = 0  # the largest peak memory any child reported, in bytes
        self._child: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the child and wait until its pipeline and models are loaded (not counted in any budget)."""
        if self._child is not None:
            return
        paths = [str(Path(__file__).resolve().parents[2]), *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in paths if path))
        child = subprocess.Popen([sys.executable, "-m", "stancegraph.engines.budget", str(os.getpid()),
                                  "fast" if self.fast else "default"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        assert child.stdout is not None
        try:
            if _read(child.stdout.fileno(), None) != _READY:
                raise EOFError("the child process did not start")
        except BaseException:
            child.kill()
            child.wait()
            raise
        self._child = child

    def analyze(self, article: Article) -> ArticleAnalysis | InputError:
        """The article's analysis, or the error that stopped it (E116 when over the budget)."""
        return self.analyze_all([article])[0]

    def analyze_all(self, articles: list[Article]) -> list[ArticleAnalysis | InputError]:
        """One outcome per article, in order.

        The articles go to the child together, so that it parses them in one ``nlp.pipe``
        batch, and each answer must come within the budget of the one before. When one does
        not, the child is killed and the unanswered articles are tried again one at a time, so
        that E116 goes to the article that ran over and not to those batched with it.
        """
        outcomes: list[ArticleAnalysis | InputError] = []
        pending = list(articles)
        one_at_a_time = False
        while pending:
            batch = pending[:1] if one_at_a_time else pending
            answered = self._run(batch, alone=len(batch) == 1)
            one_at_a_time = one_at_a_time or len(answered) < len(batch)
            outcomes.extend(answered)
            pending = pending[len(answered):]
        return outcomes

    def _run(self, batch: list[Article], *, alone: bool) -> list[ArticleAnalysis | InputError]:
        """The outcomes of ``batch`` up to the first that ran over (given as E116 when ``alone``)."""
        outcomes: list[ArticleAnalysis | InputError] = []
        started = time.monotonic()
        try:
            self.start()
            child = self._child
            assert child is not None and child.stdin is not None and child.stdout is not None
            started = time.monotonic()
            _write(child.stdin, (batch, self.max_chars, self.fast))
            for _ in batch:
                kind, value, peak = _read(child.stdout.fileno(), self.seconds)
                self.peak_rss = max(self.peak_rss, peak)
                outcomes.append(InputError(value[0], input=value[1], **value[2]) if kind == "error" else value)
                started = time.monotonic()
        except TimeoutError:
            self.close()
            if alone:
                outcomes.append(InputError("E116", input=batch[0].id or "<text>", seconds=self.seconds,
                                           waited=time.monotonic() - started))
        except (EOFError, OSError, pickle.UnpicklingError) as err:
            self.close()
            if alone:
                outcomes.append(InputError("E211", input=batch[0].id or "<text>",
                                           detail=f"{type(err).__name__}: {err}"))
        return outcomes

    def close(self) -> None:
        """Stop the child (killed: it may be in the middle of an article)."""
        if self._child is not None:
            self._child.kill()
            self._child.wait()
            for stream in (self._child.stdin, self._child.stdout):
                if stream is not None:
                    stream.close()
            self._child = None


def check_budget(seconds: float | None) -> float | None:
    """The budget, or None for none (given as None or 0); E217 for a negative one."""
    if seconds is not None and seconds < 0:
        raise StoreError("E217", value=seconds)
    return seconds or None


_local = threading.local()


def analyzer_for(seconds: float, max_chars: int, fast: bool = False) -> BudgetedAnalyzer:
    """This thread's analyzer for that budget (its child process is kept between calls).

    The child inherits the environment when it starts, so a change of the default quote
    tagger (``STANCEGRAPH_QUOTE_TAGGER``) since then starts a new one.
    """
    from stancegraph.extract import TAGGER_VARIABLE

    wanted = (seconds, max_chars, fast, os.environ.get(TAGGER_VARIABLE))
    analyzer: BudgetedAnalyzer | None = getattr(_local, "analyzer", None)
    if analyzer is None or getattr(_local, "key", None) != wanted:
        if analyzer is not None:
            analyzer.close()
        analyzer = _local.analyzer = BudgetedAnalyzer(seconds, max_chars=max_chars, fast=fast)
        _local.key = wanted
    return analyzer


def analyze_in_child(articles: Iterable[Article | InputError], seconds: float, *, max_chars: int = DEFAULT_MAX_CHARS,
                     fast: bool = False, batch_size: int = 32) -> Iterator[ArticleAnalysis | InputError]:
    """``pipeline.analyze_articles`` with a time budget: the articles go to this thread's child in
    groups of ``batch_size`` (it checks and parses each group); errors pass through in place.

    This process never loads spaCy or a model: an ingest's main process only sends and stores.
    """
    analyzer = analyzer_for(seconds, max_chars, fast)
    items = iter(articles)
    while group := list(itertools.islice(items, batch_size)):
        outcomes = iter(analyzer.analyze_all([item for item in group if isinstance(item, Article)]))
        yield from (item if isinstance(item, InputError) else next(outcomes) for item in group)


def _die_with(parent: int) -> None:
    """Be killed by the kernel when the parent ends (Linux's parent-death signal): a watcher
    thread alone may wait for the GIL while the pipeline loads, and outlive a ``kill -9``'d ingest."""
    from stancegraph.engines.local import watch_parent

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        pass
    if os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(1)
    watch_parent()


def _serve() -> None:
    """The child: load the pipeline and warm up with the quote tagger it is started for
    (``fast``: the CRF), then analyse each batch it is sent, answering article by article,
    until its input ends."""
    _die_with(int(sys.argv[1]))
    from stancegraph.engines.base import peak_rss_bytes
    from stancegraph.nlp import load_pipeline
    from stancegraph.pipeline import analyze_articles

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints from libraries go to stderr, not into the answers
    load_pipeline()
    fast = sys.argv[2] == "fast"
    list(analyze_articles([Article(_WARM_UP, id="warm-up")], fast=fast))  # the models each step loads on first use
    _write(out, _READY)
    fd = sys.stdin.fileno()
    while True:
        try:
            articles, max_chars, fast = _read(fd, None)
        except EOFError:
            return
        for result in analyze_articles(articles, max_chars=max_chars, fast=fast):
            if isinstance(result, StanceGraphError):
                _write(out, ("error", (result.code, result.input, result.details), peak_rss_bytes()))
            else:
                _write(out, ("ok", result, peak_rss_bytes()))


if __name__ == "__main__":
    _serve()
