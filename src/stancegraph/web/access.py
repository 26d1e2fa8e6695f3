"""How the server reaches the store without holding it: short connections, retries, a cache.

DuckDB lets one process write a file at a time, and a process that has the file open
read-write keeps every other process out (read-only connections included). So the server
never keeps the store open between requests:

* every read opens a **read-only** connection, runs its queries and closes it;
* every write (``POST /api/articles``) opens a read-write connection, writes the analysis in
  one transaction through :func:`stancegraph.store.write_analyses` and closes it;
* when another process (``stancegraph ingest``) holds the file, opening is retried with
  backoff for :attr:`StoreGate.wait` seconds before giving up with E403 (HTTP 503);
* inside the process, reads share and writes exclude (a writer-preferring lock), because
  DuckDB refuses a read-write and a read-only connection to one file in one process.

Results are cached by the store's *fingerprint*: the size, modification time and inode of
the database file and of its write-ahead log. Any commit, by this server or another process,
changes the fingerprint, so a cached result is used only while the store is unchanged, and
new articles show at once without a restart. While a writer holds the file, a result cached
earlier is served as *stale* (the API says so in the ``X-Stancegraph-Stale`` header) rather
than failing.

A server started with ``--dna FILE.dna`` has a :class:`DnaGate` instead: the DNA database's
statements are read (and re-read when the file changes) in place of a connection, and
:class:`DnaReadOnly` and :func:`dna_gate` keep such a server read-only: a write to ``/api``
answers 405 (E414) and a page or API route that needs a store (articles, actors, flags,
quotes, jobs, the overview) answers 404 (E415).

Example
-------
>>> import tempfile, pathlib
>>> from stancegraph.store import open_store
>>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
>>> open_store(path).close()
>>> gate = StoreGate(path)
>>> gate.read("n", lambda con: con.execute("SELECT count(*) FROM articles").fetchone()[0])
Cached(value=0, stale=False)
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import duckdb
from starlette.requests import Request
from starlette.responses import JSONResponse

from stancegraph.errors import ApiError, StoreError

__all__ = ["STORE_ONLY", "Cached", "DnaGate", "DnaReadOnly", "DnaSettings", "ReadWriteLock", "StoreGate", "dna_gate"]

T = TypeVar("T")

class ReadWriteLock:
    """Many readers or one writer; a waiting writer stops new readers (no writer starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


@dataclass(frozen=True)
class Cached(Generic[T]):
    """A result, and whether it predates a write the server could not wait for."""

    value: T
    stale: bool = False


@dataclass
class _Entry:
    fingerprint: tuple[Any, ...]
    value: Any
    made: float

    @property
    def size(self) -> int:
        return len(self.value) if isinstance(self.value, (bytes, str)) else 1024


class StoreGate:
    """The server's only way to the store: see the module docstring.

    ``wait`` is how long (seconds) to keep retrying a store locked by another process;
    ``cache_size`` and ``cache_bytes`` bound the number and the size of cached results (the
    least recently used go first); ``max_age`` (seconds) makes even an unchanged store's
    results be recomputed now and then.
    """

    def __init__(self, path: str | Path, *, wait: float = 2.0, cache_size: int = 512,
                 cache_bytes: int = 256 * 1024 * 1024, max_age: float = 300.0) -> None:
        self.path = Path(path)
        self.wal = Path(f"{self.path}.wal")
        self.wait = wait
        self.cache_size = cache_size
        self.cache_bytes = cache_bytes
        self._cached_bytes = 0
        self.max_age = max_age
        self._lock = ReadWriteLock()
        self._cache: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}

    # --- the file ---

    def fingerprint(self) -> tuple[Any, ...]:
        """What changes whenever anything is committed to the store (by any process)."""

        def of(path: Path) -> tuple[int, int, int] | None:
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                return None
            return (stat.st_size, stat.st_mtime_ns, stat.st_ino)

        return (of(self.path), of(self.wal))

    def _open(self, read_only: bool, wait: float | None = None) -> duckdb.DuckDBPyConnection:
        from stancegraph.store import open_store

        try:
            return open_store(self.path, read_only=read_only, wait=self.wait if wait is None else wait)
        except StoreError as error:
            if error.code != "E216":
                raise
            raise ApiError("E403", detail=str(error.details["holder"])) from error

    @contextmanager
    def reading(self, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection for one request, closed after it (waiting ``wait`` s for a writer)."""
        with self._lock.reading():
            con = self._open(read_only=True, wait=wait)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def writing(self, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection for one write, closed after it (no reader of this process is open).

        While another process holds the file, the attempt is repeated with backoff for
        ``wait`` seconds (default :attr:`wait`), letting this process's readers run between tries.
        """
        deadline = time.monotonic() + (self.wait if wait is None else wait)
        delay = 0.02
        while True:
            with self._lock.writing():
                try:
                    con = self._open(read_only=False, wait=0.0)
                except ApiError:
                    if time.monotonic() >= deadline:
                        raise
                else:
                    try:
                        yield con
                    finally:
                        con.close()
                    return
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())) * random.uniform(0.8, 1.2))
            delay = min(delay * 2, 0.5)

    # --- cached reads ---

    def _key_lock(self, key: Hashable) -> threading.Lock:
        with self._cache_lock:
            return self._key_locks.setdefault(key, threading.Lock())

    def _lookup(self, key: Hashable) -> _Entry | None:
        with self._cache_lock:
            entry = self._cache.get(key)
            if entry is not None:
                self._cache.move_to_end(key)
            return entry

    def _fresh(self, entry: _Entry | None, fingerprint: tuple[Any, ...]) -> bool:
        return entry is not None and entry.fingerprint == fingerprint and time.monotonic() - entry.made < self.max_age

    def _remember(self, key: Hashable, entry: _Entry) -> None:
        with self._cache_lock:
            previous = self._cache.pop(key, None)
            if previous is not None:
                self._cached_bytes -= previous.size
            self._cache[key] = entry
            self._cached_bytes += entry.size
            while len(self._cache) > 1 and (len(self._cache) > self.cache_size or self._cached_bytes > self.cache_bytes):
                old, dropped = self._cache.popitem(last=False)
                self._cached_bytes -= dropped.size
                self._key_locks.pop(old, None)

    def read(self, key: Hashable, compute: Callable[[duckdb.DuckDBPyConnection], T]) -> Cached[T]:
        """``compute(con)`` on a read-only connection, or its cached result while the store is unchanged.

        Requests for the same key wait for one computation (no stampede). When another
        process holds the store past :attr:`wait`, the last result is returned as stale,
        and without one E403 is raised.
        """
        entry = self._lookup(key)
        if self._fresh(entry, self.fingerprint()):
            return Cached(entry.value)  # type: ignore[union-attr]
        with self._key_lock(key):
            entry = self._lookup(key)
            if self._fresh(entry, self.fingerprint()):
                return Cached(entry.value)  # type: ignore[union-attr]
            try:
                with self.reading() as con:
                    # nobody can commit while this connection is open: this is the state read
                    fingerprint = self.fingerprint()
                    value = compute(con)
            except ApiError as error:
                if error.code == "E403" and entry is not None:
                    return Cached(entry.value, stale=True)
                raise
            self._remember(key, _Entry(fingerprint, value, time.monotonic()))
            return Cached(value)

    def clear(self) -> None:
        with self._cache_lock:
            self._cache.clear()
            self._key_locks.clear()
            self._cached_bytes = 0


