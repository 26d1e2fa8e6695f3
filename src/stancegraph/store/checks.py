"""Corpus checks over the store: where articles of a corpus disagree with each other.

Three checks, each a :class:`Finding` kind (stable strings):

``quote_attribution``
    The same quoted words (a sentence of at least :data:`MIN_QUOTE_WORDS` words, compared
    without case or punctuation) attributed to different actors in different articles.
``figure_disagreement``
    The same quantity (same unit and subject, compared without case) reported in different
    articles within ``days`` of each other with values that differ by more than ``tolerance``
    and that their qualifiers ("over", "about") cannot reconcile. Ages, and subjects of one
    word ("people"), are left out unless both articles credit the same source: too many
    different things share them.
``role_disagreement``
    An actor given conflicting roles by articles of the same date: an office as held and as
    former, or two different offices of one class (president and prime minister) as held.

Every finding carries its evidence as article id, character offsets and text, and a link
``/articles/{id}#{start}-{end}`` for the web page. The checks read the store's tables
``articles``, ``actors``, ``quotes``, ``claims`` and ``roles`` with plain SQL, so they run on
any DuckDB connection holding those tables.

Example
-------
>>> import duckdb
>>> con = duckdb.connect()
>>> _ = con.execute("CREATE TABLE articles (id TEXT, date DATE, source TEXT)")
>>> _ = con.execute("CREATE TABLE roles (article_id TEXT, actor_id TEXT, start INT, \\"end\\" INT, text TEXT, "
...                 "office TEXT, office_class TEXT, country TEXT, tense TEXT)")
>>> _ = con.execute("CREATE TABLE actors (id TEXT, name TEXT, type TEXT, country TEXT)")
>>> _ = con.execute("INSERT INTO articles VALUES ('a', '2024-01-05', NULL), ('b', '2024-01-05', NULL)")
>>> _ = con.execute("INSERT INTO roles VALUES ('a', 'trump', 0, 14, 'President', 'president', 'head', "
...                 "'United States', NULL), ('b', 'trump', 4, 19, 'former president', 'president', 'head', "
...                 "NULL, 'past')")
>>> [finding.kind for finding in role_disagreements(con)]
['role_disagreement']
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb

from stancegraph.extract.consistency import role_time, roles_conflict, value_interval
from stancegraph.records import Role, Span

__all__ = [
    "CHECK_KINDS",
    "DEFAULT_DAYS",
    "DEFAULT_TOLERANCE",
    "MIN_QUOTE_WORDS",
    "Evidence",
    "Finding",
    "figure_disagreements",
    "quote_attributions",
    "role_disagreements",
    "run_checks",
]

CHECK_KINDS = ("quote_attribution", "figure_disagreement", "role_disagreement")
MIN_QUOTE_WORDS = 5
"""Shorter quoted sentences ("We will see.") are said by many people."""
DEFAULT_DAYS = 7
DEFAULT_TOLERANCE = 0.1
"""Values that differ by less than this share of the larger one are not a disagreement."""
DISTINCT_OFFICE_CLASSES = frozenset({"head", "minister", "legislator"})
"""Classes in which one person holds one office at a time: two of them at once disagree."""
GENERIC_OFFICES = frozenset({"leader"})
FETCH_BATCH = 10_000


@dataclass(frozen=True)
class Evidence:
    """A span of a stored article, with the link the web page opens it at."""

    article_id: str
    start: int
    end: int
    text: str
    date: str | None = None
    detail: str | None = None

    @property
    def link(self) -> str:
        return f"/articles/{self.article_id}#{self.start}-{self.end}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "link": self.link}


@dataclass
class Finding:
    """One disagreement between articles: its kind, a message and the spans that show it."""

    kind: str
    message: str
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "evidence": [e.to_dict() for e in self.evidence]}


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, parameters: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of a query as dicts, fetched in batches so that a large store streams."""
    cursor = con.execute(sql, parameters or [])
    names = [column[0] for column in cursor.description]
    while batch := cursor.fetchmany(FETCH_BATCH):
        yield from (dict(zip(names, row)) for row in batch)


# --------------------------------------------------------------------------------------
# quotes

