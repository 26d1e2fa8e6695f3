"""``stancegraph network`` and the analyses built on it: DNA's networks from the store.

Commands
    ``network``       build a network (or a time-window sequence) and write it as GraphML,
                      GEXF, CSV, JSON, or the statements as a DNA database
    ``polarisation``  actor polarisation per time window: table and PNG
    ``faultline``     the concepts that divide the actors most: table and PNG
    ``changers``      actors that change sides on a concept: table and PNG
    ``dna-import``    the statements of a DNA database (hand-coded ones too)
    ``dna-compare``   the store's automatic statements against a DNA database's

Every command takes the same statement filters (``--from``, ``--to``, ``--source``,
``--actor-type``, ``--actor``, ``--concept``, ``--min-confidence``, ``--targets``,
``--neutral``, ``--duplicates``). Errors go to standard error with their code, exit code 1.

Example
-------
::

    $ stancegraph network --db corpus.duckdb --kind conflict --normalize average \\
        --from 2024-01-01 --to 2024-06-30 --format graphml -o conflict.graphml
    $ stancegraph network --db corpus.duckdb --kind congruence --window 30d --step 7d \\
        --format gexf -o congruence.gexf
    $ stancegraph polarisation --db corpus.duckdb --window 1m -o polarisation.png
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import typer

from stancegraph.errors import NetworkError, StanceGraphError

__all__ = ["register", "open_corpus", "network", "polarisation", "faultline", "changers", "dna_import", "dna_compare"]

DB = typer.Option(..., "--db", help="The store (DuckDB file) built by stancegraph ingest.")
FROM = typer.Option(None, "--from", help="First date (YYYY-MM-DD), inclusive.")
TO = typer.Option(None, "--to", help="Last date (YYYY-MM-DD), inclusive.")
SOURCES = typer.Option([], "--source", help="Keep statements from this source (repeatable).")
ACTOR_TYPES = typer.Option([], "--actor-type", help="Keep actors of this type: person, organization, country, group (repeatable).")
ACTORS = typer.Option([], "--actor", help="Keep this actor, by name or id (repeatable).")
CONCEPTS = typer.Option([], "--concept", help="Keep this concept (repeatable).")
MIN_CONFIDENCE = typer.Option(0.0, "--min-confidence", help="Leave out stances below this confidence (0..1).")
TARGETS = typer.Option("all", "--targets", help="Stances on: all, issue (issues only) or actor (other actors only).")
NEUTRAL = typer.Option(False, "--neutral", help="Keep neutral stances (polarity 0), as DNA's integer qualifier.")
DUPLICATES = typer.Option("include", "--duplicates",
                          help="Count identical statements once per: include (no), document, week, month, year, acrossrange.")
SIMILARITY = typer.Option(0.85, "--similarity", help="Cosine similarity at which concept labels fold.")
NO_EMBEDDINGS = typer.Option(False, "--no-embeddings", help="Fold concepts by keys and nesting only (no embedding model).")
WINDOW = typer.Option(None, "--window", help="Time window size: 30d, 4w, 3m.")
STEP = typer.Option(None, "--step", help="Time window step (default: the window size).")
KERNEL = typer.Option("none", "--kernel", help="Kernel weighting in windows: none, uniform, gaussian, epanechnikov, triangular.")
HEADS = typer.Option(True, "--heads-as-countries/--heads-as-people",
                     help="Read a stance on a country's current head as one on the country (as stance relations do).")


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise NetworkError("E304", value=value, option=option) from error


def _options(*, date_from: str | None, date_to: str | None, sources: list[str], actor_types: list[str],
             actors: list[str], concepts: list[str], min_confidence: float, targets: str, neutral: bool,
             duplicates: str, similarity: float, no_embeddings: bool, heads: bool, **rest: Any) -> Any:
    from stancegraph.networks.build import NetworkOptions

    return NetworkOptions(
        date_from=_date(date_from, "--from"), date_to=_date(date_to, "--to"), sources=tuple(sources),
        actor_types=tuple(actor_types), actors=tuple(actors), concepts=tuple(concepts),
        min_confidence=min_confidence, targets=targets, neutral=neutral, duplicates=duplicates,
        similarity=None if no_embeddings else similarity, heads_as_countries=heads, **rest,
    )


@contextmanager
def open_corpus(db: Path) -> Iterator[Any]:
    """The store, writable when it can be (the concept cache is kept), else read-only."""
    from stancegraph.errors import StoreError
    from stancegraph.store import open_store

    if not db.is_file():
        raise StoreError("E201", path=str(db), detail="no such file")
    try:
        con = open_store(db)
    except StoreError:  # held by another process: read what is there
        con = open_store(db, read_only=True)
    try:
        yield con
    finally:
        con.close()


def _reported(command: Callable[..., None]) -> Callable[..., None]:
    """Run a command, turning stancegraph errors into one line on stderr and exit code 1."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except StanceGraphError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from error

    return run


