"""``stancegraph backbone``, ``phase-transitions`` and ``cluster``: rDNA's analyses without Java.

Each reads statements from a store (``--db``) or a DNA database (``--dna``), filters and
de-duplicates them like ``stancegraph network``, and prints a table, or one JSON document
with ``--format json`` (so that its numbers can be compared with DNA's).

Example
-------
::

    $ stancegraph backbone --dna sample.dna --method nested --format json
    $ stancegraph backbone --dna sample.dna --method penalty --penalty 3.5 --iterations 10000 --seed 1
    $ stancegraph backbone --dna sample.dna --evaluate "Cap and trade is the solution."
    $ stancegraph phase-transitions --dna sample.dna --window 6d --format json
    $ stancegraph cluster --dna sample.dna --kind subtract --normalize average
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from stancegraph.cli.network import (
    DATES,
    DUPLICATES_HELP,
    EXCLUSIONS,
    FOLDING,
    SOURCE,
    _camps,
    _options,
    _print_table,
    _reported,
    statement_source,
)
from stancegraph.cli.option_groups import with_groups
from stancegraph.errors import NetworkError

__all__ = ["backbone", "cluster", "phase_transitions", "register"]

QUALIFIER = typer.Option("agreement", "--qualifier", help="With --dna: the qualifier variable, or none.")
FORMAT = typer.Option("table", "--format", help="table, or json (one document).")
SEED = typer.Option(0, "--seed", help="Random seed.")
COLLAPSED_DUPLICATES = typer.Option("document", "--duplicates", help=DUPLICATES_HELP)


def _prepared(source: dict[str, Any], qualifier: str, **options: Any) -> tuple[Any, Any]:
    """Filtered, de-duplicated statements of either source, and the options used."""
    from stancegraph.networks import prepare_statements

    settings = _options(**options)
    with statement_source(source, settings, qualifier=qualifier) as (statements_from, settings):
        statements = prepare_statements(statements_from, settings)
    if statements.empty:
        raise NetworkError("E305", detail="no statement passes the filters")
    return statements, settings


def _levels(settings: Any) -> tuple[int, ...]:
    return tuple(settings.scale) if settings.scale else ((-1, 0, 1) if settings.neutral else (-1, 1))


def _write_json(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n")


@_reported
@with_groups(SOURCE, DATES, FOLDING, EXCLUSIONS)
def backbone(
    source: dict[str, Any],
    dates: dict[str, Any],
    folding: dict[str, Any],
    excluded: dict[str, Any],
    qualifier: str = QUALIFIER,
    method: str = typer.Option("nested", "--method", help="nested, penalty or fixed."),
    aggregation: str = typer.Option("subtract", "--aggregation", help="Ties: ignore, congruence, conflict, subtract."),
    normalize: str = typer.Option("average", "--normalize", help="none, average, jaccard, cosine."),
    duplicates: str = COLLAPSED_DUPLICATES,
    penalty: float = typer.Option(3.5, "--penalty", help="penalty: the penalty p."),
    iterations: int = typer.Option(10_000, "--iterations", help="penalty/fixed: simulated annealing steps."),
    size: int = typer.Option(1, "--size", help="fixed: the backbone's number of concepts."),
    evaluate: list[str] = typer.Option([], "--evaluate", help="Evaluate this backbone concept set instead (repeatable)."),
    laplacian: bool = typer.Option(False, "--laplacian", help="Compare Laplacian eigenvalues, not DNA's spectrum."),
    seed: int = SEED,
    format: str = FORMAT,
) -> None:
    """The concepts that carry the actor network (rDNA's dna_backbone), or the losses of a given set."""
    from stancegraph.networks.backbone import BackboneOptions, evaluate_backbone, nested_backbone
    from stancegraph.networks.backbone import backbone as anneal

    statements, settings = _prepared(source, qualifier, dates=dates, folding=folding, excluded=excluded,
                                     duplicates=duplicates, kind=aggregation)
    options = BackboneOptions(aggregation, normalize, _levels(settings), laplacian)
    head = {"statements": len(statements), "aggregation": aggregation, "normalization": normalize,
            "duplicates": duplicates}
    if evaluate:
        losses = evaluate_backbone(statements, options, evaluate, penalty=penalty if method == "penalty" else 0.0)
        payload: dict[str, Any] = {"method": "evaluate", **head, "backbone": sorted(evaluate), **losses}
    elif method == "nested":
        steps = nested_backbone(statements, options)
        payload = {"method": "nested", **head, "steps": steps.to_dict(orient="records")}
    else:
        payload = {**head, **anneal(statements, options, method=method, penalty=penalty, iterations=iterations,
                                    size=size, seed=seed).as_dict()}
    if format == "json":
        _write_json(payload)
        return
    if "steps" in payload:
        import pandas as pd

        _print_table(pd.DataFrame(payload["steps"]), f"Nested backbone ({len(statements)} statements)")
        return
    for key, value in payload.items():
        typer.echo(f"{key}: {'; '.join(value) if isinstance(value, list) else value}")


@_reported
@with_groups(SOURCE, DATES, FOLDING)
def phase_transitions(
    source: dict[str, Any],
    dates: dict[str, Any],
    folding: dict[str, Any],
    qualifier: str = QUALIFIER,
    distance: str = typer.Option("absdiff", "--distance", help="absdiff or spectral."),
    aggregation: str = typer.Option("subtract", "--aggregation", help="Ties: ignore, congruence, conflict, subtract."),
    normalize: str = typer.Option("none", "--normalize", help="none or average (DNA's kernel normalisation)."),
    window: str = typer.Option("200d", "--window", help="Kernel width and unit: 200d, 8w, 6m, 1y ..."),
    kernel: str = typer.Option("uniform", "--kernel", help="uniform, triangular, epanechnikov, gaussian."),
    methods: list[str] = typer.Option([], "--method", help="Clustering method (repeatable; default: all)."),
    k_min: int = typer.Option(2, "--k-min", help="Fewest states."),
    k_max: int = typer.Option(6, "--k-max", help="Most states."),
    indent: bool = typer.Option(False, "--indent", help="First and last mid-points half a window in."),
    seed: int = SEED,
    duplicates: str = COLLAPSED_DUPLICATES,
    format: str = FORMAT,
) -> None:
    """States and phase transitions of the discourse (rDNA's dna_phaseTransitions), one-mode."""
    from stancegraph.networks.build import Duration
    from stancegraph.networks.camps import CLUSTER_METHODS
    from stancegraph.networks.camps import phase_transitions as compute

    statements, settings = _prepared(source, qualifier, dates=dates, folding=folding, duplicates=duplicates,
                                     kind=aggregation)
    width = Duration.parse(window)
    states, table, _ = compute(statements, distance=distance, aggregation=aggregation, normalization=normalize,
                               unit=width.unit, window=width.count, kernel=kernel, indent=indent,
                               levels=_levels(settings), methods=tuple(methods) or CLUSTER_METHODS, k_min=k_min,
                               k_max=k_max, seed=seed)
    if format == "json":
        _write_json({"states": json.loads(states.to_json(orient="records", date_format="iso")),
                     "methods": table.to_dict(orient="records")})
        return
    _print_table(states, "States over time")
    _print_table(table.drop(columns="memberships"), "Clustering methods, best first")


@_reported
@with_groups(SOURCE, DATES, FOLDING)
def cluster(
    source: dict[str, Any],
    dates: dict[str, Any],
    folding: dict[str, Any],
    qualifier: str = QUALIFIER,
    kind: str = typer.Option("subtract", "--kind", help="One-mode ties: ignore, congruence, conflict, subtract."),
    normalize: str = typer.Option("average", "--normalize", help="none, average, jaccard, cosine."),
    methods: list[str] = typer.Option([], "--method", help="Clustering method (repeatable; default: all)."),
    k_min: int = typer.Option(2, "--k-min", help="Fewest clusters."),
    k_max: int = typer.Option(6, "--k-max", help="Most clusters."),
    seed: int = SEED,
    duplicates: str = typer.Option("include", "--duplicates", help=DUPLICATES_HELP),
    format: str = FORMAT,
) -> None:
    """Clusters of a one-mode actor network by several methods, the best by modularity first."""
    from stancegraph.networks import network_from_statements
    from stancegraph.networks.camps import CLUSTER_METHODS, cluster_network

    statements, settings = _prepared(source, qualifier, dates=dates, folding=folding, duplicates=duplicates,
                                     kind=kind, normalize=normalize, details=False)
    graph = network_from_statements(statements, settings)
    table = cluster_network(graph, methods=tuple(methods) or CLUSTER_METHODS, k_min=k_min, k_max=k_max, seed=seed)
    if format == "json":
        _write_json({"methods": table.to_dict(orient="records")})
        return
    _print_table(table.assign(memberships=[_camps(m) for m in table["memberships"]]), "Clusters, best first")


def register(app: typer.Typer) -> None:
    app.command("backbone")(backbone)
    app.command("phase-transitions")(phase_transitions)
    app.command("cluster")(cluster)
