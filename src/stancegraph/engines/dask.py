"""The Dask engine: the per-article work on a Dask distributed cluster.

Given a scheduler address (``tcp://host:8786``) it uses that cluster, whatever machines its
workers run on; without one it starts a :class:`distributed.LocalCluster` of ``workers``
single-threaded worker processes on this machine. Each worker process loads the spaCy pipeline
once, on its first chunk (with a time budget, in a child process of its own that is replaced
when an article runs over: see :mod:`stancegraph.engines.budget`). Results come back in input order, so the store is the same as the
local engine's for the same inputs. Every worker needs the same stancegraph (and so the same
spaCy model package) installed as the client: see ``docs/cluster.md``.

Example (starts a cluster, so not run as a doctest)::

    with DaskEngine("tcp://scheduler-host:8786") as engine:
        for result in engine.map(chunks_of_articles):
            ...
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any

from stancegraph.engines.base import ChunkResult, analyze_chunk
from stancegraph.engines.local import failed_chunk
from stancegraph.engines.ordered import in_order
from stancegraph.errors import StoreError
from stancegraph.extras import require
from stancegraph.records import Article
from stancegraph.sources.text import DEFAULT_MAX_CHARS

__all__ = ["DaskEngine"]

CONNECT_TIMEOUT = "20s"


class DaskEngine:
    """Analyses chunks of articles on a Dask cluster (an existing one, or a LocalCluster)."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, workers: int = 2,
                 max_chars: int = DEFAULT_MAX_CHARS, time_budget: float | None = None, fast: bool = False) -> None:
        distributed = require("distributed", extra="cluster", feature="the Dask engine")
        Client, LocalCluster = distributed.Client, distributed.LocalCluster
        if workers < 1:
            raise StoreError("E215", workers=workers)
        self.max_chars = max_chars
        self.time_budget = time_budget
        self.fast = fast  # quotes by the CRF tagger (``ingest --fast``)
        self.cluster: Any = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as err:
                raise StoreError("E210", address=scheduler, detail=str(err) or type(err).__name__) from err
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.workers = max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))

    def _submit(self, chunk: list[Article]) -> tuple[list[Article], Any]:
        return chunk, self.client.submit(analyze_chunk, chunk, self.max_chars, self.time_budget, self.fast, pure=False,
                                         retries=1)

    @staticmethod
    def _result(submitted: tuple[list[Article], Any]) -> ChunkResult:
        chunk, future = submitted
        try:
            return future.result()
        except Exception as error:  # a worker lost twice, or an error it raised: the chunk fails, the run goes on
            return failed_chunk(chunk, error, "dask")

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[ChunkResult]:
        """One result per chunk, in order; about two chunks in flight per worker thread."""
        yield from in_order((self._submit(chunk) for chunk in chunks), window=2 * self.workers + 1,
                            result=self._result)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
