# The two README commands are `make serve` and `make test`; everything they need is
# installed by the targets below, from nothing, on a fresh machine.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
TEST_PORT ?= 8765
# A GitHub Pages project site lives under /<repo>/: the tests serve it under a prefix
# too, so no root-absolute URL can slip through.
TEST_BASE ?= /scheming-ais/

.PHONY: help setup build serve test test-unit test-pyodide test-site test-e2e test-engines test-builders lint bench clean

help:
	@echo "make serve   build the site and serve it on http://127.0.0.1:$(PORT)/"
	@echo "make test    lint, type-check and run every test (unit, Pyodide, browser, 2nd builder)"
	@echo "make build   write the static site to site/"
	@echo "make bench   run the benchmarks"

$(BIN)/.installed: pyproject.toml
	@py=$$(scripts/find-python.sh) && echo "using $$py" && $$py -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

.browser: $(BIN)/.installed scripts/ensure_chromium.py tests/browser.py
	$(BIN)/python scripts/ensure_chromium.py
	touch $@

# DejaVu Sans, for the link-preview images the build draws (hooks/previews.py).
.fonts: $(BIN)/.installed scripts/ensure_fonts.py
	$(BIN)/python scripts/ensure_fonts.py
	touch $@

setup: $(BIN)/.installed node_modules/.installed .fonts

build: setup
	$(BIN)/mkdocs build --strict --site-dir site

# Served without the service worker (SERVICE_WORKER=0), so a rebuild shows on reload.
serve: setup
	SERVICE_WORKER=0 $(BIN)/mkdocs build --strict --site-dir build/serve-site
	$(BIN)/python scripts/serve.py build/serve-site --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	node_modules/.bin/eslint --max-warnings 0 .

test-unit: setup
	@mkdir -p build
	$(BIN)/pytest -q tests/unit calculators page_transforms hooks bench --cov --cov-report=term

# The same cases in Pyodide under Node: booted as usual, then restored from the memory
# snapshot the site ships (made, or taken from build/snapshot-cache/, by ship_pyodide.py).
test-pyodide: setup
	PYTHONPATH=. $(BIN)/python tests/pyodide/make_cases.py build/pyodide-cases.json
	node tests/pyodide/run.mjs build/pyodide-cases.json $$($(BIN)/python scripts/build_wheel.py dist)
	node tests/pyodide/snapshot.mjs build/pyodide-cases.json $$($(BIN)/python scripts/ship_pyodide.py build/pyodide-site)

test-site: setup
	SITE_URL=http://127.0.0.1:$(TEST_PORT)$(TEST_BASE) $(BIN)/mkdocs build --strict --site-dir build/test-site

test-e2e: test-site .browser
	TEST_PORT=$(TEST_PORT) TEST_BASE=$(TEST_BASE) $(BIN)/pytest -q tests/e2e \
	  --screenshot only-on-failure --output test-results

# The same site, smoke-tested in Firefox ESR and WebKitGTK (tests/engines/): installed
# from Debian's packages when missing; SKIP_ENGINES=webkit (or firefox) leaves one out.
test-engines: test-site
	$(BIN)/python scripts/ensure_engines.py
	TEST_PORT=$(TEST_PORT) TEST_BASE=$(TEST_BASE) $(BIN)/python tests/engines/run.py

# A second builder: ProperDocs (pinned in pyproject.toml), a continuation of MkDocs 1.x,
# builds the same mkdocs.yml; its pages and every calculator's prerendered numbers must
# equal MkDocs' build (scripts/compare_builds.py says what may differ: the generator).
test-builders: setup
	$(BIN)/mkdocs build --strict --site-dir build/builders/mkdocs
	$(BIN)/properdocs build --strict -f mkdocs.yml --site-dir build/builders/properdocs
	$(BIN)/python scripts/compare_builds.py build/builders/mkdocs build/builders/properdocs

test: lint test-unit test-pyodide test-builders test-e2e test-engines

bench: setup .browser
	$(BIN)/python -m bench.run

clean:
	rm -rf site build dist .browser .fonts
