"""Score automatic statements against hand-coded DNA ones (``stancegraph eval dna FILE.dna``).

Every document of a Discourse Network Analyzer database is analysed by stancegraph; its issue
stances become statements (actor, concept, agreement) beside the coders' DNA Statements of the
same document (read with :func:`stancegraph.networks.readwrite.read_dna`).

* Concepts: stancegraph's concept labels are short phrases ("co2 legislation"), DNA's are
  whatever the coders wrote ("There should be legislation to regulate emissions."). A mapping
  file (TSV: words<TAB>DNA concept) maps a label to the concept of the first row whose words
  all occur in it; a label no row maps is compared as it is.
* Actors: a name matches a coded name of the same document when either's words contain the
  other's ("Blair" and "Tony Blair"), case-blind.
* Statement level: distinct (document, actor, concept, agreement) statements, precision,
  recall and F1 (:func:`stancegraph.networks.readwrite.compare_codings`).
* Network level: for every pair of actors of either side, the congruence weight (concepts on
  which both take the same side) and the conflict weight (opposite sides), and the Pearson
  correlation of the automatic weights with the coded ones.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from stancegraph.errors import ModelError
from stancegraph.networks.readwrite import compare_codings, dna_statements, read_dna

__all__ = ["DnaScores", "correlation", "edge_weights", "evaluate", "main", "map_concept", "read_mapping"]


@dataclass(frozen=True)
class DnaScores:
    """Statement-level P/R/F1 and counts, and network-level correlations (None where undefined)."""

    documents: int
    coded: int
    automatic: int
    matched: int
    precision: float
    recall: float
    f1: float
    congruence_r: float | None
    conflict_r: float | None


def read_mapping(path: Path | None) -> list[tuple[tuple[str, ...], str]]:
    """Rows of a concept mapping file: (words, DNA concept); '#' starts a comment."""
    if path is None:
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError("E535", input=str(path), detail=str(error)) from error
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 2 or not cells[0].strip():
            raise ModelError("E535", input=f"{path}:{number}", detail="expected: words<TAB>DNA concept")
        rows.append((tuple(cells[0].casefold().split()), cells[1].strip()))
    return rows


def map_concept(label: str, mapping: Sequence[tuple[tuple[str, ...], str]]) -> str:
    """The DNA concept of a label: the first mapping row whose words all occur in it, else the label."""
    words = set(label.casefold().replace("-", " ").split())
    return next((concept for needed, concept in mapping if set(needed) <= words), label)


def _same_actor(ours: str, theirs: str) -> bool:
    a, b = set(ours.casefold().split()), set(theirs.casefold().split())
    return bool(a and b) and (a <= b or b <= a)


def automatic_statements(manual: pd.DataFrame, texts: dict[str, tuple[str, str]],
                         mapping: Sequence[tuple[tuple[str, ...], str]],
                         analyse: Callable[[str, str], object]) -> pd.DataFrame:
    """Issue stances of each document as (article_id, actor, concept, polarity), names matched to the coded ones."""
    rows = []
    for article_id, (title, text) in texts.items():
        analysis = analyse(text, title)
        names = {actor.id: actor.name for actor in analysis.actors}  # type: ignore[attr-defined]
        coded = manual.loc[manual["article_id"] == article_id, "actor"].dropna().unique()
        for stance in analysis.stances:  # type: ignore[attr-defined]
            if stance.target_kind != "issue" or stance.polarity == 0:
                continue
            name = names.get(stance.actor, stance.actor)
            name = next((c for c in coded if _same_actor(name, c)), name)
            rows.append({"article_id": article_id, "actor": name, "concept": map_concept(stance.target, mapping),
                         "polarity": int(stance.polarity)})
    return pd.DataFrame(rows, columns=["article_id", "actor", "concept", "polarity"])


def edge_weights(statements: pd.DataFrame, actors: Sequence[str]) -> dict[str, dict[tuple[str, str], int]]:
    """Congruence and conflict weights of every pair of ``actors``: concepts they agree or disagree on."""
    sides: dict[str, dict[str, set[int]]] = {}
    for row in statements.itertuples():
        sides.setdefault(str(row.actor).casefold(), {}).setdefault(str(row.concept).casefold(), set()).add(row.polarity)
    weights: dict[str, dict[tuple[str, str], int]] = {"congruence": {}, "conflict": {}}
    for a, b in itertools.combinations(sorted({name.casefold() for name in actors}), 2):
        first, second = sides.get(a, {}), sides.get(b, {})
        shared = set(first) & set(second)
        weights["congruence"][(a, b)] = sum(1 for c in shared if first[c] & second[c])
        weights["conflict"][(a, b)] = sum(1 for c in shared if any(-p in second[c] for p in first[c]))
    return weights


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation, or None when either side is constant or there are fewer than two pairs."""
    if len(xs) < 2 or np.std(xs) == 0 or np.std(ys) == 0:
        return None
    return float(np.corrcoef(xs, ys)[0, 1])


def evaluate(file: Path, mapping_file: Path | None = None,
             analyse: Callable[[str, str], object] | None = None) -> tuple[DnaScores, pd.DataFrame, pd.DataFrame]:
    """Scores, the automatic statements and the coded ones, for a DNA database."""
    try:
        database = read_dna(file)
    except Exception as error:  # NetworkError with its own code, or an unreadable file
        raise ModelError("E534", input=str(file), detail=str(error)) from error
    if analyse is None:
        from stancegraph.pipeline import analyze

        def analyse(text: str, title: str) -> object:
            return analyze(text, title=title)

    manual = dna_statements(database)[["article_id", "actor", "concept", "polarity"]]
    texts = {f"dna:{row.document_id}": (str(row.title or ""), str(row.text or ""))
             for row in database.documents.itertuples()}
    automatic = automatic_statements(manual, texts, read_mapping(mapping_file), analyse)
    comparison = compare_codings(automatic, manual)
    actors = sorted({*manual["actor"].dropna(), *automatic["actor"].dropna()})
    ours, theirs = edge_weights(automatic, actors), edge_weights(manual, actors)
    r = {kind: correlation([ours[kind][p] for p in sorted(theirs[kind])], [theirs[kind][p] for p in sorted(theirs[kind])])
         for kind in ("congruence", "conflict")}
    scores = DnaScores(len(texts), len(comparison.matched) + len(comparison.missed),
                       len(comparison.matched) + len(comparison.extra), len(comparison.matched),
                       comparison.precision, comparison.recall, comparison.f1, r["congruence"], r["conflict"])
    return scores, automatic, manual


def main(file: Path, *, mapping: Path | None, format: str) -> None:
    """Print the scores as a table or one JSON object."""
    if format not in ("table", "json"):
        raise ModelError("E507", name=format)
    scores, _, _ = evaluate(file, mapping)
    if format == "json":
        print(json.dumps({"file": str(file), "mapping": str(mapping) if mapping else None, **asdict(scores)}))
        return
    print(f"DNA {file.name}: {scores.documents} documents, concept mapping {mapping or 'none'}")
    print(f"  statements  coded {scores.coded}, automatic {scores.automatic}, matched {scores.matched}")
    print(f"  precision {scores.precision:.3f}  recall {scores.recall:.3f}  F1 {scores.f1:.3f}")
    print(f"  congruence edge weights r = {_shown(scores.congruence_r)}")
    print(f"  conflict edge weights   r = {_shown(scores.conflict_r)}")


def _shown(value: float | None) -> str:
    return "n/a (constant weights)" if value is None else f"{value:.3f}"
