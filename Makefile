# The two README commands (`make run`, `make test`) and the checks CI runs (.ci/run).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export KRATOM_RECOVERY_HOME ?= $(CURDIR)/data

.PHONY: run test lint typecheck pytest bench audit messages clean

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

## make messages: refresh the Spanish catalogue from the patient pages and compile it
## (docs/translation.md); needs GNU gettext, installed here with apt-get when missing
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { command -v apt-get >/dev/null && \
		apt-get install -y -qq gettext >/dev/null; } || \
		{ echo "make messages needs GNU gettext (msgfmt): install the gettext package"; exit 1; }
	$(BIN)/python -m kratom_recovery.web.common.catalogue

clean:
	rm -rf $(VENV) build dist src/*.egg-info
