"""The store: a DuckDB file of articles, corpus actors and everything found in each article.

The tables and their columns are documented in ``SCHEMA.md`` beside this file. Offsets point
into ``articles.text``; actor ids are corpus actor ids (see :mod:`stancegraph.registry`).

* :func:`open_store` connects, creating the file or migrating it to the current schema;
* :func:`write_analyses` (and :class:`StoreWriter`) add analyses, one transaction per batch;
* :func:`load_analysis` rebuilds an article's output-contract object from the store;
* :class:`Corpus` gives each table as a pandas DataFrame.
"""

from stancegraph.store.corpus import Corpus
from stancegraph.store.queries import TABLES, export_tables, load_analysis, run_query
from stancegraph.store.schema import DEFAULT_STORE, SCHEMA_VERSION, migrate, open_store, schema_version
from stancegraph.store.writer import StoreWriter, WriteSummary, content_hash, write_analyses

__all__ = [
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "TABLES",
    "Corpus",
    "StoreWriter",
    "WriteSummary",
    "content_hash",
    "export_tables",
    "load_analysis",
    "migrate",
    "open_store",
    "run_query",
    "schema_version",
    "write_analyses",
]
