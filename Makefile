# marsad — everything a fresh clone needs, from the project's own files.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SEED   := ../shared/seed

.PHONY: demo test lint bench model eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[api,export,dev]'
	touch $(STAMP)

demo: $(STAMP)
	@rm -f demo.db
	$(BIN)/marsad ingest --db demo.db samples/
	@echo
	$(BIN)/marsad stats --db demo.db
	@echo
	$(BIN)/marsad search --db demo.db الموصل
	@echo
	@echo "Analyse a page yourself:  $(BIN)/marsad analyze samples/seed_mosul.txt"

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py

# Rebuild the NER model from ../shared/data/anercorp (dev split = last tenth of train).
model: $(STAMP)
	$(BIN)/marsad train ner

# Every evaluation, on held-out data.
eval: $(STAMP)
	$(BIN)/marsad eval ner ../shared/data/anercorp/ANERCorp_CamelLab_test.txt
	$(BIN)/marsad eval dates

clean:
	rm -rf $(VENV) demo.db build *.egg-info src/*.egg-info
