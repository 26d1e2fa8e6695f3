"""``stancegraph actors list|merge|split``: the corpus actors of a store, and fixing their links.

A merge or split changes the store at once and is written to the actor registry (``--registry``,
default ``<db>.actors.yaml`` beside the store) so that later ingests follow it.

Example
-------
::

    $ stancegraph actors list --db politics.duckdb --type person --limit 5
    $ stancegraph actors merge --db politics.duckdb gordon-brown brown-2
    $ stancegraph actors split --db politics.duckdb clinton --name "Hillary Clinton" --alias "Hillary Clinton"
"""

from __future__ import annotations

from pathlib import Path

import typer

from stancegraph.cli.query import QueryFormat, print_rows

__all__ = ["actors_app", "register"]

actors_app = typer.Typer(help="List the corpus actors of a store; merge and split them.", no_args_is_help=True)


def _fail(err: Exception) -> typer.Exit:
    typer.echo(f"error: {err}", err=True)
    return typer.Exit(1)


def _registry_path(db: Path, registry: Path | None) -> Path:
    from stancegraph.registry import default_registry_path

    return registry or default_registry_path(db)


@actors_app.command("list")
def list_command(
    db: Path = typer.Option(Path("stancegraph.duckdb"), "--db", help="The store."),
    type: str | None = typer.Option(None, "--type", help="Only actors of this type (person, organization, ...)."),
    search: str | None = typer.Option(None, "--search", "-s", help="Only ids, names or aliases containing this."),
    limit: int = typer.Option(50, "--limit", "-n", help="At most this many (0: all)."),
    format: QueryFormat = typer.Option(QueryFormat.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """The corpus actors, most mentioned first, with their article and mention counts and aliases."""
    from stancegraph.errors import StanceGraphError
    from stancegraph.store.actors import list_actors
    from stancegraph.store.schema import open_store

    try:
        con = open_store(db, read_only=True)
        try:
            columns, rows = list_actors(con, type=type, search=search, limit=limit or None)
        finally:
            con.close()
    except StanceGraphError as err:
        raise _fail(err) from None
    print_rows(columns, rows, format)


@actors_app.command("merge")
def merge_command(
    keep: str = typer.Argument(..., help="The actor id to keep."),
    others: list[str] = typer.Argument(..., help="The actor ids merged into it."),
    db: Path = typer.Option(Path("stancegraph.duckdb"), "--db", help="The store."),
    registry: Path | None = typer.Option(None, "--registry", help="Actor registry to record the merge in."),
) -> None:
    """Make several corpus actors one: every row of OTHERS moves to KEEP."""
    from stancegraph.errors import StanceGraphError
    from stancegraph.registry import load_registry
    from stancegraph.store.actors import merge_actors, record_merge
    from stancegraph.store.known import actor_name
    from stancegraph.store.schema import open_store

    path = _registry_path(db, registry)
    try:
        actor_registry = load_registry(path, required=False)
        con = open_store(db)
        try:
            names = [(other, name) for other in others if (name := actor_name(con, other)) is not None]
            merged = merge_actors(con, keep, others)
            record_merge(actor_registry, con, keep, names)
        finally:
            con.close()
        actor_registry.save(path)
    except StanceGraphError as err:
        raise _fail(err) from None
    typer.echo(f"merged {merged} actor(s) into {keep}; registry: {path}")


@actors_app.command("split")
def split_command(
    actor: str = typer.Argument(..., help="The actor id to split."),
    name: str = typer.Option(..., "--name", help="Name of the new actor."),
    aliases: list[str] = typer.Option([], "--alias", "-a", help="Move the articles where the actor goes by this name (repeatable)."),
    articles: list[str] = typer.Option([], "--article", help="Move the actor's rows in this article (repeatable)."),
    new_id: str | None = typer.Option(None, "--id", help="Id of the new actor (default: from its name)."),
    db: Path = typer.Option(Path("stancegraph.duckdb"), "--db", help="The store."),
    registry: Path | None = typer.Option(None, "--registry", help="Actor registry to record the split in."),
) -> None:
    """Split articles off a corpus actor into a new one (a wrong merge undone)."""
    from stancegraph.errors import StanceGraphError
    from stancegraph.registry import load_registry
    from stancegraph.store.actors import record_split, split_actor
    from stancegraph.store.schema import open_store

    path = _registry_path(db, registry)
    try:
        actor_registry = load_registry(path, required=False)
        con = open_store(db)
        try:
            created, moved = split_actor(con, actor, name, aliases=aliases, articles=articles, new_id=new_id,
                                         registry=actor_registry)
            record_split(actor_registry, con, actor, created, aliases)
        finally:
            con.close()
        actor_registry.save(path)
    except StanceGraphError as err:
        raise _fail(err) from None
    typer.echo(f"split {moved} article(s) off {actor} into {created}; registry: {path}")


def register(app: typer.Typer) -> None:
    app.add_typer(actors_app, name="actors")
