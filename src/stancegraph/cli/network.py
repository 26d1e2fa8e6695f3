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
``--neutral``, ``--duplicates``). Statements come from a store (``--db``) or from a DNA
database (``--dna``, with ``--statement-type``, ``--variable1``, ``--variable2`` and
``--qualifier``); ``network`` and ``polarisation`` also take DNA's exclusion filters
(``--exclude VARIABLE=VALUE``, ``--exclude-author`` ..., ``--invert``). Errors go to
standard error with their code, exit code 1.

Example
-------
::

    $ stancegraph network --db corpus.duckdb --kind conflict --normalize average \\
        --from 2024-01-01 --to 2024-06-30 --format graphml -o conflict.graphml
    $ stancegraph network --db corpus.duckdb --kind congruence --window 30d --step 7d \\
        --format gexf -o congruence.gexf
    $ stancegraph polarisation --db corpus.duckdb --window 1m -o polarisation.png
    $ stancegraph network --dna sample.dna --kind two-mode --format csv -o out/
    $ stancegraph polarisation --dna sample.dna --algorithm greedy --format json
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

from stancegraph.cli.option_groups import OptionGroup, with_groups
from stancegraph.errors import NetworkError, StanceGraphError

__all__ = [
    "changers",
    "dna_compare",
    "dna_import",
    "exclusions",
    "faultline",
    "network",
    "open_corpus",
    "polarisation",
    "register",
    "statement_source",
]

DB = typer.Option(None, "--db", help="The store (DuckDB file) built by stancegraph ingest.")
SIMILARITY = typer.Option(0.85, "--similarity", help="Cosine similarity at which concept labels fold.")
NO_EMBEDDINGS = typer.Option(False, "--no-embeddings", help="Fold concepts by keys and nesting only (no embedding model).")
MIN_CONFIDENCE = typer.Option(0.0, "--min-confidence", help="Leave out stances below this confidence (0..1).")
QUALIFIER_VARIABLE = typer.Option("agreement", "--qualifier",
                                  help="With --dna: the qualifier variable (boolean or integer), or none.")
SOURCE = OptionGroup(
    "source",
    db=(Path | None, DB),
    dna=(Path | None, typer.Option(None, "--dna", help="A DNA database (.dna) as the statement source instead of --db.")),
    statement_type=(str, typer.Option("DNA Statement", "--statement-type", help="With --dna: the statement type.")),
    variable1=(str, typer.Option("organization", "--variable1",
                                 help="With --dna: the actor variable (or author, source, ...).")),
    variable2=(str, typer.Option("concept", "--variable2", help="With --dna: the concept variable.")),
)
"""Where statements come from: a store, or a DNA database with the variables to read."""
DATES = OptionGroup(
    "dates",
    date_from=(str | None, typer.Option(None, "--from", help="First date (YYYY-MM-DD), inclusive.")),
    date_to=(str | None, typer.Option(None, "--to", help="Last date (YYYY-MM-DD), inclusive.")),
)
SELECTION = OptionGroup(
    "selection",
    sources=(list[str], typer.Option([], "--source", help="Keep statements from this source (repeatable).")),
    actor_types=(list[str], typer.Option([], "--actor-type",
                                         help="Keep actors of this type: person, organization, country, group (repeatable).")),
    actors=(list[str], typer.Option([], "--actor", help="Keep this actor, by name or id (repeatable).")),
    concepts=(list[str], typer.Option([], "--concept", help="Keep this concept (repeatable).")),
    min_confidence=(float, MIN_CONFIDENCE),
    targets=(str, typer.Option("all", "--targets",
                               help="Stances on: all, issue (issues only) or actor (other actors only).")),
)
FOLDING = OptionGroup(
    "folding",
    similarity=(float, SIMILARITY),
    no_embeddings=(bool, NO_EMBEDDINGS),
    heads=(bool, typer.Option(True, "--heads-as-countries/--heads-as-people",
                              help="Read a stance on a country's current head as one on the country "
                                   "(as stance relations do).")),
)
EXCLUSIONS = OptionGroup(
    "excluded",
    exclude=(list[str], typer.Option([], "--exclude",
                                     help="VARIABLE=VALUE: leave out statements with this value (repeatable).")),
    invert_values=(bool, typer.Option(False, "--invert-values", help="Keep only the --exclude values instead.")),
    exclude_authors=(list[str], typer.Option([], "--exclude-author", help="Leave out documents by this author (repeatable).")),
    exclude_sources=(list[str], typer.Option([], "--exclude-source", help="Leave out documents from this source (repeatable).")),
    exclude_sections=(list[str], typer.Option([], "--exclude-section", help="Leave out documents of this section (repeatable).")),
    exclude_types=(list[str], typer.Option([], "--exclude-type", help="Leave out documents of this type (repeatable).")),
    invert=(list[str], typer.Option([], "--invert",
                                    help="Keep only the excluded documents for: author, source, section or type "
                                         "(repeatable).")),
)
"""DNA's exclusion and inversion filters."""
NEUTRAL = typer.Option(False, "--neutral", help="Keep neutral stances (polarity 0), as DNA's integer qualifier.")
DUPLICATES_HELP = "Count identical statements once per: include (no), document, week, month, year, acrossrange."
DUPLICATES = typer.Option("include", "--duplicates", help=DUPLICATES_HELP)
WINDOW = typer.Option(None, "--window", help="Time window size: 30d, 4w, 3m.")
STEP = typer.Option(None, "--step", help="Time window step (default: the window size).")
KERNEL = typer.Option("none", "--kernel", help="Kernel weighting in windows: none, uniform, gaussian, epanechnikov, triangular.")


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise NetworkError("E304", value=value, option=option) from error


