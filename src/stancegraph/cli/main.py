"""The ``stancegraph`` command: one Typer app, one module per command group."""

from __future__ import annotations

import importlib

import typer

__all__ = ["app", "run"]

app = typer.Typer(
    name="stancegraph",
    help="Who says what about whom, and who sides with whom, in political news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module registers its commands on the app; they import heavy libraries lazily.
COMMAND_MODULES = (
    "analyze",
    "evaluate",
    "target_stance",
    "ingest",
    "query",
    "actors",
    "concepts",
    "network",
    "dna_analyses",
    "check",
    "serve",
    "reviews",
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"stancegraph.cli.{_name}").register(app)


def run() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":
    run()
