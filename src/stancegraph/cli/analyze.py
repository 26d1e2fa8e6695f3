"""``stancegraph analyze``: the analysis of articles as a report, JSON or JSON lines."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import typer

from stancegraph.sources.options import LangOption

__all__ = ["OutputFormat", "register"]


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def analyze(
    inputs: list[str] = typer.Argument(..., help="Files, directories, globs, or - for standard input."),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="text report, json or jsonl."),
    max_chars: int = typer.Option(1_000_000, help="Refuse articles longer than this many characters."),
    fast: bool = typer.Option(False, "--fast", help="Find quotes with the CRF tagger instead of the transformer "
                              "(about a third of the cost, lower recall)."),
    lang: LangOption = typer.Option(LangOption.auto, "--lang", help="auto: each article's language, given "
                                    "(record field, HTML lang) or detected; en or fr: every article's."),
) -> None:
    """Find each article's actors, quotes, stances, claims and flags.

    Errors name their input and go to standard error; the other inputs are still analysed,
    and the exit code is 1 when any input failed.
    """
    from rich.console import Console

    from stancegraph.cli.report import print_report
    from stancegraph.errors import MissingExtraError, StanceGraphError
    from stancegraph.pipeline import analyze_articles
    from stancegraph.sources import read_inputs

    failed = 0
    console = Console(highlight=False, soft_wrap=False)
    results = []
    try:
        for item in analyze_articles(read_inputs(inputs, max_chars=max_chars, lang=lang.value), max_chars=max_chars,
                                     fast=fast):
            if isinstance(item, StanceGraphError):
                failed += 1
                typer.echo(f"error: {item}", err=True)
                continue
            if format is OutputFormat.text:
                print_report(item, console)
            elif format is OutputFormat.jsonl:
                sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                results.append(item.to_dict())
    except MissingExtraError as error:  # a reader's extra is not installed (E130): the message names it
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    if format is OutputFormat.json:
        # one article gives one object (the output contract); several give an array of them
        payload = results[0] if len(results) == 1 and not failed else results
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if failed:
        typer.echo(f"{failed} input(s) failed", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