def _options(*, dates: dict[str, Any], folding: dict[str, Any], selection: dict[str, Any] | None = None,
             excluded: dict[str, Any] | None = None, **rest: Any) -> Any:
    """NetworkOptions from the option groups a command takes (what it does not take keeps its default)."""
    from stancegraph.networks.build import NetworkOptions

    selection = {name: tuple(value) if isinstance(value, list) else value for name, value in (selection or {}).items()}
    return NetworkOptions(
        date_from=_date(dates["date_from"], "--from"), date_to=_date(dates["date_to"], "--to"), **selection,
        similarity=None if folding["no_embeddings"] else folding["similarity"], heads_as_countries=folding["heads"],
        **(exclusions(**excluded) if excluded else {}), **rest,
    )


def exclusions(exclude: list[str], invert_values: bool, exclude_authors: list[str], exclude_sources: list[str],
               exclude_sections: list[str], exclude_types: list[str], invert: list[str]) -> dict[str, Any]:
    """DNA's exclusion and inversion filters as NetworkOptions fields."""
    pairs = []
    for item in exclude:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise NetworkError("E321", option="--exclude", expected="VARIABLE=VALUE", value=item)
        pairs.append((name.strip(), value))
    unknown = set(invert) - {"author", "source", "section", "type"}
    if unknown:
        raise NetworkError("E302", option="--invert", value=sorted(unknown)[0], expected="author, source, section, type")
    return {"exclude_values": tuple(pairs), "invert_values": invert_values, "exclude_authors": tuple(exclude_authors),
            "exclude_sources": tuple(exclude_sources), "exclude_sections": tuple(exclude_sections),
            "exclude_types": tuple(exclude_types),
            "invert_authors": "author" in invert, "invert_sources": "source" in invert,
            "invert_sections": "section" in invert, "invert_types": "type" in invert}


@contextmanager
def statement_source(source: dict[str, Any], options: Any,
                     qualifier: str | None = "agreement") -> Iterator[tuple[Any, Any]]:
    """The statement source (a store connection, or a DNA database's statement table) and the options for it.

    ``source`` is the SOURCE option group's values. A DNA source keeps every qualifier value
    (``neutral``) on the qualifier's own scale.
    """
    from dataclasses import replace

    db, dna = source["db"], source["dna"]
    if (db is None) == (dna is None):
        raise NetworkError("E320")
    if dna is not None:
        from stancegraph.networks.dna import dna_source

        statements = dna_source(dna, statement_type=source["statement_type"], variable1=source["variable1"],
                                variable2=source["variable2"], qualifier=None if qualifier in (None, "none") else qualifier)
        yield statements.statements, replace(options, neutral=True, scale=statements.scale)
        return
    with open_corpus(db) as con:
        yield con, options


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


def _two_mode_weights(qualifier: str, aggregation: str | None) -> tuple[str, str | None]:
    """(two-mode aggregation, DNA qualifier variable) from --qualifier and --aggregation.

    ``--qualifier`` names the two-mode aggregation (ignore, combine, subtract) as before,
    or, with --dna, the qualifier variable (``none``: no qualifier).
    """
    from stancegraph.networks.build import QUALIFIERS

    if qualifier in QUALIFIERS:
        return aggregation or qualifier, "agreement"
    return aggregation or "ignore", qualifier


