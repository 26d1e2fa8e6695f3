"""Writing analyses to the store: corpus actors resolved, rows added one transaction per batch.

:class:`StoreWriter` queues analyses (each resolved to corpus actors as it is queued, in
order), failures and finished input files, and :meth:`StoreWriter.commit` writes all of them
in one transaction: a process killed at any moment leaves the store as it was after the last
commit, with every article either wholly there or not at all.

Every input id is one row of ``articles``. For each id offered:

* stored (or queued) with the same text: skipped;
* stored with another text: a failure (E204) naming it; the stored article is kept as it is
  (an id keeps the first text stored under it, so running an ingest again never changes
  which text an id has, and analysis rows and duplicates never point at a text that is gone);
* new, with a text stored (or queued) under another id: a *duplicate*, a row of its own whose
  ``duplicate_of`` names that article; its analysis rows are not stored again, and it needs no
  analysis at all (:meth:`StoreWriter.add_duplicate`);
* new, with a new text: added, with every row of its analysis.

Example
-------
>>> import dataclasses
>>> from stancegraph.records import ArticleAnalysis
>>> from stancegraph.store.schema import open_store
>>> con = open_store(":memory:")
>>> first = ArticleAnalysis("a1", "Title", "2024-03-01", None, "Some text.")
>>> write_analyses(con, [first, first, dataclasses.replace(first, id="a2")])
WriteSummary(added=1, skipped=1, failed=0, duplicates=1)
>>> con.execute("SELECT id, date, duplicate_of FROM articles ORDER BY id").fetchall()
[('a1', datetime.date(2024, 3, 1), None), ('a2', datetime.date(2024, 3, 1), 'a1')]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Protocol

import duckdb

from stancegraph.errors import StanceGraphError, StoreError
from stancegraph.records import ArticleAnalysis, Flag, Relation, Role, Span
from stancegraph.registry import Registry, Resolution, Resolver
from stancegraph.registry.names import mention_kinds
from stancegraph.store.reviews import reapply

__all__ = [
    "Known",
    "StoreWriter",
    "WriteSummary",
    "content_hash",
    "finish_run",
    "set_article_date",
    "start_run",
    "write_analyses",
]


_ANALYSIS_TABLES = ("article_actors", "mentions", "roles", "quotes", "stances", "relations", "claims", "flags")


def content_hash(text: str) -> str:
    """The SHA-256 of an article's text: the key that makes ingesting idempotent."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    """The current time in UTC, without a zone (the store's TIMESTAMPs are UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class WriteSummary(NamedTuple):
    """How many articles were added with their analysis, skipped as already present (same id,
    same text) or refused, and how many were added as duplicates (the text of a stored article
    under an id of their own: a row of ``articles`` naming it in ``duplicate_of``)."""

    added: int
    skipped: int
    failed: int
    duplicates: int = 0


class Known(NamedTuple):
    """What the store (with the writer's queue) holds for a text and an id."""

    original: str | None
    """The id of the stored or queued article with this text that is not a duplicate, or None."""
    id_hash: str | None
    """The content hash the id is stored or queued with, or None when the id is free."""


