"""Keeping a fixed number of chunks in flight and taking their results back in order.

Both engines submit chunks to workers that finish in any order; the store must see them in
the order of the input (corpus actors are resolved in that order, which is what makes two
engines give the same store). :func:`in_order` keeps up to ``window`` submissions running and
yields their results oldest first.

Example
-------
>>> from concurrent.futures import ThreadPoolExecutor
>>> with ThreadPoolExecutor(2) as pool:
...     list(in_order((pool.submit(pow, n, 2) for n in range(5)), window=3, result=lambda f: f.result()))
[0, 1, 4, 9, 16]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["in_order"]

Submitted = TypeVar("Submitted")
Result = TypeVar("Result")


def in_order(submissions: Iterable[Submitted], *, window: int,
             result: Callable[[Submitted], Result]) -> Iterator[Result]:
    """Results of lazily made submissions, in submission order, at most ``window`` in flight."""
    pending: deque[Submitted] = deque()
    for submitted in submissions:
        pending.append(submitted)
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())
