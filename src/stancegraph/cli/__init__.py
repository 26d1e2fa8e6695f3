"""Command-line interface; see :mod:`stancegraph.cli.main`."""
