"""What the web API and pages read from the store: parameterised SQL, rows as dicts.

The web package (:mod:`stancegraph.web.queries`) adds links and JSON shapes on top; this
module is the only one that knows the tables. User input only ever reaches DuckDB as a bound
parameter. Dates stay ``datetime.date`` values here.

Example
-------
>>> from stancegraph.store.schema import open_store
>>> con = open_store(":memory:")
>>> corpus_counts(con)
({'articles': 0, 'actors': 0, 'quotes': 0, 'stances': 0, 'relations': 0, 'claims': 0, 'flags': 0}, None, None)
>>> article_page(con, ArticleFilter(), limit=10, offset=0)
(0, [])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from stancegraph.store.queries import _column_or_null, held_rows, holders_sql

__all__ = [
    "ArticleFilter",
    "actor_names",
    "actor_page",
    "actor_quote_rows",
    "actor_record",
    "actor_stance_rows",
    "article_page",
    "corpus_counts",
    "flag_kinds",
    "flag_page",
    "item_numbers",
    "most_active_actors",
    "quote_rows",
    "resolve_article_id",
    "stance_rows",
    "stored_text",
]

Row = dict[str, Any]
"""One result row: column name -> value."""

COUNTED = ("articles", "actors", "quotes", "stances", "relations", "claims", "flags")


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[Row]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


# --------------------------------------------------------------------------------------
# overview


def corpus_counts(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, int], dt.date | None, dt.date | None]:
    """The row count of each table in :data:`COUNTED`, and the first and last article date."""
    counts = con.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM actors), (SELECT count(*) FROM quotes), "
        "(SELECT count(*) FROM stances), (SELECT count(*) FROM relations), (SELECT count(*) FROM claims), "
        "(SELECT count(*) FROM flags), (SELECT min(date) FROM articles), (SELECT max(date) FROM articles)"
    ).fetchall()[0]
    return dict(zip(COUNTED, (int(c) for c in counts[:7]))), counts[7], counts[8]


def most_active_actors(con: duckdb.DuckDBPyConnection, limit: int) -> list[Row]:
    """``id, name, type, quotes, stances, articles`` of the actors with most quotes and stances."""
    quotes, stances = held_rows(con, "quotes"), held_rows(con, "stances")  # a group's count for each member too
    return _dicts(con.execute(
        f"""
        SELECT a.id, a.name, a.type,
               coalesce(q.quotes, 0) AS quotes, coalesce(s.stances, 0) AS stances,
               coalesce(m.articles, 0) AS articles
        FROM actors a
        LEFT JOIN (SELECT holder, count(*) AS quotes FROM {quotes} GROUP BY holder) q ON q.holder = a.id
        LEFT JOIN (SELECT holder, count(*) AS stances FROM {stances} GROUP BY holder) s ON s.holder = a.id
        LEFT JOIN (SELECT actor_id, count(DISTINCT article_id) AS articles FROM mentions GROUP BY actor_id) m
               ON m.actor_id = a.id
        ORDER BY quotes + stances DESC, articles DESC, a.id
        LIMIT ?
        """, [limit]))


# --------------------------------------------------------------------------------------
# articles


@dataclass(frozen=True)
class ArticleFilter:
    """The filters of ``GET /api/articles``."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    source: str | None = None
    actor: str | None = None
    q: str | None = None
    lang: str | None = None

    def where(self) -> tuple[str, dict[str, Any]]:
        """The WHERE clause over ``articles ar`` and its bound parameters."""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.lang:  # a duplicate has its original's language
            clauses.append("(SELECT o.lang FROM articles o WHERE o.id = coalesce(ar.duplicate_of, ar.id)) = $lang")
            params["lang"] = self.lang
        if self.date_from is not None:
            clauses.append("ar.date >= $date_from")
            params["date_from"] = self.date_from
        if self.date_to is not None:
            clauses.append("ar.date <= $date_to")
            params["date_to"] = self.date_to
        if self.source:
            clauses.append("lower(ar.source) = lower($source)")
            params["source"] = self.source
        if self.actor:
            clauses.append("EXISTS (SELECT 1 FROM article_actors aa JOIN actors a ON a.id = aa.actor_id "
                           "WHERE aa.article_id = coalesce(ar.duplicate_of, ar.id) AND (a.id = $actor OR lower(a.name) = lower($actor)))")
            params["actor"] = self.actor
        if self.q:
            clauses.append("(contains(lower(ar.text), lower($q)) OR contains(lower(coalesce(ar.title, '')), lower($q)))")
            params["q"] = self.q
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _article_lang(con: duckdb.DuckDBPyConnection) -> str:
    """``o.lang``, or 'en' on a read-only store from before languages (schema version 8)."""
    return "o.lang" if _column_or_null(con, "articles", "lang") != "NULL" else "'en'"


