"""``stancegraph check``: where the articles of a store disagree with each other.

Runs the corpus checks of :mod:`stancegraph.store.checks` (quotes attributed to different speakers,
figures reported with different values, roles stated differently on one date) and prints them
as a table or as one JSON object with a link to every span.

Example
-------
``stancegraph check --db corpus.duckdb --format json --days 3`` prints
``{"days": 3, "counts": {"quote_attribution": ..., ...}, "findings": [{"kind", "message",
"evidence": [{"article_id", "start", "end", "text", "date", "detail", "link"}]}]}``.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

__all__ = ["CheckFormat", "register", "render_json", "render_table"]


class CheckFormat(StrEnum):
    table = "table"
    json = "json"


def render_json(findings: list, *, days: int) -> str:
    """The findings as one JSON object: counts by kind and each finding with its evidence."""
    from stancegraph.store.checks import CHECK_KINDS

    counts = {kind: sum(1 for f in findings if f.kind == kind) for kind in CHECK_KINDS}
    return json.dumps({"days": days, "counts": counts, "findings": [f.to_dict() for f in findings]},
                      ensure_ascii=False, indent=2)


def render_table(findings: list):
    """The findings as a rich table (article text is untrusted: no markup is parsed)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(findings)} finding(s)", show_lines=True)
    table.add_column("kind", style="magenta", no_wrap=True)
    table.add_column("finding")
    table.add_column("evidence")
    for finding in findings:
        evidence = Text()
        for item in finding.evidence:
            evidence.append(f"{item.link}", style="cyan")
            evidence.append(f" {item.date or ''} “{item.text}”\n")
        table.add_row(Text(finding.kind), Text(finding.message), evidence)
    return table


def _open(path: Path):
    from stancegraph.store import open_store

    return open_store(path, read_only=True)


def check(
    db: Path = typer.Option(..., "--db", help="The store to check (a DuckDB file written by ingest)."),
    format: CheckFormat = typer.Option(CheckFormat.table, "--format", "-f", help="table or json."),
    days: int = typer.Option(7, "--days", min=0, help="How far apart two articles' dates may be for figures."),
    tolerance: float = typer.Option(0.1, "--tolerance", min=0.0,
                                    help="Relative difference under which two figures agree."),
) -> None:
    """Find quotes, figures and roles on which the articles of a corpus disagree."""
    from rich.console import Console

    from stancegraph.errors import StanceGraphError
    from stancegraph.store.checks import run_checks

    try:
        con = _open(db)
    except StanceGraphError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    try:
        findings = run_checks(con, days=days, tolerance=tolerance)
    finally:
        con.close()
    if format is CheckFormat.json:
        sys.stdout.write(render_json(findings, days=days) + "\n")
    else:
        Console(highlight=False).print(render_table(findings))


def register(app: typer.Typer) -> None:
    app.command("check")(check)
