"""Ingest of a mixed-language file through the time-budget children: languages and E117 failures."""

from __future__ import annotations

import json

from stancegraph.engines.ingest import ingest
from stancegraph.sources import FieldMap, ReadOptions
from stancegraph.store import open_store

NBSP = "\u00a0"
FRENCH = (f"«{NBSP}Nous ne céderons pas{NBSP}», a déclaré la ministre des Armées Claire Dumont mardi. "
          "La ministre a ajouté que la réforme serait votée avant l'été.")
GERMAN = ("Die Bundesregierung hat am Montag beschlossen, die Steuer auf Stahl und Zement zu erhöhen. Der Minister "
          "sagte, die Entscheidung sei notwendig, um das Klima und die Arbeiter zu schützen.")
ENGLISH = "Chancellor Marta Keller said on Monday that the carbon border tax was the fairest way to protect workers."


def test_each_language_is_stored_and_an_unsupported_one_is_a_failure(tmp_path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [
        {"id": "fr", "text": FRENCH}, {"id": "de", "text": GERMAN}, {"id": "en", "text": ENGLISH},
        {"id": "given", "text": ENGLISH + " Keller repeated it.", "langue": "fr"}]), encoding="utf-8")
    db = tmp_path / "store.duckdb"
    summary = ingest([str(path)], db, options=ReadOptions(fields=FieldMap(lang="langue")), time_budget=60.0)
    assert (summary.added, summary.failed) == (3, 1)
    con = open_store(db, read_only=True)
    assert dict(con.execute("SELECT id, lang FROM articles").fetchall()) == {"fr": "fr", "en": "en", "given": "fr"}
    (code,) = con.execute("SELECT code FROM failures").fetchone()
    assert code == "E117"
    speakers = con.execute("SELECT actor_id FROM quotes WHERE article_id = 'fr'").fetchall()
    assert ("claire-dumont",) in speakers
