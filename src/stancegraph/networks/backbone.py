"""The backbone of a discourse: the concepts that carry the actor network (rDNA's dna_backbone).

Following DNA's exporter (``Exporter.java``, leifeld-lab/dna), the full network is the
one-mode actor network of all filtered statements (by default ``subtract`` ties,
``average`` normalisation); a set of concepts is judged by the spectral distance between
the full network and the network of only that set's statements, over the full network's
actors: the sum of absolute differences between their normalised spectra (negative ties
set to zero; DNA 3.1's spectrum is in effect the sorted weighted degrees, see
:func:`stancegraph.networks.matrices.normalised_eigenvalues`, and so is ours by default:
``BackboneOptions(laplacian=True)`` takes Laplacian eigenvalues instead). 0 means the set reproduces the network's structure; an
empty network is at distance 1.

``nested``
    Remove, one at a time, the concept whose removal changes the network least (ties go
    together), until none is left. Each step reports the removed concept, the backbone
    loss (the distance of the remaining concepts), the redundant loss (the distance of the
    concepts removed so far) and how many statements remain.
``penalty`` / ``fixed``
    Simulated annealing over backbone sets: add, remove or swap a concept (``fixed``:
    only swap, with a set of ``size`` concepts), accept better sets, and worse ones with
    probability ``exp(-(new - old)) * temperature``, the temperature falling from 1 to 0
    along a logistic curve over ``iterations``. With ``penalty`` the loss is multiplied by
    ``exp(-p * |redundant| / |all|)`` to favour small backbones. Seeded.
:func:`evaluate_backbone`
    The (penalised) losses of a given backbone set and its complement.

Example
-------
>>> from stancegraph.networks.statements import statements_frame
>>> rows = [{"article_id": "a", "n": i, "actor_id": who, "target": what, "polarity": p}
...         for i, (who, what, p) in enumerate([("A", "tax", 1), ("B", "tax", 1), ("C", "tax", -1),
...                                             ("A", "coal", 1), ("C", "coal", -1), ("B", "war", 1)])]
>>> steps = nested_backbone(statements_frame(rows), BackboneOptions())
>>> steps["entity"].tolist()[-1], float(steps["backbone_loss"].iloc[-1])
('tax', 1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from stancegraph.errors import NetworkError
from stancegraph.networks.matrices import Incidence, normalised_eigenvalues, one_mode, spectral_distance

__all__ = ["BackboneOptions", "BackboneResult", "backbone", "evaluate_backbone", "nested_backbone"]


@dataclass(frozen=True)
class BackboneOptions:
    """How the actor networks are built: DNA's aggregation, normalisation and qualifier scale."""

    aggregation: str = "subtract"
    normalization: str = "average"
    scale: tuple[int, ...] = (-1, 1)
    laplacian: bool = False


@dataclass
class BackboneResult:
    """A backbone set found by simulated annealing, its losses and the search's trace."""

    method: str
    backbone: list[str]
    redundant: list[str]
    backbone_loss: float
    redundant_loss: float
    penalty: float
    iterations: int
    trace: pd.DataFrame = field(repr=False)

    def as_dict(self) -> dict[str, object]:
        return {"method": self.method, "backbone": self.backbone, "redundant": self.redundant,
                "backbone_loss": self.backbone_loss, "redundant_loss": self.redundant_loss,
                "penalty": self.penalty, "iterations": self.iterations}


class _Judge:
    """The full network's eigenvalues, and the distance of any concept set's network to it."""

    def __init__(self, statements: pd.DataFrame, options: BackboneOptions) -> None:
        self.statements = statements.reset_index(drop=True)
        self.options = options
        self.concepts = sorted(set(self.statements["concept"]))
        self.actors = sorted(set(self.statements["actor_id"]))
        self.incidence = Incidence.of(self.statements, options.scale, rows=self.actors, cols=self.concepts)
        self.full = self._spectrum(self.concepts)

    def _spectrum(self, concepts: set[str] | list[str]) -> np.ndarray:
        """The spectrum of the network of these concepts' statements (the full actor set)."""
        keep = np.isin(self.concepts, list(concepts))
        part = Incidence(self.actors, [c for c, k in zip(self.concepts, keep) if k], self.incidence.levels,
                         self.incidence.counts[:, keep, :])
        matrix = one_mode(part, self.options.aggregation, self.options.normalization)
        return normalised_eigenvalues(matrix, laplacian=self.options.laplacian)

    def subset(self, concepts: set[str] | list[str]) -> pd.DataFrame:
        return self.statements.loc[self.statements["concept"].isin(set(concepts))]

    def loss(self, concepts: set[str] | list[str], penalty: float = 0.0) -> float:
        distance = spectral_distance(self.full, self._spectrum(concepts))
        if not penalty:
            return distance
        return distance * math.exp(-penalty * (len(self.concepts) - len(concepts)) / len(self.concepts))


