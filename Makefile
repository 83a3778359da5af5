# Self-documenting: `make help` lists every target with its `## ` comment.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install install-test build validate export run run-remote serve test test-virtuoso lint bench loadtest clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-13s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11+ is required; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium; }
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## create .venv and install the project

install-test: $(VENV)/.installed-test ## install the project with what the tests need

build: install ## parse data/, validate, publish a release under data/build/
	$(BIN)/kskg build

validate: install ## validate the current release against shapes/ and print the report summary
	$(BIN)/kskg validate

export: install ## write the dumps of the current release to data/build/export/
	$(BIN)/kskg export --format all --output data/build/export

run: build ## set up, build, validate and serve on http://127.0.0.1:8000 (override HOST=, PORT=)
	$(BIN)/kskg serve --host $(HOST) --port $(PORT)

$(VENV)/.installed-remote: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[remote]'
	@touch $@ $(VENV)/.installed

run-remote: build $(VENV)/.installed-remote ## like run, against Oxigraph servers on 127.0.0.1 (the remote store); Ctrl-C stops all
	$(BIN)/python -m kskg.run_remote --host $(HOST) --port $(PORT)

serve: install ## serve the current release without rebuilding
	$(BIN)/kskg serve --host $(HOST) --port $(PORT)

test: install-test ## install test dependencies and run the whole test suite
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-virtuoso: install-test ## the optional Virtuoso job: installs Debian's virtuoso-opensource-7 if missing, runs tests/remote/test_virtuoso.py
	@command -v virtuoso-t >/dev/null || { apt-get update -qq && apt-get install -y -qq virtuoso-opensource-7; }
	KSKG_VIRTUOSO=1 $(BIN)/python -m pytest tests/remote/test_virtuoso.py

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[bench]'
	@touch $@ $(VENV)/.installed

bench: $(VENV)/.installed-bench ## run the benchmark suite (about 12 min) and write bench/RESULTS.md
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } \
		|| echo "warning: could not install wrk; the slower httpx load generator is used"
	$(BIN)/python -m bench.run

loadtest: install-test ## 60 s load test on 127.0.0.1 (64 clients, a heavy query meanwhile); writes bench/LOAD.md
	$(BIN)/python -m bench.load_test

lint: install-test ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean: ## remove the build folder (releases) and caches
	rm -rf data/build .pytest_cache .ruff_cache
