"""Reading the store: an article's analysis rebuilt, read-only SQL, and exports of every table.

Example
-------
>>> from stancegraph.records import ArticleAnalysis
>>> from stancegraph.store.schema import open_store
>>> from stancegraph.store.writer import write_analyses
>>> con = open_store(":memory:")
>>> _ = write_analyses(con, [ArticleAnalysis("a1", "Title", None, None, "Some text.")])
>>> load_analysis(con, "a1").title
'Title'
>>> run_query(con, "SELECT count(*) AS n FROM articles")
(['n'], [(1,)])
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from stancegraph.errors import StoreError
from stancegraph.records import Actor, ArticleAnalysis, Claim, Flag, Quote, Relation, Role, Span, Stance
from stancegraph.registry.names import pronouns
from stancegraph.store.schema import table_names

__all__ = [
    "EXPORT_FORMATS",
    "TABLES",
    "check_table",
    "export_tables",
    "held_rows",
    "holders_sql",
    "ingest_order",
    "load_analysis",
    "run_query",
]

# the documented tables, in the order exports and listings give them
TABLES = ("articles", "actors", "aliases", "article_actors", "mentions", "roles", "quotes", "stances",
          "relations", "claims", "flags", "failures", "inputs", "runs", "concepts", "concept_aliases",
          "concept_label_cache", "meta")
EXPORT_FORMATS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)", "jsonl": "(FORMAT json)"}


def _span(start: int | None, end: int | None, text: str | None) -> Span | None:
    return None if start is None or end is None or text is None else Span(start, end, text)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, article_id: str) -> list[tuple[Any, ...]]:
    return con.execute(sql, [article_id]).fetchall()


def _actors(con: duckdb.DuckDBPyConnection, article_id: str) -> list[Actor]:
    listed = _rows(con, "SELECT aa.actor_id, a.name, a.type, aa.country FROM article_actors aa "
                        "JOIN actors a ON a.id = aa.actor_id WHERE aa.article_id = ? ORDER BY aa.n", article_id)
    actors: dict[str, Actor] = {}
    for actor_id, name, type_, country in listed:
        actor = actors.setdefault(actor_id, Actor(actor_id, name, type_))
        actor.country = actor.country or country
    for actor_id, start, end, text in _rows(con, 'SELECT actor_id, start, "end", text FROM mentions '
                                                 'WHERE article_id = ? ORDER BY start, "end"', article_id):
        if actor_id in actors:
            actors[actor_id].mentions.append(Span(start, end, text))
    for actor_id, start, end, text, title, office, office_class, country, tense in _rows(
            con, 'SELECT actor_id, start, "end", text, title, office, office_class, country, tense FROM roles '
                 'WHERE article_id = ? ORDER BY start, "end"', article_id):
        if actor_id in actors:
            actors[actor_id].roles.append(Role(Span(start, end, text), title, office, office_class, country, tense))
    for actor in actors.values():
        actor.aliases = sorted({m.text for m in actor.mentions} - {actor.name},
                               key=lambda text: (text.lower() in pronouns(), text.lower()))
    return list(actors.values())


def _column_or_null(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    """``column`` if ``table`` has it, else NULL: a store from before the migration that added it
    (version 4: quotes' and stances' actors; 5: stances' target_phrase; 8: articles' lang), opened read-only,
    cannot be upgraded."""
    found = con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = ? "
                        "AND column_name = ? AND table_catalog = current_database()", [table, column]).fetchone()
    return column if found and found[0] else "NULL"


def holders_sql(con: duckdb.DuckDBPyConnection, table: str, alias: str = "") -> str:
    """SQL for the list of actors a row of ``quotes`` or ``stances`` counts for: its actor and,
    for a group's, every member (``actors``, version 4), like :func:`stancegraph.records.holders`
    with the group kept."""
    prefix = f"{alias}." if alias else ""
    members = _column_or_null(con, table, "actors")
    members = f"{prefix}{members}" if members != "NULL" else members
    return f"list_distinct(list_prepend({prefix}actor_id, coalesce(CAST({members} AS VARCHAR[]), [])))"


def held_rows(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """SQL for the rows of ``quotes`` or ``stances`` once per actor they count for (column
    ``holder``): a group's quote or stance counts for the group and for each member."""
    return f"(SELECT *, unnest({holders_sql(con, table)}) AS holder FROM {table})"


