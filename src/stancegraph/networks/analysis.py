"""Analyses beyond DNA's export: polarisation over time, the main fault line, side changers.

Polarisation
    For each time window (or the whole range), the actors are split into the two camps that
    best explain the discourse: agreement (the congruence network) inside camps and conflict
    (the conflict network) across them, i.e. the split that maximises ``Q_congruence -
    Q_conflict``, the Newman modularity of the split in the congruence network minus its
    modularity in the conflict network. The split is the sign of the leading eigenvector of
    that combined modularity matrix, refined by moving single actors while that helps (DNA's
    ``dna_polarization`` searches equally sized clusters with a genetic algorithm instead).
    The score is the mean of the two modularities scaled to their extremes for the split,
    ``Q_congruence / (1 - e_C)`` and ``-Q_conflict / e_F`` (``e``: the share of tie weight
    that degree-preserving chance puts inside the camps), over the networks with any ties:
    1 when all agreement is inside the camps and all conflict across them, about 0 for a
    discourse without camps, negative when camps fight inside and agree across.
Fault lines
    Per concept, each actor takes the side of the sign of its summed polarities (a tie
    takes no side). A concept divides as many pairs of actors as it has supporters times
    opponents; the concept that divides most is the main fault line. ``evenness`` is
    ``4 s o / (s + o)^2``, 1 for an even split.
Side changers
    An actor changes sides on a concept when its position (the polarity of a statement, or
    with ``period`` the sign of a period's sum) turns from one sign to the other between
    two consecutive dated positions.

Each analysis returns a table (pandas) and has a ``plot_*`` function that writes a PNG.

Example
-------
>>> from stancegraph.networks.statements import statements_frame
>>> rows = [{"article_id": "a", "n": i, "actor_id": who, "actor": who, "target": "tax",
...          "polarity": p, "date": "2024-01-01"}
...         for i, (who, p) in enumerate([("A", 1), ("B", 1), ("C", -1), ("D", -1)])]
>>> table = polarisation(statements_frame(rows), NetworkOptions())
>>> round(float(table.loc[0, "polarisation"]), 2), table.loc[0, "camp_a"], table.loc[0, "camp_b"]
(1.0, 'A; B', 'C; D')
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from stancegraph.errors import NetworkError
from stancegraph.extras import require
from stancegraph.networks.build import NetworkOptions, network_from_statements, prepare_statements, time_windows

__all__ = [
    "fault_lines",
    "plot_fault_lines",
    "plot_polarisation",
    "plot_side_changers",
    "polarisation",
    "side_changers",
    "split_camps",
]

_MAX_MOVES = 1000


def _modularity_matrix(matrix: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    """Newman's modularity matrix of a weighted graph, ``2m`` (its total weight) and the degrees."""
    total = float(matrix.sum())
    degrees = matrix.sum(axis=1)
    if total <= 0.0:
        return np.zeros_like(matrix), 0.0, degrees
    return matrix - np.outer(degrees, degrees) / total, total, degrees


def _matrix(graph: nx.Graph, nodes: list[str]) -> np.ndarray:
    """The weighted adjacency matrix of ``graph`` over ``nodes`` (absent nodes are zero rows)."""
    index = {node: i for i, node in enumerate(nodes)}
    matrix = np.zeros((len(nodes), len(nodes)))
    for u, v, weight in graph.edges(data="weight", default=1.0):
        matrix[index[u], index[v]] = matrix[index[v], index[u]] = weight
    return matrix


def split_camps(congruence: nx.Graph, conflict: nx.Graph) -> tuple[list[str], list[str], float, float, float]:
    """The two camps of a pair of one-mode networks over the same nodes.

    Returns the camps (node ids, the larger first), the polarisation score and the two
    modularities ``Q_congruence`` and ``Q_conflict`` of the split.
    """
    nodes = sorted(set(congruence) | set(conflict))
    if len(nodes) < 2:
        return nodes, [], 0.0, 0.0, 0.0
    agree_b, agree_total, agree_degrees = _modularity_matrix(_matrix(congruence, nodes))
    fight_b, fight_total, fight_degrees = _modularity_matrix(_matrix(conflict, nodes))
    combined = np.zeros((len(nodes), len(nodes)))
    if agree_total:
        combined += agree_b / agree_total
    if fight_total:
        combined -= fight_b / fight_total
    values, vectors = np.linalg.eigh(combined)
    side = np.where(vectors[:, int(np.argmax(values))] >= 0, 1.0, -1.0)
    for _ in range(_MAX_MOVES):
        gains = -4.0 * side * (combined @ side - np.diag(combined) * side)
        best = int(np.argmax(gains))
        if gains[best] <= 1e-12:
            break
        side[best] = -side[best]
    same = np.equal.outer(side, side)
    q_agree = float((agree_b * same).sum() / agree_total) if agree_total else 0.0
    q_fight = float((fight_b * same).sum() / fight_total) if fight_total else 0.0
    terms = []
    if agree_total:
        expected = _expected_within(agree_degrees, same, agree_total)
        terms.append(q_agree / (1.0 - expected) if expected < 1.0 else 0.0)
    if fight_total:
        expected = _expected_within(fight_degrees, same, fight_total)
        terms.append(-q_fight / expected if expected > 0.0 else 0.0)
    first = [n for n, s in zip(nodes, side) if s > 0]
    second = [n for n, s in zip(nodes, side) if s < 0]
    if len(second) > len(first) or (len(second) == len(first) and second < first):
        first, second = second, first
    return first, second, float(np.mean(terms)) if terms else 0.0, q_agree, q_fight