def _print_table(frame: Any, title: str, columns: list[str] | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    columns = columns or list(frame.columns)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in frame[columns].itertuples(index=False):
        table.add_row(*[_cell(value) for value in row])
    Console(soft_wrap=False, width=max(120, Console().width)).print(table)


def _cell(value: Any) -> str:
    import pandas as pd

    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, pd.Timestamp):
        return "" if pd.isna(value) else value.date().isoformat()
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


@_reported
def network(
    db: Path = DB,
    kind: str = typer.Option("two-mode", "--kind", help="two-mode, or one-mode: ignore, congruence, conflict, subtract."),
    nodes: str = typer.Option("actor", "--nodes", help="One-mode networks of: actor or concept."),
    qualifier: str = typer.Option("ignore", "--qualifier", help="Two-mode edge weights: ignore (count), combine, subtract."),
    normalize: str = typer.Option("none", "--normalize",
                                  help="One-mode: none, average, jaccard, cosine. Two-mode: none, activity, prominence."),
    date_from: str | None = FROM,
    date_to: str | None = TO,
    sources: list[str] = SOURCES,
    actor_types: list[str] = ACTOR_TYPES,
    actors: list[str] = ACTORS,
    concepts: list[str] = CONCEPTS,
    min_confidence: float = MIN_CONFIDENCE,
    targets: str = TARGETS,
    neutral: bool = NEUTRAL,
    duplicates: str = DUPLICATES,
    isolates: bool = typer.Option(False, "--isolates", help="Keep every node of the range in every window."),
    details: bool = typer.Option(True, "--details/--no-details",
                                 help="List the concepts, statements and quotes behind each edge (slow on huge networks)."),
    window: str | None = WINDOW,
    step: str | None = STEP,
    kernel: str = KERNEL,
    similarity: float = SIMILARITY,
    no_embeddings: bool = NO_EMBEDDINGS,
    heads: bool = HEADS,
    format: str = typer.Option("graphml", "--format", "-f", help="graphml, gexf, csv, json, or dna (the statements)."),
    output: Path = typer.Option(..., "--output", "-o", help="The file to write."),
    dna_password: str = typer.Option("stancegraph", "--dna-password", help="Password of the DNA database's Admin coder."),
) -> None:
    """Build a discourse network from the store's stances, with DNA's export options.

    Nodes carry name, type and number of statements; edges carry weight, the concepts
    behind them and the ids of their statements. With --window, a sequence of networks:
    one dynamic GEXF, one JSON, one long CSV, or one GraphML file per window.
    """
    from stancegraph.networks import build_network, load_documents, prepare_statements, time_windows, write_dna, write_network
    from stancegraph.networks.readwrite import FORMATS

    if format not in FORMATS:
        raise NetworkError("E306", name=format, expected=", ".join(FORMATS))
    if format == "dna" and window:
        raise NetworkError("E307", format="dna")
    options = _options(date_from=date_from, date_to=date_to, sources=sources, actor_types=actor_types, actors=actors,
                       concepts=concepts, min_confidence=min_confidence, targets=targets, neutral=neutral,
                       duplicates=duplicates, similarity=similarity, no_embeddings=no_embeddings, heads=heads, kind=kind,
                       nodes=nodes, qualifier=qualifier, normalize=normalize, isolates=isolates, details=details,
                       window=window,
                       step=step, kernel=kernel)
    with open_corpus(db) as con:
        if format == "dna":
            statements = prepare_statements(con, options)
            summary = write_dna(output, statements, load_documents(con, statements["article_id"]), password=dna_password)
            typer.echo(f"wrote {output}: {summary['statements']} statements in {summary['documents']} documents"
                       + (f" ({summary['neutral']} neutral left out)" if summary["neutral"] else ""))
            return
        networks = time_windows(con, options) if window else build_network(con, options)
    written = write_network(networks, output, format)
    if window:
        typer.echo(f"{len(networks)} windows")
    else:
        typer.echo(f"{networks.number_of_nodes()} nodes, {networks.number_of_edges()} edges")
    for path in written:
        typer.echo(f"wrote {path}")


