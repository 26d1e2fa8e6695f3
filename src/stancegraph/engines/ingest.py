"""Ingest: inputs read, deduplicated, analysed by an engine and committed to the store in batches.

The main process reads the inputs (cheap), hashes each article's text and skips those already
stored before any parsing; a file read to the end before with nothing failed is skipped by the
hash of its bytes without being parsed at all. Every input id becomes one row of
``articles``: an id whose text is already stored (or on its way) under another id is added as a
duplicate of that article without being parsed; an id already stored with another text is a
failure (E204) and the stored article is kept. The rest go to the engine in chunks, and their
analyses come back in input order to be resolved to corpus actors and written, one transaction
per batch (every ``commit_every`` articles or ``commit_seconds``). A ``kill -9`` at any moment
loses at most the batch being built; running the same command again adds exactly what is
missing. Bad inputs go to ``failures`` and the run goes on; a later run retries them.

Example
-------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Talks\\n\\nMerkel met Macron in Paris.")
>>> _ = (folder / "b.txt").write_text("")
>>> _ = (folder / "c.txt").write_text("Talks\\n\\nMerkel met Macron in Paris.")
>>> first = ingest([str(folder)], folder / "corpus.duckdb")
>>> (first.added, first.duplicates, first.skipped, first.failed)
(1, 1, 0, 1)
>>> again = ingest([str(folder)], folder / "corpus.duckdb")
>>> (again.added, again.duplicates, again.skipped, again.failed)
(0, 0, 2, 1)
>>> again.counts()
'0 added, 0 duplicates, 2 skipped as already present, 1 failed'
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from stancegraph.engines.base import ChunkResult, Engine, Failure
from stancegraph.engines.budget import DEFAULT_TIME_BUDGET, check_budget
from stancegraph.engines.local import LocalEngine
from stancegraph.errors import InputError
from stancegraph.records import Article, ArticleAnalysis
from stancegraph.registry import default_registry_path, load_registry
from stancegraph.sources import ReadOptions, expand_inputs, read_file
from stancegraph.store.known import read_inputs
from stancegraph.store.schema import open_store
from stancegraph.store.writer import StoreWriter, WriteSummary, content_hash, finish_run, start_run

__all__ = ["IngestSummary", "Progress", "estimate_articles", "ingest", "make_engine"]

FEED_SUFFIXES = (".rss", ".atom", ".xml")
STORE_WAIT_SECONDS = 30.0
RECORD_SUFFIXES = (".jsonl", ".json", ".csv")


@dataclass
class IngestSummary:
    """What one ingest run did.

    ``added``: new articles, analysed and stored with their analysis; ``duplicates``: new
    articles whose text was already stored (or added in the run) under another id, stored as
    duplicates without being parsed; ``skipped``: inputs already stored under the same id with
    the same text; ``failed``: inputs that could not be added (see the ``failures`` table).
    """

    added: int = 0
    skipped: int = 0
    failed: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    engine: str = "local"
    workers: int = 1
    peak_rss: dict[str, int] = field(default_factory=dict)  # worker -> bytes

    @property
    def completed(self) -> int:
        return self.added + self.skipped + self.failed + self.duplicates

    def counts(self) -> str:
        """The counts as the one-line summary gives them: ``N added, D duplicates, S skipped
        as already present, F failed``."""
        return (f"{self.added} added, {self.duplicates} duplicates, {self.skipped} skipped as already present, "
                f"{self.failed} failed")

    def line(self, db: str | Path) -> str:
        """The one-line summary of the run, as ``stancegraph ingest`` prints it."""
        rate = self.added / self.seconds if self.seconds else 0.0
        return f"ingest: {self.counts()} in {self.seconds:.1f} s ({rate:.1f} articles/s) -> {db}"


class Progress(Protocol):
    """Told the expected number of articles, then each time more are done."""

    def start(self, total: int) -> None: ...

    def update(self, summary: IngestSummary) -> None: ...


@dataclass
class _File:
    """A file being ingested: remembered as done once all its articles are committed, if none failed."""

    name: str
    size: int
    sha256: str
    articles: int = 0
    failed: bool = False
    last_seq: int = -1


@dataclass
class _Pending:
    seq: int
    article: Article
    input: str
    file: _File | None
    text_hash: str


@dataclass
class _Waiting:
    """A duplicate of an article being analysed: added once that article is stored."""

    article: Article
    input: str
    file: _File | None


def make_engine(engine: str, *, workers: int = 1, scheduler: str | None = None, max_chars: int,
                time_budget: float | None = None, fast: bool = False) -> Engine:
    """The engine named ``local`` or ``dask``; ``time_budget``: seconds per article, or None;
    ``fast``: quotes by the CRF tagger."""
    time_budget = check_budget(time_budget)
    if engine == "dask":
        from stancegraph.engines.dask import DaskEngine

        return DaskEngine(scheduler, workers=workers, max_chars=max_chars, time_budget=time_budget, fast=fast)
    return LocalEngine(workers, max_chars=max_chars, time_budget=time_budget, fast=fast)


def estimate_articles(path: Path) -> int:
    """About how many articles a file holds (lines, rows or items), for the progress bar."""
    suffix = path.suffix.lower()
    if suffix not in RECORD_SUFFIXES + FEED_SUFFIXES:
        return 1
    try:
        data = path.read_bytes()
    except OSError:
        return 1
    if suffix in FEED_SUFFIXES:
        return max(1, data.count(b"<item") + data.count(b"<entry"))
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return max(1, lines - 1 if suffix == ".csv" else lines)


def _chunks(items: Iterable[_Pending], size: int, queue: deque[list[_Pending]]) -> Iterator[list[Article]]:
    """Chunks of articles for the engine; each chunk's pending records go to ``queue`` meanwhile."""
    chunk: list[_Pending] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            queue.append(chunk)
            yield [p.article for p in chunk]
            chunk = []
    if chunk:
        queue.append(chunk)
        yield [p.article for p in chunk]