def _expected_within(degrees: np.ndarray, same: np.ndarray, total: float) -> float:
    """The share of tie weight a random graph with the same degrees puts inside the camps."""
    return float((np.outer(degrees, degrees) * same).sum() / (total * total))


def _names(graph: nx.Graph, nodes: list[str]) -> str:
    return "; ".join(sorted(str(graph.nodes[n].get("name", n)) for n in nodes))


def _row(congruence: nx.Graph, conflict: nx.Graph, start: Any, end: Any) -> dict[str, Any]:
    first, second, score, q_agree, q_fight = split_camps(congruence, conflict)
    return {"start": start, "end": end, "statements": congruence.graph.get("statements", 0),
            "actors": len(set(congruence) | set(conflict)), "polarisation": score,
            "q_congruence": q_agree, "q_conflict": q_fight,
            "camp_a": _names(congruence, first), "camp_b": _names(congruence, second)}


def polarisation(source: Any, options: NetworkOptions) -> pd.DataFrame:
    """Actor polarisation per time window (``options.window``) or over the whole range.

    Columns: ``start``, ``end`` (dates, inclusive), ``statements``, ``actors``,
    ``polarisation``, ``q_congruence``, ``q_conflict``, ``camp_a`` and ``camp_b`` (names).
    """
    options = replace(options, kind="congruence", nodes="actor", normalize="none")
    statements = prepare_statements(source, options)
    if options.window is None:
        congruence = network_from_statements(statements, options)
        conflict = network_from_statements(statements, replace(options, kind="conflict"))
        dates = statements["date"].dropna()
        rows = [_row(congruence, conflict, dates.min() if len(dates) else None, dates.max() if len(dates) else None)]
    else:
        agreeing = time_windows(statements, options)
        fighting = time_windows(statements, replace(options, kind="conflict"))
        rows = [_row(a.graph, f.graph, a.start, a.end - pd.Timedelta(days=1)) for a, f in zip(agreeing, fighting)]
    table = pd.DataFrame(rows, columns=["start", "end", "statements", "actors", "polarisation", "q_congruence",
                                        "q_conflict", "camp_a", "camp_b"])
    for column in ("start", "end"):
        table[column] = pd.to_datetime(table[column])
    return table


def _positions(statements: pd.DataFrame) -> pd.DataFrame:
    """Each actor's side per concept: the sign of its summed polarities."""
    summed = statements.groupby(["concept", "actor_id"], sort=True).agg(actor=("actor", "first"), total=("polarity", "sum"))
    summed["side"] = np.sign(summed["total"]).astype(int)
    return summed.reset_index()


def fault_lines(source: Any, options: NetworkOptions) -> pd.DataFrame:
    """The concepts that divide the actors, most divisive first.

    Columns: ``concept``, ``supporters``, ``opponents``, ``divided_pairs`` (supporters x
    opponents), ``evenness``, ``statements``, and the names ``for`` and ``against``.
    """
    statements = prepare_statements(source, options)
    positions = _positions(statements)
    rows = []
    for concept, group in positions.groupby("concept", sort=True):
        pro = sorted(str(n) for n in group.loc[group["side"] > 0, "actor"])
        con = sorted(str(n) for n in group.loc[group["side"] < 0, "actor"])
        s, o = len(pro), len(con)
        rows.append({"concept": concept, "supporters": s, "opponents": o, "divided_pairs": s * o,
                     "evenness": 4 * s * o / (s + o) ** 2 if s + o else 0.0,
                     "statements": int((statements["concept"] == concept).sum()),
                     "for": "; ".join(pro), "against": "; ".join(con)})
    table = pd.DataFrame(rows, columns=["concept", "supporters", "opponents", "divided_pairs", "evenness",
                                        "statements", "for", "against"])
    return table.sort_values(["divided_pairs", "evenness", "statements", "concept"],
                             ascending=[False, False, False, True], kind="stable").reset_index(drop=True)