class _ArticleLike(Protocol):
    """What a duplicate needs: an article's metadata and text (an Article or an ArticleAnalysis)."""

    @property
    def id(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def text(self) -> str: ...


def relation_rows(article: str, relations: Iterable[Relation], actor_of: Callable[[str | None], str | None]
                  ) -> list[dict[str, Any]]:
    """The ``relations`` rows of an article's relations, each actor's id as ``actor_of`` gives it."""
    return [{"article_id": article, "n": n, "a": actor_of(relation.a), "b": actor_of(relation.b),
             "kind": relation.kind, "on_target": actor_of(relation.on)} for n, relation in enumerate(relations)]


def flag_rows(article: str, flags: Iterable[Flag], actor_of: Callable[[str | None], str | None], first: int = 0
              ) -> list[dict[str, Any]]:
    """The ``flags`` rows of an article's flags, numbered from ``first``, with their evidence as JSON."""
    return [{"article_id": article, "n": n, "kind": flag.kind, "actor_id": actor_of(flag.actor),
             "message": flag.message,
             "evidence": json.dumps([{"start": s.start, "end": s.end, "text": s.text} for s in flag.evidence],
                                    ensure_ascii=False)}
            for n, flag in enumerate(flags, start=first)]


def insert_columns(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list[Any]], *,
                   replace: bool = False) -> None:
    """Insert rows given column by column (names from this module, never from input), in one statement.

    Each column goes as one list parameter, unnested side by side in order: far faster than a
    row-by-row ``executemany``. ``replace``: ``INSERT OR REPLACE``.
    """
    names = list(columns)
    if names and columns[names[0]]:
        select = ", ".join(f'unnest(?) AS "{name}"' for name in names)
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        con.execute(f"{verb} INTO {table} BY NAME SELECT {select}", [columns[name] for name in names])


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows given as dicts with the same keys, by :func:`insert_columns`."""
    if rows:
        insert_columns(con, table, {column: [row[column] for row in rows] for column in rows[0]})


def _span(span: Span | None) -> tuple[int | None, int | None, str | None]:
    return (None, None, None) if span is None else (span.start, span.end, span.text)


class StoreWriter:
    """Queues analyses and failures and commits them in one transaction per :meth:`commit`.

    To tell new content from stored content without a query per article, the writer keeps the
    Python hashes of every stored content hash and id in memory (some 70 bytes per article);
    only a match is checked against the store.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, resolver: Resolver | None = None, *,
                 registry: Registry | None = None, reanalyse: bool = False) -> None:
        self.con = con
        self.registry = registry
        self.reanalyse = reanalyse  # an id stored with the same text gets the new analysis (reviews kept)
        self.resolver = resolver or Resolver.from_store(con, registry)
        self.added = self.skipped = self.duplicates = self.failed = 0
        self.last_failure: tuple[str, str] | None = None  # (code, reason) of the latest failure queued
        self._load_known()
        self._reset()

    def _load_known(self) -> None:
        rows = self.con.execute("SELECT content_hash, id FROM articles").fetchall()
        self._known_hashes = {hash(text_hash) for text_hash, _ in rows}
        self._known_ids = {hash(article_id) for _, article_id in rows}

    def _reset(self) -> None:
        self._rows: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self._queued: dict[str, str] = {}  # content hash -> id, of originals queued and not committed
        self._queued_ids: dict[str, str] = {}  # id -> content hash, of every article queued
        self._new_actors: dict[str, None] = {}
        self._changed: dict[str, None] = {}
        self.pending = 0

    def _row(self, table: str, **values: Any) -> None:
        columns = self._rows[table]
        for name, value in values.items():
            columns[name].append(value)

    # --- queueing ---

    def fail(self, input: str, code: str, reason: str, *, file: str | None = None) -> None:
        """Queue a failure: the input and why it could not be added."""
        self._row("failures", input=input, code=code, reason=reason, time=_now(), file=file)
        self.failed += 1
        self.last_failure = (code, reason)

    def fail_with(self, error: StanceGraphError, *, input: str | None = None, file: str | None = None) -> None:
        self.fail(input or error.input or "", error.code, error.message, file=file)

    def clear_failures(self, file: str) -> None:
        """Forget the failures of an earlier run for ``file``, which is being read again."""
        self._row("cleared_files", file=file)

    def file_done(self, file: str, size: int, sha256: str, options: str, articles: int) -> None:
        """Remember ``file`` as read to the end with nothing failed: later runs skip it unread."""
        self._row("inputs", file=file, size=size, sha256=sha256, options=options, articles=articles,
                  ingested_at=_now())

    def lookup(self, text_hash: str, article_id: str) -> Known:
        """The stored or queued original with this text, and the text ``article_id`` has, if any."""
        original = self._queued.get(text_hash)
        if original is None and hash(text_hash) in self._known_hashes:
            row = self.con.execute("SELECT id FROM articles WHERE content_hash = ? AND duplicate_of IS NULL "
                                   "LIMIT 1", [text_hash]).fetchone()
            original = row[0] if row else None
        id_hash = text_hash if original == article_id else self._queued_ids.get(article_id)
        if id_hash is None and hash(article_id) in self._known_ids:
            row = self.con.execute("SELECT content_hash FROM articles WHERE id = ?", [article_id]).fetchone()
            id_hash = row[0] if row else None
        return Known(original, id_hash)

    def _date(self, value: str | None, input: str, file: str | None) -> tuple[bool, dt.date | None]:
        """(whether the date is usable, the date); an unusable one is queued as a failure (E214)."""
        try:
            return True, dt.date.fromisoformat(value) if value else None
        except ValueError:
            self.fail(input, "E214", StoreError("E214", value=value).message, file=file)
            return False, None

    def add_duplicate(self, article: _ArticleLike, original: str, *, input: str | None = None,
                      file: str | None = None, text_hash: str | None = None) -> bool:
        """Queue ``article`` as a duplicate of the stored or queued ``original`` (the same text).

        Its row has its own id, title, date, source and url, and names ``original`` in
        ``duplicate_of``; no analysis row is written for it. False when its date is unusable.
        """
        assert article.id is not None
        text_hash = text_hash or content_hash(article.text)
        name = input or article.id
        usable, date = self._date(article.date, name, file)
        if not usable:
            return False
        self._row("articles", id=article.id, title=article.title, date=date, source=article.source,
                  url=article.url, text=article.text, content_hash=text_hash, duplicate_of=original, input=name,
                  ingested_at=_now(), lang=None)
        self._queued_ids[article.id] = text_hash
        self._known_ids.add(hash(article.id))
        self.duplicates += 1
        self.pending += 1
        return True

    def add(self, analysis: ArticleAnalysis, *, input: str | None = None, file: str | None = None,
            text_hash: str | None = None) -> bool:
        """Queue an analysis: resolve its actors and build its rows. False when no row is added.

        The same id with the same text is skipped; an id stored with another text is a failure
        (E204); a new id whose text is stored under another id is added as a duplicate.
        """
        text_hash = text_hash or content_hash(analysis.text)
        known = self.lookup(text_hash, analysis.id)
        name = input or analysis.id
        if known.id_hash == text_hash and not (self.reanalyse and known.original == analysis.id
                                               and analysis.id not in self._queued_ids):
            self.skipped += 1
            return False
        replacing = known.id_hash == text_hash  # analysed again: the stored rows go when the new ones are written
        if replacing:
            known = Known(None, None)
        if known.id_hash is not None:
            self.fail(name, "E204", StoreError("E204", id=analysis.id).message, file=file)
            return False
        if known.original is not None:
            return self.add_duplicate(analysis, known.original, input=name, file=file, text_hash=text_hash)
        usable, date = self._date(analysis.date, name, file)
        if not usable:
            return False
        resolution = self.resolver.resolve(analysis)
        if replacing:
            self._row("reanalysed", id=analysis.id)
        self._queue(analysis, resolution, date, text_hash, name)
        self._queued[text_hash] = analysis.id
        self._queued_ids[analysis.id] = text_hash
        self._known_hashes.add(hash(text_hash))
        self._known_ids.add(hash(analysis.id))
        self.added += 1
        self.pending += 1
        return True

    def _queue(self, analysis: ArticleAnalysis, resolution: Resolution, date: dt.date | None,
               text_hash: str, input: str) -> None:
        article, ids = analysis.id, resolution.ids

        def actor_of(local: str | None) -> str | None:
            return None if local is None else ids.get(local, local)

        self._row("articles", id=article, title=analysis.title, date=date, source=analysis.source,
                  url=analysis.url, text=analysis.text, content_hash=text_hash, duplicate_of=None, input=input,
                  ingested_at=_now(), lang=analysis.lang)
        for new_actor in resolution.new_actors:
            self._new_actors[new_actor.id] = None
        for changed_actor in resolution.changed:
            self._changed[changed_actor.id] = None
        for actor_id, alias in resolution.new_aliases:
            self._row("aliases", actor_id=actor_id, alias=alias)
        listed: set[str] = set()
        next_n = len(analysis.actors)
        for n, actor in enumerate(analysis.actors):
            corpus = ids[actor.id]
            listed.add(corpus)
            self._row("article_actors", article_id=article, n=n, actor_id=corpus, local_id=actor.id,
                      name=actor.name, type=actor.type, country=actor.country)
            for mention, kind in mention_kinds(actor).items():
                self._row("mentions", article_id=article, actor_id=corpus, start=mention.start, end=mention.end,
                          text=mention.text, kind=kind)
            for role in actor.roles:
                self._role(article, corpus, role)
        for corpus, role in resolution.descriptors:
            if corpus not in listed:
                listed.add(corpus)
                known_actor = self.resolver.actors[corpus]
                self._row("article_actors", article_id=article, n=next_n, actor_id=corpus, local_id=None,
                          name=known_actor.name, type=known_actor.type, country=known_actor.country)
                next_n += 1
            self._row("mentions", article_id=article, actor_id=corpus, start=role.span.start, end=role.span.end,
                      text=role.span.text, kind="descriptor")
            self._role(article, corpus, role)
        for n, quote in enumerate(analysis.quotes):
            content, cue, speaker = _span(quote.content), _span(quote.cue), _span(quote.speaker)
            self._row("quotes", article_id=article, n=n, kind=quote.kind,
                      content_start=content[0], content_end=content[1], content_text=content[2],
                      cue_start=cue[0], cue_end=cue[1], cue_text=cue[2],
                      speaker_start=speaker[0], speaker_end=speaker[1], speaker_text=speaker[2],
                      actor_id=actor_of(quote.actor), confidence=float(quote.confidence),
                      actors=json.dumps([actor_of(a) for a in quote.actors]))
        for n, stance in enumerate(analysis.stances):
            target = actor_of(stance.target) if stance.target_kind == "actor" else stance.target
            self._row("stances", article_id=article, n=n, actor_id=actor_of(stance.actor), target=target,
                      target_kind=stance.target_kind, polarity=int(stance.polarity),
                      evidence_start=stance.evidence.start, evidence_end=stance.evidence.end,
                      evidence_text=stance.evidence.text, confidence=float(stance.confidence),
                      target_phrase=stance.target_phrase,
                      actors=json.dumps([actor_of(a) for a in stance.actors]))
        for row in relation_rows(article, analysis.relations, actor_of):
            self._row("relations", **row)
        for n, claim in enumerate(analysis.claims):
            self._row("claims", article_id=article, n=n, start=claim.span.start, end=claim.span.end,
                      text=claim.span.text, value=float(claim.value), unit=claim.unit, qualifier=claim.qualifier,
                      source=ids.get(claim.source, claim.source) if claim.source else None,
                      subject=ids.get(claim.subject, claim.subject) if claim.subject else None)
        for row in flag_rows(article, analysis.flags, actor_of):
            self._row("flags", **row)

    def _role(self, article: str, actor_id: str, role: Role) -> None:
        self._row("roles", article_id=article, actor_id=actor_id, start=role.span.start, end=role.span.end,
                  text=role.span.text, title=role.text, office=role.office, office_class=role.office_class, country=role.country,
                  tense=role.tense)

    # --- committing ---

    def commit(self) -> None:
        """Write everything queued in one transaction (nothing when the queue is empty)."""
        if not (self._rows or self._new_actors or self._changed):
            return
        con = self.con
        con.begin()
        try:
            cleared = self._rows.pop("cleared_files", None)
            if cleared:
                con.execute("DELETE FROM failures WHERE file IN (SELECT unnest(?))", [cleared["file"]])
            reanalysed = self._rows.pop("reanalysed", None)
            if reanalysed:
                for table in ("articles", *_ANALYSIS_TABLES):
                    column = "id" if table == "articles" else "article_id"
                    con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?))", [reanalysed["id"]])
            written = self._rows.get("articles", {})
            originals = [i for i, d in zip(written.get("id", []), written.get("duplicate_of", [])) if d is None]
            for actor_id in self._new_actors:
                actor = self.resolver.actors[actor_id]
                self._row("actors", id=actor.id, name=actor.name, type=actor.type, country=actor.country)
            for actor_id in self._changed.keys() - self._new_actors.keys():
                actor = self.resolver.actors[actor_id]
                con.execute("UPDATE actors SET name = ?, country = ? WHERE id = ?", [actor.name, actor.country, actor.id])
            for table in ("articles", "actors", "aliases", "article_actors", "mentions", "roles", "quotes",
                          "stances", "relations", "claims", "flags", "failures", "inputs"):
                insert_columns(con, table, self._rows.get(table, {}), replace=table == "inputs")
            reapply(con, originals)  # a human decision outlives a new analysis of its article
            con.commit()
        except duckdb.Error as err:
            con.rollback()
            self.resolver = Resolver.from_store(con, self.registry)  # forget what was not written
            self._load_known()
            self._reset()
            raise StoreError("E209", detail=str(err)) from err
        self._reset()


