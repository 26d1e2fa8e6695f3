"""Opening a store: connect to the DuckDB file, create it or bring its schema up to date.

The schema is the sum of the numbered migrations in ``store/migrations/``: ``NNNN_name.sql``
(a script of SQL statements) or ``NNNN_name.py`` (a module with ``migrate(con)``), numbered
from 0001 without gaps. ``meta.schema_version`` records the last one applied; opening a store
applies the ones after it, each in its own transaction, so a store made by an older release
opens in a newer one, and adding a table is a matter of adding the next numbered file.

Example
-------
>>> con = open_store(":memory:")
>>> schema_version(con) == SCHEMA_VERSION
True
>>> "articles" in table_names(con)
True
"""

from __future__ import annotations

import importlib.util
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from stancegraph.errors import StoreError

__all__ = [
    "DEFAULT_STORE",
    "MIGRATIONS_DIR",
    "READABLE_FROM",
    "SCHEMA_VERSION",
    "Migration",
    "migrate",
    "migrations",
    "open_store",
    "schema_version",
    "table_names",
]

DEFAULT_STORE = "stancegraph.duckdb"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.(sql|py)$")


@dataclass(frozen=True)
class Migration:
    """One numbered step of the schema."""

    version: int
    path: Path

    def apply(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.path.suffix == ".sql":
            con.execute(self.path.read_text(encoding="utf-8"))
            return
        spec = importlib.util.spec_from_file_location(f"stancegraph_migration_{self.version:04d}", self.path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(con)


def migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migrations in ``folder``, in order; a gap or a duplicate number is an error (E213)."""
    found = sorted(
        (int(match.group(1)), path)
        for path in folder.iterdir()
        if (match := _MIGRATION_NAME.match(path.name))
    )
    numbers = [number for number, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StoreError("E213", detail=f"expected migrations numbered 1..{len(numbers)}, found {numbers}")
    return [Migration(number, path) for number, path in found]


SCHEMA_VERSION = len(migrations())

READABLE_FROM = 2
"""The oldest schema version this release reads without migrating it (when it cannot be
upgraded, as on a read-only file). The migrations after it only add tables that every read
path treats as empty when missing (version 3: the concept tables). A migration that changes
what is read must raise this to its own version."""


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables of the store's main schema, sorted."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_catalog = current_database() ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in rows]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open store (0 for an empty database)."""
    if "meta" not in table_names(con):
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply the migrations after the store's version up to ``target``; return those applied."""
    from stancegraph import __version__

    applied = []
    for migration in migrations():
        if not schema_version(con) < migration.version <= target:
            continue
        con.begin()
        try:
            migration.apply(con)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('stancegraph_version', ?)",
                        [str(migration.version), __version__])
            con.commit()
        except duckdb.Error as err:
            con.rollback()
            raise StoreError("E203", name=migration.path.name, detail=str(err)) from err
        applied.append(migration.version)
    return applied


_LOCK_WORDS = ("could not set lock", "conflicting lock", "resource temporarily unavailable")


def is_lock_error(error: BaseException) -> bool:
    """Whether DuckDB refused the file because another process holds it."""
    text = str(error).lower()
    return any(word in text for word in _LOCK_WORDS)


def lock_holder(error: BaseException) -> str:
    """Who holds the lock, from DuckDB's message ("... is held in /usr/bin/python (PID 42)")."""
    text = str(error)
    start = text.find("(PID ")
    end = text.find(")", start)
    return f"PID {text[start + 5:end].strip()}" if 0 <= start < end else "another process"


def _connect(path: str, read_only: bool, sandboxed: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """Connect, retrying with backoff for up to ``wait`` seconds while another process holds the file."""
    config: dict[str, str | bool | int | float | list[str]] = (
        {"enable_external_access": False, "lock_configuration": True} if sandboxed else {})
    started = time.monotonic()
    delay = 0.02
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=config)
        except duckdb.Error as err:
            if not is_lock_error(err):
                raise StoreError("E201", path=path, detail=str(err)) from err
            waited = time.monotonic() - started
            if waited >= wait:
                raise StoreError("E216", path=path, holder=lock_holder(err), waited=waited) from err
        time.sleep(min(delay, max(0.0, wait - (time.monotonic() - started))) * random.uniform(0.8, 1.2))
        delay = min(delay * 2, 0.5)


def open_store(path: str | Path, read_only: bool = False, *, sandboxed: bool = False,
               wait: float = 0.0) -> duckdb.DuckDBPyConnection:
    """A connection to the store at ``path``, created or migrated to :data:`SCHEMA_VERSION`.

    ``read_only`` refuses every write. A read-only store older than this release is first
    upgraded through a short read-write connection; where that is refused (a read-only file or
    file system), a store of version :data:`READABLE_FROM` or later is opened as it is, and
    one older than that is an error (E212). ``sandboxed`` also cuts the connection off from
    files other than the store (no COPY, ATTACH or read_csv), for user-typed queries.
    ``wait`` is how long (seconds) to keep retrying while another process holds the file
    (DuckDB allows one writing process); after it, :class:`StoreError` E216 names the holder.
    """
    path = str(path)
    if read_only and path != ":memory:" and not Path(path).is_file():
        raise StoreError("E201", path=path, detail="no such file")
    con = _connect(path, read_only, sandboxed, wait)
    found = schema_version(con)
    if found > SCHEMA_VERSION:
        con.close()
        raise StoreError("E202", path=path, found=found, supported=SCHEMA_VERSION)
    if found == SCHEMA_VERSION:
        return con
    if not read_only:
        migrate(con)
        return con
    con.close()
    try:
        writer = duckdb.connect(path)
    except duckdb.Error as err:
        if found >= READABLE_FROM:
            return _connect(path, read_only, sandboxed, wait)
        raise StoreError("E212", path=path, found=found, supported=SCHEMA_VERSION, detail=str(err)) from err
    try:
        migrate(writer)
    finally:
        writer.close()
    return _connect(path, read_only, sandboxed, wait)
