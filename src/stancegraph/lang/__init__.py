"""Language data: word lists and tables kept apart from the code that uses them.

Files in this folder are plain text: ``.txt`` holds one entry per line, ``.tsv`` one
tab-separated row per line, ``.yaml`` nested data. Lines starting with ``#`` and blank lines
are comments. Loaders are cached, so each file is read once per process.

Example
-------
>>> "government" in lines("state_nouns.txt")
True
>>> rows("pronouns.tsv")[0]
('he', 'm', 'subject')
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

__all__ = ["read_text", "lines", "rows", "table", "load_yaml"]


def read_text(name: str) -> str:
    """The raw text of a language data file."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _content_lines(name: str) -> list[str]:
    return [
        line.rstrip("\n")
        for line in read_text(name).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@functools.cache
def lines(name: str) -> frozenset[str]:
    """The entries of a one-per-line list, stripped."""
    return frozenset(line.strip() for line in _content_lines(name))


@functools.cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a tab-separated table, each a tuple of stripped cells."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in _content_lines(name))


@functools.cache
def table(name: str) -> dict[str, tuple[str, ...]]:
    """A tab-separated table keyed by its first column (the other cells as the value)."""
    return {row[0]: row[1:] for row in rows(name)}


@functools.cache
def load_yaml(name: str) -> Any:
    """A YAML data file."""
    return yaml.safe_load(read_text(name))
