"""``stancegraph concepts``: list the concepts of a store and edit the user's concept list.

The user's list (labels and aliases) overrides automatic folding; see
:mod:`stancegraph.networks.concepts`. ``merge`` and ``rename`` write the concerned concepts
to the list with every label folded into them now, so later folding cannot undo the edit.

Example
-------
::

    $ stancegraph concepts list --db corpus.duckdb
    $ stancegraph concepts merge --db corpus.duckdb "sanction" "economic pressure"
    $ stancegraph concepts rename --db corpus.duckdb "sanction" "sanctions on Russia"
    $ stancegraph concepts export --db corpus.duckdb -o concepts.yaml   # edit, then:
    $ stancegraph concepts import --db corpus.duckdb concepts.yaml
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import typer

from stancegraph.cli.network import DB, NO_EMBEDDINGS, SIMILARITY, _print_table, _reported, open_corpus

__all__ = ["app", "register"]

app = typer.Typer(help="List, merge and rename the concepts that issue labels fold into.", no_args_is_help=True)


def _folding(con: Any, similarity: float, no_embeddings: bool) -> tuple[Any, Any]:
    from stancegraph.networks import corpus_folding, load_statements

    statements = load_statements(con)
    return statements, corpus_folding(con, statements, similarity=None if no_embeddings else similarity)


@app.command("list")
@_reported
def list_concepts(
    db: Path = DB,
    similarity: float = SIMILARITY,
    no_embeddings: bool = NO_EMBEDDINGS,
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines instead of a table."),
) -> None:
    """Every concept with its statements, origin (user or automatic) and folded labels."""
    with open_corpus(db) as con:
        statements, folding = _folding(con, similarity, no_embeddings)
    counts = Counter(folding.concept_of.get(label, label) for label in statements["label"])
    rows = []
    for concept in folding.concepts():
        members = folding.members(concept)
        rows.append({"concept": concept, "origin": "user" if concept in folding.user else "automatic",
                     "statements": counts.get(concept, 0), "labels": members,
                     "how": sorted({folding.reason[label] for label in members})})
    rows.sort(key=lambda row: (-row["statements"], row["concept"].casefold()))
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    import pandas as pd

    _print_table(pd.DataFrame(rows, columns=["concept", "origin", "statements", "labels", "how"]),
                 f"{len(rows)} concepts from {len(statements)} statements")


@app.command("merge")
@_reported
def merge(
    target: str = typer.Argument(..., help="The concept to keep (its label stays)."),
    sources: list[str] = typer.Argument(..., help="Concepts (or labels) to fold into it."),
    db: Path = DB,
    similarity: float = SIMILARITY,
    no_embeddings: bool = NO_EMBEDDINGS,
) -> None:
    """Fold concepts into one, for good."""
    from stancegraph.networks import merge_concepts

    with open_corpus(db) as con:
        _, folding = _folding(con, similarity, no_embeddings)
        concept = merge_concepts(con, folding, target, sources)
    typer.echo(f"{concept.label}: {len(concept.aliases)} labels")


@app.command("rename")
@_reported
def rename(
    old: str = typer.Argument(..., help="The concept (or a label folded into it)."),
    new: str = typer.Argument(..., help="Its new label."),
    db: Path = DB,
    similarity: float = SIMILARITY,
    no_embeddings: bool = NO_EMBEDDINGS,
) -> None:
    """Give a concept a new label, keeping the labels folded into it."""
    from stancegraph.networks import rename_concept

    with open_corpus(db) as con:
        _, folding = _folding(con, similarity, no_embeddings)
        concept = rename_concept(con, folding, old, new)
    typer.echo(f"{old} -> {concept.label}")


@app.command("add")
@_reported
def add(
    label: str = typer.Argument(..., help="The concept's label."),
    aliases: list[str] = typer.Option([], "--alias", help="A label that belongs to it (repeatable)."),
    db: Path = DB,
) -> None:
    """Put a concept on the user's list (its aliases leave any other user concept)."""
    from stancegraph.networks import add_concept

    with open_corpus(db) as con:
        concept = add_concept(con, label, aliases)
    typer.echo(f"{concept.label}: {', '.join(concept.aliases) or 'no aliases'}")


@app.command("remove")
@_reported
def remove(label: str = typer.Argument(..., help="A concept of the user's list."), db: Path = DB) -> None:
    """Take a concept off the user's list; its labels fold automatically again."""
    from stancegraph.networks import remove_concept

    with open_corpus(db) as con:
        remove_concept(con, label)
    typer.echo(f"removed {label}")


@app.command("export")
@_reported
def export(db: Path = DB, output: Path = typer.Option(..., "--output", "-o", help="The YAML file to write.")) -> None:
    """Write the user's concept list as YAML, to edit by hand."""
    from stancegraph.networks import read_user_concepts, write_concept_file

    with open_corpus(db) as con:
        concepts = read_user_concepts(con)
    write_concept_file(output, concepts)
    typer.echo(f"wrote {output}: {len(concepts)} concepts")


@app.command("import")
@_reported
def import_(file: Path = typer.Argument(..., help="A YAML concept list."), db: Path = DB) -> None:
    """Replace the user's concept list with a YAML file's."""
    from stancegraph.networks import read_concept_file, write_user_concepts

    concepts = read_concept_file(file)
    with open_corpus(db) as con:
        write_user_concepts(con, concepts)
    typer.echo(f"{len(concepts)} concepts")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="concepts")
