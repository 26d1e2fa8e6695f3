"""The store's stances as statement rows, and articles by id: what the networks are built from.

The statement table itself (columns, concepts, filters) is :mod:`stancegraph.networks.statements`;
this module holds the SQL that reads it from the tables.

Example
-------
>>> from stancegraph.store.schema import open_store
>>> con = open_store(":memory:")
>>> len(stance_statement_rows(con)), len(article_rows(con, []))
(0, 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb

from stancegraph.store.queries import _column_or_null

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DOCUMENT_COLUMNS", "article_rows", "stance_statement_rows"]

DOCUMENT_COLUMNS = ["id", "title", "date", "source", "url", "text", "ingested_at"]

_HEADS_QUERY = """
WITH headed AS (
    SELECT r.article_id, r.actor_id, c.name AS country
    FROM roles r
    JOIN actors p ON p.id = r.actor_id AND p.type = 'person'
    JOIN actors c ON c.type = 'country' AND c.name = r.country
    WHERE r.office_class = 'head'
      AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = r.article_id AND m.actor_id = c.id)
      AND NOT EXISTS (SELECT 1 FROM roles f WHERE f.article_id = r.article_id AND f.actor_id = r.actor_id
                      AND f.tense = 'past' AND f.country = r.country)
)
SELECT article_id, actor_id, min(country) AS country FROM headed
GROUP BY article_id, actor_id HAVING count(DISTINCT country) = 1
"""

_STORE_QUERY = """
WITH heads AS ({heads}),
said AS (
    SELECT s.article_id, s.n, list(q.article_id || '#' || CAST(q.n AS TEXT) ORDER BY q.n) AS quotes
    FROM stances s
    JOIN quotes q ON q.article_id = s.article_id AND q.actor_id = s.actor_id
        AND q.content_start < s.evidence_end AND s.evidence_start < q.content_end
    GROUP BY s.article_id, s.n
),
held AS (  -- a group's stance counts for each member (stances.actors); other stances for their actor
    SELECT s.*, unnest(CASE WHEN len(coalesce(CAST({holders} AS VARCHAR[]), [])) > 0
                            THEN CAST({holders} AS VARCHAR[]) ELSE [s.actor_id] END) AS holder
    FROM stances s
)
SELECT s.article_id, s.n, a.title, a.date, a.source,
       s.holder AS actor_id, coalesce(who.name, s.holder) AS actor, who.type AS actor_type,
       CASE WHEN s.holder <> s.actor_id THEN s.actor_id END AS "group",
       s.target, s.target_kind,
       CASE WHEN s.target_kind = 'actor' THEN coalesce(h.country, whom.name, s.target) ELSE s.target END AS label,
       s.polarity, s.confidence, s.evidence_start, s.evidence_end, s.evidence_text, said.quotes
FROM held s
JOIN articles a ON a.id = s.article_id
LEFT JOIN actors who ON who.id = s.holder
LEFT JOIN actors whom ON s.target_kind = 'actor' AND whom.id = s.target
LEFT JOIN heads h ON s.target_kind = 'actor' AND h.article_id = s.article_id AND h.actor_id = s.target
LEFT JOIN said ON said.article_id = s.article_id AND said.n = s.n
ORDER BY a.date NULLS LAST, s.article_id, s.n, s.holder
"""



def stance_statement_rows(con: duckdb.DuckDBPyConnection, *, heads_as_countries: bool = True) -> pd.DataFrame:
    """One row per stance and actor it counts for (a group's for each member), oldest article first:
    article, actor, target and its label (a head of state's country when ``heads_as_countries``),
    polarity, evidence, and the ids of the actor's quotes that overlap the evidence."""
    heads = _HEADS_QUERY if heads_as_countries else "SELECT NULL AS article_id, NULL AS actor_id, NULL AS country"
    query = _STORE_QUERY.format(heads=heads, holders=_column_or_null(con, "stances", "actors"))
    return con.execute(query).fetchdf()


def article_rows(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> pd.DataFrame:
    """The articles with these ids, by id, in :data:`DOCUMENT_COLUMNS`."""
    if not article_ids:
        import pandas as pd

        return pd.DataFrame(columns=DOCUMENT_COLUMNS)
    return con.execute(
        f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM articles WHERE list_contains(?, id) ORDER BY id", [list(article_ids)],
    ).fetchdf()
