# shieldwall: two commands do all the set-up on a fresh machine.
#   make demo   create .venv/, install, scan the bundled example, write reports/
#   make test   install what tests need and run lint, types, docs coverage, the suite, a self-scan

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/vulnerable-shop
export SHIELDWALL_CACHE_DIR ?= $(CURDIR)/.cache/shieldwall
PYTEST_ARGS ?=
# The optional C accelerators (hatch_build.py compiles them on install): a change reinstalls.
NATIVE := hatch_build.py src/shieldwall/secretstore/_runscan.c src/shieldwall/monitor/parsers/_flatten.c

.PHONY: demo test install install-dev lint typecheck docs-coverage unit selfscan clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(NATIVE) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(NATIVE) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install
	@mkdir -p reports
	@echo "== shieldwall db import (the advisories the example needs, bundled for offline use)"
	@$(BIN)/shieldwall db update --ecosystem PyPI --ecosystem npm 2>/dev/null \
		|| $(BIN)/shieldwall db import $(EXAMPLE)/advisories
	@echo "== shieldwall scan $(EXAMPLE)"
	@$(BIN)/shieldwall scan $(EXAMPLE) --no-progress \
		--format html -o reports/vulnerable-shop.html \
		--format sarif -o reports/vulnerable-shop.sarif \
		--format json -o reports/vulnerable-shop.json; \
	status=$$?; \
	echo ""; \
	echo "exit code $$status (0 = gate passed, 1 = gate failed: expected here, the example is vulnerable)"; \
	echo "reports written to reports/vulnerable-shop.html, .sarif and .json"; \
	test $$status -le 1

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install-dev
	$(BIN)/mypy

docs-coverage: install-dev
	$(BIN)/interrogate -q src/shieldwall

unit: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

selfscan: install-dev
	$(BIN)/shieldwall db status >/dev/null 2>&1 || $(BIN)/shieldwall db import $(EXAMPLE)/advisories
	$(BIN)/shieldwall scan . --no-progress --fail-on high

test: lint typecheck docs-coverage unit selfscan

clean:
	rm -rf $(VENV) reports .cache .mypy_cache .ruff_cache .pytest_cache
