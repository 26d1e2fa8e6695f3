"""What the server of a DNA database (``stancegraph serve --dna FILE.dna``) reads in place of a store.

The statements come from the database (:class:`~stancegraph.web.access.DnaGate`); their
concepts are DNA's own values of the concept variable, so there is no folding: each concept
is itself (:func:`dna_folding`). A network's edges name statements ``dna:<statement id>``,
which :func:`statements_by_id` gives back with their document and text.

Example
-------
>>> from stancegraph.networks.statements import statements_frame
>>> frame = statements_frame([{"statement_id": "dna:3", "article_id": "dna:1", "actor": "EPA",
...     "target": "Cap and trade", "polarity": 1, "evidence_text": "cap and trade works"}])
>>> dna_folding(frame).concepts(), [row["actor_name"] for row in statements_by_id(frame, ["dna:3", "dna:9"])]
(['Cap and trade'], ['EPA'])
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["dna_folding", "statements_by_id"]


def dna_folding(statements: pd.DataFrame) -> Any:
    """The concepts of DNA statements as they are coded: every concept is its own (reason ``dna``)."""
    from stancegraph.networks.concepts import ConceptFolding

    concepts = sorted({c for c in statements["concept"] if c})
    return ConceptFolding(concept_of={c: c for c in concepts}, reason=dict.fromkeys(concepts, "dna"))


def statements_by_id(statements: pd.DataFrame, ids: list[str]) -> list[dict[str, Any]]:
    """The statements ``dna:<statement id>`` among ``ids``, as ``GET /api/statements`` gives a store's stances."""
    wanted = set(ids)
    rows = []
    for row in statements.loc[statements["statement_id"].isin(wanted)].itertuples(index=False):
        rows.append({
            "id": row.statement_id, "article_id": row.article_id, "n": int(row.n), "actor_id": row.actor_id,
            "actor_name": row.actor, "target": row.target, "target_kind": row.target_kind,
            "target_name": row.label, "polarity": int(row.polarity), "evidence_start": int(row.evidence_start),
            "evidence_end": int(row.evidence_end), "evidence_text": row.evidence_text,
            "confidence": None if pd.isna(row.confidence) else float(row.confidence), "title": row.title,
            "date": None if pd.isna(row.date) else row.date.date().isoformat(), "link": None,
        })
    return rows
