"""``stancegraph reviews``: the human reviews of a store, listed or exported as a training set.

Example
-------
::

    $ stancegraph reviews export --db politics.duckdb -o reviews.jsonl
    $ stancegraph reviews list --db politics.duckdb
"""

from __future__ import annotations

from pathlib import Path

import typer

__all__ = ["app", "register"]

app = typer.Typer(help="The reviews of the automatic coding (made on the /review page or with POST /api/reviews).",
                  no_args_is_help=True)


@app.command("export")
def export(
    db: Path = typer.Option(Path("stancegraph.duckdb"), "--db", help="The store."),
    out: Path = typer.Option(..., "--out", "-o", help="The JSONL file to write."),
) -> None:
    """Write the reviews in force as JSONL, one per line: the item, its span and sentence, the
    verdict, the automatic values (before) and the reviewed ones (after)."""
    from stancegraph.errors import StanceGraphError
    from stancegraph.store.reviews import export_jsonl
    from stancegraph.store.schema import open_store

    try:
        con = open_store(db, read_only=True)
        try:
            written = export_jsonl(con, out)
        finally:
            con.close()
    except (StanceGraphError, OSError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {out}: {written} reviews")


@app.command("list")
def list_(
    db: Path = typer.Option(Path("stancegraph.duckdb"), "--db", help="The store."),
    limit: int = typer.Option(50, "--limit", min=1, help="How many, newest first."),
) -> None:
    """The latest reviews: id, item, verdict, changes, reviewer, time (undone ones marked)."""
    import json

    from stancegraph.errors import StanceGraphError
    from stancegraph.store.reviews import list_reviews
    from stancegraph.store.schema import open_store

    try:
        con = open_store(db, read_only=True)
        try:
            total, reviews = list_reviews(con, limit=limit)
        finally:
            con.close()
    except StanceGraphError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    for review in reviews:
        typer.echo(f"{review.id}\t{review.target}\t{review.item}\t{review.verdict}\t"
                   f"{json.dumps(review.changes, ensure_ascii=False)}\t{review.reviewer}\t{review.created_at}"
                   + ("\tundone" if review.undone else ""))
    typer.echo(f"{total} reviews", err=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="reviews")
