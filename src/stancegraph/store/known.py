"""What the store already holds that the next ingest builds on: corpus actors, their aliases,
the roles each was seen in, and the input files read before.

Example
-------
>>> from stancegraph.store.schema import open_store
>>> con = open_store(":memory:")
>>> stored_actors(con), stored_aliases(con), roles_seen(con), read_inputs(con)
([], [], [], {})
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

__all__ = ["actor_name", "read_inputs", "roles_seen", "stored_actors", "stored_aliases"]


def stored_actors(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None]]:
    """``(id, name, type, country)`` of every corpus actor, in the order they were stored."""
    return con.execute("SELECT id, name, type, country FROM actors ORDER BY rowid").fetchall()


def stored_aliases(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """``(actor id, alias)`` pairs, in the order they were stored."""
    return con.execute("SELECT actor_id, alias FROM aliases ORDER BY rowid").fetchall()


def roles_seen(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None, str | None,
                                                              dt.date | None, dt.date | None]]:
    """``(actor id, office, office class, country, tense, first date, last date)`` of each role held."""
    return con.execute(
        "SELECT r.actor_id, r.office, r.office_class, r.country, r.tense, min(a.date), max(a.date) "
        "FROM roles r JOIN articles a ON a.id = r.article_id GROUP BY ALL ORDER BY ALL"
    ).fetchall()


def read_inputs(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Any, ...]]:
    """Input file -> ``(size, sha256, options, articles)`` of every file an ingest has finished."""
    rows = con.execute("SELECT file, size, sha256, options, articles FROM inputs").fetchall()
    return {row[0]: row[1:] for row in rows}


def actor_name(con: duckdb.DuckDBPyConnection, actor_id: str) -> str | None:
    """The name of a corpus actor, or None when there is no such actor."""
    row = con.execute("SELECT name FROM actors WHERE id = ?", [actor_id]).fetchone()
    return row[0] if row else None
