# Two commands: `make demo` and `make test`. Each sets up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
REGION ?= banten
WEEK ?= 2017-11-13

.PHONY: demo test lint typecheck pytest browser-deps bench-quick clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/jemput locate --region $(REGION) --out demo-out/sebaran
	$(BIN)/jemput plan --region $(REGION) --week $(WEEK) --time-limit 30 --workers 2 --out demo-out/rencana
	@echo "Buka demo-out/sebaran/peta_sebaran.html dan demo-out/rencana/ (jadwal.xlsx, plan.json)"

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
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbmake tests notebooks

test: lint typecheck pytest

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/banten_week.py --quick
	$(BIN)/python benchmarks/scale.py --quick
	$(BIN)/python benchmarks/solomon.py --subset C101,R101,RC101 --time-limit 2
	$(BIN)/python benchmarks/travel_matrix.py --repeat 1
	$(BIN)/python benchmarks/time_limit.py --limits 5 --workers 2

clean:
	rm -rf $(VENV) demo-out .pytest_cache .mypy_cache .ruff_cache
