"""Helpers of the web tests: stores built from hand-made analyses, and real servers on loopback.

Servers are ``stancegraph serve`` subprocesses on a free port, so the tests exercise the
command, uvicorn and the app exactly as a user runs them.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from webcorpus import corpus

from stancegraph.store import open_store, write_analyses

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
STANCEGRAPH = [sys.executable, "-m", "stancegraph.cli.main"]
SERVING = re.compile(r"serving .* at (https?://[^ ]+/)")
TOKEN = "s3cret-Token_42-long-enough-to-be-accepted"


def build_store(path: Path) -> Path:
    con = open_store(path)
    try:
        write_analyses(con, corpus())
    finally:
        con.close()
    return path


@dataclass
class Server:
    """A running ``stancegraph serve``: its URL, process, log and store."""

    url: str
    process: subprocess.Popen
    log: Path
    db: Path
    token: str | None = None

    def client(self, **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        kwargs.setdefault("timeout", 60)
        return httpx.Client(base_url=self.url.rstrip("/"), headers=headers, **kwargs)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(db: Path, log: Path, *args: str, token: str | None = None, env: dict | None = None) -> Server:
    """Start ``stancegraph serve --db DB --port 0 ARGS`` and wait until it answers."""
    environment = {**os.environ, **(env or {})}
    environment.pop("STANCEGRAPH_TOKEN", None)
    if token:
        environment["STANCEGRAPH_TOKEN"] = token
    handle = log.open("w")
    if "--post-wait" not in args:  # POST answers 201 however slow the machine (the worker loads spaCy first)
        args = ("--post-wait", "120", *args)
    process = subprocess.Popen([*STANCEGRAPH, "serve", "--db", str(db), "--port", "0", "--log-level", "warning", *args],
                               stdout=handle, stderr=subprocess.STDOUT, env=environment, start_new_session=True)
    handle.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        match = SERVING.search(log.read_text(encoding="utf-8", errors="replace"))
        if match:
            return Server(match.group(1), process, log, db, token)
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start:\n{log.read_text()}")