# --------------------------------------------------------------------------------------
# a DNA database as a read-only statement source

STORE_ONLY = ("/", "/articles", "/actors", "/flags", "/review", "/api/overview", "/api/articles", "/api/actors",
              "/api/flags", "/api/quotes", "/api/jobs", "/api/reviews", "/api/review-queue", "/api/review-stats",
              "/api/uploads")
"""Pages and API routes (and everything under them) that read a store's own tables."""
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class DnaSettings:
    """A DNA database served read-only, and how its statements are read (as ``network --dna``)."""

    path: Path
    statement_type: str = "DNA Statement"
    variable1: str = "organization"
    variable2: str = "concept"
    qualifier: str | None = "agreement"

    def load(self) -> Any:
        """The database's statements (:class:`~stancegraph.networks.dna.DnaSource`); E308, E318, E319."""
        from stancegraph.networks.dna import dna_source

        return dna_source(self.path, statement_type=self.statement_type, variable1=self.variable1,
                          variable2=self.variable2, qualifier=self.qualifier)


class DnaGate:
    """A DNA database in place of the store: :meth:`read` hands ``compute`` the database's
    :class:`~stancegraph.networks.dna.DnaSource` instead of a connection, and caches results
    while the file is unchanged (as :class:`StoreGate` does for a store)."""

    def __init__(self, dna: DnaSettings, *, cache_size: int = 256) -> None:
        self.dna = dna
        self.path = dna.path
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._source: tuple[tuple[Any, ...], Any] | None = None
        self._cache: OrderedDict[Hashable, tuple[tuple[Any, ...], Any]] = OrderedDict()

    def fingerprint(self) -> tuple[Any, ...]:
        stat = os.stat(self.path)
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino)

    def source(self) -> Any:
        """The statements of the database as it is now (read again after it changes)."""
        fingerprint = self.fingerprint()
        with self._lock:
            if self._source is None or self._source[0] != fingerprint:
                self._source = (fingerprint, self.dna.load())
                self._cache.clear()
            return self._source[1]

    def read(self, key: Hashable, compute: Callable[[Any], T]) -> Cached[T]:
        """``compute(source)``, or its cached result while the database is unchanged."""
        source = self.source()
        fingerprint = self.fingerprint()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == fingerprint:
                self._cache.move_to_end(key)
                return Cached(hit[1])
        value = compute(source)
        with self._lock:
            self._cache[key] = (fingerprint, value)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return Cached(value)


def _under(path: str, route: str) -> bool:
    return path == route or (route != "/" and path.startswith(route + "/"))


def dna_gate(request: Request) -> None:
    """Refuse the pages and API routes that need a store's own tables (:data:`STORE_ONLY`) on
    a server of a DNA database: E415 (HTTP 404). A dependency of every route; a server of a
    store passes."""
    dna = request.app.state.web.settings.dna
    if dna is not None and any(_under(request.url.path, route) for route in STORE_ONLY):
        raise ApiError("E415", path=dna.path.name, route=request.url.path)


class DnaReadOnly:
    """ASGI middleware of a server of a DNA database: every write to ``/api`` (POST, PUT,
    PATCH, DELETE), whether or not a route takes it, answers 405 with E414."""

    def __init__(self, app: Any, dna: DnaSettings | None) -> None:
        self.app = app
        self.dna = dna

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if (self.dna is not None and scope["type"] == "http" and scope["method"] in _WRITES
                and scope["path"].startswith("/api/")):
            error = ApiError("E414", path=self.dna.path.name, method=scope["method"], route=scope["path"])
            response = JSONResponse({"error": {"code": error.code, "message": error.message}}, status_code=405,
                                    headers={"Allow": "GET, HEAD"})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