def _csv_folder(output: Path) -> bool:
    return output.is_dir() or not output.suffix


@_reported
@with_groups(SOURCE, DATES, SELECTION, FOLDING, EXCLUSIONS)
def network(
    source: dict[str, Any],
    dates: dict[str, Any],
    selection: dict[str, Any],
    folding: dict[str, Any],
    excluded: dict[str, Any],
    kind: str = typer.Option("two-mode", "--kind", help="two-mode, or one-mode: ignore, congruence, conflict, subtract."),
    nodes: str = typer.Option("actor", "--nodes", help="One-mode networks of: actor or concept."),
    qualifier: str = typer.Option("ignore", "--qualifier",
                                  help="Two-mode edge weights: ignore (count), combine, subtract; with --dna, "
                                       "or the qualifier variable (agreement; none for no qualifier)."),
    aggregation: str | None = typer.Option(None, "--aggregation", help="Two-mode edge weights: ignore, combine, subtract."),
    normalize: str = typer.Option("none", "--normalize",
                                  help="One-mode: none, average, jaccard, cosine. Two-mode: none, activity, prominence."),
    neutral: bool = NEUTRAL,
    duplicates: str = DUPLICATES,
    isolates: bool = typer.Option(False, "--isolates", help="Keep every node of the range in every window."),
    details: bool = typer.Option(True, "--details/--no-details",
                                 help="List the concepts, statements and quotes behind each edge (slow on huge networks)."),
    window: str | None = WINDOW,
    step: str | None = STEP,
    kernel: str = KERNEL,
    format: str = typer.Option("graphml", "--format", "-f",
                               help="graphml, gexf, csv (edge and node lists, and DNA's matrix when -o is a folder), "
                                    "json, pajek, dl (UCINET), matrix (DNA's CSV matrix), dna (the statements as a "
                                    "DNA database) or events (DNA's event list)."),
    output: Path = typer.Option(..., "--output", "-o", help="The file (or, for csv, a folder) to write."),
    dna_password: str = typer.Option("stancegraph", "--dna-password", help="Password of the DNA database's Admin coder."),
) -> None:
    """Build a discourse network from the store's stances or a DNA database, with DNA's export options.

    Nodes carry name, type and number of statements; edges carry weight, the concepts
    behind them, the ids of their statements, their articles and dates. With --window, a
    sequence of networks: one dynamic GEXF, one JSON, one long CSV, or one file per window.
    """
    from stancegraph.networks import (
        build_network,
        load_documents,
        prepare_statements,
        time_windows,
        write_dna,
        write_network,
    )
    from stancegraph.networks.readwrite import FORMATS, write_events, write_matrix

    if format not in FORMATS:
        raise NetworkError("E306", name=format, expected=", ".join(FORMATS))
    if format in ("dna", "events") and window:
        raise NetworkError("E307", format=format)
    if format == "dna" and source["dna"] is not None:
        raise NetworkError("E302", option="--format", value="dna", expected="a network format with --dna")
    two_mode_weights, dna_qualifier = _two_mode_weights(qualifier, aggregation)
    options = _options(dates=dates, selection=selection, folding=folding, excluded=excluded, neutral=neutral,
                       duplicates=duplicates, kind=kind, nodes=nodes, qualifier=two_mode_weights, normalize=normalize,
                       isolates=isolates, details=details, window=window, step=step, kernel=kernel)
    with statement_source(source, options, qualifier=dna_qualifier) as (statements_from, options):
        if format in ("dna", "events"):
            statements = prepare_statements(statements_from, options)
            if format == "events":
                write_events(statements, output)
                typer.echo(f"wrote {output}: {len(statements)} statements")
                return
            from stancegraph.store.reviews import reviewed_statements

            summary = write_dna(output, statements, load_documents(statements_from, statements["article_id"]),
                                password=dna_password, reviewers=reviewed_statements(statements_from))
            typer.echo(f"wrote {output}: {summary['statements']} statements in {summary['documents']} documents"
                       + (f" ({summary['neutral']} neutral left out)" if summary["neutral"] else "")
                       + (f" ({summary['undated']} undated, dated by their ingest day)" if summary["undated"] else "")
                       + (f" ({summary['reviewed']} reviewed, coded by their reviewer)" if summary["reviewed"] else ""))
            return
        networks = time_windows(statements_from, options) if window else build_network(statements_from, options)
    if format == "csv" and _csv_folder(output):
        output.mkdir(parents=True, exist_ok=True)
        written = write_network(networks, output / "network.csv", "csv") + write_matrix(networks, output / "matrix.csv")
    else:
        written = write_network(networks, output, format)
    if isinstance(networks, list):
        typer.echo(f"{len(networks)} windows")
    else:
        typer.echo(f"{networks.number_of_nodes()} nodes, {networks.number_of_edges()} edges")
    for path in written:
        typer.echo(f"wrote {path}")


