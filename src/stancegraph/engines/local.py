"""The local engine: the per-article work in this process, or in N worker processes.

With one worker the articles are analysed here, with no process to start or feed. With more,
a pool of ``spawn``-ed processes loads the spaCy pipeline once each (as they start, in
parallel) and takes chunks of articles; results come back in input order. A worker that dies
(out of memory, a crash in a library) fails its chunks' articles, which go to ``failures``
(E211) and are retried by the next run, and the pool is started again for the chunks after.

Example
-------
>>> from stancegraph.records import Article
>>> with LocalEngine(workers=1) as engine:
...     [len(r.outcomes) for r in engine.map([[Article("Merkel spoke.", id="a")]])]
[1]
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from stancegraph.engines.base import ChunkResult, Failure, Outcome, analyze_chunk, peak_rss_bytes
from stancegraph.engines.ordered import in_order
from stancegraph.errors import InputError, StoreError
from stancegraph.records import Article
from stancegraph.sources.text import DEFAULT_MAX_CHARS

__all__ = ["LocalEngine", "failed_chunk", "watch_parent"]

_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _exit_with(parent: int) -> None:
    """End this worker when its parent is gone (killed with -9, it could not say so)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def watch_parent() -> None:
    """End this process within a second of its parent's end (a worker must not outlive its ingest)."""
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()


def _start_worker(time_budget: float | None = None, max_chars: int = DEFAULT_MAX_CHARS, fast: bool = False) -> None:
    """Worker start-up: one BLAS thread per process (the processes are the parallelism), spaCy
    loaded here, or in the child that analyses within a time budget (warmed up with ``fast``)."""
    watch_parent()
    for variable in _ONE_THREAD:
        os.environ.setdefault(variable, "1")
    if time_budget is not None:
        from stancegraph.engines.budget import analyzer_for

        analyzer_for(time_budget, max_chars, fast).start()
        return
    from stancegraph.nlp import load_pipeline

    load_pipeline()


def failed_chunk(chunk: list[Article], error: BaseException, worker: str) -> ChunkResult:
    """The result of a chunk whose worker failed: every article of it a failure (E211)."""
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    failures: list[Outcome] = [
        Failure.of(InputError("E211", input=article.id or "<text>", detail=detail)) for article in chunk
    ]
    return ChunkResult(failures, worker, 0)


class LocalEngine:
    """Analyses chunks of articles here (one worker) or in a pool of worker processes."""

    name = "local"

    def __init__(self, workers: int = 1, *, max_chars: int = DEFAULT_MAX_CHARS,
                 time_budget: float | None = None, fast: bool = False) -> None:
        if workers < 1:
            raise StoreError("E215", workers=workers)
        self.workers = workers
        self.max_chars = max_chars
        self.time_budget = time_budget
        self.fast = fast  # quotes by the CRF tagger (``ingest --fast``)
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(self.time_budget, self.max_chars, self.fast))

    def _submit(self, chunk: list[Article]) -> tuple[list[Article], Future[ChunkResult]]:
        if self._pool is None:
            self._pool = self._new_pool()
        try:
            return chunk, self._pool.submit(analyze_chunk, chunk, self.max_chars, self.time_budget, self.fast)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return chunk, self._pool.submit(analyze_chunk, chunk, self.max_chars, self.time_budget, self.fast)

    @staticmethod
    def _result(submitted: tuple[list[Article], Future[ChunkResult]]) -> ChunkResult:
        chunk, future = submitted
        try:
            return future.result()
        except Exception as error:  # the worker died or could not pickle: its articles fail, the run goes on
            return failed_chunk(chunk, error, "local-pool")

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[ChunkResult]:
        """One result per chunk, in order."""
        if self.workers == 1:
            for chunk in chunks:
                result = analyze_chunk(chunk, self.max_chars, self.time_budget, self.fast)
                yield ChunkResult(result.outcomes, result.worker, max(result.peak_rss, peak_rss_bytes()))
            return
        yield from in_order((self._submit(chunk) for chunk in chunks), window=2 * self.workers + 1,
                            result=self._result)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
