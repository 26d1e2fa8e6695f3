"""Schemathesis against /openapi.json of a live server with a token: no request gives a server error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from webserver import TOKEN, build_store, start_server

pytestmark = pytest.mark.slow

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_no_generated_request_gives_a_server_error(tmp_path, artifacts):
    server = start_server(build_store(tmp_path / "corpus.duckdb"), tmp_path / "server.log", "--no-embeddings",
                          "--post-wait", "0", "--queue-size", "100000", token=TOKEN)  # POSTs answer 202 at once
    report = artifacts / "schemathesis.txt"
    try:
        run = subprocess.run(
            [str(SCHEMATHESIS), "run", f"{server.url}openapi.json", "--checks", "not_a_server_error",
             "--header", f"Authorization: Bearer {TOKEN}", "--max-examples", "25", "--max-time", "75",
             "--phases", "examples,coverage,fuzzing", "--seed", "7", "--generation-database", "none",
             "--request-timeout", "30", "--no-color",
             "--warnings", "off"],  # generated ids 404 ("missing test data"): expected, and no server error
            capture_output=True, text=True, timeout=240, env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
        report.write_text(run.stdout + run.stderr, encoding="utf-8")
        assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
        assert "Tested: 24" in run.stdout and "No issues found" in run.stdout
        assert "Traceback" not in server.log_text()
    finally:
        server.stop()
