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
from pathlib import Path
from typing import Any

from stancegraph.errors import InputError
from stancegraph.lang import LANGUAGES
from stancegraph.records import Article
from stancegraph.usercache import cached

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
    """py3langid's classifier. Its model ships LZMA-compressed (~1.5 s to unpack on every start): the
    unpacked model is kept in the user's cache directory (keyed on py3langid's version) and read from there."""
    from importlib.metadata import version

    return cached("py3langid-model", version("py3langid") + ".npz", build=_model_from_package,
                  save=_save_unpacked_model, load=_model_from_unpacked)


def _model_from_package() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _save_unpacked_model(identifier: Any, path: Path) -> None:
    """The package's model file, unpacked to ``path`` (``identifier`` is not needed: the file is the model)."""
    import lzma
    import shutil

    from py3langid.langid import MODEL_DIR, MODEL_FILE

    with lzma.open(MODEL_DIR / MODEL_FILE) as packed, path.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked, length=1 << 20)


def _model_from_unpacked(path: Path) -> Any:
    """The classifier from an unpacked model file, the way py3langid's own ``load_model`` reads it."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier
    from py3langid.modelio import _to_array

    with np.load(path, allow_pickle=False) as data:
        return LanguageIdentifier(np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                                  _to_array(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
                                  tk_row=_to_array(data["nextmove_row"]))


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
