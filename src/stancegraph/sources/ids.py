"""The allowed form of an article id, checked wherever an id comes in (readers and the HTTP API).

An id names an article in the store, in URLs (``/articles/{id}``) and in exports, so it must
survive being a URL path: 1 to :data:`MAX_ID` characters, not blank, no control character,
and, read as segments between ``/``, no ``.`` or ``..`` segment (a browser would resolve it
and open another page) and no empty segment (proxies merge ``//``), apart from the ``//`` of
a URL's ``scheme://`` at the start and one final ``/`` (so a feed item's link can be its id).

Example
-------
>>> id_problem("politics/2024-03-01")
>>> id_problem("https://news.example/2024/vote/")
>>> id_problem("../../api/overview")
"'..' segment"
"""

from __future__ import annotations

import re
import unicodedata

from stancegraph.errors import InputError

__all__ = ["MAX_ID", "check_article_id", "id_problem"]

MAX_ID = 512
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def id_problem(article_id: str) -> str | None:
    """What is wrong with ``article_id`` (a short phrase), or None when it has the allowed form."""
    if not article_id.strip():
        return "it is blank"
    if len(article_id) > MAX_ID:
        return f"it is {len(article_id):,} characters long"
    if any(unicodedata.category(c) == "Cc" for c in article_id):
        return "it holds a control character"
    scheme = _SCHEME.match(article_id)
    path = article_id[scheme.end():] if scheme else article_id
    if path.endswith("/"):
        path = path[:-1]
    for segment in path.split("/"):
        if segment in (".", ".."):
            return f"'{segment}' segment"
        if not segment:
            return "empty segment"
    return None


def check_article_id(article_id: str, *, input: str | None = None) -> str:
    """``article_id`` unchanged, or :class:`InputError` E120 saying what is wrong with it."""
    reason = id_problem(article_id)
    if reason is not None:
        raise InputError("E120", input=input, id=article_id[:200], reason=reason)
    return article_id
