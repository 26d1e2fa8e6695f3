"""Each command loads only what it uses: no models, spaCy or onnxruntime for help, query or serve."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stancegraph.store import open_store

MODELS = ("spacy", "thinc", "onnxruntime", "tokenizers", "torch", "sentence_transformers", "pycrfsuite")
"""What parsing and the models load: none of it may load for a command that reads a store."""

RUN_COMMAND = (
    "import json, sys\n"
    "from stancegraph.cli.main import app\n"
    "sys.argv = ['stancegraph', *json.loads(sys.argv[1])]\n"
    "try:\n"
    "    app()\n"
    "except SystemExit as done:\n"
    "    assert done.code in (0, None), done.code\n"
    "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)), file=sys.stderr)\n"
)


def loaded_by(*args: str) -> set[str]:
    """The top-level modules a process has imported after running ``stancegraph ARGS``."""
    done = subprocess.run([sys.executable, "-c", RUN_COMMAND, json.dumps(args)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [("--help",), ("serve", "--help"), ("query", "--help"), ("analyze", "--help"),
                                  ("ingest", "--help"), ("network", "--help")])
def test_help_loads_no_models_and_no_store(args: tuple[str, ...]) -> None:
    loaded = loaded_by(*args)
    assert not loaded & {*MODELS, "duckdb", "pandas", "dask", "distributed", "fastapi", "uvicorn", "matplotlib"}


def test_query_reads_the_store_without_models(tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    open_store(db).close()
    loaded = loaded_by("query", "SELECT count(*) AS n FROM articles", "--db", str(db), "--format", "json")
    assert "duckdb" in loaded
    assert not loaded & set(MODELS)


def test_the_web_app_is_built_without_models(tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    open_store(db).close()
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from stancegraph.web.app import create_app\n"
        "from stancegraph.web.state import Settings\n"
        f"create_app(Settings(db=Path({str(db)!r})))\n"
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    loaded = set(json.loads(output))
    assert "fastapi" in loaded
    assert not loaded & set(MODELS)


def test_analyze_loads_the_parser_and_models(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text('Mayor Ilse Brandt said: "The tram line will open in May."\n', encoding="utf-8")
    loaded = loaded_by("analyze", str(article), "--format", "json")
    assert {"spacy", "onnxruntime", "pycrfsuite"} <= loaded
    assert not loaded & {"duckdb", "fastapi", "uvicorn", "dask", "distributed"}


def test_python_dash_m_runs_the_same_command_line() -> None:
    done = subprocess.run([sys.executable, "-m", "stancegraph", "--help"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "analyze" in done.stdout and "ingest" in done.stdout
