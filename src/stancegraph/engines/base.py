"""What every engine shares: the work one worker does, and what it sends back.

An engine takes chunks of articles and gives back, chunk by chunk and in the order it was
given them, one :data:`Outcome` per article: its :class:`~stancegraph.records.ArticleAnalysis`
or a :class:`Failure`. The per-article work is :func:`analyze_chunk`, the same function in a
local process or on a Dask worker; the spaCy pipeline is loaded once per worker process (on
its first chunk) and kept.

Example
-------
>>> from stancegraph.records import Article
>>> result = analyze_chunk([Article("Macron spoke in Paris.", id="a1"), Article(" ", id="a2")])
>>> [type(outcome).__name__ for outcome in result.outcomes]
['ArticleAnalysis', 'Failure']
>>> result.outcomes[1].code
'E101'
"""

from __future__ import annotations

import os
import resource
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from stancegraph.errors import StanceGraphError
from stancegraph.records import Article, ArticleAnalysis
from stancegraph.sources.text import DEFAULT_MAX_CHARS

__all__ = ["ChunkResult", "Engine", "Failure", "Outcome", "analyze_chunk", "peak_rss_bytes"]


@dataclass(frozen=True)
class Failure:
    """Why an article could not be analysed (an error's code and message, which pickle safely)."""

    input: str
    code: str
    reason: str

    @classmethod
    def of(cls, error: StanceGraphError) -> Failure:
        return cls(error.input or "", error.code, error.message)


Outcome = ArticleAnalysis | Failure


@dataclass(frozen=True)
class ChunkResult:
    """The outcomes of one chunk, with the worker that produced them and its peak memory."""

    outcomes: list[Outcome]
    worker: str
    peak_rss: int


def peak_rss_bytes() -> int:
    """The largest resident memory this process has had, in bytes.

    On Linux this is ``VmHWM``: ``ru_maxrss`` would carry a spawned worker's parent's peak
    over ``exec``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def analyze_chunk(articles: list[Article], max_chars: int = DEFAULT_MAX_CHARS,
                  time_budget: float | None = None, fast: bool = False) -> ChunkResult:
    """Analyse a chunk of articles in this process, or with ``time_budget`` in this process's
    child (see :mod:`stancegraph.engines.budget`): one outcome per article, in order.
    ``fast``: quotes by the CRF tagger (``ingest --fast``)."""
    if time_budget is not None:  # the child loads spaCy and the models; this process never does
        from stancegraph.engines.budget import analyze_in_child, analyzer_for

        analyses = list(analyze_in_child(articles, time_budget, max_chars=max_chars, fast=fast))
        peak = max(peak_rss_bytes(), analyzer_for(time_budget, max_chars, fast).peak_rss)
    else:
        from stancegraph.pipeline import analyze_articles

        analyses = list(analyze_articles(articles, max_chars=max_chars, fast=fast))
        peak = peak_rss_bytes()
    outcomes: list[Outcome] = [Failure.of(item) if isinstance(item, StanceGraphError) else item for item in analyses]
    return ChunkResult(outcomes, f"{os.uname().nodename}:{os.getpid()}", peak)


class Engine(Protocol):
    """Runs :func:`analyze_chunk` over chunks somewhere, giving results back in order."""

    name: str
    workers: int

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[ChunkResult]:
        """One result per chunk, in the order of ``chunks``."""
        ...

    def close(self) -> None:
        """Stop the workers this engine started."""
        ...
