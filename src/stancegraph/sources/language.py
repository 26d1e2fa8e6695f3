"""The language of an article: given (``--lang``, a record's ``lang`` field, HTML ``lang``) or detected.

Detection uses py3langid (an offline n-gram classifier over 97 languages). A text is taken as
English or French when the classifier ranks that language first; a text it ranks in another
language is refused as unsupported (E117) only when the classifier is sure
(:data:`MIN_CONFIDENCE`) and the text long enough to judge (:data:`MIN_WORDS`). A short or
uncertain text stays English, as every text was before detection: a one-line headline or
"Macron spoke." must not become unanalysable.

Example
-------
>>> detect("Le président a déclaré que la réforme serait adoptée avant l'été.").lang
'fr'
>>> article_language(Article("The minister said the budget would stay as it is."))
'en'
>>> normalise("FR-fr")
'fr'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from stancegraph.errors import InputError
from stancegraph.lang import LANGUAGES
from stancegraph.records import Article

__all__ = ["DEFAULT", "MIN_CONFIDENCE", "MIN_WORDS", "Detection", "article_language", "detect", "normalise"]

DEFAULT = "en"
MIN_CONFIDENCE = 0.9
"""The classifier's (normalised) probability above which a text is refused as unsupported."""
MIN_WORDS = 12
"""Texts shorter than this many words are never refused: too short to judge reliably."""
SAMPLE_CHARS = 5_000
"""Detection reads the start of the text only: its cost grows with length, its answer does not."""


@dataclass(frozen=True)
class Detection:
    """The classifier's answer: an ISO 639-1 code and its probability."""

    lang: str
    confidence: float


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> Detection:
    """The most likely language of ``text`` (from its first :data:`SAMPLE_CHARS` characters)."""
    lang, confidence = _identifier().classify(text[:SAMPLE_CHARS])
    return Detection(str(lang), float(confidence))


def normalise(code: str) -> str:
    """A language tag reduced to its lower-case primary subtag ("fr-FR" -> "fr")."""
    return code.strip().replace("_", "-").split("-")[0].lower()


def article_language(article: Article) -> str:
    """The language an article is analysed in; raises E117 for one stancegraph cannot analyse."""
    input = article.id or "<text>"
    if article.lang:
        lang = normalise(article.lang)
        if lang not in LANGUAGES:
            raise InputError("E117", input=input, lang=lang, how="given", supported=", ".join(LANGUAGES))
        return lang
    found = detect(article.text)
    if found.lang in LANGUAGES:
        return found.lang
    if found.confidence >= MIN_CONFIDENCE and len(article.text.split()) >= MIN_WORDS:
        raise InputError("E117", input=input, lang=found.lang, how=f"detected, p={found.confidence:.2f}",
                         supported=", ".join(LANGUAGES))
    return DEFAULT
