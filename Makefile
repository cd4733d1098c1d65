# Two commands: `make demo` and `make test`. Each sets up .venv on first use.
# Python >= 3.12 (osrm-bindings ships wheels for 3.12+ only). The first interpreter that runs
# and is new enough wins: python3.12/3.13 on PATH, python3, then any pyenv install (pyenv shims
# for a version that is not active fail to run, so they are tried and skipped).
PY_OK := import sys; sys.exit(sys.version_info < (3, 12))
PYTHON ?= $(shell for p in python3.12 python3.13 python3 \
  $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python3; do \
  "$$p" -c '$(PY_OK)' 2>/dev/null && { command -v "$$p"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
REGION ?= banten
WEEK ?= 2017-11-13

.PHONY: demo test lint typecheck pytest browser-deps bench-quick clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "ERROR: Python >= 3.12 not found (install python3.12, or make PYTHON=/path/to/python3.12)"; exit 2; }
	@$(BIN)/python -c '$(PY_OK)' 2>/dev/null || { rm -rf $(VENV); echo "creating $(VENV) with $(PYTHON)"; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/jemput locate --region $(REGION) --out demo-out/sebaran
	$(BIN)/jemput plan --region $(REGION) --week $(WEEK) --time-limit 30 --workers 2 --out demo-out/rencana
	@echo "Buka demo-out/sebaran/peta_sebaran.html dan demo-out/rencana/ (jadwal.xlsx, plan.json)"
	@echo "Aplikasi web: $(BIN)/jemput app --region $(REGION)  (lalu buka http://127.0.0.1:8000)"

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Chromium from Debian packages (browser tests)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "WARNING: could not install chromium"; }
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  echo "installing poppler-utils from Debian packages (the PDF tests render pages to PNG)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
	  || echo "WARNING: could not install poppler-utils"; }

lint: $(STAMP)
	$(BIN)/ruff check planner tests benchmarks tools
	$(BIN)/ruff format --check planner tests benchmarks tools
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) browser-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile --durations=25 --nbmake tests notebooks

test: lint typecheck pytest

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/banten_week.py --quick
	$(BIN)/python benchmarks/scale.py --quick
	$(BIN)/python benchmarks/solomon.py --subset C101,R101,RC101 --time-limit 2
	$(BIN)/python benchmarks/travel_matrix.py --repeat 1
	$(BIN)/python benchmarks/time_limit.py --limits 5 --workers 2

clean:
	rm -rf $(VENV) demo-out .pytest_cache .mypy_cache .ruff_cache
