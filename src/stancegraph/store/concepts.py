"""The store's concept tables: the user's concept list and the cache of label analyses.

The folding itself (:mod:`stancegraph.networks.concepts`) works on plain values; this module
is the only one that reads or writes these tables.

Example
-------
>>> from stancegraph.store.schema import open_store
>>> con = open_store(":memory:")
>>> replace_concepts(con, [("tariffs", ["import duties", "tariffs"])])
>>> concept_rows(con)
[('tariffs', ('import duties',))]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from stancegraph.errors import NetworkError
from stancegraph.store.schema import table_names

__all__ = ["cache_label_rows", "cached_label_rows", "concept_rows", "replace_concepts"]

LabelRow = tuple[str, str, str | None, list[float] | None]
"""A cached label: the label, its analysis as JSON, the embedding model and the vector (or None)."""


def concept_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, tuple[str, ...]]]:
    """Each concept's label and its aliases, by label (empty when the store has no concept tables)."""
    if "concepts" not in table_names(con):
        return []
    rows = con.execute(
        "SELECT c.label, list(a.alias ORDER BY a.alias) FILTER (WHERE a.alias IS NOT NULL) "
        "FROM concepts c LEFT JOIN concept_aliases a ON a.concept_id = c.id GROUP BY c.id, c.label ORDER BY c.label"
    ).fetchall()
    return [(label, tuple(aliases or ())) for label, aliases in rows]


def replace_concepts(con: duckdb.DuckDBPyConnection, concepts: Sequence[tuple[str, Sequence[str]]]) -> None:
    """Replace the concept list with ``(label, aliases)`` pairs in one transaction (E316 when it cannot)."""
    if "concepts" not in table_names(con):
        raise NetworkError("E316", detail="the store has no concept tables: open it with "
                                          "stancegraph.store.open_store (read-write) to add them")
    try:
        con.begin()
        con.execute("DELETE FROM concept_aliases")
        con.execute("DELETE FROM concepts")
        for label, aliases in concepts:
            (concept_id,) = con.execute("SELECT nextval('concept_ids')").fetchall()[0]
            con.execute("INSERT INTO concepts VALUES (?, ?)", [concept_id, label])
            for alias in sorted(set(aliases) - {label}):
                con.execute("INSERT INTO concept_aliases VALUES (?, ?)", [concept_id, alias])
        con.commit()
    except duckdb.Error as error:
        con.rollback()
        detail = "the store is open read-only" if "read-only" in str(error) else str(error)
        raise NetworkError("E316", detail=detail) from error


def cached_label_rows(con: Any, labels: Sequence[str]) -> list[LabelRow]:
    """The cached analyses of ``labels`` (none without a store or a cache table)."""
    if con is None or not labels or "concept_label_cache" not in table_names(con):
        return []
    return con.execute(
        "SELECT label, info, model, embedding FROM concept_label_cache WHERE list_contains(?, label)", [list(labels)]
    ).fetchall()


def cache_label_rows(con: Any, rows: Sequence[LabelRow]) -> None:
    """Remember label analyses; silently skipped without a store, a cache table, or write access."""
    if con is None or not rows or "concept_label_cache" not in table_names(con):
        return
    try:
        con.executemany("INSERT OR REPLACE INTO concept_label_cache VALUES (?, ?, ?, ?)", list(rows))
    except duckdb.Error:
        return
