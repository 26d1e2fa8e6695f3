"""Start-up caches in the user's cache directory: tables that other packages rebuild from their
data files on every start, kept there in a form that loads in a fraction of the time.

Each entry is named by what it holds and keyed on the version of the package it comes from, so
that a new version rebuilds it. The cache only ever saves time: an entry that is missing or
cannot be read is rebuilt, and a cache directory that cannot be written is skipped. The
directory is ``$STANCEGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/stancegraph``, else
``~/.cache/stancegraph``.

Example
-------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     os.environ["STANCEGRAPH_CACHE_DIR"] = folder
...     first = cached("squares", "1", build=lambda: {"2": 4}, save=save_json, load=load_json)
...     again = cached("squares", "1", build=lambda: {"2": 5}, save=save_json, load=load_json)
...     del os.environ["STANCEGRAPH_CACHE_DIR"]
>>> first, again
({'2': 4}, {'2': 4})
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["cache_dir", "cached", "load_json", "save_json"]

T = TypeVar("T")


def cache_dir() -> Path:
    """The directory the start-up caches are kept in (not created here)."""
    if os.environ.get("STANCEGRAPH_CACHE_DIR"):
        return Path(os.environ["STANCEGRAPH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "stancegraph"


def cached(name: str, key: str, *, build: Callable[[], T], save: Callable[[T, Path], None],
           load: Callable[[Path], T]) -> T:
    """``load`` of the entry ``name-key`` (key: the source's version and a suffix); when that fails, ``build()``,
    saved for next time."""
    path = cache_dir() / f"{name}-{key}"
    try:
        return load(path)
    except Exception:  # missing, truncated or from a foreign writer: rebuilt below
        pass
    value = build()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        save(value, temporary)
        os.replace(temporary, path)  # atomic: a concurrent start reads the old entry or the whole new one
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return value


def save_json(value: Any, path: Path) -> None:
    """Write ``value`` as compact JSON."""
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def load_json(path: Path) -> Any:
    """A JSON object written by :func:`save_json` (ValueError when it is not an object)."""
    value = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(value, dict):
        raise ValueError(f"{path}: not a JSON object")
    return value