_QUOTE_SENTENCES = r"""
WITH pieces AS (
    SELECT q.article_id, q.content_start, q.content_end, q.content_text, q.actor_id, a.date,
           trim(regexp_replace(lower(unnest(string_split_regex(q.content_text, '[.!?;…]+'))),
                               '[^\p{L}\p{N}]+', ' ', 'g')) AS sentence
    FROM quotes q JOIN articles a ON a.id = q.article_id
    WHERE q.actor_id IS NOT NULL
), shared AS (
    SELECT sentence FROM pieces
    WHERE length(string_split(sentence, ' ')) >= ?
    GROUP BY sentence
    HAVING count(DISTINCT actor_id) > 1 AND count(DISTINCT article_id) > 1
)
SELECT p.sentence, p.article_id, p.content_start, p.content_end, p.content_text, p.actor_id,
       coalesce(ac.name, p.actor_id) AS actor_name, p.date
FROM pieces p JOIN shared USING (sentence) LEFT JOIN actors ac ON ac.id = p.actor_id
ORDER BY p.sentence, p.date, p.article_id, p.content_start
"""


def quote_attributions(con: duckdb.DuckDBPyConnection, *, min_words: int = MIN_QUOTE_WORDS) -> list[Finding]:
    """The same quoted sentence attributed to different actors in different articles."""
    by_sentence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(con, _QUOTE_SENTENCES, [min_words]):
        by_sentence[row["sentence"]].append(row)
    findings: list[Finding] = []
    seen: set[frozenset[tuple[str, int]]] = set()
    for rows in by_sentence.values():
        quotes = frozenset((row["article_id"], row["content_start"]) for row in rows)
        crosses = any(a["actor_id"] != b["actor_id"] and a["article_id"] != b["article_id"]
                      for a, b in itertools.combinations(rows, 2))
        if quotes in seen or not crosses:
            continue
        seen.add(quotes)
        counts: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            counts[row["actor_name"]].add(row["article_id"])
        speakers = " and to ".join(f"{name} ({len(ids)} article{'s' if len(ids) > 1 else ''})"
                                   for name, ids in counts.items())
        first = rows[0]["content_text"]
        findings.append(Finding(
            "quote_attribution",
            f"The quote “{_short(first)}” is attributed to {speakers}.",
            [Evidence(row["article_id"], row["content_start"], row["content_end"], row["content_text"],
                      _day(row["date"]), row["actor_name"]) for row in rows],
        ))
    return findings


# --------------------------------------------------------------------------------------
# figures

_FIGURE_PAIRS = """
WITH c AS (
    SELECT c.article_id, c.start, c."end", c.text, c.value, c.unit, c.qualifier, c.source, c.subject,
           coalesce(ac.name, c.source) AS source_name, a.date, a.source AS outlet,
           lower(trim(c.unit)) AS unit_key, lower(trim(c.subject)) AS subject_key
    FROM claims c JOIN articles a ON a.id = c.article_id LEFT JOIN actors ac ON ac.id = c.source
    WHERE c.subject IS NOT NULL AND a.date IS NOT NULL AND lower(c.subject) <> 'age'
)
SELECT x.article_id AS a_article, x.start AS a_start, x."end" AS a_end, x.text AS a_text, x.value AS a_value,
       x.qualifier AS a_qualifier, x.source_name AS a_source, x.outlet AS a_outlet, x.date AS a_date,
       y.article_id AS b_article, y.start AS b_start, y."end" AS b_end, y.text AS b_text, y.value AS b_value,
       y.qualifier AS b_qualifier, y.source_name AS b_source, y.outlet AS b_outlet, y.date AS b_date,
       x.unit, x.subject
FROM c x JOIN c y
  ON x.unit_key = y.unit_key AND x.subject_key = y.subject_key AND x.article_id < y.article_id
 AND abs(date_diff('day', x.date, y.date)) <= ?
 AND abs(x.value - y.value) > ? * greatest(abs(x.value), abs(y.value))
WHERE strpos(x.subject_key, ' ') > 0 OR (x.source IS NOT NULL AND x.source = y.source)
ORDER BY x.subject_key, x.date, x.article_id, x.start
"""


def _figure_words(value: float, qualifier: str | None, source: str | None, outlet: str | None) -> str:
    number = f"{value:,.0f}" if value == int(value) else f"{value:,.4g}"
    credit = ", ".join(part for part in (f"credited to {source}" if source else None,
                                         f"in {outlet}" if outlet else None) if part)
    return f"{qualifier + ' ' if qualifier else ''}{number}" + (f" ({credit})" if credit else "")


