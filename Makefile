# Two-command quick start: `make demo` sets up and runs pantau on the bundled sample articles;
# `make test` runs the linter and the whole test suite.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
SAMPLES = tests/fixtures/seeds

.PHONY: demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/pantau eval tests/fixtures/gold.json $(SAMPLES)
	$(BIN)/pantau demo --db pantau-demo.db

test: $(BIN)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_clean.py
	$(BIN)/python bench/bench_entities.py
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_ner.py
	$(BIN)/python bench/bench_spark.py

clean:
	rm -rf $(VENV) build dist *.egg-info pantau-demo.db*
