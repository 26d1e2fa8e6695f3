"""Statements: the stances of a corpus as one table, filtered and de-duplicated as DNA does.

A *statement* is DNA's unit of coding: an actor, a concept and an agreement. Here each stance
of the store is one statement. A stance on an issue has the issue label as its ``label``; a
stance on another actor has that actor's name as its ``label`` (``concept_kind`` "actor"), so
that "Trump praised Putin" is the statement (Trump, "Vladimir Putin", +1), the way DNA coders
write a person as a concept. As in stance relations, a stance on the current head of a country
that the article names (a role of office class ``head``, not in the past) is a stance on the
country: "Vladimir Putin" then reads "Russia" when the article makes him Russia's leader, so
that praising Putin and distrusting Russia are one concept (``heads_as_countries=False``
keeps the person). :mod:`stancegraph.networks.concepts` then folds the labels of the corpus
into concepts (the ``concept`` column).

Columns of a statement table (:data:`STATEMENT_COLUMNS`):

``statement_id``
    ``"<article id>#<n>"``, the stance's place in the store.
``article_id``, ``n``, ``title``, ``date``, ``source``
    The article (``date`` is a pandas timestamp, NaT when the article has none).
``actor_id``, ``actor``, ``actor_type``
    The corpus actor who takes the stance, its name and type.
``group``
    For a stance held by a group ("both leaders"), the group's id (its name outside the
    store): the stance is then one statement per member, each with the member as its actor
    and the stance's ``statement_id``, so that networks count it for each member. None for
    any other stance.
``target``, ``target_kind``, ``label``
    The stance's target as stored and its readable label.
``concept``, ``concept_kind``
    The concept the label is folded into ("issue" or "actor").
``polarity``, ``confidence``
    -1, 0 or +1 (or a DNA integer qualifier's value), and the extractor's confidence (NaN
    when there is none, e.g. a hand-coded statement; such statements pass any
    ``min_confidence``).
``evidence_start``, ``evidence_end``, ``evidence_text``
    The evidence span, offsets into the article text.
``quotes``
    The ids (``"<article id>#<n>"`` in the store's quotes) of the actor's quotes that overlap
    the evidence, so that a network edge can show what was said.
``author``, ``section``, ``document_type``, ``coder``, ``variables``
    A DNA document's fields, the DNA coder's id and a dict of the statement's DNA variables
    (empty for the store's statements; see :mod:`stancegraph.networks.dna`).

Example
-------
>>> frame = statements_frame([
...     {"article_id": "a1", "n": 0, "actor_id": "merkel", "actor": "Angela Merkel",
...      "actor_type": "person", "target": "sanction", "target_kind": "issue",
...      "polarity": 1, "confidence": 0.9, "date": "2024-03-01"},
... ])
>>> frame.loc[0, ["statement_id", "label", "concept"]].tolist()
['a1#0', 'sanction', 'sanction']
>>> len(filter_statements(frame, StatementFilter(min_confidence=0.95)))
0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from stancegraph.errors import NetworkError
from stancegraph.records import ArticleAnalysis, holders
from stancegraph.store.statements import article_rows, stance_statement_rows

__all__ = [
    "DUPLICATES",
    "STATEMENT_COLUMNS",
    "TARGETS",
    "Duplicates",
    "StatementFilter",
    "Targets",
    "dedupe_statements",
    "filter_statements",
    "load_documents",
    "load_statements",
    "statements_frame",
    "statements_from_analyses",
]

STATEMENT_COLUMNS = (
    "statement_id", "article_id", "n", "title", "date", "source",
    "actor_id", "actor", "actor_type", "group",
    "target", "target_kind", "label", "concept", "concept_kind",
    "polarity", "confidence",
    "evidence_start", "evidence_end", "evidence_text", "quotes",
    "author", "section", "document_type", "coder", "variables",
)

Duplicates = Literal["include", "document", "week", "month", "year", "acrossrange"]
DUPLICATES: tuple[str, ...] = ("include", "document", "week", "month", "year", "acrossrange")
Targets = Literal["all", "issue", "actor"]
TARGETS: tuple[str, ...] = ("all", "issue", "actor")

_TEXT_COLUMNS = ("statement_id", "article_id", "title", "source", "actor_id", "actor", "actor_type", "group",
                 "target", "target_kind", "label", "concept", "concept_kind", "evidence_text", "author", "section",
                 "document_type")


@dataclass(frozen=True)
class StatementFilter:
    """Which statements enter a network: DNA's date range and exclusion filters, and more.

    Every bound is inclusive; an empty tuple means "no restriction". A date bound leaves out
    the statements of undated articles. ``concepts`` and ``sources`` compare case-blind.
    ``neutral`` keeps stances of polarity 0 (DNA's boolean agreement has no such value, so
    they are left out unless asked for).

    DNA's exclusion filters compare exactly: ``exclude_values`` holds ``(variable, value)``
    pairs (a DNA variable of the statement, or a column of the statement table such as
    ``actor`` or ``concept``) and leaves out a statement whose value is listed; with
    ``invert_values`` a statement is kept only if, for every variable named, its value is
    listed. ``exclude_authors``, ``_sources``, ``_sections`` and ``_types`` do the same
    with the document's fields, each with its own ``invert_*`` flag.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: tuple[str, ...] = ()
    actor_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()
    min_confidence: float = 0.0
    targets: Targets = "all"
    neutral: bool = False
    exclude_values: tuple[tuple[str, str], ...] = ()
    invert_values: bool = False
    exclude_authors: tuple[str, ...] = ()
    exclude_sources: tuple[str, ...] = ()
    exclude_sections: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    invert_authors: bool = False
    invert_sources: bool = False
    invert_sections: bool = False
    invert_types: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_confidence <= 1.0:
            raise NetworkError("E317", value=self.min_confidence)
        if self.targets not in TARGETS:
            raise NetworkError("E302", option="targets", value=self.targets, expected=", ".join(TARGETS))


