"""Readers: files, directories, globs and standard input -> :class:`~stancegraph.records.Article`.

:func:`read_inputs` walks what the user named and yields one ``Article`` per article, or an
:class:`~stancegraph.errors.InputError` for an input that cannot be read, so that callers report
it and go on with the rest. Each file type has its reader in :data:`READERS`; a reader takes a
path, the article id the path gives and the :class:`ReadOptions`, and yields ``(input, item)``
pairs, ``input`` naming the file or the line of it (a JSONL, CSV or feed file holds many
articles). :func:`read_records` keeps those names; the store records them.

A file's id is its path relative to the directory (or the fixed part of the glob) it was found
under, without extension, so ``politics/001.txt`` and ``business/001.txt`` stay apart. Every
id, from a path or from a record, must have the form :mod:`stancegraph.sources.ids` allows;
an article whose id has not is an :class:`~stancegraph.errors.InputError` (E120).

Example
-------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Title\\n\\nBody text.")
>>> [item.id for item in read_inputs([str(folder)])]
['a']
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from stancegraph.errors import InputError
from stancegraph.records import Article
from stancegraph.sources import feeds, html, tabular, text
from stancegraph.sources.ids import check_article_id
from stancegraph.sources.options import FieldMap, ReadOptions

__all__ = [
    "READERS",
    "FieldMap",
    "ReadOptions",
    "Reader",
    "Record",
    "expand_inputs",
    "read_file",
    "read_inputs",
    "read_records",
    "read_text_file",
]

Record = tuple[str, "Article | InputError"]
Reader = Callable[[Path, str, ReadOptions], Iterator[Record]]


def read_text_file(path: Path, id: str, options: ReadOptions) -> Iterator[Record]:
    """A ``.txt`` file: one article, the first line its title when it reads as one."""
    try:
        yield str(path), text.read_bytes(path.read_bytes(), input=str(path), id=id, max_chars=options.max_chars)
    except InputError as err:
        yield str(path), err
    except OSError as err:
        yield str(path), InputError("E110", input=str(path), detail=err.strerror or str(err))


READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".html": html.read_html_file,
    ".htm": html.read_html_file,
    ".jsonl": tabular.read_json_file,
    ".json": tabular.read_json_file,
    ".csv": tabular.read_csv_file,
    ".rss": feeds.read_feed_file,
    ".atom": feeds.read_feed_file,
    ".xml": feeds.read_feed_file,
}


def _file_id(path: Path, root: Path) -> str:
    return path.relative_to(root).with_suffix("").as_posix()


def _glob_root(pattern: str) -> Path:
    """The directory before the first wildcard of a glob pattern."""
    fixed: list[str] = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def expand_inputs(names: Iterable[str]) -> Iterator[tuple[Path, str] | InputError]:
    """Each file the names stand for, with the article id its path gives, or E112 for no match.

    Directories are walked for files of a known type; ``-`` passes through as standard input.
    """
    for name in names:
        path = Path(name)
        if name == "-":
            yield path, "stdin"
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS)
            yield from ((p, _file_id(p, path)) for p in found)
        elif path.exists():
            yield path, path.stem
        else:
            root = _glob_root(name)
            matches = sorted(Path(p) for p in glob.glob(name, recursive=True) if Path(p).is_file())
            if not matches:
                yield InputError("E112", input=name, pattern=name)
            yield from ((p, _file_id(p, root)) for p in matches)


def read_file(path: Path, id: str, options: ReadOptions) -> Iterator[Record]:
    """The records of one file (or of standard input for ``-``), by its type's reader."""
    if str(path) == "-":
        try:
            data = sys.stdin.buffer.read()
            article = text.read_bytes(data, input="<stdin>", id=id, max_chars=options.max_chars)
            yield "<stdin>", article if options.lang == "auto" else replace(article, lang=options.lang)
        except InputError as err:
            yield "<stdin>", err
        return
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        yield str(path), InputError("E111", input=str(path), suffix=path.suffix or "(none)")
        return
    for input, item in reader(path, id, options):
        if isinstance(item, Article) and item.id is not None:
            try:
                check_article_id(item.id, input=input)
            except InputError as err:
                item = err
        if isinstance(item, Article) and options.lang != "auto":
            item = replace(item, lang=options.lang)  # --lang overrides what the file says
        yield input, item


def read_records(names: Iterable[str], options: ReadOptions | None = None) -> Iterator[Record]:
    """``(input, article or error)`` for every article the names hold, in order."""
    options = options or ReadOptions()
    for found in expand_inputs(names):
        if isinstance(found, InputError):
            yield found.input or "", found
        else:
            yield from read_file(*found, options)


def read_inputs(names: Iterable[str], *, max_chars: int = text.DEFAULT_MAX_CHARS,
                fields: FieldMap | None = None, lang: str = "auto") -> Iterator[Article | InputError]:
    """Articles (or errors) from files, directories, globs and ``-`` (standard input)."""
    options = ReadOptions(max_chars=max_chars, fields=fields or FieldMap(), lang=lang)
    for _input, item in read_records(names, options):
        yield item
