"""``stancegraph query`` (read-only SQL on a store) and ``stancegraph export`` (every table to files).

Example
-------
::

    $ stancegraph query --db politics.duckdb "SELECT name, count(*) AS n FROM mentions JOIN actors
        ON actors.id = actor_id GROUP BY name ORDER BY n DESC LIMIT 3"
    $ stancegraph export --db politics.duckdb --format parquet -o politics-tables/
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

__all__ = ["ExportFormat", "QueryFormat", "export", "print_rows", "query", "register"]


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates and timestamps as ISO text, JSON text parsed."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def print_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], format: QueryFormat) -> None:
    """Print a result as a rich table, CSV or a JSON array of objects on standard output."""
    if format is QueryFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif format is QueryFormat.json:
        payload = [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console(highlight=False).print(table)


def query(
    sql: str = typer.Argument(..., help="One SQL query (read-only)."),
    db: Path = typer.Option(Path("stancegraph.duckdb"), "--db", help="The store."),
    format: QueryFormat = typer.Option(QueryFormat.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """Run a read-only SQL query on a store; the tables are described in store/SCHEMA.md.

    The store is opened read-only and cut off from other files: statements that write (or read
    and write files, ATTACH, COPY) are refused.
    """
    from stancegraph.errors import StanceGraphError
    from stancegraph.store.queries import run_query
    from stancegraph.store.schema import open_store

    try:
        con = open_store(db, read_only=True, sandboxed=True)
        try:
            columns, rows = run_query(con, sql)
        finally:
            con.close()
    except StanceGraphError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    print_rows(columns, rows, format)


def export(
    db: Path = typer.Option(Path("stancegraph.duckdb"), "--db", help="The store."),
    format: ExportFormat = typer.Option(ExportFormat.parquet, "--format", "-f", help="parquet, csv or jsonl."),
    out: Path = typer.Option(..., "--out", "-o", help="Directory to write <table>.<format> files to."),
    tables: list[str] = typer.Option([], "--table", "-t", help="Only these tables (repeatable)."),
) -> None:
    """Write every table of a store (or the ones named) to files, one per table."""
    from stancegraph.errors import StanceGraphError
    from stancegraph.store.queries import export_tables
    from stancegraph.store.schema import open_store

    try:
        con = open_store(db, read_only=True)
        try:
            written = export_tables(con, out, format.value, tables or None)
        finally:
            con.close()
    except StanceGraphError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    for path in written:
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    app.command("query")(query)
    app.command("export")(export)