def start_run(con: duckdb.DuckDBPyConnection, *, engine: str, workers: int, inputs: list[str],
              fast: bool = False) -> int:
    """Record the start of an ingest run (``fast``: quotes by the CRF tagger); its id."""
    run_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM runs").fetchall()[0][0]
    con.execute("INSERT INTO runs (id, started_at, engine, workers, inputs, fast) VALUES (?, ?, ?, ?, ?, ?)",
                [run_id, _now(), engine, workers, json.dumps(inputs), fast])
    return int(run_id)


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, summary: WriteSummary) -> None:
    con.execute("UPDATE runs SET finished_at = ?, added = ?, skipped = ?, failed = ?, duplicates = ? WHERE id = ?",
                [_now(), summary.added, summary.skipped, summary.failed, summary.duplicates, run_id])


def write_analyses(con: duckdb.DuckDBPyConnection, analyses: Iterable[ArticleAnalysis], *,
                   resolver: Resolver | None = None, registry: Registry | None = None,
                   batch_size: int = 100, reanalyse: bool = False) -> WriteSummary:
    """Add analyses to the store, one transaction per ``batch_size``; how many were added.

    An analysis whose text is stored under another id is added as a duplicate of it (its own
    row, no analysis rows); see the module's rules for ids and texts already stored.

    Actor ids are mapped to corpus actors (``resolver``, or one built from the store and
    ``registry``). Pass the same resolver to repeated calls (a web server's) to save rebuilding it.
    With ``reanalyse``, an id already stored with the same text has its analysis rows replaced
    by the new ones, and the reviews of the article are applied to them again.
    """
    writer = StoreWriter(con, resolver, registry=registry, reanalyse=reanalyse)
    for analysis in analyses:
        writer.add(analysis)
        if writer.pending >= batch_size:
            writer.commit()
    writer.commit()
    return WriteSummary(writer.added, writer.skipped, writer.failed, writer.duplicates)


def set_article_date(con: duckdb.DuckDBPyConnection, article_id: str, date: dt.date | None) -> None:
    """Give a stored article a date (or none): an undated corpus gains a timeline (E208 if no such article)."""
    if con.execute("SELECT count(*) FROM articles WHERE id = ?", [article_id]).fetchall()[0][0] == 0:
        raise StoreError("E208", id=article_id)
    con.execute("UPDATE articles SET date = ? WHERE id = ?", [date, article_id])
