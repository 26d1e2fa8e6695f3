"""What the API and the pages read from the store: parameterised SQL, JSON-ready results.

Every function takes an open connection (read-only is enough) and returns plain dicts and
lists. User input only ever reaches DuckDB as a bound parameter.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import duckdb

from stancegraph.store.queries import held_rows, holders_sql

__all__ = [
    "ArticleFilter",
    "actor_payload",
    "article_payload",
    "findings_payload",
    "link",
    "list_actors",
    "list_articles",
    "list_flags",
    "overview",
    "quotes_by_id",
    "resolve_article_id",
    "statements_by_id",
    "stored_text",
]


def link(article_id: str, start: int | None = None, end: int | None = None) -> str:
    """The page of an article (at a span): ``/articles/{id}#{start}-{end}``, the id percent-encoded.

    The ``/`` of an id of the allowed form (:mod:`stancegraph.sources.ids`) stays, so that
    ``politics/a2`` reads as it is; any other id (an older store's ``../x``) has its ``/``
    encoded too, so that no browser resolves a ``..`` in it to another page.
    """
    from urllib.parse import quote

    from stancegraph.sources.ids import id_problem

    url = "/articles/" + quote(article_id, safe="/" if id_problem(article_id) is None else "")
    return url if start is None else f"{url}#{start}-{end}"


def findings_payload(findings: list[Any]) -> list[dict[str, Any]]:
    """Corpus check findings as JSON, each evidence linked by :func:`link`."""
    payload = []
    for finding in findings:
        item = finding.to_dict()
        for evidence in item["evidence"]:
            evidence["link"] = link(evidence["article_id"], evidence["start"], evidence["end"])
        payload.append(item)
    return payload


def _day(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


# --------------------------------------------------------------------------------------
# overview


def overview(con: duckdb.DuckDBPyConnection, *, latest: int = 10, active: int = 10) -> dict[str, Any]:
    """Counts, the latest articles and the most active actors."""
    counts = con.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM actors), (SELECT count(*) FROM quotes), "
        "(SELECT count(*) FROM stances), (SELECT count(*) FROM relations), (SELECT count(*) FROM claims), "
        "(SELECT count(*) FROM flags), (SELECT min(date) FROM articles), (SELECT max(date) FROM articles)"
    ).fetchall()[0]
    keys = ("articles", "actors", "quotes", "stances", "relations", "claims", "flags")
    quotes, stances = held_rows(con, "quotes"), held_rows(con, "stances")  # a group's count for each member too
    actors = _dicts(con.execute(
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
        """, [active]))
    return {
        "counts": dict(zip(keys, (int(c) for c in counts[:7]))),
        "first_date": _day(counts[7]),
        "last_date": _day(counts[8]),
        "latest": list_articles(con, ArticleFilter(), page=1, per_page=latest)["articles"],
        "actors": actors,
    }


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
    from stancegraph.store.queries import _column_or_null

    return "o.lang" if _column_or_null(con, "articles", "lang") != "NULL" else "'en'"


