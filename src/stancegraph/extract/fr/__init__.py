"""The French pipeline: what differs from English, on a ``fr_core_news_sm`` parse.

Actors (:mod:`.actors`), quotes with guillemets, dialogue dashes, incises and "selon"
(:mod:`.quotes`) and stance verbs (:mod:`.stances`) are rules over the parse and ``lang/fr/``;
claims (:mod:`.claims`) and flags (:mod:`.flags`) share the English code with French data;
relations between actors are the language-free
:func:`~stancegraph.extract.relations.find_relations`. The trained English models (quote
tagger, coreference, stance classifiers) are not run on French.
"""

from __future__ import annotations

from spacy.tokens import Doc

from stancegraph.extract.fr.actors import find_actors
from stancegraph.extract.fr.claims import find_claims
from stancegraph.extract.fr.flags import find_flags
from stancegraph.extract.fr.quotes import find_quotes
from stancegraph.extract.fr.stances import find_stances
from stancegraph.extract.relations import find_relations
from stancegraph.records import Article, ArticleAnalysis

__all__ = ["analyze_french"]


def analyze_french(doc: Doc, article: Article, *, id: str) -> ArticleAnalysis:
    """The analysis of one parsed French article."""
    actors = find_actors(doc)
    stances = find_stances(doc, actors)
    quotes = find_quotes(doc, actors)
    claims = find_claims(doc, actors, quotes)
    return ArticleAnalysis(
        id=id, title=article.title, date=article.date, source=article.source, url=article.url, text=article.text,
        actors=actors.actors, quotes=quotes, stances=stances, relations=find_relations(stances, actors.actors),
        claims=claims, flags=find_flags(doc, article, actors, quotes, stances, claims), lang="fr",
    )
