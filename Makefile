# stancegraph: `make demo` and `make test` are all a new machine needs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.test-installed
DEMO_DB ?= demo.duckdb

.PHONY: install lock test-deps test test-fast demo eval bench clean web-assets wheelhouse

install: web-assets $(INSTALLED)

# the runtime set and its extras (networks, web, feeds, dataframes, plots, cluster, html, fr), exactly
# as locked (hashes checked, no torch), then stancegraph itself
$(INSTALLED): pyproject.toml requirements/runtime.txt requirements/extras.txt
	command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/runtime.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/extras.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# the lock files, from pyproject.toml's ranges (existing pins are kept unless a range excludes
# them): the core (runtime.txt, what bench/bench_install.py measures), the core with the run-time
# extras, and the test set; torch is the CPU build from this machine kind's wheel directory
RUNTIME_EXTRAS := --extra networks --extra web --extra feeds --extra dataframes --extra plots --extra cluster --extra html --extra fr
lock:
	$(BIN)/python -m uv --version >/dev/null 2>&1 || $(BIN)/pip install --quiet uv==0.13.8
	$(BIN)/python -m uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	  --no-header --annotation-style line -o requirements/runtime.txt
	test -f requirements/extras.txt || cp requirements/runtime.txt requirements/extras.txt
	$(BIN)/python -m uv pip compile pyproject.toml $(RUNTIME_EXTRAS) --universal --python-version 3.11 \
	  --generate-hashes --no-header --annotation-style line -o requirements/extras.txt
	$(BIN)/python -m uv pip compile pyproject.toml requirements/test.in --extra test --extra train $(RUNTIME_EXTRAS) \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 --find-links $(TORCH_WHEELS) \
	  --generate-hashes --no-header --annotation-style line -o requirements/test.txt
	sed -i '1i # Hash-locked runtime set, the core (make install / make test install it with --require-hashes). Regenerate: make lock' requirements/runtime.txt
	sed -i '1i # Hash-locked runtime set with every run-time extra (networks, web, feeds, dataframes, plots, cluster, html, fr): make install adds it after runtime.txt. Regenerate: make lock' requirements/extras.txt
	sed -i '1i # Hash-locked test set (make test installs it with --require-hashes). Regenerate: make lock' requirements/test.txt
TORCH_WHEELS ?= /opt/wheels

# the web pages' front-end libraries (cytoscape, chart.js): npm ci from the lock file, copied
# into src/stancegraph/web/static/vendor/ (generated, not committed)
WEB_FRONTEND := src/stancegraph/web/frontend
WEB_VENDOR := src/stancegraph/web/static/vendor/versions.json

web-assets: $(WEB_VENDOR)

$(WEB_VENDOR): $(WEB_FRONTEND)/package.json $(WEB_FRONTEND)/package-lock.json $(WEB_FRONTEND)/copy-vendor.mjs
	command -v npm >/dev/null || { echo "needs node and npm (for the web pages' libraries)"; exit 1; }
	cd $(WEB_FRONTEND) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && npm run --silent build

# what the tests need beyond the runtime: the locked test set (test and train extras, VADER;
# torch CPU), Debian's chromium, and the wheelhouse of the install check
test-deps: web-assets $(TEST_INSTALLED) wheelhouse

$(TEST_INSTALLED): $(INSTALLED) requirements/test.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes --find-links $(TORCH_WHEELS) -r requirements/test.txt
	command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }
	touch $@

# Python 3.12 and 3.13 for the install check (tests/test_install.py): on PATH, else pyenv's
PYENV_VERSIONS ?= $(HOME)/.pyenv/versions
find_python = $(or $(shell command -v python$(1) 2>/dev/null | grep -v shims),$(lastword $(sort $(wildcard $(PYENV_VERSIONS)/$(1).*/bin/python$(1)))))
PYTHON312 ?= $(call find_python,3.12)
PYTHON313 ?= $(call find_python,3.13)
WHEELHOUSE := .wheelhouse
export STANCEGRAPH_WHEELHOUSE := $(abspath $(WHEELHOUSE))
export STANCEGRAPH_PYTHON312 := $(PYTHON312)
export STANCEGRAPH_PYTHON313 := $(PYTHON313)

# the runtime lock as wheels for each Python, so that the install check runs offline
wheelhouse: $(WHEELHOUSE)/cp312/.done $(WHEELHOUSE)/cp313/.done

$(WHEELHOUSE)/cp%/.done: requirements/runtime.txt
	@test -x "$(PYTHON$*)" || { echo "needs the Python of cp$* for the install check: set PYTHON$* or install it with pyenv"; exit 1; }
	$(PYTHON$*) -m pip wheel --quiet --no-deps --require-hashes -r requirements/runtime.txt -w $(@D)
	touch $@

# lint and type-check first (seconds), then the whole suite
test: test-deps
	$(BIN)/ruff check src tests training bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

test-fast: test-deps
	$(BIN)/python -m pytest -q -m "not slow"

# the demo: the example articles into a fresh store, the reports, the networks, then the web page
DEMO_OUT := demo-out
demo: install
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(BIN)/stancegraph ingest examples/ --db $(DEMO_DB)
	$(BIN)/stancegraph analyze examples/articles.jsonl
	$(BIN)/stancegraph analyze examples/articles_fr.jsonl
	$(BIN)/stancegraph actors list --db $(DEMO_DB)
	mkdir -p $(DEMO_OUT)
	$(BIN)/stancegraph network --db $(DEMO_DB) --kind subtract --format graphml -o $(DEMO_OUT)/subtract.graphml
	$(BIN)/stancegraph network --db $(DEMO_DB) --kind two-mode --format dna -o $(DEMO_OUT)/statements.dna
	$(BIN)/stancegraph faultline --db $(DEMO_DB) -o $(DEMO_OUT)/faultline.png
	$(BIN)/stancegraph changers --db $(DEMO_DB) -o $(DEMO_OUT)/changers.png
	$(BIN)/stancegraph check --db $(DEMO_DB)
	@echo "Networks, plots and a DNA database are in $(DEMO_OUT)/."
	@echo "Serving the demo corpus at http://127.0.0.1:8000/ (Ctrl-C stops it)"
	$(BIN)/stancegraph serve --db $(DEMO_DB) --host 127.0.0.1 --port 8000

eval: install
	$(BIN)/stancegraph eval polnear ../shared/data/polnear/data/dev

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache build dist $(WHEELHOUSE) src/*.egg-info
