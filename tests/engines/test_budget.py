"""The per-article time budget: an article over it is stopped, recorded with E116, and the rest go on.

No test here depends on machine speed: the budget is either far below any possible analysis
(a microsecond) or the article is held forever by a step injected into the child processes
(through a ``sitecustomize`` module on their ``PYTHONPATH``), and hostile text is compared to
prose of the same length as a ratio.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import duckdb
import pytest
from corpora import article_text

from stancegraph.engines.budget import BudgetedAnalyzer, check_budget
from stancegraph.engines.ingest import ingest
from stancegraph.errors import InputError, StoreError
from stancegraph.pipeline import analyze, analyze_articles
from stancegraph.records import Article, ArticleAnalysis

HOLD = "Zorvath-Quillon"
SITECUSTOMIZE = f'''
import os
if os.environ.get("STANCEGRAPH_TEST_HOLD"):
    import time
    import stancegraph.pipeline as pipeline
    analyze_doc = pipeline.analyze_doc
    def held(doc, article, **options):
        if "{HOLD}" in doc.text:
            time.sleep(3600)
        return analyze_doc(doc, article, **options)
    pipeline.analyze_doc = held
'''


def _rows(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def write_feed(path, texts):
    path.write_text("".join(json.dumps({"id": f"n{k}", "text": t}) + "\n" for k, t in enumerate(texts)),
                    encoding="utf-8")
    return path


def test_an_article_over_the_budget_fails_with_e116_and_a_new_child_answers_the_next():
    analyzer = BudgetedAnalyzer(seconds=1e-6)
    try:
        over = analyzer.analyze(Article(article_text(1), id="slow"))
        assert isinstance(over, InputError) and over.code == "E116" and over.input == "slow"
        assert analyzer._child is None  # killed
        analyzer.seconds = 600
        answer = analyzer.analyze(Article(article_text(2), id="next"))
        assert isinstance(answer, ArticleAnalysis)
        assert answer.actors
    finally:
        analyzer.close()


def test_a_batch_whose_first_article_runs_over_is_retried_one_at_a_time():
    analyzer = BudgetedAnalyzer(seconds=1e-6)
    try:
        outcomes = analyzer.analyze_all([Article(article_text(1), id="first"), Article(article_text(2), id="second")])
        assert [(o.code, o.input) for o in outcomes] == [("E116", "first"), ("E116", "second")]
    finally:
        analyzer.close()


def test_analyze_articles_with_a_budget_keeps_order_and_errors_in_place():
    articles = [Article(article_text(3), id="a"), Article("   ", id="empty"), Article(article_text(4), id="b")]
    results = list(analyze_articles(articles, time_budget=600))
    assert [type(r).__name__ for r in results] == ["ArticleAnalysis", "InputError", "ArticleAnalysis"]
    assert results[1].code == "E101"
    assert results[0] == analyze(article_text(3), id="a")


def test_a_negative_budget_is_refused_and_zero_means_none():
    with pytest.raises(StoreError) as caught:
        check_budget(-1)
    assert caught.value.code == "E217"
    assert check_budget(0) is None and check_budget(None) is None and check_budget(5) == 5


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_an_ingest_records_a_held_article_as_e116_stores_the_rest_and_resumes(tmp_path, monkeypatch, workers):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(hooks))
    monkeypatch.setenv("STANCEGRAPH_TEST_HOLD", "1")
    texts = [article_text(1), article_text(2), f"{HOLD} said the vote was rigged.", article_text(3), article_text(4)]
    feed = write_feed(tmp_path / "feed.jsonl", texts)
    db = tmp_path / "corpus.duckdb"
    budget = 20.0  # far above an ordinary article here; the held one never ends

    summary = ingest([str(feed)], db, workers=workers, chunk_size=2, time_budget=budget)
    assert (summary.added, summary.failed) == (4, 1)
    assert [(i.endswith("feed.jsonl:3"), c) for i, c in _rows(db, "SELECT input, code FROM failures")] == [(True, "E116")]
    assert sorted(r[0] for r in _rows(db, "SELECT id FROM articles")) == ["n0", "n1", "n3", "n4"]

    monkeypatch.delenv("STANCEGRAPH_TEST_HOLD")  # the hold is gone: the next run adds what is missing
    if workers == 1:
        from stancegraph.engines.budget import analyzer_for

        analyzer_for(budget, 1_000_000).close()  # this thread's child was started with the hold
    again = ingest([str(feed)], db, workers=workers, chunk_size=2, time_budget=budget)
    assert (again.added, again.skipped, again.failed) == (1, 4, 0)
    assert _rows(db, "SELECT count(*) FROM failures") == [(0,)]


@pytest.mark.slow
def test_a_feed_with_a_200_kb_run_of_quotes_is_stored_whole_and_costs_no_more_than_prose(tmp_path):
    hostile = '"' * 100_000  # 200 KB as JSON
    texts = [article_text(5), article_text(6), hostile, article_text(7), article_text(8)]
    feed = write_feed(tmp_path / "feed.jsonl", texts)
    assert feed.stat().st_size > 200_000
    db = tmp_path / "corpus.duckdb"
    summary = ingest([str(feed)], db)
    assert (summary.added, summary.failed) == (5, 0)
    assert _rows(db, "SELECT id FROM articles ORDER BY id") == [(f"n{k}",) for k in range(5)]

    prose = ("\n".join(article_text(k) for k in range(400)))[: len(hostile)]
    analyze(article_text(9))
    started = time.perf_counter()
    analyze(hostile)
    hostile_seconds = time.perf_counter() - started
    started = time.perf_counter()
    analyze(prose)
    prose_seconds = time.perf_counter() - started
    assert hostile_seconds < 3 * prose_seconds


@pytest.mark.slow
def test_an_ingest_with_a_budget_leaves_spacy_and_the_models_to_its_child(tmp_path):
    """The main process only reads, sends and stores: loading spaCy there too would double the start-up."""
    feed = write_feed(tmp_path / "feed.jsonl", [article_text(1), article_text(2)])
    script = (
        "import sys\n"
        "from stancegraph.engines.ingest import ingest\n"
        f"summary = ingest([{str(feed)!r}], {str(tmp_path / 'corpus.duckdb')!r}, workers=1, time_budget=60.0)\n"
        "print(summary.added, *(name in sys.modules for name in ('spacy', 'onnxruntime', 'numpy')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=600)
    assert done.stdout.split()[-4:] == ["2", "False", "False", "False"]
