"""Language data: word lists and tables kept apart from the code that uses them.

Each language has a folder of its own (``en/``, ``fr/``) holding files of the same names and
columns. ``.txt`` holds one entry per line, ``.tsv`` one tab-separated row per line, ``.yaml``
nested data. Lines starting with ``#`` and blank lines are comments. ``columns.tsv`` names
each file's columns; :func:`rows` refuses a row that does not fit them (E150) and a file it
does not describe (E151), so a malformed file fails loudly on first use, not as a silently
shorter list. Loaders are cached, so each file is read once per process; ``lang`` defaults
to English, so English callers name no language.

Example
-------
>>> "government" in lines("state_nouns.txt")
True
>>> rows("pronouns.tsv")[0]
('he', 'm', 'subject')
>>> table("titles.tsv", lang="fr")["première ministre"]
('head', 'f')
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from stancegraph.errors import ModelError

__all__ = ["LANGUAGES", "check_all", "columns", "has", "lines", "load_yaml", "read_text", "rows", "table"]

LANGUAGES = ("en", "fr")
"""The languages with a data folder (and so a pipeline)."""


def read_text(name: str, lang: str = "en") -> str:
    """The raw text of a language data file of one language."""
    return resources.files(__name__).joinpath(lang, name).read_text(encoding="utf-8")


def _numbered_lines(name: str, lang: str) -> list[tuple[int, str]]:
    return [
        (number, line)
        for number, line in enumerate(read_text(name, lang).splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


@functools.cache
def columns() -> dict[str, tuple[str, ...]]:
    """Each data file's column names from ``columns.tsv`` (optional ones end in ``?``)."""
    text = resources.files(__name__).joinpath("columns.tsv").read_text(encoding="utf-8")
    described = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {name: tuple(spec.strip().split(",")) for name, spec in described}


def _checked_cells(name: str, lang: str) -> list[tuple[str, ...]]:
    """Every row of a data file as stripped cells, each checked against ``columns.tsv``."""
    spec = columns().get(name)
    if spec is None:
        raise ModelError("E151", file=f"{lang}/{name}")
    required = sum(not column.endswith("?") for column in spec)
    checked = []
    for number, line in _numbered_lines(name, lang):
        cells = tuple(cell.strip() for cell in line.split("\t"))
        if not required <= len(cells) <= len(spec) or not all(cells[:required]):
            raise ModelError("E150", file=f"{lang}/{name}", line=number, found=len(cells),
                             expected=required if required == len(spec) else f"{required} to {len(spec)}",
                             columns=", ".join(spec))
        checked.append(cells)
    return checked


@functools.cache
def lines(name: str, lang: str = "en") -> frozenset[str]:
    """The entries of a one-per-line list, stripped."""
    return frozenset(cells[0] for cells in _checked_cells(name, lang))


@functools.cache
def rows(name: str, lang: str = "en") -> tuple[tuple[str, ...], ...]:
    """The rows of a tab-separated table, each a tuple of stripped cells."""
    return tuple(_checked_cells(name, lang))


@functools.cache
def table(name: str, lang: str = "en") -> dict[str, tuple[str, ...]]:
    """A tab-separated table keyed by its first column (the other cells as the value)."""
    return {row[0]: row[1:] for row in rows(name, lang)}


@functools.cache
def load_yaml(name: str, lang: str = "en") -> Any:
    """A YAML data file."""
    return yaml.safe_load(read_text(name, lang))


def check_all(lang: str) -> list[str]:
    """Check every ``.txt`` and ``.tsv`` file of one language; the names checked."""
    folder = resources.files(__name__).joinpath(lang)
    names = sorted(item.name for item in folder.iterdir() if item.name.endswith((".txt", ".tsv")))
    for name in names:
        _checked_cells(name, lang)
    return names


def has(name: str, lang: str = "en") -> bool:
    """Whether a language has a data file (some files exist for one language only)."""
    return resources.files(__name__).joinpath(lang, name).is_file()
