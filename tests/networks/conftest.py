"""A small corpus written for the network tests, with weights counted by hand.

Two camps argue over a coal phase-out and a carbon tax across four dated articles:

=====  ==========  ========  ===============================================================
art    date        source    statements (actor: concept polarity)
=====  ==========  ========  ===============================================================
art1   2024-01-03  Daily     Greta Green: coal +, Green Party: coal +, Coal Union: coal -,
                             Greta Green: coal + (again, same article)
art2   2024-01-10  Daily     Greta Green: coal +, Frank Fossil: coal -, Green Party: tax +,
                             Frank Fossil: against Greta Green (a stance on an actor)
art3   2024-02-07  Herald    Coal Union: coal -, Frank Fossil: tax - (confidence 0.4),
                             Climate Alliance: coal +
art4   2024-02-20  Herald    Climate Alliance: tax +
=====  ==========  ========  ===============================================================

Supporters: Greta Green (person, 3 statements), Green Party (organization, 2), Climate
Alliance (group, 2). Opponents: Coal Union (organization, 2), Frank Fossil (person, 3).
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pytest

from stancegraph.records import Actor, ArticleAnalysis, Span, Stance

COAL, TAX = "coal phase-out", "carbon tax"
GRETA, PARTY, ALLIANCE, UNION, FRANK = "Greta Green", "Green Party", "Climate Alliance", "Coal Union", "Frank Fossil"
TYPES = {GRETA: "person", PARTY: "organization", ALLIANCE: "group", UNION: "organization", FRANK: "person"}
SUPPORTERS, OPPONENTS = (GRETA, PARTY, ALLIANCE), (UNION, FRANK)

# (actor, target, target kind, polarity, confidence)
ARTICLES = [
    ("art1", "2024-01-03", "Daily", [(GRETA, COAL, "issue", 1, 0.9), (PARTY, COAL, "issue", 1, 0.9),
                                     (UNION, COAL, "issue", -1, 0.9), (GRETA, COAL, "issue", 1, 0.8)]),
    ("art2", "2024-01-10", "Daily", [(GRETA, COAL, "issue", 1, 0.9), (FRANK, COAL, "issue", -1, 0.9),
                                     (PARTY, TAX, "issue", 1, 0.9), (FRANK, GRETA, "actor", -1, 0.7)]),
    ("art3", "2024-02-07", "Herald", [(UNION, COAL, "issue", -1, 0.9), (FRANK, TAX, "issue", -1, 0.4),
                                      (ALLIANCE, COAL, "issue", 1, 0.9)]),
    ("art4", "2024-02-20", "Herald", [(ALLIANCE, TAX, "issue", 1, 0.9)]),
]


def _analysis(article_id: str, date: str, source: str, statements: list[tuple[str, str, str, int, float]]) -> ArticleAnalysis:
    """An article whose text says each statement in a sentence of its own, with real spans."""
    sentences, spans = [], []
    offset = 0
    for actor, target, _kind, polarity, _ in statements:
        verb = "supports" if polarity > 0 else "opposes"
        sentence = f"{actor} {verb} {target}."
        sentences.append(sentence)
        spans.append((offset, offset + len(sentence)))
        offset += len(sentence) + 1
    text = " ".join(sentences)
    names = sorted({s[0] for s in statements} | {s[1] for s in statements if s[2] == "actor"})
    ids = {name: f"x{i}" for i, name in enumerate(names)}
    actors = []
    for name in names:
        mentions = [Span.of(text, i, i + len(name)) for i in _find_all(text, name)]
        actors.append(Actor(ids[name], name, TYPES[name], mentions=mentions))  # type: ignore[arg-type]
    stances = [
        Stance(ids[actor], ids[target] if kind == "actor" else target, kind, polarity,  # type: ignore[arg-type]
               Span.of(text, *span), confidence)
        for (actor, target, kind, polarity, confidence), span in zip(statements, spans)
    ]
    return ArticleAnalysis(article_id, f"Energy row, part {article_id[-1]}", date, source, text,
                           actors=actors, stances=stances)


def _find_all(text: str, name: str) -> list[int]:
    found, start = [], text.find(name)
    while start >= 0:
        found.append(start)
        start = text.find(name, start + 1)
    return found


@pytest.fixture(scope="session")
def analyses() -> list[ArticleAnalysis]:
    return [_analysis(*article) for article in ARTICLES]


@pytest.fixture(scope="session")
def statements(analyses):
    from stancegraph.networks import statements_from_analyses

    return statements_from_analyses(analyses)


@pytest.fixture(scope="session")
def store_path(tmp_path_factory, analyses):
    """The corpus written through the real store, in a DuckDB file."""
    from stancegraph.store import open_store, write_analyses

    path = tmp_path_factory.mktemp("store") / "corpus.duckdb"
    con = open_store(path)
    write_analyses(con, analyses)
    con.close()
    return path


@pytest.fixture
def store(store_path, tmp_path):
    """A writable copy of the corpus store, fresh for each test."""
    import shutil

    from stancegraph.store import open_store

    path = tmp_path / "corpus.duckdb"
    shutil.copy(store_path, path)
    con = open_store(path)
    yield con
    con.close()


def _weights_by_name(graph: nx.Graph) -> dict[frozenset[str], float]:
    return {frozenset((graph.nodes[u]["name"], graph.nodes[v]["name"])): round(d["weight"], 4)
            for u, v, d in graph.edges(data=True)}


@pytest.fixture(scope="session")
def weights() -> Callable[[nx.Graph], dict[frozenset[str], float]]:
    """Edge weights of a graph keyed by the pair of node names (rounded to 4 places)."""
    return _weights_by_name
