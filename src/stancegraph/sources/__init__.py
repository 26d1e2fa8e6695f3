"""Readers: files, directories, globs and standard input -> :class:`~stancegraph.records.Article`.

:func:`read_inputs` walks what the user named and yields one ``Article`` per article, or an
:class:`~stancegraph.errors.InputError` for an input that cannot be read, so that callers report
it and go on with the rest. Each file type has its reader in :data:`READERS`; a reader takes a
path and yields articles or errors (a JSONL, CSV or feed file holds many articles).

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
from pathlib import Path

from stancegraph.errors import InputError
from stancegraph.records import Article
from stancegraph.sources import text

__all__ = ["READERS", "Reader", "read_inputs", "read_text_file"]

Reader = Callable[..., Iterator["Article | InputError"]]


def read_text_file(path: Path, *, max_chars: int = text.DEFAULT_MAX_CHARS) -> Iterator[Article | InputError]:
    """A ``.txt`` file: one article, its id the file name without extension."""
    try:
        yield text.read_bytes(path.read_bytes(), input=str(path), id=path.stem, max_chars=max_chars)
    except InputError as err:
        yield err
    except OSError as err:
        yield InputError("E110", input=str(path), detail=err.strerror or str(err))


READERS: dict[str, Reader] = {".txt": read_text_file}


def _expand(name: str) -> Iterator[Path] | InputError:
    path = Path(name)
    if path.is_dir():
        return iter(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS))
    if path.exists():
        return iter([path])
    matches = sorted(Path(p) for p in glob.glob(name, recursive=True) if Path(p).is_file())
    if not matches:
        return InputError("E112", input=name, pattern=name)
    return iter(matches)


def read_inputs(names: Iterable[str], *, max_chars: int = text.DEFAULT_MAX_CHARS) -> Iterator[Article | InputError]:
    """Articles (or errors) from files, directories, globs and ``-`` (standard input)."""
    for name in names:
        if name == "-":
            try:
                yield text.read_bytes(sys.stdin.buffer.read(), input="<stdin>", id="stdin", max_chars=max_chars)
            except InputError as err:
                yield err
            continue
        paths = _expand(name)
        if isinstance(paths, InputError):
            yield paths
            continue
        for path in paths:
            reader = READERS.get(path.suffix.lower())
            if reader is None:
                yield InputError("E111", input=str(path), suffix=path.suffix or "(none)")
                continue
            yield from reader(path, max_chars=max_chars)
