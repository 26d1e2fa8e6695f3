"""Human reviews of the automatic coding: record, list, undo, re-apply, measure, export.

A review is one decision on one automatic item: a **stance** (``"<article id>#<n>"``), a
**quote** (``"<article id>#<n>"``), an actor **mention** (``"<article id>@<start>-<end>"``)
or an **actor** (its id). The verdict is ``accept`` (the item is right), ``reject`` (it is
wrong: the row is removed) or ``edit`` (``changes`` correct it):

========  ==========================================================================
stance    ``actor`` (the holder), ``target`` and ``target_kind``, ``polarity``
quote     ``actor`` (the speaker's actor, or null), ``kind``
mention   ``actor``
actor     ``merge_into`` (another actor of the same type)
========  ==========================================================================

The decision is written into the automatic rows at once, so every reader of the store
(pages, API, networks, exports) sees the corrected coding without knowing about reviews; the
``reviews`` table keeps who decided what, when, the row before and after, and whether it was
undone. A review is anchored on the article, the item's character offsets and the values the
automatic coding gave it (not on its position ``n``), so when an article is analysed again
(:class:`~stancegraph.store.writer.StoreWriter` with ``reanalyse=True``) the writer calls
:func:`reapply` and a new model never overwrites a human decision.

Example
-------
>>> from stancegraph.records import ArticleAnalysis, Span, Stance
>>> from stancegraph.store import open_store, write_analyses
>>> con = open_store(":memory:")
>>> text = "Ann backs the plan."
>>> _ = write_analyses(con, [ArticleAnalysis("a1", None, None, None, text,
...     stances=[Stance("ann", "the plan", "issue", 1, Span(0, 18, text[:18]), 0.4)])])
>>> record(con, "stance", "a1#0", "edit", {"polarity": -1}, reviewer="me").after["polarity"]
-1
>>> con.execute("SELECT polarity FROM stances").fetchall()
[(-1,)]
>>> undo(con, 1).undone, con.execute("SELECT polarity FROM stances").fetchall()
(True, [(1,)])
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from stancegraph.errors import RegistryError, StoreError

__all__ = [
    "EDITABLE",
    "KINDS",
    "VERDICTS",
    "Review",
    "derive_from_stances",
    "export_jsonl",
    "get_review",
    "list_reviews",
    "queue",
    "reapply",
    "record",
    "reviewed_statements",
    "stats",
    "undo",
    "wilson",
]

KINDS = ("stance", "quote", "mention", "actor")
VERDICTS = ("accept", "reject", "edit")
EDITABLE: dict[str, tuple[str, ...]] = {
    "stance": ("actor", "target", "target_kind", "polarity"),
    "quote": ("actor", "kind"),
    "mention": ("actor",),
    "actor": ("merge_into",),
}
_TABLE = {"stance": "stances", "quote": "quotes", "mention": "mentions"}
_SPAN = {"stance": ("evidence_start", "evidence_end"), "quote": ("content_start", "content_end"),
         "mention": ("start", "end")}
_COLUMNS = {  # the columns a review sets, and those that anchor it (the automatic values)
    "stance": ("actor_id", "target", "target_kind", "polarity", "actors"),
    "quote": ("actor_id", "kind", "actors"),
    "mention": ("actor_id",),
}
_ANCHOR = {"stance": ("actor_id", "target"), "quote": (), "mention": ("actor_id",)}
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Review:
    """A stored review: the item before and after it, who made it and when (also the API's answer)."""

    id: int
    target: str
    item: str
    """The item's id as the API gives it (``a1#3``, ``a1@10-15``, an actor id)."""
    article_id: str | None
    start: int | None
    end: int | None
    verdict: str
    changes: dict[str, Any]
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reviewer: str
    created_at: str
    undone: bool

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a row value (dates as ISO text, JSON text parsed)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _row(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> dict[str, Any] | None:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    found = cursor.fetchone()
    if found is None:
        return None
    row = {name: _plain(value) for name, value in zip(names, found)}
    if isinstance(row.get("actors"), str):
        row["actors"] = json.loads(row["actors"])
    return row


def _item_id(kind: str, row: Mapping[str, Any]) -> str:
    if kind == "actor":
        return str(row["id"])
    if kind == "mention":
        return f"{row['article_id']}@{row['start']}-{row['end']}"
    return f"{row['article_id']}#{row['n']}"


def _find(con: duckdb.DuckDBPyConnection, kind: str, item: str) -> dict[str, Any]:
    """The current row of an item named by its API id; E221 when there is none."""
    if kind == "actor":
        row = _row(con, "SELECT id, name, type, country FROM actors WHERE id = ?", [item])
    elif kind == "mention":
        article, _, span = item.rpartition("@")
        start, _, end = span.partition("-")
        row = None
        if article and start.isdigit() and end.isdigit():
            row = _row(con, 'SELECT article_id, actor_id, start, "end", text, kind FROM mentions WHERE article_id = ? '
                            'AND start = ? AND "end" = ? ORDER BY actor_id LIMIT 1', [article, int(start), int(end)])
    else:
        article, _, n = item.rpartition("#")
        row = None
        if article and n.isascii() and n.isdigit() and len(n) < 10:
            row = _row(con, f"SELECT * FROM {_TABLE[kind]} WHERE article_id = ? AND n = ?", [article, int(n)])
    if row is None:
        raise StoreError("E221", kind=kind, id=item)
    return row


def _actor_exists(con: duckdb.DuckDBPyConnection, actor_id: Any) -> str:
    if not isinstance(actor_id, str) or con.execute("SELECT 1 FROM actors WHERE id = ?", [actor_id]).fetchone() is None:
        raise StoreError("E225", id=str(actor_id))
    return actor_id


def _after(con: duckdb.DuckDBPyConnection, kind: str, before: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The row once ``changes`` are made to it; E222/E225 for a change that is not allowed."""
    after = dict(before)
    if "actor" in changes:
        actor = changes["actor"]
        if actor is None and kind != "quote":
            raise StoreError("E222", detail=f"a {kind} must have an actor")
        after["actor_id"] = None if actor is None else _actor_exists(con, actor)
        if kind != "mention":
            after["actors"] = [] if actor is None else [actor]
    if kind == "stance":
        if "target_kind" in changes:
            if changes["target_kind"] not in ("actor", "issue"):
                raise StoreError("E222", detail="target_kind must be 'actor' or 'issue'")
            after["target_kind"] = changes["target_kind"]
        if "target" in changes:
            target = changes["target"]
            if not isinstance(target, str) or not target.strip() or len(target) > 500:
                raise StoreError("E222", detail="target must be a text of 1 to 500 characters")
            after["target"] = target.strip()
            if "target_kind" not in changes and after["target_kind"] == "actor":
                after["target_kind"] = "actor" if con.execute("SELECT 1 FROM actors WHERE id = ?",
                                                             [after["target"]]).fetchone() else "issue"
            if after["target_kind"] == "issue":
                after["target_phrase"] = None
        if after["target_kind"] == "actor":
            _actor_exists(con, after["target"])
        if "polarity" in changes:
            if changes["polarity"] not in (-1, 0, 1) or isinstance(changes["polarity"], bool):
                raise StoreError("E222", detail="polarity must be -1, 0 or 1")
            after["polarity"] = int(changes["polarity"])
    if kind == "quote" and "kind" in changes:
        if changes["kind"] not in ("direct", "partial", "indirect"):
            raise StoreError("E222", detail="a quote's kind must be direct, partial or indirect")
        after["kind"] = changes["kind"]
    return after


def _check(kind: str, verdict: str, changes: Mapping[str, Any]) -> None:
    if kind not in KINDS:
        raise StoreError("E220", kind=kind)
    if verdict not in VERDICTS:
        raise StoreError("E222", detail=f"verdict must be one of {', '.join(VERDICTS)}")
    unknown = sorted(set(changes) - set(EDITABLE[kind]))
    if unknown:
        raise StoreError("E222", detail=f"a {kind} has no editable field {', '.join(unknown)} "
                                        f"(editable: {', '.join(EDITABLE[kind])})")
    if (verdict == "edit") != bool(changes):
        raise StoreError("E222", detail="an edit needs changes; accept and reject take none")
    if kind == "actor" and verdict == "reject":
        raise StoreError("E222", detail="an actor is corrected by merging it into another (edit with merge_into)")


def _span_of(kind: str, row: Mapping[str, Any]) -> tuple[int, int]:
    start, end = _SPAN[kind]
    return int(row[start]), int(row[end])


def _anchor(con: duckdb.DuckDBPyConnection, kind: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The automatic values that identify the item: those of the earliest review still in force
    whose result the row shows, else the row's own (it is as the automatic coding made it)."""
    start, end = _span_of(kind, row)
    for anchor, after in con.execute(
            'SELECT anchor, after FROM reviews WHERE NOT undone AND target_kind = ? AND article_id = ? AND start = ? '
            'AND "end" = ? AND after IS NOT NULL ORDER BY id DESC', [kind, row["article_id"], start, end]).fetchall():
        after = json.loads(after)
        if all(after.get(column) == row.get(column) for column in _COLUMNS[kind]):
            return json.loads(anchor)
    return {column: row.get(column) for column in _ANCHOR[kind]}


def _set(con: duckdb.DuckDBPyConnection, kind: str, where: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """Set the reviewed columns of the row ``where`` names to ``values``."""
    columns = [c for c in (*_COLUMNS[kind], "target_phrase") if c in values and (c != "target_phrase" or kind == "stance")]
    assignments = ", ".join(f"{c} = ?" for c in columns)
    params = [json.dumps(values[c]) if c == "actors" else values[c] for c in columns]
    clause, keys = _where(kind, where)
    con.execute(f"UPDATE {_TABLE[kind]} SET {assignments} WHERE {clause}", params + keys)


def _where(kind: str, row: Mapping[str, Any]) -> tuple[str, list[Any]]:
    if kind == "mention":
        return 'article_id = ? AND start = ? AND "end" = ? AND actor_id = ?', \
            [row["article_id"], row["start"], row["end"], row["actor_id"]]
    return "article_id = ? AND n = ?", [row["article_id"], row["n"]]


def _insert(con: duckdb.DuckDBPyConnection, kind: str, row: Mapping[str, Any]) -> None:
    values = dict(row)
    if kind != "mention":
        taken = con.execute(f"SELECT 1 FROM {_TABLE[kind]} WHERE article_id = ? AND n = ?",
                            [values["article_id"], values["n"]]).fetchone()
        if taken:
            values["n"] = con.execute(f"SELECT max(n) + 1 FROM {_TABLE[kind]} WHERE article_id = ?",
                                      [values["article_id"]]).fetchall()[0][0]
        if "actors" in values:
            values["actors"] = json.dumps(values["actors"])
    names = ", ".join(f'"{name}"' for name in values)
    con.execute(f"INSERT INTO {_TABLE[kind]} ({names}) VALUES ({', '.join('?' * len(values))})", list(values.values()))


def _review(row: tuple[Any, ...]) -> Review:
    (id_, kind, article, start, end, _anchor_json, verdict, changes, before, after, reviewer, created, undone) = row
    before_d, after_d = (json.loads(before) if before else None), (json.loads(after) if after else None)
    shown = before_d if kind == "actor" or after_d is None else after_d
    return Review(int(id_), kind, _item_id(kind, shown) if shown else "", article, start, end, verdict,
                  json.loads(changes), before_d, after_d, reviewer, _plain(created), bool(undone))


_SELECT = ('SELECT id, target_kind, article_id, start, "end", anchor, verdict, changes, before, after, reviewer, '
           "created_at, undone FROM reviews")


def record(con: duckdb.DuckDBPyConnection, target: str, item: str, verdict: str, changes: Mapping[str, Any] | None = None,
           *, reviewer: str = "reviewer") -> Review:
    """Record a review of the item ``item`` (its API id) and apply it to the automatic rows."""
    changes = dict(changes or {})
    _check(target, verdict, changes)
    if not reviewer.strip() or len(reviewer) > 200:
        raise StoreError("E222", detail="the reviewer's name must be 1 to 200 characters")
    before = _find(con, target, item)
    after: dict[str, Any] | None
    if target == "actor":
        after = dict(before) if verdict == "accept" else {"merged_into": _actor_exists(con, changes["merge_into"])}
        if verdict == "edit":
            from stancegraph.store.actors import merge_actors

            try:
                merge_actors(con, changes["merge_into"], [item])
            except RegistryError as error:
                raise StoreError("E222", detail=error.message) from error
        return _insert_review(con, target, None, None, None, {"actor_id": item}, verdict, changes, before, after, reviewer)
    after = None if verdict == "reject" else _after(con, target, before, changes)
    start, end = _span_of(target, before)
    con.begin()
    try:
        anchor = _anchor(con, target, before)
        if after is None:
            clause, keys = _where(target, before)
            con.execute(f"DELETE FROM {_TABLE[target]} WHERE {clause}", keys)
        else:
            _set(con, target, before, after)
        if target == "stance":
            derive_from_stances(con, [before["article_id"]])
        if target == "mention" and after is not None and after.get("actor_id"):
            _list_actor(con, before["article_id"], after["actor_id"])
        review = _insert_review(con, target, before["article_id"], start, end, anchor, verdict, changes, before,
                                after, reviewer)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return review


def _insert_review(con: duckdb.DuckDBPyConnection, target: str, article: str | None, start: int | None,
                   end: int | None, anchor: Mapping[str, Any], verdict: str, changes: Mapping[str, Any],
                   before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, reviewer: str) -> Review:
    review_id = con.execute("SELECT nextval('review_ids')").fetchall()[0][0]
    con.execute("INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, NULL)",
                [review_id, target, article, start, end, json.dumps(anchor, ensure_ascii=False), verdict,
                 json.dumps(changes, ensure_ascii=False), json.dumps(before, ensure_ascii=False, default=str),
                 None if after is None else json.dumps(after, ensure_ascii=False, default=str), reviewer.strip(),
                 _now()])
    return get_review(con, int(review_id))


def _has_reviews(con: duckdb.DuckDBPyConnection) -> bool:
    from stancegraph.store.schema import table_names

    return "reviews" in table_names(con)


def get_review(con: duckdb.DuckDBPyConnection, review_id: int) -> Review:
    row = con.execute(f"{_SELECT} WHERE id = ?", [review_id]).fetchone() if _has_reviews(con) else None
    if row is None:
        raise StoreError("E223", id=review_id)
    return _review(row)


def list_reviews(con: duckdb.DuckDBPyConnection, *, article: str | None = None, target: str | None = None,
                 undone: bool = True, limit: int = 100, offset: int = 0) -> tuple[int, list[Review]]:
    """(how many match, one page of them), newest first; ``undone=False`` leaves undone ones out."""
    if not _has_reviews(con):
        return 0, []
    where = ("WHERE ($article IS NULL OR article_id = $article) AND ($target IS NULL OR target_kind = $target) "
             "AND ($undone OR NOT undone)")
    params = {"article": article, "target": target, "undone": undone}
    total = con.execute(f"SELECT count(*) FROM reviews {where}", params).fetchall()[0][0]
    rows = con.execute(f"{_SELECT} {where} ORDER BY id DESC LIMIT $limit OFFSET $offset",
                       {**params, "limit": limit, "offset": offset}).fetchall()
    return int(total), [_review(row) for row in rows]


def _same_item(a: Review, b: Review, anchors: Mapping[int, Any]) -> bool:
    return (a.target, a.article_id, a.start, a.end) == (b.target, b.article_id, b.start, b.end) and \
        anchors[a.id] == anchors[b.id]


def undo(con: duckdb.DuckDBPyConnection, review_id: int) -> Review:
    """Undo a review: the item goes back to how it was before it, and the review is kept, marked undone.

    Only the latest review in force of an item can be undone (undo the later ones first); a
    merge of actors is undone with ``stancegraph actors split``.
    """
    review = get_review(con, review_id)
    if review.undone:
        raise StoreError("E224", id=review_id, detail="it is already undone")
    if review.target == "actor":
        if review.verdict == "edit":
            raise StoreError("E224", id=review_id, detail="a merge of actors is undone with 'stancegraph actors split'")
    else:
        rows = con.execute('SELECT id, anchor FROM reviews WHERE NOT undone AND target_kind = ? AND article_id = ? '
                           'AND start = ? AND "end" = ? AND id > ?',
                           [review.target, review.article_id, review.start, review.end, review_id]).fetchall()
        own = con.execute("SELECT anchor FROM reviews WHERE id = ?", [review_id]).fetchall()[0][0]
        later = [rid for rid, anchor in rows if json.loads(anchor) == json.loads(own)]
        if later:
            raise StoreError("E224", id=review_id, detail=f"review {later[-1]} changed the item later: undo it first")
    con.begin()
    try:
        if review.target != "actor":
            assert review.before is not None
            if review.after is None:
                _insert(con, review.target, review.before)
            else:
                current = _current(con, review.target, review.article_id, review.start, review.end, review.after)
                if current is not None:
                    _set(con, review.target, current, review.before)
            if review.target == "stance" and review.article_id is not None:
                derive_from_stances(con, [review.article_id])
        con.execute("UPDATE reviews SET undone = true, undone_at = ? WHERE id = ?", [_now(), review_id])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return get_review(con, review_id)


def _current(con: duckdb.DuckDBPyConnection, kind: str, article: str | None, start: int | None, end: int | None,
             values: Mapping[str, Any]) -> dict[str, Any] | None:
    """The row of the item with this span whose anchoring columns have ``values``; else the only row with the span."""
    span_start, span_end = _SPAN[kind]
    rows = []
    cursor = con.execute(f'SELECT * FROM {_TABLE[kind]} WHERE article_id = ? AND "{span_start}" = ? AND "{span_end}" = ?',
                         [article, start, end])
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, found)) for found in cursor.fetchall()]
    for row in rows:
        if all(row.get(column) == values.get(column) for column in _ANCHOR[kind]):
            return row
    return rows[0] if len(rows) == 1 else None


def reapply(con: duckdb.DuckDBPyConnection, articles: Iterable[str]) -> int:
    """Apply the reviews in force to the rows of ``articles`` as a new analysis wrote them; how many applied.

    For each reviewed item, its latest review is found by the item's span and automatic values
    (the anchor) and made again: a rejected item is removed, an accepted or edited one gets
    the reviewed values. Actors merged by a review and made again by the new analysis are
    merged again. The caller holds the transaction.
    """
    ids = sorted(set(articles))
    if not ids or not _has_reviews(con):
        return 0
    applied, stances_changed = 0, set()
    for kind, article, start, end, anchor, after in con.execute(
            'SELECT target_kind, article_id, start, "end", anchor, after FROM reviews WHERE NOT undone '
            "AND list_contains(?, article_id) QUALIFY row_number() OVER (PARTITION BY target_kind, article_id, "
            'start, "end", anchor::TEXT ORDER BY id DESC) = 1 ORDER BY id', [ids]).fetchall():
        row = _current(con, kind, article, start, end, json.loads(anchor))
        if row is None:
            continue
        if after is None:
            clause, keys = _where(kind, row)
            con.execute(f"DELETE FROM {_TABLE[kind]} WHERE {clause}", keys)
        else:
            _set(con, kind, row, json.loads(after))
        applied += 1
        if kind == "stance":
            stances_changed.add(article)
        if kind == "mention" and after is not None and json.loads(after).get("actor_id"):
            _list_actor(con, article, json.loads(after)["actor_id"])
    derive_from_stances(con, stances_changed)
    from stancegraph.store.actors import _move

    for item, after in con.execute("SELECT anchor->>'actor_id', after FROM reviews WHERE NOT undone AND "
                                   "target_kind = 'actor' AND verdict = 'edit' ORDER BY id").fetchall():
        keep = json.loads(after)["merged_into"]
        if con.execute("SELECT 1 FROM actors WHERE id = ?", [item]).fetchone() and \
                con.execute("SELECT 1 FROM actors WHERE id = ?", [keep]).fetchone():
            _move(con, [item], keep, None)
            con.execute("DELETE FROM aliases WHERE actor_id = ?", [item])
            con.execute("DELETE FROM actors WHERE id = ?", [item])
            applied += 1
    return applied


def _list_actor(con: duckdb.DuckDBPyConnection, article: str, actor_id: str) -> None:
    """List ``actor_id`` among the article's actors (a mention moved to an actor the article did not name)."""
    con.execute(
        "INSERT INTO article_actors (article_id, n, actor_id, local_id, name, type, country) "
        "SELECT ?, (SELECT coalesce(max(n), -1) + 1 FROM article_actors WHERE article_id = ?), id, NULL, name, type, "
        "country FROM actors WHERE id = ? AND NOT EXISTS "
        "(SELECT 1 FROM article_actors WHERE article_id = ? AND actor_id = ?)",
        [article, article, actor_id, article, actor_id])


def derive_from_stances(con: duckdb.DuckDBPyConnection, articles: Iterable[str]) -> None:
    """The relations and stance-conflict flags of ``articles`` again, from their stances as reviewed.

    An analysis derives both from its stances; once a stance is rejected or edited they follow
    it, so a rejected misattribution no longer makes an agreement or a "for and against" flag.
    The caller holds the transaction.
    """
    changed = sorted(set(articles))
    if not changed:  # an ingest with no reviewed stance must not load spaCy for the flag code
        return
    from stancegraph.extract.consistency import stance_flags
    from stancegraph.extract.relations import find_relations
    from stancegraph.store.queries import load_analysis
    from stancegraph.store.writer import flag_rows, insert_rows, relation_rows

    def same(actor: str | None) -> str | None:  # a stored analysis already has the corpus's ids
        return actor

    for article in changed:
        analysis = load_analysis(con, article)
        con.execute("DELETE FROM relations WHERE article_id = ?", [article])
        insert_rows(con, "relations", relation_rows(article, find_relations(analysis.stances, analysis.actors), same))
        con.execute("DELETE FROM flags WHERE article_id = ? AND kind = 'stance_conflict'", [article])
        first = con.execute("SELECT coalesce(max(n), -1) + 1 FROM flags WHERE article_id = ?", [article]).fetchall()[0][0]
        names = {actor.id: actor.name for actor in analysis.actors}
        insert_rows(con, "flags", flag_rows(article, stance_flags(analysis.stances, names), same, first))


# --------------------------------------------------------------------------------------
# what to review next, and how good the automatic coding is


_QUEUE = """
WITH active AS (
    SELECT target_kind, article_id, start, "end", after FROM reviews WHERE NOT undone AND after IS NOT NULL
),
holders AS (SELECT target, target_kind, count(DISTINCT actor_id) AS n FROM stances GROUP BY ALL),
stance_items AS (
    SELECT 'stance' AS kind, s.article_id, s.n, s.evidence_start AS start, s.evidence_end AS "end",
           s.confidence, greatest(h.n - 1, 0) + (s.target_kind = 'actor')::INTEGER AS edges,
           s.actor_id, s.target, s.target_kind, s.polarity, NULL AS quote_kind, s.evidence_text AS text
    FROM stances s JOIN holders h ON h.target = s.target AND h.target_kind = s.target_kind
    WHERE NOT EXISTS (SELECT 1 FROM active r WHERE r.target_kind = 'stance' AND r.article_id = s.article_id
                      AND r.start = s.evidence_start AND r."end" = s.evidence_end
                      AND r.after->>'actor_id' = s.actor_id AND r.after->>'target' = s.target)
),
quote_items AS (
    SELECT 'quote' AS kind, q.article_id, q.n, q.content_start, q.content_end, q.confidence,
           (SELECT count(*) FROM stances s WHERE s.article_id = q.article_id AND s.actor_id = q.actor_id
                AND s.evidence_start < q.content_end AND q.content_start < s.evidence_end) AS edges,
           q.actor_id, NULL, NULL, NULL, q.kind, q.content_text
    FROM quotes q
    WHERE NOT EXISTS (SELECT 1 FROM active r WHERE r.target_kind = 'quote' AND r.article_id = q.article_id
                      AND r.start = q.content_start AND r."end" = q.content_end)
),
items AS (SELECT * FROM stance_items UNION ALL SELECT * FROM quote_items)
SELECT i.*, (1 - i.confidence) * (1 + ln(1 + i.edges)) AS score, a.name AS actor_name,
       CASE WHEN i.target_kind = 'actor' THEN coalesce(t.name, i.target) ELSE i.target END AS target_name,
       ar.title, ar.date,
       substr(ar.text, greatest(i.start - 160, 0) + 1, least(i.start, 160)) AS before_text,
       substr(ar.text, i."end" + 1, 160) AS after_text
FROM items i
JOIN articles ar ON ar.id = i.article_id
LEFT JOIN actors a ON a.id = i.actor_id
LEFT JOIN actors t ON i.target_kind = 'actor' AND t.id = i.target
WHERE list_contains($kinds, i.kind)
ORDER BY score DESC, i.confidence, i.article_id, i.kind, i.n
LIMIT $limit
"""


def queue(con: duckdb.DuckDBPyConnection, *, limit: int = 20, kinds: Iterable[str] = ("stance", "quote")) -> list[dict[str, Any]]:
    """Unreviewed stances and quotes, those that matter most first.

    An item's score is ``(1 - confidence) * (1 + ln(1 + edges))``: the less sure the automatic
    coding, and the more network edges rest on it, the sooner it is shown. A stance's edges are
    the other actors holding a stance on its target (its congruence and conflict ties) plus one
    for an actor target; a quote's are the stances of its speaker inside it.
    """
    if not _has_reviews(con):
        return []
    cursor = con.execute(_QUEUE, {"kinds": list(kinds), "limit": limit})
    names = [d[0] for d in cursor.description]
    items = []
    for found in cursor.fetchall():
        item = {name: _plain(value) for name, value in zip(names, found)}
        item["id"] = f"{item['article_id']}#{item['n']}"
        items.append(item)
    return items


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float | None, float | None]:
    """The Wilson score interval of a proportion (95% by default); (None, None) without trials.

    >>> tuple(round(x, 3) for x in wilson(8, 10))
    (0.49, 0.943)
    """
    if trials <= 0:
        return None, None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


