"""Name keys every layer compares names with: the extractors, the registry and the store.

They sit below ``extract/`` so that the store and the registry need not import the
extraction code to compare or name actors.

Example
-------
>>> name_key("the U.S."), name_key("Macron’s")
('us', 'macron')
>>> slug("Élisabeth Borne"), slug("!!")
('elisabeth-borne', 'actor')
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["accentless_key", "is_name_word", "name_key", "slug"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """A comparison key for a name: case, dots, apostrophes, spacing and "the" folded."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).casefold().strip()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s$", "", text)
    text = text.replace(".", "")
    return re.sub(r"\s+", " ", text).strip(" ,;:'\"-")


@functools.lru_cache(maxsize=65536)
def accentless_key(text: str) -> str:
    """:func:`name_key` with diacritics folded, so that "Ḥadīd" and "Hadid" are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", name_key(text)) if not unicodedata.combining(c))


def is_name_word(text: str) -> bool:
    """Whether a word can be (part of) a name: letters only, capitalised, not all capitals.

    >>> [is_name_word(w) for w in ("Dahl", "NATO", "dahl", "O'Neil", "A")]
    [True, False, False, False, False]
    """
    return text.isalpha() and text[0].isupper() and not text.isupper()


def slug(text: str) -> str:
    """An identifier made of a name: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "actor"
