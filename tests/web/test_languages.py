"""One store across English and French: languages stored, one actor per person, the API filter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from webserver import start_server

from stancegraph.engines.ingest import ingest
from stancegraph.networks.build import NetworkOptions, build_network, prepare_statements
from stancegraph.store import open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Path:
    """The English and the French example articles (the same fictional stories) in one store."""
    db = tmp_path_factory.mktemp("bilingual") / "corpus.duckdb"
    summary = ingest([str(EXAMPLES / "articles.jsonl"), str(EXAMPLES / "articles_fr.jsonl")], db, time_budget=None)
    assert summary.failed == 0
    return db


def test_each_article_is_stored_with_its_language(bilingual: Path) -> None:
    con = open_store(bilingual, read_only=True)
    assert dict(con.execute("SELECT lang, count(*) FROM articles GROUP BY lang").fetchall()) == {"en": 6, "fr": 3}


def test_one_person_is_one_actor_and_the_network_has_edges_from_both_languages(bilingual: Path) -> None:
    con = open_store(bilingual, read_only=True)
    langs = dict(con.execute("SELECT id, lang FROM articles").fetchall())
    assert con.execute("SELECT count(*) FROM actors WHERE type = 'person' AND name LIKE '%Keller%'").fetchone()[0] == 1
    statements = prepare_statements(con, NetworkOptions(kind="subtract", similarity=None))
    by_lang = {lang: set(statements[statements.article_id.map(langs) == lang].actor_id) for lang in ("en", "fr")}
    assert {"marta-keller", "viktor-sandor", "tomas-lindqvist"} <= by_lang["en"] & by_lang["fr"]
    french_only = statements[statements.article_id.map(langs) == "fr"]
    graph = build_network(french_only, NetworkOptions(kind="subtract", similarity=None))
    assert graph.number_of_edges() > 0  # French statements alone make edges
    whole = build_network(con, NetworkOptions(kind="subtract", similarity=None))
    assert set(graph.nodes) <= set(whole.nodes)


def test_the_api_filters_articles_by_language(bilingual: Path, tmp_path: Path) -> None:
    server = start_server(bilingual, tmp_path / "server.log", "--no-embeddings")
    try:
        with server.client() as http:
            french = http.get("/api/articles", params={"lang": "fr"}).json()
            assert french["total"] == 3 and {a["lang"] for a in french["articles"]} == {"fr"}
            assert http.get("/api/articles", params={"lang": "en"}).json()["total"] == 6
            assert http.get("/api/articles").json()["total"] == 9
            assert http.get("/api/articles", params={"lang": "de"}).status_code == 422
            article = http.get("/api/articles/2024-02-03-sommet-sanctions").json()
            assert article["lang"] == "fr" and any(q["actor"] == "viktor-sandor" for q in article["quotes"])
            page = http.get("/articles/2024-02-03-sommet-sanctions").text
            assert re.search(r'<div [^>]*id="article-text"[^>]*\blang="fr"', page)  # the text marked French
            assert 'data-speaker="Viktor Sandor"' in page  # the French quote highlighted with its speaker
    finally:
        server.stop()


def test_a_concept_list_with_aliases_in_both_languages_joins_their_statements(bilingual: Path, tmp_path: Path) -> None:
    import shutil

    from stancegraph.networks.concepts import add_concept

    db = tmp_path / "copy.duckdb"
    shutil.copy(bilingual, db)
    con = open_store(db)
    add_concept(con, "carbon border tax", ["tax", "levy", "taxe", "taxe carbone aux frontières"])
    langs = dict(con.execute("SELECT id, lang FROM articles").fetchall())
    statements = prepare_statements(con, NetworkOptions(kind="subtract", similarity=None))
    on_tax = statements[statements.concept == "carbon border tax"]
    assert set(on_tax.article_id.map(langs)) == {"en", "fr"}
    assert {"marta-keller", "tomas-lindqvist"} <= set(on_tax[on_tax.article_id.map(langs) == "fr"].actor_id)
