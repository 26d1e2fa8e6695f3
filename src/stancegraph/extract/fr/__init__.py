"""The French pipeline: what differs from English, on a ``fr_core_news_sm`` parse.

Actors (:mod:`.actors`), quotes with guillemets, incises and "selon" (:mod:`.quotes`) and
stance verbs (:mod:`.stances`) are rules over the parse and ``lang/fr/``; relations between
actors are the language-free :func:`~stancegraph.extract.relations.find_relations`. The
trained English models (quote tagger, coreference, stance classifiers) and the figure and
time checks are not run on French: French articles have no claims, and of the flags only
role conflicts (:mod:`.flags`).
"""

from __future__ import annotations

from spacy.tokens import Doc

from stancegraph.extract.fr.actors import find_actors
from stancegraph.extract.fr.flags import role_flags
from stancegraph.extract.fr.quotes import find_quotes
from stancegraph.extract.fr.stances import find_stances
from stancegraph.extract.relations import find_relations
from stancegraph.records import Article, ArticleAnalysis

__all__ = ["analyze_french"]


def analyze_french(doc: Doc, article: Article, *, id: str) -> ArticleAnalysis:
    """The analysis of one parsed French article."""
    actors = find_actors(doc)
    stances = find_stances(doc, actors)
    return ArticleAnalysis(
        id=id, title=article.title, date=article.date, source=article.source, url=article.url, text=article.text,
        actors=actors.actors, quotes=find_quotes(doc, actors), stances=stances,
        relations=find_relations(stances, actors.actors), claims=[], flags=role_flags(actors.actors), lang="fr",
    )
