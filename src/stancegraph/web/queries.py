"""What the API and the pages show from the store: JSON-ready results with links.

Every function takes an open connection (read-only is enough) and returns plain dicts and
lists; the SQL is in :mod:`stancegraph.store.web_queries`, this module adds each item's id,
ISO dates and the link to its page.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb

from stancegraph.store import web_queries as store
from stancegraph.store.web_queries import ArticleFilter, resolve_article_id, stored_text

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


# --------------------------------------------------------------------------------------
# overview


def overview(con: duckdb.DuckDBPyConnection, *, latest: int = 10, active: int = 10) -> dict[str, Any]:
    """Counts, the latest articles and the most active actors."""
    counts, first, last = store.corpus_counts(con)
    return {
        "counts": counts,
        "first_date": _day(first),
        "last_date": _day(last),
        "latest": list_articles(con, ArticleFilter(), page=1, per_page=latest)["articles"],
        "actors": store.most_active_actors(con, active),
    }


# --------------------------------------------------------------------------------------
# articles


def list_articles(con: duckdb.DuckDBPyConnection, flt: ArticleFilter, *, page: int = 1,
                  per_page: int = 20) -> dict[str, Any]:
    """One page of articles, newest first, with their counts and the total that match."""
    total, rows = store.article_page(con, flt, limit=per_page, offset=(page - 1) * per_page)
    for row in rows:
        row["date"] = _day(row["date"])
        row["ingested_at"] = row["ingested_at"].isoformat() if row["ingested_at"] else None
        row["link"] = link(row["id"])
    return {"total": total, "page": page, "per_page": per_page, "articles": rows}


def article_payload(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """The output-contract object of a stored article (or of the article it copies), or None."""
    from stancegraph.records import to_dict
    from stancegraph.store import load_analysis

    if resolve_article_id(con, article_id) is None:
        return None
    payload = to_dict(load_analysis(con, article_id))
    stored, numbers = store.item_numbers(con, article_id)
    for table in ("quotes", "stances"):  # each item's id ('<article id>#<n>'), which reviews name it by
        for item, n in zip(payload[table], numbers[table], strict=True):
            item["id"] = f"{stored}#{n}"
    return payload


# --------------------------------------------------------------------------------------
# actors


def list_actors(con: duckdb.DuckDBPyConnection, *, search: str | None = None, type: str | None = None,
                page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """Corpus actors, most active first, with counts and aliases."""
    total, rows = store.actor_page(con, search=search, type=type, limit=per_page, offset=(page - 1) * per_page)
    for row in rows:
        row["link"] = "/actors/" + _quote(row["id"])
    return {"total": total, "page": page, "per_page": per_page, "actors": rows}


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def actor_payload(con: duckdb.DuckDBPyConnection, actor_id: str) -> dict[str, Any] | None:
    """An actor: name, type, aliases, roles, quotes and stances (with dates), or None."""
    actor = store.actor_record(con, actor_id)
    if actor is None:
        return None
    quotes = store.actor_quote_rows(con, actor_id)
    for quote in quotes:
        quote["id"] = f"{quote['article_id']}#{quote['n']}"
        quote["date"] = _day(quote["date"])
        quote["link"] = link(quote["article_id"], quote["content_start"], quote["content_end"])
    stances = store.actor_stance_rows(con, actor_id)
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
    rows = store.quote_rows(con, _split_ids(ids))
    for row in rows:
        row["id"] = f"{row['article_id']}#{row['n']}"
        row["date"] = _day(row["date"])
        row["link"] = link(row["article_id"], row["content_start"], row["content_end"])
    return rows


def statements_by_id(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[dict[str, Any]]:
    """The stances ``"<article id>#<n>"`` with their actor, target, polarity and evidence."""
    rows = store.stance_rows(con, _split_ids(ids))
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
    total, rows = store.flag_page(con, kind=kind, article=article, limit=per_page, offset=(page - 1) * per_page)
    for row in rows:
        row["date"] = _day(row["date"])
        evidence = json.loads(row["evidence"]) if isinstance(row["evidence"], str) else (row["evidence"] or [])
        row["evidence"] = [{**e, "link": link(row["article_id"], e["start"], e["end"])} for e in evidence]
        row["link"] = link(row["article_id"])
    return {"total": total, "page": page, "per_page": per_page, "kinds": store.flag_kinds(con), "flags": rows}
