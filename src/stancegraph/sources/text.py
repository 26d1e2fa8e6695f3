"""Plain-text articles: bytes checked and decoded, the first line taken as the title.

Example
-------
>>> article = article_from_text("Budget Row Deepens\\n\\nThe minister said no.", id="a1")
>>> article.title, article.text[:18]
('Budget Row Deepens', 'Budget Row Deepens')
"""

from __future__ import annotations

from stancegraph.errors import InputError
from stancegraph.records import Article

__all__ = ["DEFAULT_MAX_CHARS", "article_from_text", "check_text", "decode", "first_line_title", "read_bytes"]

DEFAULT_MAX_CHARS = 1_000_000
_TEXT_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}


def decode(data: bytes, *, input: str) -> str:
    """UTF-8 text of ``data`` (a BOM is dropped); binary or invalid bytes raise :class:`InputError`."""
    if b"\x00" in data[:8192]:
        raise InputError("E102", input=input, detail="it contains NUL bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError("E103", input=input, position=err.start, detail=err.reason) from None
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in _TEXT_CONTROLS)
    if sample and controls / len(sample) > 0.05:
        raise InputError("E102", input=input, detail=f"{controls} control characters in the first {len(sample)}")
    return text


def check_text(text: str, *, input: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """``text`` unchanged if it can be analysed; empty or oversize text raises :class:`InputError`."""
    if not text.strip():
        raise InputError("E101", input=input)
    if len(text) > max_chars:
        raise InputError("E104", input=input, size=len(text), limit=max_chars)
    return text


def first_line_title(text: str) -> str | None:
    """The first line when it reads as a headline: more text follows and it does not end a sentence."""
    first, newline, rest = text.lstrip().partition("\n")
    first = first.strip()
    if not newline or not rest.strip() or not first or len(first.split()) > 30:
        return None
    return None if first.endswith((".", ",", ";", ":")) else first


def article_from_text(text: str, *, id: str | None = None, source: str | None = None,
                      date: str | None = None) -> Article:
    """An article from plain text; the title is the first line when it reads as one."""
    return Article(text=text, id=id, title=first_line_title(text), source=source, date=date)


def read_bytes(data: bytes, *, input: str, id: str, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """An article from the bytes of a ``.txt`` file or standard input."""
    text = check_text(decode(data, input=input), input=input, max_chars=max_chars)
    return article_from_text(text, id=id)

