# The two README commands (`make run`, `make test`) and the checks CI runs (.ci/run).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export KRATOM_RECOVERY_HOME ?= $(CURDIR)/data

.PHONY: run test lint typecheck pytest bench audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

## make run: install, create the SQLite database in ./data, seed the demo, serve on :8000
## with the background worker beside it (alert delivery); Ctrl-C stops both
run: $(VENV)/.installed
	$(BIN)/kratom-recovery demo
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/kratom-recovery worker --no-migrate & worker=$$!; \
	$(BIN)/kratom-recovery serve --host 127.0.0.1 --port 8000

## make test: lint, type checks and the whole test suite (DATABASE_URL selects PostgreSQL)
test: lint typecheck pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench docs
	$(BIN)/vulture

typecheck: $(VENV)/.installed
	$(BIN)/mypy

pytest: $(VENV)/.installed
	$(BIN)/pytest -n 2

bench: $(VENV)/.installed
	$(BIN)/python bench/run_all.py

## make audit: check the installed packages against a vulnerability database (PyPI's
## advisory service, over the network); not part of `make test` or CI (docs/operations.md)
audit: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[audit]"
	$(BIN)/pip-audit --skip-editable --progress-spinner off

clean:
	rm -rf $(VENV) build dist src/*.egg-info
