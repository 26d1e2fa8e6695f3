"""Corpus actors in the store: listed, merged and split, with the registry kept in step.

A merge moves every row of the other actors to the one kept (mentions, roles, quotes, stances,
relations, flags, claims that credit them, and the member lists of quotes and stances held by a
group) and deletes them; a split moves one actor's rows in
some articles (named, or those where the actor goes by given aliases) to a new actor. Both run
in one transaction, and both record the decision in the registry so that later ingests follow
it: the kept actor takes the merged names as aliases; the split-off actor gets an entry of its
own with the aliases it was split by.

Example
-------
>>> from stancegraph.records import Actor, ArticleAnalysis, Span
>>> from stancegraph.store.schema import open_store
>>> from stancegraph.store.writer import write_analyses
>>> con = open_store(":memory:")
>>> _ = write_analyses(con, [
...     ArticleAnalysis("a1", None, None, None, "Tony Blair spoke.", actors=[
...         Actor("tony-blair", "Tony Blair", "person", mentions=[Span(0, 10, "Tony Blair")])]),
...     ArticleAnalysis("a2", None, None, None, "Anthony Blair spoke.", actors=[
...         Actor("anthony-blair", "Anthony Blair", "person", mentions=[Span(0, 13, "Anthony Blair")])])])
>>> merge_actors(con, "tony-blair", ["anthony-blair"])
1
>>> con.execute("SELECT DISTINCT actor_id FROM mentions").fetchall()
[('tony-blair',)]
>>> con.execute("SELECT alias FROM aliases").fetchall()
[('Anthony Blair',)]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb

from stancegraph.errors import RegistryError
from stancegraph.names import name_key, slug
from stancegraph.registry import Registry, RegistryEntry
from stancegraph.registry.names import proper_form

__all__ = ["ACTOR_COLUMNS", "list_actors", "merge_actors", "record_merge", "record_split", "split_actor"]

# every column that holds a corpus actor id
ACTOR_COLUMNS = (("mentions", "actor_id"), ("roles", "actor_id"), ("article_actors", "actor_id"),
                 ("quotes", "actor_id"), ("stances", "actor_id"), ("relations", "a"), ("relations", "b"),
                 ("flags", "actor_id"))
# tables whose JSON column ``actors`` lists the actors a quote or stance counts for
HOLDER_LIST_TABLES = ("quotes", "stances")
# columns that hold an actor id or something else (an issue label, a name)
MAYBE_ACTOR_COLUMNS = (("relations", "on_target", "TRUE"), ("claims", "source", "TRUE"),
                       ("claims", "subject", "TRUE"), ("stances", "target", "target_kind = 'actor'"))


def list_actors(con: duckdb.DuckDBPyConnection, *, type: str | None = None, search: str | None = None,
                limit: int | None = 50) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Corpus actors with their article and mention counts and aliases, most mentioned first."""
    pattern = f"%{search}%" if search else None
    result = con.execute(
        """
        SELECT a.id, a.name, a.type, a.country,
               coalesce(m.articles, 0) AS articles, coalesce(m.mentions, 0) AS mentions,
               coalesce(al.aliases, '') AS aliases
        FROM actors a
        LEFT JOIN (SELECT actor_id, count(DISTINCT article_id) AS articles, count(*) AS mentions
                   FROM mentions GROUP BY actor_id) m ON m.actor_id = a.id
        LEFT JOIN (SELECT actor_id, string_agg(alias, ', ' ORDER BY alias) AS aliases
                   FROM aliases GROUP BY actor_id) al ON al.actor_id = a.id
        WHERE ($type IS NULL OR a.type = $type)
          AND ($pattern IS NULL OR a.id ILIKE $pattern OR a.name ILIKE $pattern OR al.aliases ILIKE $pattern)
        ORDER BY articles DESC, mentions DESC, a.id
        LIMIT $limit
        """,
        {"type": type, "pattern": pattern, "limit": limit if limit is not None else 2**62},
    )
    return [d[0] for d in result.description], result.fetchall()


def _actor(con: duckdb.DuckDBPyConnection, actor_id: str) -> tuple[str, str, str, str | None]:
    row = con.execute("SELECT id, name, type, country FROM actors WHERE id = ?", [actor_id]).fetchone()
    if row is None:
        raise RegistryError("E604", id=actor_id)
    return row