def _png(path: Path | None, default: str) -> Path:
    return path if path is not None else Path(default)


@_reported
def polarisation(
    db: Path = DB,
    window: str | None = WINDOW,
    step: str | None = STEP,
    kernel: str = KERNEL,
    date_from: str | None = FROM,
    date_to: str | None = TO,
    sources: list[str] = SOURCES,
    actor_types: list[str] = ACTOR_TYPES,
    actors: list[str] = ACTORS,
    concepts: list[str] = CONCEPTS,
    min_confidence: float = MIN_CONFIDENCE,
    targets: str = TARGETS,
    neutral: bool = NEUTRAL,
    duplicates: str = DUPLICATES,
    similarity: float = SIMILARITY,
    no_embeddings: bool = NO_EMBEDDINGS,
    heads: bool = HEADS,
    output: Path | None = typer.Option(None, "--output", "-o", help="The PNG plot (default: polarisation.png)."),
    as_json: bool = typer.Option(False, "--json", help="Print the table as JSON lines instead."),
) -> None:
    """Actor polarisation over time: two camps per window and how sharply they split."""
    from stancegraph.networks import plot_polarisation
    from stancegraph.networks import polarisation as compute

    options = _options(date_from=date_from, date_to=date_to, sources=sources, actor_types=actor_types, actors=actors,
                       concepts=concepts, min_confidence=min_confidence, targets=targets, neutral=neutral,
                       duplicates=duplicates, similarity=similarity, no_embeddings=no_embeddings, heads=heads, window=window,
                       step=step, kernel=kernel)
    with open_corpus(db) as con:
        table = compute(con, options)
    _emit(table, "Actor polarisation", ["start", "end", "statements", "actors", "polarisation", "camp_a", "camp_b"], as_json)
    path = plot_polarisation(table, _png(output, "polarisation.png"))
    typer.echo(f"wrote {path}", err=as_json)


@_reported
def faultline(
    db: Path = DB,
    top: int = typer.Option(10, "--top", help="How many concepts to show."),
    date_from: str | None = FROM,
    date_to: str | None = TO,
    sources: list[str] = SOURCES,
    actor_types: list[str] = ACTOR_TYPES,
    actors: list[str] = ACTORS,
    concepts: list[str] = CONCEPTS,
    min_confidence: float = MIN_CONFIDENCE,
    targets: str = TARGETS,
    neutral: bool = NEUTRAL,
    duplicates: str = DUPLICATES,
    similarity: float = SIMILARITY,
    no_embeddings: bool = NO_EMBEDDINGS,
    heads: bool = HEADS,
    output: Path | None = typer.Option(None, "--output", "-o", help="The PNG plot (default: faultline.png)."),
    as_json: bool = typer.Option(False, "--json", help="Print the table as JSON lines instead."),
) -> None:
    """The main fault line: the concepts that divide the actors most, first."""
    from stancegraph.networks import fault_lines, plot_fault_lines

    options = _options(date_from=date_from, date_to=date_to, sources=sources, actor_types=actor_types, actors=actors,
                       concepts=concepts, min_confidence=min_confidence, targets=targets, neutral=neutral,
                       duplicates=duplicates, similarity=similarity, no_embeddings=no_embeddings, heads=heads)
    with open_corpus(db) as con:
        table = fault_lines(con, options)
    _emit(table.head(top), "Fault lines", ["concept", "supporters", "opponents", "divided_pairs", "evenness", "for",
                                           "against"], as_json)
    path = plot_fault_lines(table, _png(output, "faultline.png"), top=top)
    typer.echo(f"wrote {path}", err=as_json)