_ITEMS = """
SELECT target_kind, article_id, bool_and(verdict = 'accept') AS right, bool_or(after IS NULL AND id = last) AS gone
FROM (SELECT *, max(id) OVER (PARTITION BY target_kind, article_id, start, "end", anchor::TEXT) AS last
      FROM reviews WHERE NOT undone AND target_kind <> 'actor')
GROUP BY target_kind, article_id, start, "end", anchor::TEXT
"""


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Reviewed / total items per kind and per article, and the precision of the automatic
    coding per kind estimated from the reviews (accepted / reviewed, Wilson 95% interval).

    An item counts as right when every review of it in force accepts it; a rejected or edited
    one counts as wrong. Totals count the automatic items, rejected ones included.
    """
    counts = {kind: {"total": 0, "reviewed": 0, "accepted": 0} for kind in _TABLE}
    articles: dict[str, dict[str, int]] = {}
    for kind, table in _TABLE.items():
        for article, n in con.execute(f"SELECT article_id, count(*) FROM {table} GROUP BY ALL").fetchall():
            counts[kind]["total"] += int(n)
            if kind != "mention":
                articles.setdefault(article, {"total": 0, "reviewed": 0})["total"] += int(n)
    if _has_reviews(con):
        for kind, article, right, gone in con.execute(_ITEMS).fetchall():
            counts[kind]["reviewed"] += 1
            counts[kind]["accepted"] += bool(right)
            counts[kind]["total"] += bool(gone)
            if kind != "mention":
                entry = articles.setdefault(article, {"total": 0, "reviewed": 0})
                entry["reviewed"] += 1
                entry["total"] += bool(gone)
    kinds: dict[str, dict[str, Any]] = {}
    for kind, c in counts.items():
        low, high = wilson(c["accepted"], c["reviewed"])
        kinds[kind] = {**c, "precision": c["accepted"] / c["reviewed"] if c["reviewed"] else None,
                       "low": low, "high": high}
    titles = dict(con.execute("SELECT id, title FROM articles WHERE list_contains(?, id)", [list(articles)]).fetchall())
    per_article = [{"article_id": a, "title": titles.get(a), **v}
                   for a, v in sorted(articles.items(), key=lambda item: (-item[1]["reviewed"], item[0]))]
    reviewed = sum(k["reviewed"] for name, k in kinds.items() if name != "mention")
    total = sum(k["total"] for name, k in kinds.items() if name != "mention")
    return {"reviewed": reviewed, "total": total, "kinds": kinds, "articles": per_article}


def reviewed_statements(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The stances a review in force accepted or edited, ``"<article id>#<n>"`` -> the reviewer."""
    if not _has_reviews(con):
        return {}
    found: dict[str, str] = {}
    for article, start, end, after, reviewer in con.execute(
            'SELECT article_id, start, "end", after, reviewer FROM reviews WHERE NOT undone AND target_kind = '
            "'stance' AND after IS NOT NULL ORDER BY id").fetchall():
        row = _current(con, "stance", article, start, end, json.loads(after))
        if row is not None:
            found[f"{row['article_id']}#{row['n']}"] = reviewer
    return found