def _move(con: duckdb.DuckDBPyConnection, old: Sequence[str], new: str, articles: Sequence[str] | None) -> None:
    """Point every actor column holding one of ``old`` at ``new`` (only in ``articles`` if given)."""
    where_articles = "AND article_id IN (SELECT unnest($articles))" if articles is not None else ""
    values = {"old": list(old), "new": new}
    if articles is not None:
        values["articles"] = list(articles)
    for table, column in ACTOR_COLUMNS:
        con.execute(f'UPDATE {table} SET "{column}" = $new WHERE "{column}" IN (SELECT unnest($old)) '
                    f"{where_articles}", values)
    for table, column, condition in MAYBE_ACTOR_COLUMNS:
        con.execute(f'UPDATE {table} SET "{column}" = $new WHERE {condition} '
                    f'AND "{column}" IN (SELECT unnest($old)) {where_articles}', values)
    for table in HOLDER_LIST_TABLES:
        _move_in_lists(con, table, old, new, where_articles, values)


def _move_in_lists(con: duckdb.DuckDBPyConnection, table: str, old: Sequence[str], new: str,
                   where_articles: str, values: dict[str, Any]) -> None:
    """Point the ``actors`` lists of ``table`` (a group's members) at ``new`` instead of ``old``;
    a member merged into another member of its group is listed once."""
    gone = set(old)
    rows = con.execute(f"SELECT article_id, n, CAST(actors AS VARCHAR[]) FROM {table} "
                       f"WHERE list_has_any(CAST(actors AS VARCHAR[]), $old) {where_articles}",
                       {k: v for k, v in values.items() if k != "new"}).fetchall()
    for article, n, members in rows:
        con.execute(f"UPDATE {table} SET actors = ? WHERE article_id = ? AND n = ?",
                    [json.dumps(list(dict.fromkeys(new if m in gone else m for m in members))), article, n])


def _refresh_aliases(con: duckdb.DuckDBPyConnection, actor_id: str, extra: Sequence[str] = ()) -> None:
    """Rebuild an actor's aliases from the names its articles give it (and ``extra`` ones)."""
    name = con.execute("SELECT name FROM actors WHERE id = ?", [actor_id]).fetchall()[0][0]
    texts = [row[0] for row in con.execute(
        "SELECT DISTINCT name FROM article_actors WHERE actor_id = $id UNION "
        "SELECT DISTINCT text FROM mentions WHERE actor_id = $id AND kind IN ('name', 'title')",
        {"id": actor_id}).fetchall()]
    forms = sorted({form for text in [*texts, *extra] if (form := proper_form(text)) and form != name})
    con.execute("DELETE FROM aliases WHERE actor_id = ?", [actor_id])
    if forms:
        con.executemany("INSERT INTO aliases VALUES (?, ?)", [[actor_id, form] for form in forms])


def merge_actors(con: duckdb.DuckDBPyConnection, keep: str, others: Sequence[str]) -> int:
    """Merge ``others`` into ``keep`` in the store, in one transaction; how many were merged."""
    kept = _actor(con, keep)
    merged = [_actor(con, other) for other in dict.fromkeys(others)]
    if any(actor[0] == keep for actor in merged):
        raise RegistryError("E606", detail=f"'{keep}' cannot be merged into itself")
    if any(actor[2] != kept[2] for actor in merged):
        raise RegistryError("E606", detail=f"'{keep}' is a {kept[2]}; merge only actors of the same type")
    ids = [actor[0] for actor in merged]
    old_aliases = [row[0] for row in con.execute(
        "SELECT alias FROM aliases WHERE actor_id IN (SELECT unnest(?))", [ids]).fetchall()]
    con.begin()
    try:
        _move(con, ids, keep, None)
        con.execute("DELETE FROM aliases WHERE actor_id IN (SELECT unnest(?))", [ids])
        con.execute("DELETE FROM actors WHERE id IN (SELECT unnest(?))", [ids])
        _refresh_aliases(con, keep, [*old_aliases, *(actor[1] for actor in merged)])
        con.commit()
    except duckdb.Error:
        con.rollback()
        raise
    return len(ids)