def load_analysis(con: duckdb.DuckDBPyConnection, article_id: str) -> ArticleAnalysis:
    """The analysis of a stored article, as ``analyze --format json`` gives it, with corpus actor ids.

    For a duplicate (``articles.duplicate_of`` set) it is the analysis of the article it
    duplicates, under the duplicate's own id, title, date, source and url: the text is the
    same, so every offset holds.
    """
    row = con.execute("SELECT id, title, date, source, url, text, duplicate_of FROM articles WHERE id = ?",
                      [article_id]).fetchone()
    if row is None:
        raise StoreError("E208", id=article_id)
    id_, title, date, source, url, text, duplicate_of = row
    article_id = duplicate_of or id_  # where the analysis rows are
    lang = con.execute(f"SELECT {_column_or_null(con, 'articles', 'lang')} FROM articles WHERE id = ?",
                       [article_id]).fetchone()
    quote_actors, stance_actors = (_column_or_null(con, table, "actors") for table in ("quotes", "stances"))
    stance_phrase = _column_or_null(con, "stances", "target_phrase")
    quotes = [
        Quote(kind, Span(cs, ce, ct), _span(us, ue, ut), _span(ss, se, st), actor, confidence,
              json.loads(holders) if holders else [])
        for kind, cs, ce, ct, us, ue, ut, ss, se, st, actor, confidence, holders in _rows(
            con, "SELECT kind, content_start, content_end, content_text, cue_start, cue_end, cue_text, "
                 f"speaker_start, speaker_end, speaker_text, actor_id, confidence, {quote_actors} FROM quotes "
                 "WHERE article_id = ? ORDER BY n", article_id)
    ]
    stances = [
        Stance(actor, target, target_kind, polarity, Span(es, ee, et), confidence, phrase,
               json.loads(holders) if holders else [])
        for actor, target, target_kind, polarity, es, ee, et, confidence, phrase, holders in _rows(
            con, "SELECT actor_id, target, target_kind, polarity, evidence_start, evidence_end, evidence_text, "
                 f"confidence, {stance_phrase}, {stance_actors} FROM stances WHERE article_id = ? ORDER BY n", article_id)
    ]
    relations = [Relation(*r) for r in _rows(
        con, "SELECT a, b, kind, on_target FROM relations WHERE article_id = ? ORDER BY n", article_id)]
    claims = [
        Claim(Span(start, end, text_), value, unit, qualifier, source, subject)
        for start, end, text_, value, unit, qualifier, source, subject in _rows(
            con, 'SELECT start, "end", text, value, unit, qualifier, source, subject FROM claims '
                 "WHERE article_id = ? ORDER BY n", article_id)
    ]
    flags = [
        Flag(kind, actor, message, [Span(e["start"], e["end"], e["text"]) for e in json.loads(evidence)])
        for kind, actor, message, evidence in _rows(
            con, "SELECT kind, actor_id, message, evidence FROM flags WHERE article_id = ? ORDER BY n", article_id)
    ]
    return ArticleAnalysis(
        id=id_, title=title, date=date.isoformat() if date else None, source=source, url=url, text=text,
        actors=_actors(con, article_id), quotes=quotes, stances=stances, relations=relations, claims=claims,
        flags=flags, lang=(lang[0] if lang else None) or "en",
    )


def run_query(con: duckdb.DuckDBPyConnection, sql: str,
              params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of a query; on a read-only connection a write is refused (E205)."""
    try:
        result = con.execute(sql, params or [])
        columns = [d[0] for d in result.description or []]
        return columns, result.fetchall() if columns else []
    except (duckdb.PermissionException, duckdb.InvalidInputException) as err:
        if "read-only" in str(err) or "disabled by configuration" in str(err):
            raise StoreError("E205", detail=str(err).splitlines()[0]) from err
        raise StoreError("E206", detail=str(err).splitlines()[0]) from err
    except duckdb.Error as err:
        raise StoreError("E206", detail=str(err).splitlines()[0]) from err


def check_table(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """``name`` if the store has that table, else E207 listing the tables it has."""
    tables = table_names(con)
    if name not in tables:
        raise StoreError("E207", name=name, tables=", ".join(tables))
    return name


def export_tables(con: duckdb.DuckDBPyConnection, directory: str | Path, format: str,
                  tables: Sequence[str] | None = None) -> list[Path]:
    """Write each table to ``directory/<table>.<format>`` (parquet, csv or jsonl); the files written."""
    if format not in EXPORT_FORMATS:
        raise StoreError("E206", detail=f"unknown export format '{format}' (expected {', '.join(EXPORT_FORMATS)})")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    present = table_names(con)
    names = [check_table(con, t) for t in tables] if tables else \
        [t for t in TABLES if t in present] + [t for t in present if t not in TABLES]
    written = []
    for name in names:
        target = out / f"{name}.{format}"
        con.execute(f"COPY \"{name}\" TO '{_quote(str(target))}' {EXPORT_FORMATS[format]}")  # in insertion order
        written.append(target)
    return written


def _quote(text: str) -> str:
    return text.replace("'", "''")


def ingest_order(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Article ids in the order they were ingested: the timeline of a corpus without dates."""
    return [row[0] for row in con.execute("SELECT id FROM articles ORDER BY ingested_at, rowid").fetchall()]