def export_jsonl(con: duckdb.DuckDBPyConnection, path: str | Path) -> int:
    """Write the reviews in force as JSONL, a training set; how many lines.

    Each line has the item (``target``, ``article_id``, ``span`` with its text, the sentence
    ``context`` around it), the ``verdict``, the automatic values (``before``), the reviewed
    ones (``after``, null for a rejected item) and who decided when.
    """
    _, reviews = list_reviews(con, undone=False, limit=2**31 - 1)
    texts = dict(con.execute("SELECT id, text FROM articles WHERE list_contains(?, id)",
                             [sorted({r.article_id for r in reviews if r.article_id})]).fetchall())
    written = 0
    with Path(path).open("w", encoding="utf-8") as out:
        for review in reversed(reviews):
            line: dict[str, Any] = {"review": review.id, "target": review.target, "item": review.item,
                                    "verdict": review.verdict, "article_id": review.article_id}
            text = texts.get(review.article_id or "")
            if text is not None and review.start is not None and review.end is not None:
                line["span"] = {"start": review.start, "end": review.end, "text": text[review.start:review.end]}
                line["context"] = _sentence(text, review.start, review.end)
            line.update(before=review.before, after=review.after, changes=review.changes, reviewer=review.reviewer,
                        created_at=review.created_at)
            out.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
            written += 1
    return written


def _sentence(text: str, start: int, end: int) -> dict[str, Any]:
    """The stretch of ``text`` around ``start:end`` from the previous to the next line or sentence end."""
    left = max(text.rfind(mark, 0, start) for mark in (". ", "\n", "? ", "! "))
    left = 0 if left < 0 else left + 1
    rights = [i for mark in (". ", "\n", "? ", "! ") if (i := text.find(mark, end)) >= 0]
    right = min(rights) + 1 if rights else len(text)
    while left < start and text[left].isspace():
        left += 1
    return {"start": left, "end": right, "text": text[left:right]}
