"""Schema version 2: each article's own actors linked to corpus actors, and ingested files.

``article_actors`` keeps how each article named its actors (the per-article analysis ids and
names) beside the corpus actor each was resolved to, so ``actors split`` can move one
article's actor and :func:`~stancegraph.store.queries.load_analysis` rebuilds the actors in
their order. Stores of version 1 get a row per (article, actor) that their mentions show.
``inputs`` remembers files read to the end with nothing failed, so that re-ingesting them
costs one hash and no parsing.
"""

from __future__ import annotations

import duckdb

__all__ = ["migrate"]


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE article_actors (
            article_id TEXT NOT NULL,
            n INTEGER NOT NULL,
            actor_id TEXT NOT NULL,
            local_id TEXT,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            country TEXT
        )
        """
    )
    con.execute(
        """
        INSERT INTO article_actors
        SELECT m.article_id,
               (row_number() OVER (PARTITION BY m.article_id ORDER BY m.first_start, m.actor_id) - 1)::INTEGER,
               m.actor_id, m.actor_id, a.name, a.type, a.country
        FROM (SELECT article_id, actor_id, min(start) AS first_start FROM mentions GROUP BY ALL) AS m
        JOIN actors AS a ON a.id = m.actor_id
        """
    )
    con.execute(
        """
        CREATE TABLE inputs (
            file TEXT PRIMARY KEY,
            size BIGINT NOT NULL,
            sha256 TEXT NOT NULL,
            options TEXT NOT NULL,
            articles INTEGER NOT NULL,
            ingested_at TIMESTAMP NOT NULL
        )
        """
    )
