"""``stancegraph ingest``: build or grow a corpus store from files, directories and globs.

Example
-------
::

    $ stancegraph ingest ../shared/data/bbc-news/politics/ --db politics.duckdb --workers 2
    ingest: 417 added, 0 skipped as already present, 0 failed in 61.2 s (6.8 articles/s) -> politics.duckdb
    $ stancegraph ingest ../shared/data/bbc-news/politics/ --db politics.duckdb
    ingest: 0 added, 417 skipped as already present, 0 failed in 0.4 s (0.0 articles/s) -> politics.duckdb
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from stancegraph.sources.options import LangOption

__all__ = ["EngineName", "ingest", "register"]


class EngineName(StrEnum):
    local = "local"
    dask = "dask"


def ingest(
    inputs: list[str] = typer.Argument(..., help="Files, directories and globs: .txt .html .jsonl .json .csv .rss .atom .xml"),
    db: Path = typer.Option(Path("stancegraph.duckdb"), "--db", help="The store (created if missing)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes (local) or LocalCluster workers (dask)."),
    engine: EngineName = typer.Option(EngineName.local, "--engine", help="local processes, or a Dask cluster."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); "
                                         "without it --engine dask starts a LocalCluster."),
    registry: Path | None = typer.Option(None, "--registry", help="Actor registry (YAML or CSV); default "
                                         "<db>.actors.yaml beside the store, if present."),
    text_field: str = typer.Option("text", help="JSONL key / CSV column of the article text."),
    id_field: str = typer.Option("id", help="JSONL key / CSV column of the article id."),
    title_field: str = typer.Option("title", help="JSONL key / CSV column of the title."),
    date_field: str = typer.Option("date", help="JSONL key / CSV column of the date."),
    source_field: str = typer.Option("source", help="JSONL key / CSV column of the source."),
    url_field: str = typer.Option("url", help="JSONL key / CSV column of the URL."),
    lang_field: str = typer.Option("lang", help="JSONL key / CSV column of the language (en, fr)."),
    lang: LangOption = typer.Option(LangOption.auto, "--lang", help="auto: each article's language, given "
                                    "(record field, HTML lang) or detected; en or fr: every article's."),
    max_chars: int = typer.Option(1_000_000, help="Refuse articles longer than this many characters."),
    commit_every: int = typer.Option(100, min=1, help="Articles per transaction."),
    time_budget: float = typer.Option(60.0, min=0, help="Seconds one article may take; one that takes longer "
                                      "is stopped and recorded as failed (E116). 0: no limit."),
    fast: bool = typer.Option(False, "--fast", help="Find quotes with the CRF tagger instead of the default one "
                              "(STANCEGRAPH_QUOTE_TAGGER), in every engine; recorded in the store's runs table."),
) -> None:
    """Add articles to a corpus store: analysed, actors resolved across articles, committed in batches.

    Content already in the store is skipped before parsing, so running the same command again
    adds nothing, and after an interruption (even kill -9) adds exactly what is missing. Bad
    inputs go to the failures table and the run goes on; the next run retries them.
    """
    from stancegraph.engines.ingest import ingest as run_ingest
    from stancegraph.engines.progress import RichProgress
    from stancegraph.errors import StanceGraphError
    from stancegraph.sources import FieldMap, ReadOptions

    options = ReadOptions(max_chars=max_chars, fields=FieldMap(text=text_field, id=id_field, title=title_field,
                                                              date=date_field, source=source_field, url=url_field,
                                                              lang=lang_field), lang=lang.value)
    progress = RichProgress()
    try:
        summary = run_ingest(inputs, db, engine=engine.value, workers=workers, scheduler=scheduler,
                             registry=registry, options=options, commit_every=commit_every, progress=progress,
                             time_budget=time_budget, fast=fast)
    except StanceGraphError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    finally:
        progress.stop()
    typer.echo(summary.line(db))
    if summary.failed:
        typer.echo(f"see why with: stancegraph query --db {db} \"SELECT * FROM failures\"", err=True)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
