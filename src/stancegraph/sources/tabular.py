"""Records in JSON lines (``.jsonl``, ``.json``) and CSV (``.csv``) files: one article each.

Each record gives the article's ``text`` (required) and optionally its ``id``, ``title``,
``date``, ``source`` and ``url``; :class:`~stancegraph.sources.options.FieldMap` maps other key
or column names (``--text-field body``). Files are streamed, so their size is not limited by
memory. A bad record (malformed JSON, no text, an unreadable date, a row with too many cells)
is an :class:`InputError` naming the file and line, and the records after it are still read.

Example
-------
>>> import tempfile, pathlib
>>> lines = pathlib.Path(tempfile.mkdtemp()) / "news.jsonl"
>>> _ = lines.write_text('{"body": "Merkel spoke.", "id": 7, "date": "1 March 2024"}\\n{oops\\n')
>>> [(name.rsplit("/", 1)[-1], getattr(item, "date", None) or item.code)
...  for name, item in read_json_file(lines, "news", ReadOptions(fields=FieldMap(text="body")))]
[('news.jsonl:1', '2024-03-01'), ('news.jsonl:2', 'E105')]
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from stancegraph.errors import InputError
from stancegraph.records import Article
from stancegraph.sources.dates import iso_date
from stancegraph.sources.options import FieldMap, ReadOptions
from stancegraph.sources.text import check_text

__all__ = ["article_from_record", "read_csv_file", "read_json_file"]

Record = tuple[str, Article | InputError]
_BINARY_PROBE = 8192


def _optional(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def article_from_record(record: Mapping[str, Any], *, fields: FieldMap, input: str, line: int,
                        max_chars: int) -> Article:
    """The article of one record; raises :class:`InputError` for a record that has none."""
    text = record.get(fields.text)
    if not isinstance(text, str) or not text.strip():
        raise InputError("E106", input=input, line=line, field=fields.text)
    return Article(
        text=check_text(text, input=input, max_chars=max_chars),
        id=_optional(record.get(fields.id)),
        title=_optional(record.get(fields.title)),
        date=iso_date(record.get(fields.date), input=input),
        source=_optional(record.get(fields.source)),
        url=_optional(record.get(fields.url)),
        lang=_optional(record.get(fields.lang)),
    )


def _is_binary(path: Path) -> bool:
    with path.open("rb") as handle:
        return b"\x00" in handle.read(_BINARY_PROBE)


def read_json_file(path: Path, id: str, options: ReadOptions) -> Iterator[Record]:
    """A JSON lines file: one JSON object per line; blank lines are ignored."""
    try:
        if _is_binary(path):
            yield str(path), InputError("E102", input=str(path), detail="it contains NUL bytes")
            return
        handle = path.open("rb")
    except OSError as err:
        yield str(path), InputError("E110", input=str(path), detail=err.strerror or str(err))
        return
    with handle:
        for line, raw in enumerate(handle, start=1):
            input = f"{path}:{line}"
            try:
                decoded = raw.decode("utf-8-sig" if line == 1 else "utf-8")
            except UnicodeDecodeError as err:
                yield input, InputError("E103", input=input, position=err.start, detail=err.reason)
                continue
            if not decoded.strip():
                continue
            try:
                record = json.loads(decoded)
            except json.JSONDecodeError as err:
                yield input, InputError("E105", input=input, line=line, detail=f"{err.msg} at column {err.colno}")
                continue
            if not isinstance(record, dict):
                detail = f"expected one JSON object per line, found {type(record).__name__}"
                yield input, InputError("E105", input=input, line=line, detail=detail)
                continue
            try:
                yield input, article_from_record(record, fields=options.fields, input=input, line=line,
                                                 max_chars=options.max_chars)
            except InputError as err:
                yield input, err


def read_csv_file(path: Path, id: str, options: ReadOptions) -> Iterator[Record]:
    """A CSV file with a header row; each further row is one article."""
    csv.field_size_limit(max(csv.field_size_limit(), options.max_chars * 4))
    try:
        if _is_binary(path):
            yield str(path), InputError("E102", input=str(path), detail="it contains NUL bytes")
            return
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as err:
        yield str(path), InputError("E110", input=str(path), detail=err.strerror or str(err))
        return
    with handle:
        rows = csv.DictReader(handle, strict=True)
        line = 1
        try:
            header = rows.fieldnames or []
            if options.fields.text not in header:
                detail = f"no '{options.fields.text}' column (columns: {', '.join(header) or 'none'})"
                yield str(path), InputError("E107", input=str(path), detail=detail)
                return
            for row in rows:
                first_line, line = line + 1, rows.line_num
                input = f"{path}:{first_line}"
                if None in row:
                    detail = f"line {first_line} has {len(header) + len(row[None])} cells, the header {len(header)}"
                    yield input, InputError("E107", input=input, detail=detail)
                    continue
                try:
                    yield input, article_from_record(row, fields=options.fields, input=input, line=first_line,
                                                     max_chars=options.max_chars)
                except InputError as err:
                    yield input, err
        except UnicodeDecodeError as err:
            yield f"{path}:{line + 1}", InputError("E103", input=f"{path}:{line + 1}", position=err.start,
                                                    detail=err.reason)
        except csv.Error as err:
            yield f"{path}:{line + 1}", InputError("E107", input=f"{path}:{line + 1}",
                                                    detail=f"line {line + 1}: {err}")