def _judge(statements: pd.DataFrame, options: BackboneOptions) -> _Judge:
    if statements.empty:
        raise NetworkError("E305", detail="the backbone needs statements")
    return _Judge(statements, options)


def nested_backbone(statements: pd.DataFrame, options: BackboneOptions) -> pd.DataFrame:
    """DNA's nested backbone: one row per removed concept, in removal order.

    Columns: ``iteration``, ``entity``, ``backbone_loss``, ``redundant_loss``,
    ``statements`` (left in the backbone after the removal).
    """
    judge = _judge(statements, options)
    backbone, redundant, rows = list(judge.concepts), [], list[dict[str, object]]()
    while backbone:
        candidates = [[c for c in backbone if c != concept] for concept in backbone]
        losses = [judge.loss(candidate) for candidate in candidates]
        smallest = min(losses)
        for index in range(len(backbone) - 1, -1, -1):  # DNA removes ties from the end
            if losses[index] != smallest:
                continue
            concept = backbone[index]
            redundant.append(concept)
            rows.append({"iteration": len(rows) + 1, "entity": concept, "backbone_loss": smallest,
                         "redundant_loss": judge.loss(redundant), "statements": len(judge.subset(candidates[index]))})
        backbone = [c for c in backbone if c not in redundant]
    return pd.DataFrame(rows, columns=["iteration", "entity", "backbone_loss", "redundant_loss", "statements"])


def _temperature(t: int, iterations: int) -> float:
    return 1.0 - 1.0 / (1.0 + math.exp(-(-5.0 + (12.0 / iterations) * t)))


def backbone(statements: pd.DataFrame, options: BackboneOptions, *, method: str = "penalty", penalty: float = 3.5,
             iterations: int = 10_000, size: int = 1, seed: int = 0) -> BackboneResult:
    """A backbone set by simulated annealing (``penalty`` or ``fixed`` size), seeded."""
    if method not in ("penalty", "fixed"):
        raise NetworkError("E302", option="method", value=method, expected="nested, penalty, fixed")
    judge = _judge(statements, options)
    concepts, rng = judge.concepts, np.random.default_rng(seed)
    if method == "fixed" and not 1 <= size < len(concepts):
        raise NetworkError("E321", option="--size", expected=f"between 1 and {len(concepts) - 1}", value=size)
    p = penalty if method == "penalty" else 0.0
    start = 1 if method == "penalty" else size
    current = [concepts[i] for i in sorted(rng.choice(len(concepts), size=start, replace=False))]
    best, old = list(current), judge.loss(current, p)
    best_loss, trace = old, []
    for t in range(1, iterations + 1):
        temperature = _temperature(t, iterations)
        rest = [c for c in concepts if c not in current]
        actions = ["swap"]
        if method == "penalty":
            actions = (["add", "swap"] if len(current) < 2 else
                       ["remove", "swap"] if len(current) > len(concepts) - 2 else ["add", "remove", "swap"])
        action = actions[rng.integers(len(actions))]
        candidate = list(current)
        if action in ("add", "swap"):
            candidate.append(rest[rng.integers(len(rest))])
        if action in ("remove", "swap"):
            candidate.remove(current[rng.integers(len(current))])
        new = judge.loss(candidate, p)
        accept = new < old
        if accept and new <= best_loss:
            best, best_loss = list(candidate), new
        if not accept:
            accept = rng.random() < math.exp(-(new - old)) * temperature
        if accept:
            current, old = candidate, new
        trace.append({"iteration": t, "temperature": temperature, "action": action, "loss": new,
                      "accepted": accept, "size": len(current), "best_size": len(best)})
    best = sorted(best)
    redundant = sorted(set(concepts) - set(best))
    return BackboneResult(method, best, redundant, judge.loss(best), judge.loss(redundant), p, iterations,
                          pd.DataFrame(trace))


def evaluate_backbone(statements: pd.DataFrame, options: BackboneOptions, concepts: list[str],
                      penalty: float = 0.0) -> dict[str, float]:
    """The (penalised) spectral losses of a backbone set and of the rest (DNA's evaluation)."""
    judge = _judge(statements, options)
    chosen = [c for c in judge.concepts if c in set(concepts)]
    if not chosen or len(chosen) == len(judge.concepts):
        raise NetworkError("E322", detail="the set given: it must hold some of the concepts, but not all")
    rest = [c for c in judge.concepts if c not in set(chosen)]
    return {"backbone_loss": judge.loss(chosen, penalty), "redundant_loss": judge.loss(rest, penalty)}