def article_page(con: duckdb.DuckDBPyConnection, flt: ArticleFilter, *, limit: int,
                 offset: int) -> tuple[int, list[Row]]:
    """(how many articles match, one page of them newest first with their language, snippet and counts)."""
    where, params = flt.where()
    total = int(con.execute(f"SELECT count(*) FROM articles ar{where}", params).fetchall()[0][0])
    rows = _dicts(con.execute(
        f"""
        SELECT ar.id, ar.title, ar.date, ar.source, ar.url, ar.ingested_at, ar.duplicate_of,
               (SELECT {_article_lang(con)} FROM articles o WHERE o.id = coalesce(ar.duplicate_of, ar.id)) AS lang,
               left(regexp_replace(ar.text, '\\s+', ' ', 'g'), 200) AS snippet,
               (SELECT count(*) FROM article_actors aa WHERE aa.article_id = coalesce(ar.duplicate_of, ar.id)) AS actors,
               (SELECT count(*) FROM quotes q WHERE q.article_id = coalesce(ar.duplicate_of, ar.id)) AS quotes,
               (SELECT count(*) FROM stances s WHERE s.article_id = coalesce(ar.duplicate_of, ar.id)) AS stances,
               (SELECT count(*) FROM flags f WHERE f.article_id = coalesce(ar.duplicate_of, ar.id)) AS flags
        FROM articles ar{where}
        ORDER BY ar.date DESC NULLS LAST, ar.ingested_at DESC, ar.id
        LIMIT $limit OFFSET $offset
        """, {**params, "limit": limit, "offset": offset}))
    return total, rows


