"""``ingest --fast`` reaches the quote tagger in every engine (issue 17).

The text is written for the test: the transformer tagger reads only the first of the two
clauses Ortiz is given as saying, the CRF both. With the transformer made the default
(``STANCEGRAPH_QUOTE_TAGGER``, which worker processes inherit), a run without ``--fast``
stores the two and a run with it the one, whether the article is analysed in this process, in
a pool of worker processes, in the time-budget child (which warms up with the same setting),
or on a real Dask LocalCluster. Which tagger reads what is checked in this process first, so
a retrained model that reads the text otherwise fails that check, not the engines'.
"""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from stancegraph.cli.main import app
from stancegraph.engines.ingest import ingest
from stancegraph.errors import ModelError
from stancegraph.extract.span_tagger import TAGGER_VARIABLE, preferred_tagger

TEXT = "Tariff plan\n\nAccording to Ortiz, the plan is doomed and the vote will be close.\n"
TRANSFORMER = {"the plan is doomed"}
CRF = {"the plan is doomed and the vote will be close"}


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.setenv(TAGGER_VARIABLE, "transformer")
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "minister.txt").write_text(TEXT, encoding="utf-8")
    return folder


def _stored(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        quotes = {row[0] for row in con.execute("SELECT content_text FROM quotes").fetchall()}
        runs = [row[0] for row in con.execute("SELECT fast FROM runs ORDER BY id").fetchall()]
        return quotes, runs
    finally:
        con.close()


def _both(tmp_path, corpus, **engine):
    """The quotes and runs of a run without and one with ``fast``, in two stores."""
    outcomes = []
    for fast in (False, True):
        db = tmp_path / f"{'fast' if fast else 'default'}.duckdb"
        summary = ingest([str(corpus)], db, fast=fast, **engine)
        assert (summary.added, summary.failed) == (1, 0)
        outcomes.append(_stored(db))
    return outcomes


def _assert_fast_differs(outcomes):
    (default_quotes, default_runs), (fast_quotes, fast_runs) = outcomes
    assert (default_quotes, fast_quotes) == (TRANSFORMER, CRF)
    assert (default_runs, fast_runs) == ([False], [True])


def test_the_two_taggers_read_the_text_differently_in_this_process(corpus):
    from stancegraph.pipeline import analyze

    for fast, expected in ((False, TRANSFORMER), (True, CRF)):
        assert {quote.content.text for quote in analyze(TEXT, fast=fast).quotes} == expected


@pytest.mark.parametrize(("workers", "time_budget"), [(1, None), (2, None), (1, 60.0)],
                         ids=["in-process", "worker-pool", "budget-child"])
def test_local_engine_takes_fast_to_its_workers(tmp_path, corpus, workers, time_budget):
    _assert_fast_differs(_both(tmp_path, corpus, workers=workers, time_budget=time_budget))


@pytest.mark.slow
@pytest.mark.parametrize("time_budget", [None, 60.0], ids=["worker", "budget-child"])
def test_dask_local_cluster_takes_fast_to_its_workers(tmp_path, corpus, time_budget):
    _assert_fast_differs(_both(tmp_path, corpus, engine="dask", workers=1, time_budget=time_budget))


def test_the_cli_flag_is_recorded_in_the_runs_table(tmp_path, corpus):
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--fast", "--time-budget", "0"])
    assert result.exit_code == 0, result.output
    quotes, runs = _stored(db)
    assert (runs, quotes) == ([True], CRF)


def test_an_unknown_tagger_name_is_refused(monkeypatch):
    monkeypatch.setenv(TAGGER_VARIABLE, "bert")
    with pytest.raises(ModelError, match="E125"):
        preferred_tagger()
