"""The per-article pipeline: parse once, then run each extraction step on the parse.

``analyze`` handles one text; ``analyze_articles`` streams many through ``nlp.pipe`` (the
spaCy pipeline is loaded once per process) and yields an
:class:`~stancegraph.errors.InputError` in place of any article that fails, so one bad
article never stops a corpus.

Example
-------
>>> result = analyze("Macron said the war must end.", title="Talks")
>>> [actor.name for actor in result.actors]
['Macron']
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc

from stancegraph.errors import InputError, ModelError, StanceGraphError
from stancegraph.extract.actors import find_actors
from stancegraph.extract.claims import find_claims
from stancegraph.extract.consistency import find_flags
from stancegraph.extract.quotes import find_quotes
from stancegraph.extract.stances import find_relations, find_stances
from stancegraph.nlp import parse, pipeline_for
from stancegraph.records import Article, ArticleAnalysis
from stancegraph.sources.language import article_language
from stancegraph.sources.text import DEFAULT_MAX_CHARS, check_text

__all__ = ["analyze", "analyze_articles", "analyze_doc", "article_id"]


def article_id(text: str) -> str:
    """A stable id for an article given without one: a prefix of its content hash."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def analyze_doc(doc: Doc, article: Article, *, fast: bool = False) -> ArticleAnalysis:
    """Run every extraction step on a parsed article (``fast``: quotes by the CRF tagger).

    A French article (``article.lang == "fr"``) goes through :mod:`stancegraph.extract.fr`.
    """
    if article.lang == "fr":
        from stancegraph.extract.fr import analyze_french

        return analyze_french(doc, article, id=article.id or article_id(article.text))
    actors = find_actors(doc)
    quotes = find_quotes(doc, actors, fast=fast)
    stances = find_stances(doc, actors, quotes)
    claims = find_claims(doc, actors, quotes)
    flags = find_flags(doc, article, actors, quotes, stances, claims)
    return ArticleAnalysis(
        id=article.id or article_id(article.text),
        title=article.title,
        date=article.date,
        source=article.source,
        url=article.url,
        text=article.text,
        actors=actors.actors,
        quotes=quotes,
        stances=stances,
        relations=find_relations(stances, actors.actors),
        claims=claims,
        flags=flags,
        lang="en",
    )


def analyze_articles(articles: Iterable[Article | InputError], *, max_chars: int = DEFAULT_MAX_CHARS,
                     batch_size: int = 32, fast: bool = False,
                     time_budget: float | None = None) -> Iterator[ArticleAnalysis | InputError]:
    """Analyse articles in order, parsing them with one ``nlp.pipe``; errors pass through in place.

    ``fast`` takes the CRF quote tagger instead of the default one (``analyze --fast``).

    With ``time_budget`` (seconds), each article is analysed in a child process instead, and
    one that takes longer is stopped there and given as an E116 error in its place, so no
    article holds up the others by more than the budget. The budget is enforced by killing
    the child, not checked between steps: a check between steps could not stop a parse that
    runs for minutes inside spaCy. The cost is the child's start (loading the pipeline once
    per thread, not counted in any budget) and sending the articles and their analyses over
    a pipe; the child still parses ``batch_size`` articles per ``nlp.pipe`` batch. See
    :mod:`stancegraph.engines.budget`.
    """
    if time_budget is not None:
        from stancegraph.engines.budget import analyze_in_child

        yield from analyze_in_child(articles, time_budget, max_chars=max_chars, fast=fast, batch_size=batch_size)
        return

    def checked(items: Iterable[Article | InputError]) -> Iterator[Article | InputError]:
        """Each article with its text checked and its language settled (E117 for an unsupported one)."""
        for item in items:
            if isinstance(item, Article):
                try:
                    check_text(item.text, input=item.id or "<text>", max_chars=max_chars)
                    item = replace(item, lang=article_language(item))
                except InputError as err:
                    item = err
            yield item

    # runs of articles in one language share a pipeline and its nlp.pipe batches
    for lang, run in itertools.groupby(checked(articles), key=lambda item: getattr(item, "lang", None)):
        if lang is None:  # the errors: every article has its language by now
            yield from (item for item in run if isinstance(item, InputError))
            continue
        try:
            nlp = pipeline_for(lang)
        except ModelError as err:
            yield from (InputError(err.code, input=getattr(item, "id", None) or "<text>", **err.details) for item in run)
            continue
        pending: list[Article] = []

        def texts(run: Iterable[Article | InputError] = run,
                  pending: list[Article] = pending) -> Iterator[str]:
            for article in run:  # noqa: B031 (this or the error path above reads the run, never both)
                assert isinstance(article, Article)
                pending.append(article)
                yield article.text

        for doc in parse(texts(), batch_size=batch_size, nlp=nlp):
            article = pending.pop(0)
            try:
                yield analyze_doc(doc, article, fast=fast)
            except InputError as err:
                yield err
            except ModelError:  # a missing or broken model fails every article: stop with its code
                raise
            except Exception as err:  # a bug in one step must not lose the other articles
                yield InputError("E114", input=article.id or "<text>", detail=f"{type(err).__name__}: {err}")


def analyze(text: str, *, title: str | None = None, date: str | None = None, source: str | None = None,
            id: str | None = None, url: str | None = None, max_chars: int = DEFAULT_MAX_CHARS,
            fast: bool = False, lang: str | None = None) -> ArticleAnalysis:
    """Analyse one article text: its actors, quotes, stances, relations, claims and flags.

    Raises :class:`~stancegraph.errors.InputError` when the text cannot be analysed (empty,
    longer than ``max_chars``, or in a language stancegraph does not analyse). ``lang``
    (``en``, ``fr``) skips detection.
    """
    article = Article(text=text, id=id, title=title, date=date, source=source, url=url, lang=lang)
    result = next(analyze_articles([article], max_chars=max_chars, fast=fast))
    if isinstance(result, StanceGraphError):
        raise result
    return result