class _Run:
    """One ingest run: the reading side (what to analyse) and the writing side (outcomes in order)."""

    def __init__(self, writer: StoreWriter, options: ReadOptions, summary: IngestSummary,
                 progress: Progress | None, *, commit_every: int, commit_seconds: float) -> None:
        self.writer = writer
        self.commit_every = commit_every
        self.commit_seconds = commit_seconds
        self.last_commit = time.monotonic()
        self.options = options
        self.options_key = json.dumps(asdict(options), sort_keys=True)
        self.summary = summary
        self.progress = progress
        self.seq = -1
        self.done_seq = -1
        self.files: deque[_File] = deque()
        self.in_flight: dict[str, str] = {}  # text hash -> article id, sent to the engine, not yet queued
        self.in_flight_ids: dict[str, str] = {}  # article id -> text hash, of those and of their duplicates
        # duplicates of in-flight articles: added (or failed) once their original is stored
        self.waiting: dict[str, list[_Waiting]] = {}
        self.known_files = read_inputs(writer.con)

    # --- reading ---

    def _tick(self) -> None:
        """Count, show progress, and commit when a batch is full or old enough."""
        self.summary.added, self.summary.skipped, self.summary.failed, self.summary.duplicates = (
            self.writer.added, self.writer.skipped, self.writer.failed, self.writer.duplicates)
        if self.progress is not None:
            self.progress.update(self.summary)
        if self.writer.pending >= self.commit_every or time.monotonic() - self.last_commit >= self.commit_seconds:
            self.commit()

    def commit(self) -> None:
        """Commit what is queued: whole articles only, so any moment is a consistent one."""
        self.writer.commit()
        self.last_commit = time.monotonic()

    def _fail(self, error: InputError, input: str, file: _File | None) -> None:
        if file is not None:
            file.failed = True
        self.writer.fail_with(error, input=input, file=file.name if file else None)
        self._tick()

    def _open(self, path: Path) -> _File | Literal[True] | None:
        """The file's record (None for standard input), or True when it was ingested before unchanged."""
        if str(path) == "-":
            return None
        name = str(path.resolve())
        try:
            with path.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            size = path.stat().st_size
        except OSError:
            return _File(name, 0, "")  # the reader reports it
        known = self.known_files.get(name)
        if known is not None and known[:3] == (size, digest, self.options_key):
            self.writer.skipped += known[3]
            self._tick()
            return True
        self.writer.clear_failures(name)
        return _File(name, size, digest)

    def articles(self, files: Iterable[tuple[Path, str] | InputError]) -> Iterator[_Pending]:
        """The articles to analyse, in input order; failures and skips are recorded on the way."""
        for found in files:
            if isinstance(found, InputError):
                self._fail(found, found.input or "", None)
                continue
            path, id = found
            file = self._open(path)
            if file is True:
                continue
            for input, item in read_file(path, id, self.options):
                if isinstance(item, InputError):
                    self._fail(item, input, file)
                    continue
                text_hash = content_hash(item.text)
                item.id = item.id or text_hash[:16]  # as pipeline.article_id gives it
                known = self.writer.lookup(text_hash, item.id)
                id_hash = known.id_hash or self.in_flight_ids.get(item.id)
                if id_hash is not None and id_hash != text_hash:  # the id is stored (or on its way) with other text
                    self._fail(InputError("E204", input=input, id=item.id), input, file)
                    continue
                if file is not None:
                    file.articles += 1
                if id_hash is not None:
                    self.writer.skipped += 1  # this very article is stored, or on its way
                elif known.original is not None:
                    self._duplicate(item, known.original, input, file, text_hash)
                elif text_hash in self.in_flight:
                    self.waiting.setdefault(text_hash, []).append(_Waiting(item, input, file))
                    self.in_flight_ids[item.id] = text_hash
                else:
                    self.seq += 1
                    self.in_flight[text_hash] = item.id
                    self.in_flight_ids[item.id] = text_hash
                    yield _Pending(self.seq, item, input, file, text_hash)
                self._tick()
            if file is not None:
                file.last_seq = self.seq
                self.files.append(file)

    def _duplicate(self, article: Article, original: str, input: str, file: _File | None, text_hash: str) -> None:
        """Queue ``article`` as a duplicate of the stored or queued ``original``."""
        if not self.writer.add_duplicate(article, original, input=input, file=file.name if file else None,
                                         text_hash=text_hash) and file is not None:
            file.failed = True

    # --- writing ---

    def record(self, pending: _Pending, outcome: ArticleAnalysis | Failure) -> None:
        """Queue one outcome (an analysis or a failure) for the store, then the duplicates waiting for it."""
        file_name = pending.file.name if pending.file else None
        failed = self.writer.failed
        if isinstance(outcome, Failure):
            self.writer.fail(pending.input, outcome.code, outcome.reason, file=file_name)
        else:
            self.writer.add(outcome, input=pending.input, file=file_name, text_hash=pending.text_hash)
        failure = self.writer.last_failure if self.writer.failed > failed else None
        if failure is not None and pending.file is not None:
            pending.file.failed = True  # the next run reads the file again
        for waiting in self.waiting.pop(pending.text_hash, []):
            original = self.writer.lookup(pending.text_hash, waiting.article.id or "").original
            if original is not None:
                self._duplicate(waiting.article, original, waiting.input, waiting.file, pending.text_hash)
            else:  # its original failed: so does the duplicate, and the next run retries both
                if waiting.file is not None:
                    waiting.file.failed = True
                code, reason = failure or ("E209", "not stored")
                self.writer.fail(waiting.input, code, f"same text as {pending.input}, which failed: {reason}",
                                 file=waiting.file.name if waiting.file else None)
            self.in_flight_ids.pop(waiting.article.id or "", None)
        del self.in_flight[pending.text_hash]
        self.in_flight_ids.pop(pending.article.id or "", None)
        self.done_seq = pending.seq
        self._tick()

    def finish_files(self, everything_read: bool = False) -> None:
        """Remember the files whose articles are all queued, unless one of them failed."""
        while self.files and (everything_read or self.files[0].last_seq <= self.done_seq):
            file = self.files.popleft()
            if not file.failed:
                self.writer.file_done(file.name, file.size, file.sha256, self.options_key, file.articles)


