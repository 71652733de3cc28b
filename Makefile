# Two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test install install-dev lint typecheck schema fuzz bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(VENV)/.installed $@

# The browser tests run axe-core (accessibility) from this local copy: no network at test
# time. npm ci again when the lock changes; touched because npm keeps the tarball's dates.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(AXE)

# `make run PORT=8080` serves on another port; links in e-mails and the printed sign-in
# address follow it (TANDEM_SITE_URL, unless you set it yourself).
PORT ?= 8000
run: export TANDEM_SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/tandem migrate --no-input
	$(BIN)/tandem demo --if-empty
	$(BIN)/honcho -f Procfile.dev start --port $(PORT)

# Two workers: the machines have two cores. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2

# Some machines set PYTHONDONTWRITEBYTECODE: every pytest process (each xdist worker, each of
# CI's date runs) would then compile the project and rewrite its asserts again, 7-8 s each.
test: export PYTHONDONTWRITEBYTECODE :=
test: install-dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/tandem check

schema: install-dev
	$(BIN)/tandem export-openapi > src/tandem/openapi.json

# schemathesis against a live server on a throwaway database (.ci/fuzz-api says how).
fuzz: install-dev
	.ci/fuzz-api

bench: install-dev
	$(BIN)/python bench/org.py

clean:
	rm -rf $(VENV) var node_modules
