"""DNA's network matrices as numpy arrays, for the analyses that build many of them.

The backbone, polarisation and phase-transition analyses compare hundreds of networks, so
they work on dense matrices rather than graphs. :class:`Incidence` counts statements per
actor, concept and qualifier level (DNA's 3-D array); :func:`one_mode` projects it the way
DNA's exporter does (``ignore``, ``congruence``, ``conflict``, ``subtract``; normalised
``average``, ``jaccard`` or ``cosine``). Rows are actor ids, columns concepts, both in
sorted order, as in DNA; the diagonal is zero. The graphs of
:mod:`stancegraph.networks.build` give the same weights (tests check both against DNA).

Example
-------
>>> from stancegraph.networks.statements import statements_frame
>>> frame = statements_frame([
...     {"article_id": "a", "n": 0, "actor_id": "x", "target": "tax", "polarity": 1},
...     {"article_id": "a", "n": 1, "actor_id": "y", "target": "tax", "polarity": 1},
...     {"article_id": "a", "n": 2, "actor_id": "z", "target": "tax", "polarity": -1}])
>>> incidence = Incidence.of(frame, (-1, 1))
>>> one_mode(incidence, "subtract").tolist()
[[0.0, 1.0, -1.0], [1.0, 0.0, -1.0], [-1.0, -1.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Incidence", "coefficients", "normalised_eigenvalues", "one_mode", "spectral_distance"]


@dataclass
class Incidence:
    """Statement counts (or kernel weights) per actor x concept x qualifier level."""

    rows: list[str]
    cols: list[str]
    levels: list[int]
    counts: np.ndarray

    @classmethod
    def of(cls, statements: pd.DataFrame, levels: Sequence[int], *, rows: Sequence[str] | None = None,
           cols: Sequence[str] | None = None, weights: np.ndarray | None = None) -> Incidence:
        """Count ``statements`` (adding ``weights`` instead of 1 when given) into a new array.

        ``rows`` and ``cols`` fix the labels (statements of other labels are ignored);
        by default they are the sorted actor ids and concepts of the statements.
        """
        row_labels = sorted(set(statements["actor_id"])) if rows is None else list(rows)
        col_labels = sorted(set(statements["concept"])) if cols is None else list(cols)
        level_list = sorted(levels)
        counts = np.zeros((len(row_labels), len(col_labels), len(level_list)))
        row_index = {name: i for i, name in enumerate(row_labels)}
        col_index = {name: j for j, name in enumerate(col_labels)}
        level_index = {level: k for k, level in enumerate(level_list)}
        values = np.ones(len(statements)) if weights is None else np.asarray(weights, dtype=float)
        for actor, concept, polarity, value in zip(statements["actor_id"], statements["concept"],
                                                   statements["polarity"], values):
            i, j, k = row_index.get(actor), col_index.get(concept), level_index.get(int(polarity))
            if i is not None and j is not None and k is not None:
                counts[i, j, k] += value
        return cls(row_labels, col_labels, level_list, counts)


def coefficients(aggregation: str, levels: Sequence[int]) -> np.ndarray:
    """How much a pair of statements at levels ``k1``, ``k2`` adds: DNA's integer rule.

    Similarity is ``1 - |q1 - q2| / range`` over the levels' range (congruence), distance
    its complement (conflict), subtract their difference, ignore always 1.
    """
    values = np.asarray(sorted(levels), dtype=float)
    span = values.max() - values.min() if len(values) > 1 else 1.0
    similarity = 1.0 - np.abs(values[:, None] - values[None, :]) / (span or 1.0)
    return {"ignore": np.ones_like(similarity), "congruence": similarity, "conflict": 1.0 - similarity,
            "subtract": 2.0 * similarity - 1.0}[aggregation]


def one_mode(incidence: Incidence, aggregation: str, normalization: str = "none") -> np.ndarray:
    """DNA's one-mode actor x actor matrix of an incidence array (zero diagonal)."""
    counts = incidence.counts
    coef = coefficients(aggregation, incidence.levels)
    matrix = np.zeros((len(incidence.rows), len(incidence.rows)))
    for k1 in range(len(incidence.levels)):
        for k2 in range(len(incidence.levels)):
            if coef[k1, k2] != 0.0:
                matrix += coef[k1, k2] * counts[:, :, k1] @ counts[:, :, k2].T
    np.fill_diagonal(matrix, 0.0)
    if normalization in (None, "none", "no"):
        return matrix
    totals = counts.sum(axis=(1, 2))
    if normalization == "average":
        norm = (totals[:, None] + totals[None, :]) / 2.0
    elif normalization == "cosine":
        norm = totals[:, None] * totals[None, :]
    else:  # jaccard: m10 + m01 + m11 over concept x level cells
        flat = counts.reshape(len(incidence.rows), -1)
        present = (flat > 0).astype(float)
        m10 = totals[:, None] - flat @ present.T
        norm = m10 + m10.T + flat @ flat.T
    with np.errstate(divide="ignore", invalid="ignore"):
        normalised = np.where(norm != 0.0, matrix / np.where(norm != 0.0, norm, 1.0), 0.0)
    np.fill_diagonal(normalised, 0.0)
    return normalised


def normalised_eigenvalues(matrix: np.ndarray, *, laplacian: bool = False) -> np.ndarray:
    """The spectrum DNA's backbone compares networks by: sorted (largest first), summing to 1.

    Negative ties are set to zero. DNA 3.1 builds the degree matrix, subtracts the
    adjacency matrix into a result it then discards (ojalgo matrices are immutable) and
    decomposes the degree matrix, so its "eigenvalues" are the weighted degrees; the
    default does the same, so that losses equal DNA's. ``laplacian=True`` takes the
    eigenvalues of the Laplacian ``D - A`` instead. An empty network keeps its zeros.
    """
    weights = np.clip(np.asarray(matrix, dtype=float), 0.0, None)
    degrees = weights.sum(axis=1)
    values = np.linalg.eigvalsh(np.diag(degrees) - (weights + weights.T) / 2.0) if laplacian else degrees
    values = np.sort(values)[::-1]
    total = values.sum()
    return values / total if total > 0.0 else values


def spectral_distance(first: np.ndarray, second: np.ndarray) -> float:
    """DNA's spectral loss: the sum of absolute differences of normalised eigenvalues."""
    return float(np.abs(first - second).sum())