@_reported
def changers(
    db: Path = DB,
    period: str | None = typer.Option(None, "--period", help="Compare week, month or year sums instead of statements."),
    top: int = typer.Option(15, "--top", help="How many side changes to plot."),
    date_from: str | None = FROM,
    date_to: str | None = TO,
    sources: list[str] = SOURCES,
    actor_types: list[str] = ACTOR_TYPES,
    actors: list[str] = ACTORS,
    concepts: list[str] = CONCEPTS,
    min_confidence: float = MIN_CONFIDENCE,
    targets: str = TARGETS,
    duplicates: str = DUPLICATES,
    similarity: float = SIMILARITY,
    no_embeddings: bool = NO_EMBEDDINGS,
    heads: bool = HEADS,
    output: Path | None = typer.Option(None, "--output", "-o", help="The PNG plot (default: changers.png)."),
    as_json: bool = typer.Option(False, "--json", help="Print the table as JSON lines instead."),
) -> None:
    """Actors that change sides on a concept, with the dates and statements around the change."""
    from stancegraph.networks import plot_side_changers, prepare_statements, side_changers

    options = _options(date_from=date_from, date_to=date_to, sources=sources, actor_types=actor_types, actors=actors,
                       concepts=concepts, min_confidence=min_confidence, targets=targets, neutral=False,
                       duplicates=duplicates, similarity=similarity, no_embeddings=no_embeddings, heads=heads)
    with open_corpus(db) as con:
        statements = prepare_statements(con, options)
    table = side_changers(statements, options, period=period)
    _emit(table, "Side changers", ["actor", "concept", "changes", "from_polarity", "to_polarity", "last_before",
                                   "first_after", "final_polarity"], as_json)
    path = plot_side_changers(table, statements, _png(output, "changers.png"), top=top)
    typer.echo(f"wrote {path}", err=as_json)


def _emit(table: Any, title: str, columns: list[str], as_json: bool) -> None:
    if not as_json:
        _print_table(table, title, columns)
        return
    for record in json.loads(table.to_json(orient="records", date_format="iso")):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@_reported
def dna_import(
    dna_file: Path = typer.Argument(..., help="A DNA database (.dna)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the statements as CSV instead of a table."),
) -> None:
    """List the statements of a DNA database, hand-coded ones included."""
    from stancegraph.networks import read_dna

    database = read_dna(dna_file)
    statements = database.statements
    if output is not None:
        statements.to_csv(output, index=False)
        typer.echo(f"wrote {output}: {len(statements)} statements")
        return
    columns = [c for c in ("statement_id", "statement_type", "document_id", "person", "organization", "concept",
                           "agreement") if c in statements]
    _print_table(statements, f"{dna_file.name}: {len(statements)} statements in {len(database.documents)} documents",
                 columns)


@_reported
def dna_compare(
    dna_file: Path = typer.Argument(..., help="A DNA database (.dna), e.g. one exported and corrected by hand."),
    db: Path = DB,
    date_from: str | None = FROM,
    date_to: str | None = TO,
    min_confidence: float = MIN_CONFIDENCE,
    similarity: float = SIMILARITY,
    no_embeddings: bool = NO_EMBEDDINGS,
    heads: bool = HEADS,
    actor: str = typer.Option("auto", "--actor-variable", help="DNA's actor: auto (person, else organization), person, organization."),
) -> None:
    """Compare the store's automatic statements with a DNA database's (manual) statements."""
    from stancegraph.networks import compare_codings, dna_statements, prepare_statements, read_dna

    manual = dna_statements(read_dna(dna_file), actor=actor)
    options = _options(date_from=date_from, date_to=date_to, sources=[], actor_types=[], actors=[], concepts=[],
                       min_confidence=min_confidence, targets="all", neutral=False, duplicates="include",
                       similarity=similarity, no_embeddings=no_embeddings, heads=heads)
    with open_corpus(db) as con:
        automatic = prepare_statements(con, options)
    articles = set(manual["article_id"])
    comparison = compare_codings(automatic.loc[automatic["article_id"].isin(articles)], manual)
    typer.echo(f"matched {len(comparison.matched)}, missed {len(comparison.missed)}, extra {len(comparison.extra)}: "
               f"precision {comparison.precision:.3f}, recall {comparison.recall:.3f}, F1 {comparison.f1:.3f}")
    for name, frame in (("Missed (manual only)", comparison.missed), ("Extra (automatic only)", comparison.extra)):
        if len(frame):
            _print_table(frame, name)


def register(app: typer.Typer) -> None:
    app.command("network")(network)
    app.command("polarisation")(polarisation)
    app.command("faultline")(faultline)
    app.command("changers")(changers)
    app.command("dna-import")(dna_import)
    app.command("dna-compare")(dna_compare)