def list_articles(con: duckdb.DuckDBPyConnection, flt: ArticleFilter, *, page: int = 1,
                  per_page: int = 20) -> dict[str, Any]:
    """One page of articles, newest first, with their counts and the total that match."""
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
        """, {**params, "limit": per_page, "offset": (page - 1) * per_page}))
    for row in rows:
        row["date"] = _day(row["date"])
        row["ingested_at"] = row["ingested_at"].isoformat() if row["ingested_at"] else None
        row["link"] = link(row["id"])
    return {"total": total, "page": page, "per_page": per_page, "articles": rows}


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


def article_payload(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """The output-contract object of a stored article (or of the article it copies), or None."""
    from stancegraph.records import to_dict
    from stancegraph.store import load_analysis

    if resolve_article_id(con, article_id) is None:
        return None
    payload = to_dict(load_analysis(con, article_id))
    stored = con.execute("SELECT coalesce(duplicate_of, id) FROM articles WHERE id = ?", [article_id]).fetchall()[0][0]
    for table in ("quotes", "stances"):  # each item's id ('<article id>#<n>'), which reviews name it by
        numbers = con.execute(f"SELECT n FROM {table} WHERE article_id = ? ORDER BY n", [stored]).fetchall()
        for item, (n,) in zip(payload[table], numbers, strict=True):
            item["id"] = f"{stored}#{n}"
    return payload


# --------------------------------------------------------------------------------------
# actors


def list_actors(con: duckdb.DuckDBPyConnection, *, search: str | None = None, type: str | None = None,
                page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """Corpus actors, most active first, with counts and aliases."""
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
        """, {**params, "limit": per_page, "offset": (page - 1) * per_page}))
    for row in rows:
        row["link"] = "/actors/" + _quote(row["id"])
    return {"total": total, "page": page, "per_page": per_page, "actors": rows}


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def actor_payload(con: duckdb.DuckDBPyConnection, actor_id: str) -> dict[str, Any] | None:
    """An actor: name, type, aliases, roles, quotes and stances (with dates), or None."""
    row = con.execute("SELECT id, name, type, country FROM actors WHERE id = ?", [actor_id]).fetchone()
    if row is None:
        return None
    actor: dict[str, Any] = dict(zip(("id", "name", "type", "country"), row))
    actor["aliases"] = [a for (a,) in con.execute(
        "SELECT alias FROM aliases WHERE actor_id = ? ORDER BY alias", [actor_id]).fetchall()]
    actor["articles"] = int(con.execute("SELECT count(DISTINCT article_id) FROM article_actors WHERE actor_id = ?",
                                        [actor_id]).fetchall()[0][0])
    actor["roles"] = _dicts(con.execute(
        "SELECT DISTINCT r.title, r.office, r.office_class, r.country, r.tense FROM roles r WHERE r.actor_id = ? "
        "ORDER BY r.office, r.title", [actor_id]))
    quotes = _dicts(con.execute(
        f"""
        SELECT q.article_id, q.n, q.kind, q.content_start, q.content_end, q.content_text, q.speaker_text,
               q.confidence, ar.title, ar.date, ar.source
        FROM quotes q JOIN articles ar ON ar.id = q.article_id
        WHERE list_contains({holders_sql(con, "quotes", "q")}, ?)
        ORDER BY ar.date DESC NULLS LAST, q.article_id, q.n
        """, [actor_id]))
    for quote in quotes:
        quote["id"] = f"{quote['article_id']}#{quote['n']}"
        quote["date"] = _day(quote["date"])
        quote["link"] = link(quote["article_id"], quote["content_start"], quote["content_end"])
    stances = _dicts(con.execute(
        f"""
        SELECT s.article_id, s.n, s.target, s.target_kind, coalesce(t.name, s.target) AS target_name, s.polarity,
               s.evidence_start, s.evidence_end, s.evidence_text, s.confidence, ar.date, ar.title
        FROM stances s JOIN articles ar ON ar.id = s.article_id
        LEFT JOIN actors t ON s.target_kind = 'actor' AND t.id = s.target
        WHERE list_contains({holders_sql(con, "stances", "s")}, ?)
        ORDER BY ar.date NULLS LAST, s.article_id, s.n
        """, [actor_id]))
    for stance in stances:
        stance["id"] = f"{stance['article_id']}#{stance['n']}"
        stance["date"] = _day(stance["date"])
        stance["link"] = link(stance["article_id"], stance["evidence_start"], stance["evidence_end"])
    actor["quotes"] = quotes
    actor["stances"] = stances
    return actor


# --------------------------------------------------------------------------------------
# what a network edge rests on


def _split_ids(ids: list[str]) -> list[tuple[str, int]]:
    pairs = []
    for value in ids:
        article, sep, n = value.rpartition("#")
        if sep and n.isascii() and n.isdigit() and len(n) < 10:
            pairs.append((article, int(n)))
    return pairs


def quotes_by_id(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[dict[str, Any]]:
    """The quotes ``"<article id>#<n>"`` with their speaker, actor and article."""
    pairs = _split_ids(ids)
    if not pairs:
        return []
    rows = _dicts(con.execute(
        """
        SELECT q.article_id, q.n, q.kind, q.content_start, q.content_end, q.content_text, q.speaker_text,
               q.actor_id, coalesce(a.name, q.speaker_text) AS actor_name, q.confidence,
               ar.title, ar.date, ar.source
        FROM (SELECT unnest($articles) AS article_id, unnest($ns) AS n) w
        JOIN quotes q ON q.article_id = w.article_id AND q.n = w.n
        JOIN articles ar ON ar.id = q.article_id
        LEFT JOIN actors a ON a.id = q.actor_id
        ORDER BY ar.date NULLS LAST, q.article_id, q.n
        """, {"articles": [a for a, _ in pairs], "ns": [n for _, n in pairs]}))
    for row in rows:
        row["id"] = f"{row['article_id']}#{row['n']}"
        row["date"] = _day(row["date"])
        row["link"] = link(row["article_id"], row["content_start"], row["content_end"])
    return rows


def statements_by_id(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[dict[str, Any]]:
    """The stances ``"<article id>#<n>"`` with their actor, target, polarity and evidence."""
    pairs = _split_ids(ids)
    if not pairs:
        return []
    rows = _dicts(con.execute(
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
        """, {"articles": [a for a, _ in pairs], "ns": [n for _, n in pairs]}))
    for row in rows:
        row["id"] = f"{row['article_id']}#{row['n']}"
        row["date"] = _day(row["date"])
        row["link"] = link(row["article_id"], row["evidence_start"], row["evidence_end"])
    return rows


# --------------------------------------------------------------------------------------
# flags


def list_flags(con: duckdb.DuckDBPyConnection, *, kind: str | None = None, article: str | None = None,
               page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """In-article consistency flags, newest article first, each with its evidence and links."""
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
        """, {**params, "limit": per_page, "offset": (page - 1) * per_page}))
    for row in rows:
        row["date"] = _day(row["date"])
        evidence = json.loads(row["evidence"]) if isinstance(row["evidence"], str) else (row["evidence"] or [])
        row["evidence"] = [{**e, "link": link(row["article_id"], e["start"], e["end"])} for e in evidence]
        row["link"] = link(row["article_id"])
    kinds = [k for (k,) in con.execute("SELECT DISTINCT kind FROM flags ORDER BY kind").fetchall()]
    return {"total": total, "page": page, "per_page": per_page, "kinds": kinds, "flags": rows}