def _articles_named(con: duckdb.DuckDBPyConnection, actor_id: str, aliases: Sequence[str]) -> list[str]:
    """The articles where ``actor_id`` goes by one of ``aliases`` (compared as name keys)."""
    keys = {name_key(alias) for alias in aliases}
    rows = con.execute(
        "SELECT article_id, name FROM article_actors WHERE actor_id = $id UNION "
        "SELECT article_id, text FROM mentions WHERE actor_id = $id AND kind IN ('name', 'title')",
        {"id": actor_id}).fetchall()
    return sorted({article for article, text in rows if name_key(proper_form(text) or text) in keys})


def split_actor(con: duckdb.DuckDBPyConnection, actor_id: str, name: str, *, aliases: Sequence[str] = (),
                articles: Sequence[str] = (), new_id: str | None = None,
                registry: Registry | None = None) -> tuple[str, int]:
    """Move ``actor_id``'s rows in some articles to a new actor named ``name``; (its id, articles moved).

    The articles are those listed, and those where the actor goes by one of ``aliases``. A
    duplicate listed stands for its original, which holds the rows (and moves them for both).
    """
    old = _actor(con, actor_id)
    if not aliases and not articles:
        raise RegistryError("E605", id=actor_id, detail="name the aliases (--alias) or articles (--article) to move")
    taken = {row[0] for row in con.execute("SELECT id FROM actors").fetchall()} | set(registry.entries if registry else ())
    if new_id is None:
        new_id, suffix = slug(name), 2
        while new_id in taken:
            new_id, suffix = f"{slug(name)}-{suffix}", suffix + 1
    elif new_id in taken:
        raise RegistryError("E605", id=actor_id, detail=f"the id '{new_id}' is taken")
    if articles:
        articles = [row[0] for row in con.execute(
            "SELECT coalesce(duplicate_of, id) FROM articles WHERE list_contains(?, id)", [list(articles)]).fetchall()]
    moved = sorted(set(articles) | set(_articles_named(con, actor_id, aliases)))
    present = {row[0] for row in con.execute(
        "SELECT DISTINCT article_id FROM article_actors WHERE actor_id = ?", [actor_id]).fetchall()}
    moved = [article for article in moved if article in present]
    if not moved:
        raise RegistryError("E605", id=actor_id, detail="none of its articles match")
    con.begin()
    try:
        con.execute("INSERT INTO actors VALUES (?, ?, ?, ?)", [new_id, name, old[2], old[3]])
        _move(con, [actor_id], new_id, moved)
        _refresh_aliases(con, actor_id)
        _refresh_aliases(con, new_id, aliases)
        con.commit()
    except duckdb.Error:
        con.rollback()
        raise
    return new_id, len(moved)


def _entry(registry: Registry, con: duckdb.DuckDBPyConnection, actor_id: str,
           fallback: tuple[str, str, str | None] | None = None) -> RegistryEntry:
    """The registry entry of an actor, added from the store's row when it has none yet."""
    if actor_id not in registry.entries:
        row = con.execute("SELECT name, type, country FROM actors WHERE id = ?", [actor_id]).fetchone() or fallback
        if row is None:
            raise RegistryError("E604", id=actor_id)
        registry.add(RegistryEntry(actor_id, row[0], row[1], row[2]))
    return registry.entries[actor_id]


def record_merge(registry: Registry, con: duckdb.DuckDBPyConnection, keep: str,
                 merged: Sequence[tuple[str, str]]) -> None:
    """Note a merge in the registry: ``keep`` takes the (id, name) pairs merged, and their entries' aliases."""
    entry = _entry(registry, con, keep)
    names = list(entry.aliases)
    for other_id, other_name in merged:
        names.append(other_name)
        gone = registry.entries.pop(other_id, None)
        if gone is not None:
            names.extend(gone.aliases)
            entry.roles.extend(role for role in gone.roles if role not in entry.roles)
    entry.aliases = sorted({alias for alias in names if alias != entry.name})


def record_split(registry: Registry, con: duckdb.DuckDBPyConnection, actor_id: str, new_id: str,
                 aliases: Sequence[str]) -> None:
    """Note a split in the registry: the new actor with its aliases, which the old one loses."""
    keys = {name_key(alias) for alias in aliases}
    if actor_id in registry.entries:
        old = registry.entries[actor_id]
        old.aliases = [alias for alias in old.aliases if name_key(alias) not in keys]
    new = _entry(registry, con, new_id)
    new.aliases = sorted(set(new.aliases) | {alias for alias in aliases if alias != new.name})
