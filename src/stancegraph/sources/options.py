"""What a reader needs to know beside the path: size limit, column names and language.

Example
-------
>>> options = ReadOptions(fields=FieldMap(text="body"))
>>> options.fields.text, options.fields.id
('body', 'id')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from stancegraph.sources.text import DEFAULT_MAX_CHARS

__all__ = ["FieldMap", "LangOption", "ReadOptions"]


class LangOption(StrEnum):
    """``--lang``: each article's own language (given or detected), or one for every article."""

    auto = "auto"
    en = "en"
    fr = "fr"


@dataclass(frozen=True)
class FieldMap:
    """The record fields (JSONL keys, CSV columns) that hold each part of an article."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    date: str = "date"
    source: str = "source"
    url: str = "url"
    lang: str = "lang"


@dataclass(frozen=True)
class ReadOptions:
    """Options every reader takes: the longest text accepted, the record field names, and the
    language (``auto``: each article's own, given or detected; ``en``/``fr``: every article's)."""

    max_chars: int = DEFAULT_MAX_CHARS
    fields: FieldMap = field(default_factory=FieldMap)
    lang: str = "auto"
