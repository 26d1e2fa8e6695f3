"""A DNA database as a statement source: DNA's statement types, variables and qualifier.

:func:`dna_source` turns the statements of one statement type of a ``.dna`` file (read by
:func:`stancegraph.networks.readwrite.read_dna`) into a statement table
(:func:`stancegraph.networks.statements.statements_frame`) for every network and analysis:

* ``variable1`` (default ``organization``) is the actor (``actor_id``, ``actor``; its
  entity's ``Type`` attribute is ``actor_type``), ``variable2`` (default ``concept``) the
  concept; either may be a document variable (``author``, ``source``, ``section``,
  ``type``, ``id``, ``title``), as in DNA;
* the qualifier (default ``agreement``) is the polarity: a boolean's 1 is +1 and 0 is -1,
  an integer is its value, and no qualifier (``None``) makes every statement +1.
  :attr:`DnaSource.scale` is the qualifier's levels over all statements of the type, which
  DNA uses as the scale of integer congruence and conflict;
* the document's date, source, author, section and type go into ``date``, ``source``,
  ``author``, ``section`` and ``document_type``, and every statement variable into
  ``variables``, so that filters can use them;
* as DNA does, statements with an empty variable 1 or 2 are left out of networks.

Example
-------
>>> from pathlib import Path
>>> sample = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "dna-sample" / "sample.dna"
>>> source = dna_source(sample) if sample.exists() else None
>>> source is None or (len(source.statements), source.scale) == (40, (-1, 1))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from stancegraph.errors import NetworkError
from stancegraph.networks.readwrite import DnaDatabase, read_dna
from stancegraph.networks.statements import statements_frame

__all__ = ["DOCUMENT_VARIABLES", "DnaSource", "dna_source"]

DOCUMENT_VARIABLES = ("author", "source", "section", "type", "id", "title")
"""The document fields DNA accepts as variables."""


@dataclass
class DnaSource:
    """The statements of a DNA database, ready for networks, and the qualifier's scale.

    ``kind`` is the qualifier's data type (``boolean``, ``integer`` or ``none``).
    """

    statements: pd.DataFrame
    scale: tuple[int, ...]
    kind: str
    variables: tuple[str, ...]


def _document_value(document: pd.Series, name: str) -> str:
    field = {"type": "type", "id": "document_id"}.get(name, name)
    value = document.get(field)
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _read(path_or_database: str | Path | DnaDatabase) -> DnaDatabase:
    return path_or_database if isinstance(path_or_database, DnaDatabase) else read_dna(path_or_database)


def dna_source(path_or_database: str | Path | DnaDatabase, *, statement_type: str = "DNA Statement",
               variable1: str = "organization", variable2: str = "concept", qualifier: str | None = "agreement",
               keep_empty: bool = False) -> DnaSource:
    """The statements of ``statement_type`` in a DNA database as a statement table.

    Raises E318 for an unknown statement type or variable, E319 for a qualifier that is
    neither boolean nor integer. ``keep_empty`` keeps statements with an empty variable 1
    or 2 (an event list lists them; networks do not).
    """
    database = _read(path_or_database)
    types = database.variable_types.get(statement_type)
    if types is None:
        raise NetworkError("E318", kind="statement type", name=statement_type,
                           expected=", ".join(sorted(database.variable_types)))
    for name in (variable1, variable2):
        if name not in types and name not in DOCUMENT_VARIABLES:
            raise NetworkError("E318", kind="variable", name=name, expected=", ".join([*types, *DOCUMENT_VARIABLES]))
    kind = "none" if qualifier is None else types.get(qualifier)
    if kind not in ("boolean", "integer", "none"):
        raise NetworkError("E319", name=qualifier, kind=kind or "undefined")
    frame = database.statements.loc[database.statements["statement_type"] == statement_type]
    documents = database.documents.set_index("document_id")
    rows = []
    for row in frame.to_dict("records"):
        document = documents.loc[row["document_id"]]
        values = {name: _value(row.get(name)) for name in types}

        def pick(name: str, document: Any = document, values: dict = values) -> str:
            return _document_value(document, name) if name in DOCUMENT_VARIABLES and name not in types else values[name]

        first, second = pick(variable1), pick(variable2)
        if not keep_empty and (first == "" or second == ""):
            continue
        rows.append({
            "statement_id": f"dna:{row['statement_id']}", "article_id": f"dna:{row['document_id']}",
            "n": int(row["statement_id"]), "title": document["title"], "date": document["date"],
            "source": _document_value(document, "source") or None, "author": _document_value(document, "author"),
            "section": _document_value(document, "section"), "document_type": _document_value(document, "type"),
            "actor_id": first, "actor": first, "actor_type": row.get(f"{variable1}_type") or None,
            "target": second, "target_kind": "issue", "label": second, "concept": second, "concept_kind": "issue",
            "polarity": _polarity(row.get(qualifier) if qualifier else None, kind),
            "confidence": None, "evidence_start": row["start"], "evidence_end": row["stop"],
            "evidence_text": row["text"], "coder": row.get("coder"), "variables": values,
        })
    statements = statements_frame(rows)
    return DnaSource(statements, _scale(frame, qualifier, kind), kind, tuple(types))


def _value(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return int(value) if hasattr(value, "__int__") and not isinstance(value, str) else value


def _polarity(value: Any, kind: str) -> int:
    if kind == "none" or value is None or pd.isna(value):
        return 1  # DNA's default agreement is 1
    if kind == "boolean":
        return 1 if int(value) else -1
    return int(value)


def _scale(frame: pd.DataFrame, qualifier: str | None, kind: str) -> tuple[int, ...]:
    """The qualifier levels DNA uses: -1 and +1 for a boolean, every value found for an integer."""
    if kind == "boolean":
        return (-1, 1)
    if kind == "none" or qualifier is None:
        return (1,)
    found = sorted({int(v) for v in frame[qualifier].dropna()})
    return tuple(found) or (0,)