def statements_frame(rows: Iterable[Mapping[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """A statement table with every column of :data:`STATEMENT_COLUMNS`, typed.

    Missing columns are derived where they can be (``statement_id`` from ``article_id`` and
    ``n``, ``label`` from ``target``, ``concept`` from ``label``, ``concept_kind`` from
    ``target_kind``) and left empty otherwise.
    """
    frame = pd.DataFrame(rows if isinstance(rows, pd.DataFrame) else list(rows)).copy()
    if "n" not in frame:
        frame["n"] = range(len(frame))
    if "statement_id" not in frame:
        frame["statement_id"] = [f"{article}#{n}" for article, n in zip(frame.get("article_id", []), frame["n"])]
    if "label" not in frame:
        frame["label"] = frame.get("target")
    if "concept" not in frame:
        frame["concept"] = frame.get("label")
    if "concept_kind" not in frame:
        frame["concept_kind"] = frame.get("target_kind", "issue")
    for column in STATEMENT_COLUMNS:
        if column not in frame:
            frame[column] = None
    frame = frame.loc[:, list(STATEMENT_COLUMNS)]
    frame["quotes"] = [list(q) if isinstance(q, (list, tuple, np.ndarray)) else [] for q in frame["quotes"]]
    frame["variables"] = [dict(v) if isinstance(v, Mapping) else {} for v in frame["variables"]]
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    for column in ("n", "polarity", "evidence_start", "evidence_end"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(0).astype("int64")
    frame["confidence"] = pd.to_numeric(frame["confidence"], errors="coerce").astype("float64")
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame.reset_index(drop=True)


def _heads(analysis: ArticleAnalysis) -> dict[str, str]:
    """Person id -> the name of the country the article makes them the current head of."""
    countries = {actor.name for actor in analysis.actors if actor.type == "country"}
    heads = {}
    for actor in analysis.actors:
        if actor.type != "person":
            continue
        headed = {r.country for r in actor.roles if r.office_class == "head" and r.country in countries}
        current = headed - {r.country for r in actor.roles if r.tense == "past"}
        if len(current) == 1:
            heads[actor.id] = current.pop()
    return heads


def statements_from_analyses(analyses: Iterable[ArticleAnalysis], *, heads_as_countries: bool = True) -> pd.DataFrame:
    """The statements of analysed articles, without a store.

    Outside the store there are no corpus actor ids, so an actor is known by its name:
    ``actor_id`` is the actor's name, and the same name in two articles is one actor. A
    group's stance is one statement per member, with the group's name in ``group``.

    >>> from stancegraph.records import Actor, ArticleAnalysis, Span, Stance
    >>> text = "Macron backs sanctions."
    >>> analysis = ArticleAnalysis("a1", None, "2024-01-05", None, text,
    ...     actors=[Actor("x", "Emmanuel Macron", "person")],
    ...     stances=[Stance("x", "sanction", "issue", 1, Span.of(text, 0, 22), 0.9)])
    >>> statement = statements_from_analyses([analysis]).iloc[0]
    >>> statement["actor"], statement["label"], int(statement["polarity"])
    ('Emmanuel Macron', 'sanction', 1)
    """
    rows = []
    for analysis in analyses:
        names = {actor.id: actor for actor in analysis.actors}
        heads = _heads(analysis) if heads_as_countries else {}
        for n, stance in enumerate(analysis.stances):
            holder = names.get(stance.actor)
            if holder is None:
                continue
            target = names.get(stance.target) if stance.target_kind == "actor" else None
            label = stance.target if target is None else heads.get(target.id, target.name)
            quotes = [f"{analysis.id}#{q}" for q, quote in enumerate(analysis.quotes)
                      if quote.actor == stance.actor and quote.content.overlaps(stance.evidence)]
            for member in holders(stance, analysis.actors):
                actor = names.get(member)
                if actor is None:
                    continue
                rows.append({
                    "quotes": quotes,
                    "article_id": analysis.id, "n": n, "title": analysis.title, "date": analysis.date,
                    "source": analysis.source, "actor_id": actor.name, "actor": actor.name,
                    "actor_type": actor.type, "group": holder.name if member != stance.actor else None,
                    "target": target.name if target else stance.target, "target_kind": stance.target_kind,
                    "label": label,
                    "polarity": stance.polarity, "confidence": stance.confidence,
                    "evidence_start": stance.evidence.start, "evidence_end": stance.evidence.end,
                    "evidence_text": stance.evidence.text,
                })
    return statements_frame(rows)


def load_statements(con: Any, *, heads_as_countries: bool = True) -> pd.DataFrame:
    """Every stance of the store as a statement table (concepts not yet folded).

    ``con`` is a connection from :func:`stancegraph.store.open_store`.
    """
    return statements_frame(stance_statement_rows(con, heads_as_countries=heads_as_countries))


def load_documents(con: Any, article_ids: Iterable[str]) -> pd.DataFrame:
    """The articles with these ids: ``id, title, date, source, url, text, ingested_at``."""
    return article_rows(con, sorted(set(article_ids)))


def _casefolded(values: Iterable[str]) -> set[str]:
    return {value.casefold() for value in values}


def filter_statements(statements: pd.DataFrame, flt: StatementFilter) -> pd.DataFrame:
    """The statements that pass ``flt``, in their order."""
    keep = pd.Series(True, index=statements.index)
    if flt.date_from is not None:
        keep &= statements["date"] >= pd.Timestamp(flt.date_from)
    if flt.date_to is not None:
        keep &= statements["date"] < pd.Timestamp(flt.date_to) + pd.Timedelta(days=1)
    for column, wanted in (("source", flt.sources), ("actor_type", flt.actor_types),
                           ("concept", flt.concepts)):
        if wanted:
            folded = _casefolded(wanted)
            keep &= statements[column].map(lambda value, folded=folded: value is not None and value.casefold() in folded)
    if flt.actors:
        folded = _casefolded(flt.actors)
        keep &= statements["actor"].map(lambda v: v is not None and v.casefold() in folded) | \
            statements["actor_id"].map(lambda v: v is not None and v.casefold() in folded)
    keep &= statements["confidence"].isna() | (statements["confidence"] >= flt.min_confidence)
    if flt.targets != "all":
        keep &= statements["concept_kind"] == flt.targets
    keep &= _exclusions(statements, flt)
    if not flt.neutral:
        keep &= statements["polarity"] != 0
    return statements.loc[keep].reset_index(drop=True)


def _variable(statements: pd.DataFrame, name: str) -> pd.Series:
    """A statement variable as text: a DNA variable, else a column of the table."""
    if name in statements.columns and name != "variables":
        column = statements[name]
    else:
        column = statements["variables"].map(lambda values: values.get(name, ""))
    return column.map(lambda value: "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value))


def _exclusions(statements: pd.DataFrame, flt: StatementFilter) -> pd.Series:
    """DNA's exclude and invert filters: True for the statements they keep."""
    keep = pd.Series(True, index=statements.index)
    wanted: dict[str, set[str]] = {}
    for name, value in flt.exclude_values:
        wanted.setdefault(name, set()).add(value)
    for name, names in wanted.items():
        listed = _variable(statements, name).isin(names)
        keep &= listed if flt.invert_values else ~listed
    for column, values, invert in (("author", flt.exclude_authors, flt.invert_authors),
                                   ("source", flt.exclude_sources, flt.invert_sources),
                                   ("section", flt.exclude_sections, flt.invert_sections),
                                   ("document_type", flt.exclude_types, flt.invert_types)):
        if values:
            listed = _variable(statements, column).isin(set(values))
            keep &= listed if invert else ~listed
    return keep


def _period(dates: pd.Series, duplicates: str) -> pd.Series:
    """The calendar period each date falls in (ISO weeks, Monday to Sunday, like DNA's UK weeks)."""
    if duplicates == "week":
        iso = dates.dt.isocalendar()
        return iso["year"].astype("Int64").astype(str) + "-W" + iso["week"].astype("Int64").astype(str)
    if duplicates == "month":
        return dates.dt.strftime("%Y-%m")
    return dates.dt.strftime("%Y")


def dedupe_statements(statements: pd.DataFrame, duplicates: str, *, qualifier: bool = True) -> pd.DataFrame:
    """Count identical statements once per document, week, month or year (DNA's ``duplicates``).

    Two statements are identical when they have the same actor and concept, and, when the
    network uses the qualifier (``qualifier=True``), the same polarity. The earliest one
    (by date, then article, then position) is kept. ``"include"`` keeps everything and
    ``"acrossrange"`` keeps one per actor and concept over the whole range. DNA compares
    weeks and months by their number alone; here they are calendar periods (a week of 2023
    and the same week of 2024 are different weeks). Undated statements are only ever
    duplicates within their own article.

    >>> frame = statements_frame([
    ...     {"article_id": "a", "n": 0, "actor_id": "x", "target": "tax", "polarity": 1, "date": "2024-01-01"},
    ...     {"article_id": "a", "n": 1, "actor_id": "x", "target": "tax", "polarity": 1, "date": "2024-01-01"},
    ...     {"article_id": "b", "n": 0, "actor_id": "x", "target": "tax", "polarity": 1, "date": "2024-01-20"}])
    >>> [len(dedupe_statements(frame, d)) for d in ("include", "document", "month")]
    [3, 2, 1]
    """
    if duplicates not in DUPLICATES:
        raise NetworkError("E302", option="duplicates", value=duplicates, expected=", ".join(DUPLICATES))
    if duplicates == "include" or statements.empty:
        return statements.reset_index(drop=True)
    ordered = statements.sort_values(["date", "article_id", "n"], na_position="last", kind="stable")
    keys = ["actor_id", "concept"] + (["polarity"] if qualifier else [])
    if duplicates == "document":
        bucket = ordered["article_id"]
    elif duplicates == "acrossrange":
        bucket = pd.Series("all", index=ordered.index)
    else:
        dated = _period(ordered["date"], duplicates)
        bucket = dated.where(ordered["date"].notna(), "undated:" + ordered["article_id"].astype(str))
    kept = ordered.assign(_bucket=bucket.values).drop_duplicates([*keys, "_bucket"], keep="first")
    return kept.drop(columns="_bucket").sort_index().reset_index(drop=True)