def resolve_article_id(con: duckdb.DuckDBPyConnection, article_id: str) -> str | None:
    """``article_id`` if the store has it (an original or a duplicate), else None."""
    row = con.execute("SELECT id FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row else None


def stored_text(con: duckdb.DuckDBPyConnection, text_hash: str, article_id: str | None) -> tuple[str | None, str | None]:
    """(the original article with this text, the text hash stored under ``article_id``), each None if absent."""
    same = con.execute("SELECT id FROM articles WHERE content_hash = ? ORDER BY duplicate_of IS NOT NULL, ingested_at, id "
                       "LIMIT 1", [text_hash]).fetchone()
    given = con.execute("SELECT content_hash FROM articles WHERE id = ?", [article_id]).fetchone() \
        if article_id is not None else None
    return (same[0] if same else None), (given[0] if given else None)


def item_numbers(con: duckdb.DuckDBPyConnection, article_id: str) -> tuple[str, dict[str, list[int]]]:
    """(the id the article's analysis is stored under, its quotes' and stances' numbers ``n`` in order)."""
    stored = con.execute("SELECT coalesce(duplicate_of, id) FROM articles WHERE id = ?", [article_id]).fetchall()[0][0]
    return stored, {table: [n for (n,) in con.execute(f"SELECT n FROM {table} WHERE article_id = ? ORDER BY n",
                                                       [stored]).fetchall()]
                    for table in ("quotes", "stances")}


# --------------------------------------------------------------------------------------
# actors


def actor_page(con: duckdb.DuckDBPyConnection, *, search: str | None, type: str | None, limit: int,
               offset: int) -> tuple[int, list[Row]]:
    """(how many actors match, one page of them most active first with counts and aliases)."""
    params: dict[str, Any] = {"type": type, "search": search}
    where = ("WHERE ($type IS NULL OR a.type = $type) AND ($search IS NULL OR contains(lower(a.id), lower($search)) "
             "OR contains(lower(a.name), lower($search)) OR EXISTS (SELECT 1 FROM aliases x WHERE x.actor_id = a.id "
             "AND contains(lower(x.alias), lower($search))))")
    total = int(con.execute(f"SELECT count(*) FROM actors a {where}", params).fetchall()[0][0])
    quotes, stances = held_rows(con, "quotes"), held_rows(con, "stances")  # a group's count for each member too
    rows = _dicts(con.execute(
        f"""
        SELECT a.id, a.name, a.type, a.country,
               coalesce(m.articles, 0) AS articles, coalesce(m.mentions, 0) AS mentions,
               coalesce(q.quotes, 0) AS quotes, coalesce(s.stances, 0) AS stances,
               coalesce(al.aliases, []) AS aliases
        FROM actors a
        LEFT JOIN (SELECT actor_id, count(DISTINCT article_id) AS articles, count(*) AS mentions
                   FROM mentions GROUP BY actor_id) m ON m.actor_id = a.id
        LEFT JOIN (SELECT holder, count(*) AS quotes FROM {quotes} GROUP BY holder) q ON q.holder = a.id
        LEFT JOIN (SELECT holder, count(*) AS stances FROM {stances} GROUP BY holder) s ON s.holder = a.id
        LEFT JOIN (SELECT actor_id, list(alias ORDER BY alias) AS aliases FROM aliases GROUP BY actor_id) al
               ON al.actor_id = a.id
        {where}
        ORDER BY articles DESC, quotes + stances DESC, a.id
        LIMIT $limit OFFSET $offset
        """, {**params, "limit": limit, "offset": offset}))
    return total, rows


def actor_record(con: duckdb.DuckDBPyConnection, actor_id: str) -> Row | None:
    """``id, name, type, country, aliases, articles, roles`` of a corpus actor, or None."""
    row = con.execute("SELECT id, name, type, country FROM actors WHERE id = ?", [actor_id]).fetchone()
    if row is None:
        return None
    actor: Row = dict(zip(("id", "name", "type", "country"), row))
    actor["aliases"] = [a for (a,) in con.execute(
        "SELECT alias FROM aliases WHERE actor_id = ? ORDER BY alias", [actor_id]).fetchall()]
    actor["articles"] = int(con.execute("SELECT count(DISTINCT article_id) FROM article_actors WHERE actor_id = ?",
                                        [actor_id]).fetchall()[0][0])
    actor["roles"] = _dicts(con.execute(
        "SELECT DISTINCT r.title, r.office, r.office_class, r.country, r.tense FROM roles r WHERE r.actor_id = ? "
        "ORDER BY r.office, r.title", [actor_id]))
    return actor


def actor_quote_rows(con: duckdb.DuckDBPyConnection, actor_id: str) -> list[Row]:
    """The quotes an actor's name is on (a group's for each member too), newest article first."""
    return _dicts(con.execute(
        f"""
        SELECT q.article_id, q.n, q.kind, q.content_start, q.content_end, q.content_text, q.speaker_text,
               q.confidence, ar.title, ar.date, ar.source
        FROM quotes q JOIN articles ar ON ar.id = q.article_id
        WHERE list_contains({holders_sql(con, "quotes", "q")}, ?)
        ORDER BY ar.date DESC NULLS LAST, q.article_id, q.n
        """, [actor_id]))


def actor_stance_rows(con: duckdb.DuckDBPyConnection, actor_id: str) -> list[Row]:
    """The stances an actor holds (a group's for each member too), oldest article first, with the target's name."""
    return _dicts(con.execute(
        f"""
        SELECT s.article_id, s.n, s.target, s.target_kind, coalesce(t.name, s.target) AS target_name, s.polarity,
               s.evidence_start, s.evidence_end, s.evidence_text, s.confidence, ar.date, ar.title
        FROM stances s JOIN articles ar ON ar.id = s.article_id
        LEFT JOIN actors t ON s.target_kind = 'actor' AND t.id = s.target
        WHERE list_contains({holders_sql(con, "stances", "s")}, ?)
        ORDER BY ar.date NULLS LAST, s.article_id, s.n
        """, [actor_id]))


def actor_names(con: duckdb.DuckDBPyConnection, actor_ids: Sequence[str]) -> dict[str, str]:
    """Corpus actor id -> name, for those of ``actor_ids`` the store has."""
    return dict(con.execute("SELECT id, name FROM actors WHERE list_contains(?, id)", [sorted(actor_ids)]).fetchall())


# --------------------------------------------------------------------------------------
# what a network edge rests on


def quote_rows(con: duckdb.DuckDBPyConnection, items: Sequence[tuple[str, int]]) -> list[Row]:
    """The quotes ``(article id, n)`` with their speaker, actor and article, oldest article first."""
    if not items:
        return []
    return _dicts(con.execute(
        """
        SELECT q.article_id, q.n, q.kind, q.content_start, q.content_end, q.content_text, q.speaker_text,
               q.actor_id, coalesce(a.name, q.speaker_text) AS actor_name, q.confidence,
               ar.title, ar.date, ar.source
        FROM (SELECT unnest($articles) AS article_id, unnest($ns) AS n) w
        JOIN quotes q ON q.article_id = w.article_id AND q.n = w.n
        JOIN articles ar ON ar.id = q.article_id
        LEFT JOIN actors a ON a.id = q.actor_id
        ORDER BY ar.date NULLS LAST, q.article_id, q.n
        """, {"articles": [a for a, _ in items], "ns": [n for _, n in items]}))


def stance_rows(con: duckdb.DuckDBPyConnection, items: Sequence[tuple[str, int]]) -> list[Row]:
    """The stances ``(article id, n)`` with their actor, target, polarity and evidence, oldest article first."""
    if not items:
        return []
    return _dicts(con.execute(
        """
        SELECT s.article_id, s.n, s.actor_id, coalesce(a.name, s.actor_id) AS actor_name, s.target, s.target_kind,
               coalesce(t.name, s.target) AS target_name, s.polarity, s.evidence_start, s.evidence_end,
               s.evidence_text, s.confidence, ar.title, ar.date
        FROM (SELECT unnest($articles) AS article_id, unnest($ns) AS n) w
        JOIN stances s ON s.article_id = w.article_id AND s.n = w.n
        JOIN articles ar ON ar.id = s.article_id
        LEFT JOIN actors a ON a.id = s.actor_id
        LEFT JOIN actors t ON s.target_kind = 'actor' AND t.id = s.target
        ORDER BY ar.date NULLS LAST, s.article_id, s.n
        """, {"articles": [a for a, _ in items], "ns": [n for _, n in items]}))


# --------------------------------------------------------------------------------------
# flags


def flag_page(con: duckdb.DuckDBPyConnection, *, kind: str | None, article: str | None, limit: int,
              offset: int) -> tuple[int, list[Row]]:
    """(how many flags match, one page of them newest article first, evidence as stored)."""
    params = {"kind": kind, "article": article}
    where = "WHERE ($kind IS NULL OR f.kind = $kind) AND ($article IS NULL OR f.article_id = $article)"
    total = int(con.execute(f"SELECT count(*) FROM flags f {where}", params).fetchall()[0][0])
    rows = _dicts(con.execute(
        f"""
        SELECT f.article_id, f.n, f.kind, f.actor_id, a.name AS actor_name, f.message, f.evidence,
               ar.title, ar.date
        FROM flags f JOIN articles ar ON ar.id = f.article_id LEFT JOIN actors a ON a.id = f.actor_id
        {where}
        ORDER BY ar.date DESC NULLS LAST, f.article_id, f.n
        LIMIT $limit OFFSET $offset
        """, {**params, "limit": limit, "offset": offset}))
    return total, rows


def flag_kinds(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The kinds of flag the store holds, sorted."""
    return [k for (k,) in con.execute("SELECT DISTINCT kind FROM flags ORDER BY kind").fetchall()]