def figure_disagreements(con: duckdb.DuckDBPyConnection, *, days: int = DEFAULT_DAYS,
                         tolerance: float = DEFAULT_TOLERANCE) -> list[Finding]:
    """The same quantity with materially different values in articles within ``days``."""
    findings: list[Finding] = []
    for row in _rows(con, _FIGURE_PAIRS, [days, tolerance]):
        a_low, a_high = value_interval(row["a_value"], row["a_qualifier"], tolerance)
        b_low, b_high = value_interval(row["b_value"], row["b_qualifier"], tolerance)
        if not (a_high < b_low or b_high < a_low):
            continue
        first = _figure_words(row["a_value"], row["a_qualifier"], row["a_source"], row["a_outlet"])
        second = _figure_words(row["b_value"], row["b_qualifier"], row["b_source"], row["b_outlet"])
        findings.append(Finding(
            "figure_disagreement",
            f"{row['subject']} ({row['unit']}): {first} on {_day(row['a_date'])} against {second} on "
            f"{_day(row['b_date'])}.",
            [Evidence(row["a_article"], row["a_start"], row["a_end"], row["a_text"], _day(row["a_date"]), row["a_source"]),
             Evidence(row["b_article"], row["b_start"], row["b_end"], row["b_text"], _day(row["b_date"]), row["b_source"])],
        ))
    return findings


# --------------------------------------------------------------------------------------
# roles

_DATED_ROLES = """
SELECT r.article_id, r.actor_id, coalesce(ac.name, r.actor_id) AS actor_name, r.start, r."end", r.text,
       r.office, r.office_class, r.country, r.tense, a.date
FROM roles r JOIN articles a ON a.id = r.article_id LEFT JOIN actors ac ON ac.id = r.actor_id
WHERE a.date IS NOT NULL AND r.office_class <> 'honorific'
ORDER BY r.actor_id, a.date, r.article_id, r.start
"""


def _role(row: dict[str, Any]) -> Role:
    return Role(Span(row["start"], row["end"], row["text"]), row["text"], row["office"], row["office_class"],
                row["country"], row["tense"])


def _disagree(a: Role, b: Role) -> bool:
    """Roles that one person cannot have on one day: see :func:`roles_conflict`, or two offices."""
    if roles_conflict(a, b):
        return True
    countries_fit = not (a.country and b.country and a.country != b.country)
    return (role_time(a) == role_time(b) == "present" and a.office != b.office and countries_fit
            and a.office_class == b.office_class and a.office_class in DISTINCT_OFFICE_CLASSES
            and not {a.office, b.office} & GENERIC_OFFICES)


def role_disagreements(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """An actor's role stated in conflicting ways by articles of the same date.

    Roles stream in actor and date order; each article's roles are first reduced to one per
    office and timing, so that an actor named in many articles of a day stays cheap.
    """
    findings: list[Finding] = []
    by_day = itertools.groupby(_rows(con, _DATED_ROLES), key=lambda row: (row["actor_id"], row["date"]))
    for (_, date), group in by_day:
        first_of_kind: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in group:
            first_of_kind.setdefault((row["article_id"], row["office"], row["country"], role_time(_role(row))), row)
        rows = list(first_of_kind.values())
        involved: dict[tuple[str, int], dict[str, Any]] = {}
        for a, b in itertools.combinations(rows, 2):
            if a["article_id"] != b["article_id"] and _disagree(_role(a), _role(b)):
                involved.setdefault((a["article_id"], a["start"]), a)
                involved.setdefault((b["article_id"], b["start"]), b)
        if not involved:
            continue
        ordered = sorted(involved.values(), key=lambda row: (row["article_id"], row["start"]))
        statements = "; ".join(dict.fromkeys(f"“{row['text']}” ({row['article_id']})" for row in ordered))
        findings.append(Finding(
            "role_disagreement",
            f"Articles dated {_day(date)} give {ordered[0]['actor_name']} conflicting roles: {statements}.",
            [Evidence(row["article_id"], row["start"], row["end"], row["text"], _day(date), role_time(_role(row)))
             for row in ordered],
        ))
    return findings


def run_checks(con: duckdb.DuckDBPyConnection, *, days: int = DEFAULT_DAYS,
               tolerance: float = DEFAULT_TOLERANCE) -> list[Finding]:
    """Every corpus check, in the order of :data:`CHECK_KINDS`."""
    return [*quote_attributions(con), *figure_disagreements(con, days=days, tolerance=tolerance),
            *role_disagreements(con)]


def _short(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
