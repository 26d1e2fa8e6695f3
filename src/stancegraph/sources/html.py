"""HTML pages: the main text, title, date, site name and URL, extracted by trafilatura (the html extra).

Navigation, footers and other boilerplate are left out; the date comes from the page's
metadata (normalised to ``YYYY-MM-DD``), the source is the site name (or the host name), and
the URL is the page's canonical one where it declares it. Encodings declared by the page are
honoured; a page with no main text is an :class:`InputError` (E108).

Example
-------
>>> import tempfile, pathlib
>>> page = pathlib.Path(tempfile.mkdtemp()) / "budget.html"
>>> body = "<p>" + "The finance minister said the budget would stay as it is. " * 6 + "</p>"
>>> _ = page.write_text(f"<html><head><title>Budget</title></head><body>{body}</body></html>")
>>> (_, article), = read_html_file(page, "budget", ReadOptions())
>>> article.id, article.title, article.text[:26]
('budget', 'Budget', 'The finance minister said ')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from stancegraph.errors import InputError
from stancegraph.extras import require
from stancegraph.records import Article
from stancegraph.sources.dates import iso_date
from stancegraph.sources.options import ReadOptions
from stancegraph.sources.text import check_text

__all__ = ["article_from_html", "read_html_file"]

_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.IGNORECASE)
"""The page's declared language: ``<html lang="fr-FR">``."""


def article_from_html(data: bytes, *, input: str, id: str | None, max_chars: int) -> Article:
    """The article of one HTML page; raises :class:`InputError` when it has none."""
    if b"\x00" in data[:8192]:
        raise InputError("E102", input=input, detail="it contains NUL bytes")
    # slow to import: only when a page is read; E130 without the html extra
    trafilatura = require("trafilatura", extra="html", feature="reading an HTML page")
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(data, with_metadata=True)
    if not isinstance(document, Document) or not document.text or not document.text.strip():
        raise InputError("E108", input=input)
    text = check_text(document.text, input=input, max_chars=max_chars)
    try:
        date = iso_date(document.date, input=input)
    except InputError:
        date = None  # a page's own metadata is advisory: a bad date there costs the date, not the article
    declared = _HTML_LANG.search(data[:8192])
    return Article(
        text=text,
        id=id,
        title=document.title or None,
        date=date,
        source=document.sitename or document.hostname or None,
        url=document.url or None,
        lang=declared.group(1).decode("ascii") if declared else None,
    )


def read_html_file(path: Path, id: str, options: ReadOptions) -> Iterator[tuple[str, Article | InputError]]:
    """A ``.html`` or ``.htm`` file: one article."""
    input = str(path)
    try:
        yield input, article_from_html(path.read_bytes(), input=input, id=id, max_chars=options.max_chars)
    except InputError as err:
        yield input, err
    except OSError as err:
        yield input, InputError("E110", input=input, detail=err.strerror or str(err))