def ingest(inputs: Sequence[str], db: str | Path, *, engine: str | Engine = "local", workers: int = 1,
           scheduler: str | None = None, registry: str | Path | None = None,
           options: ReadOptions | None = None, chunk_size: int = 8, commit_every: int = 100,
           commit_seconds: float = 5.0, progress: Progress | None = None,
           time_budget: float | None = DEFAULT_TIME_BUDGET, fast: bool = False) -> IngestSummary:
    """Add the articles of ``inputs`` to the store ``db``; what was added, skipped and failed.

    ``engine`` is ``"local"`` (``workers`` processes) or ``"dask"`` (the cluster at
    ``scheduler``, or a LocalCluster of ``workers``), or an engine object. ``registry`` is the
    actor registry file (default: ``<db>.actors.yaml`` beside the store, if it exists).
    ``time_budget``: the seconds one article may take (None or 0: no limit); an article that
    takes longer is stopped, its worker's child process replaced, and it goes to ``failures``
    with code E116, to be retried by the next run like any failure. ``fast`` finds quotes
    with the CRF tagger instead of the default one (as ``analyze --fast``), in every engine;
    the run records it (``runs.fast``). An engine object brings its own setting.
    """
    started = time.perf_counter()
    options = options or ReadOptions()
    actor_registry = load_registry(registry or default_registry_path(db), required=registry is not None)
    con = open_store(db, wait=STORE_WAIT_SECONDS)  # a server's short reads of the same store
    runner = make_engine(engine, workers=workers, scheduler=scheduler, max_chars=options.max_chars,
                         time_budget=time_budget, fast=fast) \
        if isinstance(engine, str) else engine
    summary = IngestSummary(engine=runner.name, workers=runner.workers)
    try:
        run_id = start_run(con, engine=runner.name, workers=runner.workers, inputs=list(inputs),
                           fast=bool(getattr(runner, "fast", fast)))
        writer = StoreWriter(con, registry=actor_registry)
        run = _Run(writer, options, summary, progress, commit_every=commit_every, commit_seconds=commit_seconds)
        files = list(expand_inputs(inputs))
        if progress is not None:
            progress.start(sum(estimate_articles(f[0]) for f in files if not isinstance(f, InputError)))
        chunks: deque[list[_Pending]] = deque()
        try:
            for result in runner.map(_chunks(run.articles(files), chunk_size, chunks)):
                _note_memory(summary, result)
                for pending, outcome in zip(chunks.popleft(), result.outcomes, strict=True):
                    run.record(pending, outcome)
                run.finish_files()
            run.finish_files(everything_read=True)
        finally:
            run.commit()  # also on Ctrl-C: what is queued is whole, so it is kept
        finish_run(con, run_id, WriteSummary(writer.added, writer.skipped, writer.failed, writer.duplicates))
    finally:
        if isinstance(engine, str):
            runner.close()
        con.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _note_memory(summary: IngestSummary, result: ChunkResult) -> None:
    if result.peak_rss:
        summary.peak_rss[result.worker] = max(summary.peak_rss.get(result.worker, 0), result.peak_rss)
