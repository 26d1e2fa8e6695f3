"""Placeholder until its issue lands."""

import typer


def register(app: typer.Typer) -> None:
    """Register nothing yet."""