def _png(path: Path | None, default: str) -> Path:
    return path if path is not None else Path(default)


@_reported
@with_groups(SOURCE, DATES, SELECTION, FOLDING, EXCLUSIONS)
def polarisation(
    source: dict[str, Any],
    dates: dict[str, Any],
    selection: dict[str, Any],
    folding: dict[str, Any],
    excluded: dict[str, Any],
    qualifier: str = QUALIFIER_VARIABLE,
    algorithm: str = typer.Option("eigenvector", "--algorithm",
                                  help="eigenvector (two camps by modularity), or rDNA's greedy or genetic."),
    window: str | None = WINDOW,
    step: str | None = STEP,
    kernel: str = KERNEL,
    k: int = typer.Option(2, "--k", help="greedy/genetic: number of clusters."),
    normalise: bool = typer.Option(True, "--normalise/--no-normalise", help="greedy/genetic: scale quality to 0..1."),
    indent: bool = typer.Option(False, "--indent", help="greedy/genetic: first and last mid-points half a window in."),
    seed: int = typer.Option(0, "--seed", help="greedy/genetic: random seed."),
    parents: int = typer.Option(50, "--parents", help="genetic: population size."),
    iterations: int = typer.Option(1000, "--iterations", help="genetic: most generations."),
    elite: float = typer.Option(0.1, "--elite", help="genetic: share of elites kept."),
    mutation: float = typer.Option(0.1, "--mutation", help="genetic: share of nodes mutated."),
    neutral: bool = NEUTRAL,
    duplicates: str = DUPLICATES,
    output: Path | None = typer.Option(None, "--output", "-o", help="The PNG plot (default: polarisation.png)."),
    as_json: bool = typer.Option(False, "--json", help="Print the table as JSON lines instead."),
    format: str = typer.Option("table", "--format", help="table, or json (one document; no plot unless -o)."),
) -> None:
    """Actor polarisation over time: camps per window and how sharply they split.

    ``greedy`` and ``genetic`` are rDNA's dna_polarisation: kernel-smoothed slices (--window
    as width and unit, default 100d; --kernel, default uniform) and DNA's quality.
    """
    from stancegraph.networks import plot_polarisation
    from stancegraph.networks import polarisation as compute

    if algorithm not in ("eigenvector", "greedy", "genetic"):
        raise NetworkError("E302", option="--algorithm", value=algorithm, expected="eigenvector, greedy, genetic")
    dna_style = algorithm != "eigenvector"
    options = _options(dates=dates, selection=selection, folding=folding, excluded=excluded, neutral=neutral,
                       duplicates=duplicates, window=None if dna_style else window, step=None if dna_style else step,
                       kernel="none" if dna_style else kernel)
    with statement_source(source, options, qualifier=qualifier) as (statements_from, options):
        if dna_style:
            table = _dna_polarisation(statements_from, options, algorithm=algorithm, window=window, kernel=kernel, k=k,
                                      normalise=normalise, indent=indent, seed=seed,
                                      genetic={"parents": parents, "iterations": iterations, "elite": elite,
                                               "mutation": mutation})
        else:
            table = compute(statements_from, options)
    if format == "json":
        payload = {"algorithm": algorithm, "windows": json.loads(table.to_json(orient="records", date_format="iso"))}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    elif dna_style:
        _emit(table.assign(clusters=[_camps(c) for c in table["clusters"]]), "Actor polarisation",
              ["middle", "statements", "actors", "polarisation", "clusters"], as_json)
    else:
        _emit(table, "Actor polarisation", ["start", "end", "statements", "actors", "polarisation", "camp_a", "camp_b"],
              as_json)
    if dna_style or format == "json":
        if output is not None:
            path = _plot_dna_polarisation(table, output) if dna_style else plot_polarisation(table, output)
            typer.echo(f"wrote {path}", err=True)
        return
    path = plot_polarisation(table, _png(output, "polarisation.png"))
    typer.echo(f"wrote {path}", err=as_json)


def _camps(clusters: dict[str, int]) -> str:
    groups: dict[int, list[str]] = {}
    for name, number in clusters.items():
        groups.setdefault(number, []).append(name)
    return " | ".join("; ".join(sorted(names)) for _, names in sorted(groups.items()))


