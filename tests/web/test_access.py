"""The store gate: short connections, cache by store state, stale results while another process writes."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from webcorpus import corpus

from stancegraph.errors import ApiError
from stancegraph.records import ArticleAnalysis
from stancegraph.store import open_store, write_analyses
from stancegraph.web.access import ReadWriteLock, StoreGate


def _count(con):
    return con.execute("SELECT count(*) FROM articles").fetchone()[0]


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "s.duckdb"
    con = open_store(path)
    write_analyses(con, corpus())
    con.close()
    return path


def test_results_are_cached_until_the_store_changes(store):
    gate = StoreGate(store)
    calls = []

    def compute(con):
        calls.append(1)
        return _count(con)

    assert gate.read("n", compute).value == 5
    assert gate.read("n", compute).value == 5
    assert len(calls) == 1  # the second read did not open the store
    with gate.writing() as con:
        write_analyses(con, [ArticleAnalysis("new", "New", None, None, "Something new happened.")])
    assert gate.read("n", compute).value == 6
    assert len(calls) == 2


def test_a_write_by_another_process_is_seen(store):
    gate = StoreGate(store)
    assert gate.read("n", _count).value == 5
    code = ("import sys; from stancegraph.store import open_store, write_analyses; "
            "from stancegraph.records import ArticleAnalysis; con = open_store(sys.argv[1]); "
            "write_analyses(con, [ArticleAnalysis('other', None, None, None, 'Written elsewhere.')]); con.close()")
    subprocess.run([sys.executable, "-c", code, str(store)], check=True)
    assert gate.read("n", _count).value == 6


def test_a_store_held_by_another_writer_gives_stale_results_or_E403(store):
    gate = StoreGate(store, wait=0.5)
    assert gate.read("n", _count).value == 5
    # make the cached fingerprint old, then hold the file from another process
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, duckdb; con = duckdb.connect(sys.argv[1]); "
         "con.execute(\"INSERT INTO meta VALUES ('x', 'y')\"); print('held', flush=True); time.sleep(30)", str(store)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = gate.read("n", _count)
        assert result.stale and result.value == 5
        with pytest.raises(ApiError) as error:
            gate.read("never-read", _count)
        assert error.value.code == "E403"
        assert time.monotonic() - started < 5  # retried for about `wait` each, not forever
        with pytest.raises(ApiError), gate.writing(wait=0.3):
            pass
    finally:
        holder.kill()
        holder.wait()
    assert not gate.read("n", _count).stale


def test_a_waiting_writer_goes_before_new_readers():
    lock = ReadWriteLock()
    order = []
    first_reader = threading.Event()
    release = threading.Event()

    def reader(name, hold=None):
        with lock.reading():
            if hold:
                first_reader.set()
                release.wait(5)
            order.append(name)

    def writer():
        with lock.writing():
            order.append("writer")

    threads = [threading.Thread(target=reader, args=("r1", True))]
    threads[0].start()
    first_reader.wait(5)
    threads.append(threading.Thread(target=writer))
    threads[1].start()
    time.sleep(0.1)
    threads.append(threading.Thread(target=reader, args=("r2",)))
    threads[2].start()
    time.sleep(0.1)
    assert order == []  # r2 waits behind the writer, which waits for r1
    release.set()
    for thread in threads:
        thread.join(5)
    assert order == ["r1", "writer", "r2"]


def test_the_cache_is_bounded_in_count_and_bytes(store):
    gate = StoreGate(store, cache_size=3, cache_bytes=10_000)
    for n in range(5):
        gate.read(("n", n), lambda con: b"x" * 100)
    assert len(gate._cache) == 3
    gate.read("big", lambda con: b"y" * 9_950)
    assert list(gate._cache) == ["big"] and gate._cached_bytes == 9_950
