"""The analysis worker: a POSTed article is parsed in another process, never in a request.

``POST /api/articles`` puts a :class:`Job` on a bounded queue (:class:`AnalysisQueue`) and
waits a short while for it. One worker process loads the spaCy pipeline once and analyses
one article at a time. A supervisor thread of the server hands it the jobs, writes each
analysis to the store (one short transaction through the server's gate) and records the
outcome, which ``GET /api/jobs/{id}`` reports. A job that runs past the time budget has its
worker killed and fails with E121; a worker that dies fails its job with E122; either way a
new worker is started at once. The server's reads never wait for any of this.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import secrets
import signal
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stancegraph import errors
from stancegraph.errors import ApiError, StanceGraphError

__all__ = ["AnalysisQueue", "Job"]

START_WAIT = 300.0  # loading the spaCy pipeline on a busy machine; not part of any job's budget
KEEP_JOBS = 10_000  # finished jobs remembered for /api/jobs


@dataclass
class Job:
    """One article handed to the worker, and what became of it."""

    id: str
    article: dict[str, Any] = field(repr=False)
    status: str = "queued"  # queued, running, done, failed
    article_id: str | None = None
    created: bool = False  # stored as a new article (201), not found already stored (200)
    error: StanceGraphError | None = None
    finished: threading.Event = field(default_factory=threading.Event, repr=False)

    def to_dict(self) -> dict[str, Any]:
        from stancegraph.web.queries import link

        done = self.status == "done" and self.article_id is not None
        return {"id": self.id, "status": self.status, "url": f"/api/jobs/{self.id}", "article": self.article_id,
                "link": "/api" + link(self.article_id) if done else None,  # type: ignore[arg-type]
                "error": {"code": self.error.code, "message": self.error.message} if self.error else None}


def _work(conn: Any, max_chars: int) -> None:
    """The worker process: load the pipeline once, then analyse each article sent until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which then stops this
    if hasattr(os, "nice"):
        os.nice(10)  # analysis is background work: on a busy machine the server's reads go first
    from stancegraph.nlp import load_pipeline
    from stancegraph.pipeline import analyze

    load_pipeline()
    conn.send("ready")
    while True:
        try:
            article = conn.recv()
        except EOFError:  # the server is gone
            return
        if article is None:
            return
        try:
            conn.send(("done", analyze(max_chars=max_chars, **article)))
        except StanceGraphError as error:
            conn.send(("failed", (type(error).__name__, error.code, error.input, error.details)))
        except Exception as error:  # a bug in one step fails this article only
            conn.send(("failed", ("InputError", "E114", None, {"detail": f"{type(error).__name__}: {error}"})))


class _Worker:
    """The worker process and its pipe, from the supervisor's side."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.process: Any = None
        self.conn: Any = None
        self.ready = False

    def start(self) -> None:
        if self.process is not None:
            return
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_work, args=(child, self.max_chars), daemon=True,
                                       name="stancegraph-analysis")
        self.process.start()
        child.close()
        self.ready = False

    def _died(self, what: str) -> ApiError:
        self.process.join(5)
        detail = f"{what}, exit code {self.process.exitcode}"
        self.kill()
        return ApiError("E122", detail=detail)

    def analyse(self, article: dict[str, Any], budget: float) -> Any:
        """The analysis of ``article``, or the error the worker reported, E121 past ``budget`` s, E122."""
        self.start()
        if not self.ready:
            if not self.conn.poll(START_WAIT):
                self.kill()
                raise ApiError("E122", detail=f"it did not start within {START_WAIT:g} s")
            try:
                self.ready = self.conn.recv() == "ready"
            except EOFError:
                raise self._died("while loading the pipeline") from None
        self.conn.send(article)
        if not self.conn.poll(budget):
            self.kill()
            raise ApiError("E121", seconds=budget)
        try:
            outcome, value = self.conn.recv()
        except EOFError:
            raise self._died("during the analysis") from None
        if outcome == "done":
            return value
        kind, code, input, details = value
        raise getattr(errors, kind, errors.InputError)(code, input=input, **details)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.conn.close()
        self.process = self.conn = None
        self.ready = False

    def stop(self, wait: float) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(wait)
        self.kill()


class AnalysisQueue:
    """Jobs waiting for the worker (at most ``size``), the supervisor thread, and the jobs' outcomes.

    ``store(analysis)`` writes one analysis and returns (article id, whether it was new);
    ``budget`` bounds one analysis in seconds.
    """

    def __init__(self, store: Callable[[Any], tuple[str, bool]], *, max_chars: int, budget: float, size: int) -> None:
        self.store = store
        self.budget = budget
        self.size = size
        self._worker = _Worker(max_chars)
        self._pending: deque[Job] = deque()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._cond = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="stancegraph-supervisor", daemon=True)
        self._thread.start()

    def submit(self, article: dict[str, Any]) -> Job:
        """Queue an article (``analyze`` keywords); E123 when the queue is full, E124 when closing."""
        with self._cond:
            if self._closing:
                raise ApiError("E124")
            if len(self._pending) >= self.size:
                raise ApiError("E123", size=len(self._pending))
            job = Job(secrets.token_urlsafe(12), article)
            self._pending.append(job)
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS and next(iter(self._jobs.values())).finished.is_set():
                self._jobs.popitem(last=False)
            self._cond.notify_all()
            return job

    def start_worker(self) -> None:
        """Start the worker process now (it loads spaCy while the server starts), not at the first job."""
        with self._cond:
            if not self._closing:
                self._worker.start()

    def get(self, job_id: str) -> Job | None:
        with self._cond:
            return self._jobs.get(job_id)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._closing:
                    self._cond.wait()
                if self._closing:
                    break
                job = self._pending.popleft()
                job.status = "running"
            try:
                job.article_id, job.created = self.store(self._worker.analyse(job.article, self.budget))
                job.status = "done"
            except StanceGraphError as error:
                job.error, job.status = error, "failed"
            except Exception as error:  # the supervisor must outlive anything one job does
                job.error, job.status = ApiError("E122", detail=f"{type(error).__name__}: {error}"), "failed"
            if job.status == "failed" and self._closing:  # its worker was stopped with the server
                job.error = ApiError("E124")
            job.finished.set()
            if self._worker.process is None and not self._closing:
                self._worker.start()  # a killed or dead worker is replaced before the next job
        with self._cond:
            for job in self._pending:
                job.error, job.status = ApiError("E124"), "failed"
                job.finished.set()
            self._pending.clear()

    def close(self, wait: float = 10.0) -> None:
        """Stop taking jobs, give the running one ``wait`` s to finish, fail it and the queued ones (E124)."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(wait)
        self._worker.stop(1.0)
        self._thread.join(5.0)
