"""A real ``kill -9`` in the middle of an ingest, then the same command again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from corpora import article_text, count, summary_counts, write_corpus

from stancegraph.store import load_analysis, open_store

ARTICLES = 24
COMMAND = [sys.executable, "-c", "from stancegraph.cli.main import run; run()", "ingest"]


def wait_for_a_commit(db: Path, process: subprocess.Popen, timeout: float = 300.0) -> None:
    """Until the write-ahead log holds a committed batch of articles (a few KB; the run record alone is less)."""
    wal = Path(f"{db}.wal")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 4096:
            return
        assert process.poll() is None, "the ingest ended before it could be killed"
        time.sleep(0.02)
    raise AssertionError("no batch was committed in time")


def kill_mid_ingest(command: list[str], db: Path) -> None:
    """Start the command, ``kill -9`` it once a batch is committed, and check no worker outlives it."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for_a_commit(db, process)
    except BaseException:
        process.kill()  # a failed wait must not leave the ingest running
        process.wait()
        raise
    children = psutil.Process(process.pid).children(recursive=True)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    psutil.wait_procs(children, timeout=15)
    assert not [child for child in children if child.is_running()], "workers outlived the killed ingest"


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_mid_ingest_then_the_same_command_completes_the_store(tmp_path, workers):
    folder = write_corpus(tmp_path / "news", ARTICLES)
    db = tmp_path / "corpus.duckdb"
    open_store(db).close()  # checkpointed: the write-ahead log starts empty
    command = [*COMMAND, str(folder), "--db", str(db), "--commit-every", "2", "--workers", str(workers)]
    kill_mid_ingest(command, db)

    kept = count(db, "SELECT count(*) FROM articles")
    assert 0 < kept < ARTICLES
    # every article that is there is whole: its actors and mentions came in the same transaction
    assert count(db, "SELECT count(*) FROM articles a WHERE NOT EXISTS "
                     "(SELECT 1 FROM mentions m WHERE m.article_id = a.id)") == 0
    assert count(db, "SELECT count(*) FROM mentions m WHERE NOT EXISTS "
                     "(SELECT 1 FROM articles a WHERE a.id = m.article_id)") == 0
    assert count(db, "SELECT count(*) FROM runs WHERE finished_at IS NULL") == 1

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert summary_counts(rerun.stdout) == {"added": ARTICLES - kept, "duplicates": 0, "skipped": kept, "failed": 0}
    assert count(db, "SELECT count(*) FROM articles") == ARTICLES
    assert count(db, "SELECT count(DISTINCT id) FROM articles") == ARTICLES
    assert count(db, "SELECT count(DISTINCT content_hash) FROM articles") == ARTICLES
    assert count(db, "SELECT count(*) FROM (SELECT article_id, start FROM mentions GROUP BY ALL HAVING count(*) > 1)") \
        == 0


@pytest.mark.slow
def test_kill_9_with_duplicates_then_the_same_command_gives_one_row_per_id(tmp_path):
    """Texts repeated under other ids, some read while their original is being analysed, some later."""
    folder = write_corpus(tmp_path / "news", ARTICLES)
    repeated = {f"{n:03d}b": n for n in range(0, ARTICLES, 4)}  # read right after their original
    repeated |= {f"zz-{n:03d}": n for n in range(1, ARTICLES, 6)}  # read once their original is stored
    for name, n in repeated.items():
        (folder / f"{name}.txt").write_text(article_text(n), encoding="utf-8")
    total = ARTICLES + len(repeated)
    db = tmp_path / "corpus.duckdb"
    open_store(db).close()
    command = [*COMMAND, str(folder), "--db", str(db), "--commit-every", "2", "--workers", "2"]
    kill_mid_ingest(command, db)

    kept = count(db, "SELECT count(*) FROM articles")
    kept_duplicates = count(db, "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")
    assert 0 < kept < total
    # every original is whole, and every duplicate names a stored original of the same text
    assert count(db, "SELECT count(*) FROM articles a WHERE duplicate_of IS NULL AND NOT EXISTS "
                     "(SELECT 1 FROM mentions m WHERE m.article_id = a.id)") == 0
    assert count(db, "SELECT count(*) FROM articles d WHERE duplicate_of IS NOT NULL AND NOT EXISTS "
                     "(SELECT 1 FROM articles o WHERE o.id = d.duplicate_of AND o.duplicate_of IS NULL "
                     "AND o.content_hash = d.content_hash)") == 0

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert summary_counts(rerun.stdout) == {"added": ARTICLES - (kept - kept_duplicates),
                                            "duplicates": len(repeated) - kept_duplicates,
                                            "skipped": kept, "failed": 0}
    assert count(db, "SELECT count(*) FROM articles") == count(db, "SELECT count(DISTINCT id) FROM articles") == total
    assert count(db, "SELECT count(DISTINCT content_hash) FROM articles") == ARTICLES
    assert count(db, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL") == ARTICLES
    assert count(db, "SELECT count(DISTINCT article_id) FROM mentions") == ARTICLES
    con = open_store(db, read_only=True)
    try:
        for name, n in repeated.items():
            duplicate, original = load_analysis(con, name), load_analysis(con, f"{n:03d}")
            assert duplicate.id == name and duplicate.actors == original.actors and duplicate.quotes == original.quotes
    finally:
        con.close()
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert summary_counts(again.stdout) == {"added": 0, "duplicates": 0, "skipped": total, "failed": 0}
    assert count(db, "SELECT count(*) FROM articles") == total
