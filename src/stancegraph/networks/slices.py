"""DNA's kernel-smoothed time slices: one actor network per mid-point, in any time unit.

Following DNA's exporter and its polarisation class (leifeld-lab/dna), mid-points ``gamma``
move one ``unit`` (seconds to years) at a time from the first to the last statement date
(``indent``: from half a window after the first to half a window before the last). A
statement at time ``t`` gets the kernel weight of ``d = 2 * diff / window``, where ``diff``
is the number of whole units from ``t`` to ``gamma`` (Java's truncation), and a pair of
statements adds ``sqrt(w1 * w2)`` times the qualifier similarity of their levels
(congruence), its complement (conflict), their difference (subtract) or 1 (ignore).
``average`` normalisation multiplies a tie by DNA's kernel factor, the sum over concept and
level cells of ``2 / (n1 + n2)``.

Two ways to pick nodes, as in DNA:

``labels="window"`` (polarisation)
    each slice has the actors of the statements strictly inside its bounds
    ``max(first, gamma - window/2) < t < min(last, gamma + window/2)``, so statements on the
    first and last date fall in no bounded slice (DNA's rule, kept so that scores match);
``labels="all"`` (phase transitions)
    every slice has every actor, and every statement within the (inclusive) bounds counts.

The Gaussian kernel always uses every statement.

Example
-------
>>> from stancegraph.networks.statements import statements_frame
>>> rows = [{"article_id": "a", "n": i, "actor_id": who, "target": "tax", "polarity": p,
...          "date": f"2024-01-0{day}"} for i, (who, p, day) in enumerate([("A", 1, 1), ("B", 1, 2), ("C", -1, 3)])]
>>> slices = kernel_slices(statements_frame(rows), aggregation="congruence", unit="days", window=4,
...                        kernel="uniform", levels=(-1, 1), labels="all")
>>> len(slices), slices[0].rows
(3, ['A', 'B', 'C'])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from stancegraph.errors import NetworkError

__all__ = ["UNITS", "Slice", "kernel_slices", "unit_offset"]

UNITS = ("seconds", "minutes", "hours", "days", "weeks", "months", "years")
_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 7 * 86400}


@dataclass
class Slice:
    """One time slice: its bounds, mid-point, node labels, statements and matrix."""

    start: pd.Timestamp
    mid: pd.Timestamp
    stop: pd.Timestamp
    rows: list[str]
    statements: int
    matrix: np.ndarray


def unit_offset(unit: str, count: int = 1) -> pd.DateOffset:
    """``count`` calendar units as a pandas offset."""
    if unit not in UNITS:
        raise NetworkError("E302", option="time unit", value=unit, expected=", ".join(UNITS))
    return pd.DateOffset(**{unit: count})


def _units_between(t: pd.Timestamp, gamma: pd.Timestamp, unit: str) -> int:
    """Whole units from ``t`` to ``gamma``, truncated toward zero (Java's Duration and Period)."""
    if unit in _SECONDS:
        return int((gamma - t).total_seconds() / _SECONDS[unit])
    delta = relativedelta(gamma.to_pydatetime().date(), t.to_pydatetime().date())
    return delta.years * 12 + delta.months if unit == "months" else delta.years


def _kernel(d: float, kernel: str) -> float:
    if kernel == "gaussian":
        return math.exp(-0.5 * d * d) / math.sqrt(2.0 * math.pi)
    if not -1.0 <= d <= 1.0:
        return 0.0
    return {"uniform": 0.5, "epanechnikov": 0.75 * (1.0 - d * d), "triangular": 1.0 - abs(d)}[kernel]


def _similarity(levels: int, aggregation: str) -> np.ndarray:
    """DNA's kernel-slice qualifier similarity, by level index: ``|1 - |k1 - k2| / (L - 1)|``."""
    index = np.arange(levels, dtype=float)
    sim = np.abs(1.0 - np.abs(index[:, None] - index[None, :]) / max(levels - 1, 1))
    return {"congruence": sim, "conflict": 1.0 - sim, "subtract": 2.0 * sim - 1.0, "ignore": np.ones_like(sim)}[aggregation]


def _matrix(frame: pd.DataFrame, rows: list[str], weights: np.ndarray, levels: list[int], aggregation: str,
            normalization: str) -> np.ndarray:
    cols = sorted(set(frame["concept"]))
    if not rows or not cols:
        return np.zeros((len(rows), len(rows)))
    row_index, col_index = {r: i for i, r in enumerate(rows)}, {c: j for j, c in enumerate(cols)}
    level_index = {level: k for k, level in enumerate(levels)}
    roots = np.zeros((len(rows), len(cols), len(levels)))
    counts = np.zeros_like(roots)
    for actor, concept, polarity, weight in zip(frame["actor_id"], frame["concept"], frame["polarity"], weights):
        i, j, k = row_index[actor], col_index[concept], level_index[int(polarity)]
        roots[i, j, k] += math.sqrt(weight)
        counts[i, j, k] += 1
    coef = _similarity(len(levels), aggregation)
    matrix = np.zeros((len(rows), len(rows)))
    for k1 in range(len(levels)):
        for k2 in range(len(levels)):
            matrix += coef[k1, k2] * roots[:, :, k1] @ roots[:, :, k2].T
    if normalization == "average":
        flat = counts.reshape(len(rows), -1)
        pair = flat[:, None, :] + flat[None, :, :]
        with np.errstate(divide="ignore"):
            norm = np.where(pair > 0, 2.0 / np.where(pair > 0, pair, 1.0), 0.0).sum(axis=2)
        matrix = np.where((matrix != 0.0) & (norm != 0.0), matrix * norm, matrix)
    np.fill_diagonal(matrix, 0.0)
    return matrix


def kernel_slices(statements: pd.DataFrame, *, aggregation: str, unit: str = "days", window: int = 100,
                  kernel: str = "uniform", levels: Sequence[int] = (-1, 1), normalization: str = "average",
                  indent: bool = False, labels: str = "window", start: pd.Timestamp | None = None,
                  stop: pd.Timestamp | None = None) -> list[Slice]:
    """The kernel-smoothed one-mode networks of dated statements, one per mid-point."""
    dated = statements.loc[statements["date"].notna()].sort_values("date", kind="stable").reset_index(drop=True)
    if dated.empty:
        return []
    window += window % 2  # DNA only uses even widths
    half = unit_offset(unit, window // 2)
    first, last = dated["date"].iloc[0], dated["date"].iloc[-1]
    b = max(first, pd.Timestamp(start)) if start is not None else first
    e = min(last, pd.Timestamp(stop)) if stop is not None else last
    gamma, end = (b + half, e - half) if indent else (b, e)
    level_list, everyone = sorted(levels), sorted(set(dated["actor_id"]))
    dates = list(dated["date"])
    slices = []
    while gamma <= end:
        lo, hi = (b, e) if kernel == "gaussian" else (max(b, gamma - half), min(e, gamma + half))
        if kernel == "gaussian" or labels == "all":
            inside = np.array([lo <= t <= hi for t in dates])
        else:
            inside = np.array([lo < t < hi for t in dates])
        members = dated.loc[inside]
        weights = np.array([_kernel(2.0 * _units_between(t, gamma, unit) / window, kernel) for t in members["date"]])
        rows = everyone if labels == "all" else sorted(set(members["actor_id"]))
        matrix = _matrix(members, rows, weights, level_list, aggregation, normalization)
        slices.append(Slice(lo, gamma, hi, rows, len(members), matrix))
        gamma = gamma + unit_offset(unit)
    return slices