def _dna_polarisation(source: Any, options: Any, *, algorithm: str, window: str | None, kernel: str, k: int,
                      normalise: bool, indent: bool, seed: int, genetic: dict[str, Any]) -> Any:
    from stancegraph.networks import prepare_statements
    from stancegraph.networks.build import Duration
    from stancegraph.networks.camps import dna_polarisation

    width = Duration.parse(window or "100d")
    statements = prepare_statements(source, options)
    levels = options.scale or ((-1, 0, 1) if options.neutral else (-1, 1))
    return dna_polarisation(statements, algorithm=algorithm, k=k, normalise=normalise, unit=width.unit,
                            window=width.count, kernel="uniform" if kernel == "none" else kernel, indent=indent,
                            levels=levels, seed=seed, **(genetic if algorithm == "genetic" else {}))


def _plot_dna_polarisation(table: Any, path: Path) -> Path:
    from stancegraph.networks.analysis import _figure, _save

    figure, axes = _figure()
    if len(table):
        axes.plot(table["middle"], table["polarisation"], marker="o", color="#b2182b")
    axes.set_ylabel("polarisation")
    axes.set_title("Actor polarisation over time")
    figure.autofmt_xdate()
    return _save(figure, path)


@_reported
@with_groups(SOURCE, DATES, SELECTION, FOLDING)
def faultline(
    source: dict[str, Any],
    dates: dict[str, Any],
    selection: dict[str, Any],
    folding: dict[str, Any],
    qualifier: str = QUALIFIER_VARIABLE,
    top: int = typer.Option(10, "--top", help="How many concepts to show."),
    neutral: bool = NEUTRAL,
    duplicates: str = DUPLICATES,
    output: Path | None = typer.Option(None, "--output", "-o", help="The PNG plot (default: faultline.png)."),
    as_json: bool = typer.Option(False, "--json", help="Print the table as JSON lines instead."),
) -> None:
    """The main fault line: the concepts that divide the actors most, first."""
    from stancegraph.networks import fault_lines, plot_fault_lines

    options = _options(dates=dates, selection=selection, folding=folding, neutral=neutral, duplicates=duplicates)
    with statement_source(source, options, qualifier=qualifier) as (statements_from, options):
        table = fault_lines(statements_from, options)
    _emit(table.head(top), "Fault lines", ["concept", "supporters", "opponents", "divided_pairs", "evenness", "for",
                                           "against"], as_json)
    path = plot_fault_lines(table, _png(output, "faultline.png"), top=top)
    typer.echo(f"wrote {path}", err=as_json)


@_reported
@with_groups(SOURCE, DATES, SELECTION, FOLDING)
def changers(
    source: dict[str, Any],
    dates: dict[str, Any],
    selection: dict[str, Any],
    folding: dict[str, Any],
    qualifier: str = QUALIFIER_VARIABLE,
    period: str | None = typer.Option(None, "--period", help="Compare week, month or year sums instead of statements."),
    top: int = typer.Option(15, "--top", help="How many side changes to plot."),
    duplicates: str = DUPLICATES,
    output: Path | None = typer.Option(None, "--output", "-o", help="The PNG plot (default: changers.png)."),
    as_json: bool = typer.Option(False, "--json", help="Print the table as JSON lines instead."),
) -> None:
    """Actors that change sides on a concept, with the dates and statements around the change."""
    from stancegraph.networks import plot_side_changers, prepare_statements, side_changers

    options = _options(dates=dates, selection=selection, folding=folding, duplicates=duplicates)
    with statement_source(source, options, qualifier=qualifier) as (statements_from, options):
        statements = prepare_statements(statements_from, options)
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
@with_groups(DATES, FOLDING)
def dna_compare(
    dates: dict[str, Any],
    folding: dict[str, Any],
    dna_file: Path = typer.Argument(..., help="A DNA database (.dna), e.g. one exported and corrected by hand."),
    db: Path = typer.Option(..., "--db", help="The store (DuckDB file) built by stancegraph ingest."),
    min_confidence: float = MIN_CONFIDENCE,
    actor: str = typer.Option("auto", "--actor-variable", help="DNA's actor: auto (person, else organization), person, organization."),
) -> None:
    """Compare the store's automatic statements with a DNA database's (manual) statements."""
    from stancegraph.networks import compare_codings, dna_statements, prepare_statements, read_dna

    manual = dna_statements(read_dna(dna_file), actor=actor)
    options = _options(dates=dates, folding=folding, min_confidence=min_confidence)
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