def side_changers(source: Any, options: NetworkOptions, *, period: str | None = None) -> pd.DataFrame:
    """Actors that change sides on a concept, earliest change first.

    ``period`` (``"week"``, ``"month"`` or ``"year"``) compares the sign of each period's
    summed polarities instead of single statements. Columns: ``actor``, ``concept``,
    ``changes``, ``from_polarity``, ``to_polarity`` (of the first change), ``last_before``
    and ``first_after`` (its dates), ``final_polarity``, and the ``statements`` on each side
    of the first change (``before``, ``after``: ids).
    """
    if period not in (None, "week", "month", "year"):
        raise NetworkError("E302", option="period", value=period, expected="week, month, year")
    statements = prepare_statements(source, options)
    dated = statements.loc[statements["date"].notna() & (statements["polarity"] != 0)]
    dated = dated.sort_values(["date", "article_id", "n"], kind="stable")
    rows = []
    for (actor_id, concept), group in dated.groupby(["actor_id", "concept"], sort=True):
        if period is None:
            steps = [(date, int(p), [sid]) for date, p, sid in zip(group["date"], group["polarity"], group["statement_id"])]
        else:
            key = {"week": "W-SUN", "month": "M", "year": "Y"}[period]
            buckets = group.groupby(group["date"].dt.to_period(key), sort=True)
            steps = [(b["date"].iloc[0], int(np.sign(b["polarity"].sum())), list(b["statement_id"]))
                     for _, b in buckets]
            steps = [step for step in steps if step[1] != 0]
        changes = [i for i in range(1, len(steps)) if steps[i][1] != steps[i - 1][1]]
        if not changes:
            continue
        first = changes[0]
        before = [sid for step in steps[:first] if step[1] == steps[first - 1][1] for sid in step[2]]
        rows.append({"actor": str(group["actor"].iloc[0]), "actor_id": actor_id, "concept": concept,
                     "changes": len(changes), "from_polarity": steps[first - 1][1], "to_polarity": steps[first][1],
                     "last_before": steps[first - 1][0], "first_after": steps[first][0],
                     "final_polarity": steps[-1][1], "before": before, "after": list(steps[first][2])})
    table = pd.DataFrame(rows, columns=["actor", "actor_id", "concept", "changes", "from_polarity", "to_polarity",
                                        "last_before", "first_after", "final_polarity", "before", "after"])
    return table.sort_values(["first_after", "actor", "concept"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------
# plots


def _figure(width: float = 8.0, height: float = 4.5) -> Any:
    matplotlib = require("matplotlib", extra="plots", feature="drawing a PNG plot")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), dpi=120)


def _save(figure: Any, path: str | Path) -> Path:
    import matplotlib.pyplot as plt

    path = Path(path)
    try:
        figure.tight_layout()
        figure.savefig(path, format="png")
    except OSError as error:
        raise NetworkError("E310", path=str(path), detail=str(error)) from error
    finally:
        plt.close(figure)
    return path


def plot_polarisation(table: pd.DataFrame, path: str | Path) -> Path:
    """A line chart of polarisation over the windows of :func:`polarisation`."""
    figure, axes = _figure()
    if len(table):
        mids = table["start"] + (table["end"] - table["start"]) / 2
        axes.plot(mids, table["polarisation"], marker="o", color="#b2182b", label="polarisation")
        axes.plot(mids, table["q_congruence"], linestyle="--", color="#2166ac", label="Q congruence")
        axes.plot(mids, -table["q_conflict"], linestyle=":", color="#4d4d4d", label="-Q conflict")
        axes.legend(loc="best", fontsize="small")
    axes.axhline(0.0, color="#999999", linewidth=0.8)
    axes.set_ylabel("score")
    axes.set_title("Actor polarisation over time")
    figure.autofmt_xdate()
    return _save(figure, path)


def plot_fault_lines(table: pd.DataFrame, path: str | Path, top: int = 10) -> Path:
    """Diverging bars of supporters and opponents of the most divisive concepts."""
    shown = table.head(top).iloc[::-1]
    figure, axes = _figure(8.0, max(2.5, 0.45 * len(shown) + 1.2))
    labels = [str(c)[:40] for c in shown["concept"]]
    axes.barh(labels, shown["supporters"], color="#1a9850", label="supporters")
    axes.barh(labels, -shown["opponents"], color="#d73027", label="opponents")
    axes.axvline(0.0, color="#333333", linewidth=0.8)
    axes.set_xlabel("actors (opponents left, supporters right)")
    axes.set_title("Fault lines: the concepts that divide the actors")
    if len(shown):
        axes.legend(loc="lower right", fontsize="small")
    return _save(figure, path)


def plot_side_changers(table: pd.DataFrame, statements: pd.DataFrame, path: str | Path, top: int = 15) -> Path:
    """A timeline per side change: the actor's statements on the concept, by polarity."""
    shown = table.head(top)
    figure, axes = _figure(9.0, max(2.5, 0.5 * len(shown) + 1.2))
    for row_number, row in enumerate(shown.itertuples(index=False)):
        mine = statements.loc[(statements["actor_id"] == row.actor_id) & (statements["concept"] == row.concept)
                              & statements["date"].notna()]
        colours = np.where(mine["polarity"] > 0, "#1a9850", np.where(mine["polarity"] < 0, "#d73027", "#999999"))
        axes.scatter(mine["date"], [row_number] * len(mine), c=colours, s=30, zorder=3)
        axes.axvline(row.first_after, ymin=0, ymax=1, color="#cccccc", linewidth=0.5, zorder=1)
    axes.set_yticks(range(len(shown)), [f"{a} / {str(c)[:30]}" for a, c in zip(shown["actor"], shown["concept"])])
    axes.set_title("Side changers (green: for, red: against)")
    figure.autofmt_xdate()
    return _save(figure, path)
