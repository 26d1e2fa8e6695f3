"""What a reader needs to know beside the path: size limit and column names.

Example
-------
>>> options = ReadOptions(fields=FieldMap(text="body"))
>>> options.fields.text, options.fields.id
('body', 'id')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stancegraph.sources.text import DEFAULT_MAX_CHARS

__all__ = ["FieldMap", "ReadOptions"]


@dataclass(frozen=True)
class FieldMap:
    """The record fields (JSONL keys, CSV columns) that hold each part of an article."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    date: str = "date"
    source: str = "source"
    url: str = "url"


@dataclass(frozen=True)
class ReadOptions:
    """Options every reader takes: the longest text accepted and the record field names."""

    max_chars: int = DEFAULT_MAX_CHARS
    fields: FieldMap = field(default_factory=FieldMap)
