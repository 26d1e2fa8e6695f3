"""``stancegraph.Corpus``: a store built by ``stancegraph ingest``, as pandas DataFrames.

Example
-------
>>> import tempfile, pathlib
>>> from stancegraph.records import ArticleAnalysis
>>> from stancegraph.store import open_store, write_analyses
>>> path = pathlib.Path(tempfile.mkdtemp()) / "corpus.duckdb"
>>> con = open_store(path)
>>> _ = write_analyses(con, [ArticleAnalysis("a1", "Talks", "2024-03-01", "Daily", "Macron spoke.")])
>>> con.close()
>>> with Corpus(path) as corpus:
...     corpus.articles[["id", "title"]].to_dict("records"), int(corpus.query("SELECT count(*) AS n FROM actors").n[0])
([{'id': 'a1', 'title': 'Talks'}], 0)
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from stancegraph.extras import require
from stancegraph.records import ArticleAnalysis
from stancegraph.store.queries import check_table, load_analysis, run_query
from stancegraph.store.schema import open_store, table_names

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Corpus"]


def _pandas() -> Any:
    """pandas, imported when a DataFrame is asked for (slow to import); E130 without the dataframes extra."""
    return require("pandas", extra="dataframes", feature="a stancegraph.Corpus DataFrame")


class Corpus:
    """A stancegraph store opened read-only: each table a DataFrame, SQL queries, analyses.

    Tables are read when asked for (``corpus.mentions`` runs ``SELECT * FROM mentions``);
    :meth:`table` reads any table, including ones added by later releases. ``len(corpus)`` is
    the number of articles, one per input id; :attr:`texts` the number of distinct texts
    (duplicates, the same text under another id, share their original's analysis rows).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._con = open_store(self.path, read_only=True)

    # --- tables ---

    @property
    def tables(self) -> list[str]:
        return table_names(self._con)

    def table(self, name: str) -> pd.DataFrame:
        """The whole of a table, as a DataFrame."""
        _pandas()
        return self._con.execute(f'SELECT * FROM "{check_table(self._con, name)}"').df()

    @property
    def articles(self) -> pd.DataFrame:
        return self.table("articles")

    @property
    def actors(self) -> pd.DataFrame:
        return self.table("actors")

    @property
    def aliases(self) -> pd.DataFrame:
        return self.table("aliases")

    @property
    def article_actors(self) -> pd.DataFrame:
        return self.table("article_actors")

    @property
    def mentions(self) -> pd.DataFrame:
        return self.table("mentions")

    @property
    def roles(self) -> pd.DataFrame:
        return self.table("roles")

    @property
    def quotes(self) -> pd.DataFrame:
        return self.table("quotes")

    @property
    def stances(self) -> pd.DataFrame:
        return self.table("stances")

    @property
    def relations(self) -> pd.DataFrame:
        return self.table("relations")

    @property
    def claims(self) -> pd.DataFrame:
        return self.table("claims")

    @property
    def flags(self) -> pd.DataFrame:
        return self.table("flags")

    @property
    def failures(self) -> pd.DataFrame:
        return self.table("failures")

    # --- queries ---

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """The result of a read-only SQL query as a DataFrame (a write is refused: E205)."""
        columns, rows = run_query(self._con, sql, params)
        return _pandas().DataFrame.from_records(rows, columns=columns)

    def analysis(self, article_id: str) -> ArticleAnalysis:
        """One article's analysis rebuilt from the store, with corpus actor ids (for a duplicate,
        its original's analysis under the duplicate's id and metadata)."""
        return load_analysis(self._con, article_id)

    @property
    def texts(self) -> int:
        """How many distinct texts the articles have (``count(DISTINCT content_hash)``)."""
        return int(self._con.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchall()[0][0])

    def __len__(self) -> int:
        return int(self._con.execute("SELECT count(*) FROM articles").fetchall()[0][0])

    # --- lifetime ---

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Corpus({str(self.path)!r})"
