"""stancegraph: who says what about whom, and who sides with whom, in political news.

The public face: :func:`analyze` for one article, :func:`analyze_articles` for many, and
:class:`Corpus` for a store built by ``stancegraph ingest``.

Example
-------
>>> import stancegraph
>>> result = stancegraph.analyze("“We will win,” Macron said.")
>>> result.quotes[0].content.text, result.actor(result.quotes[0].actor).name
('We will win', 'Macron')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stancegraph.records import (
    Actor,
    Article,
    ArticleAnalysis,
    Claim,
    Flag,
    Quote,
    Relation,
    Span,
    Stance,
)

__all__ = [
    "Actor",
    "Article",
    "ArticleAnalysis",
    "Claim",
    "Corpus",
    "Flag",
    "Quote",
    "Relation",
    "Span",
    "Stance",
    "__version__",
    "analyze",
    "analyze_articles",
]

__version__ = "0.1.0"

if TYPE_CHECKING:
    from stancegraph.pipeline import analyze, analyze_articles
    from stancegraph.store.corpus import Corpus

# Heavy parts (spaCy, the store) load on first use, so that ``import stancegraph`` and the
# CLI start fast.
_LAZY = {
    "analyze": "stancegraph.pipeline",
    "analyze_articles": "stancegraph.pipeline",
    "Corpus": "stancegraph.store.corpus",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'stancegraph' has no attribute {name!r}")
