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
	$(BIN)/pip install --quiet -e '.[api,export,dev,browser,ray]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium (never a downloaded browser); without
# root or apt they are skipped, and say so.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is not installed and cannot be here: browser tests will be skipped"; fi

demo: $(STAMP)
	@rm -f demo.db
	$(BIN)/marsad ingest --db demo.db --published 2016-10-20 samples/
	@echo
	$(BIN)/marsad stats --db demo.db
	@echo
	$(BIN)/marsad search --db demo.db الموصل
	@echo
	@echo "Analyse a page yourself:  $(BIN)/marsad analyze samples/seed_mosul.txt --published 2016-10-20"
	@echo "Open the dashboard:       $(BIN)/marsad serve --db demo.db   then http://127.0.0.1:8000/"

test: $(STAMP) | $(CHROMIUM)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy src
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py

# Rebuild the NER model from ../shared/data/anercorp (dev split = last tenth of train).
model: $(STAMP)
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/marsad train ner

# Every evaluation, on held-out data.
eval: $(STAMP)
	$(BIN)/marsad eval ner ../shared/data/anercorp/ANERCorp_CamelLab_test.txt
	$(BIN)/marsad eval dates

clean:
	rm -rf $(VENV) demo.db build *.egg-info src/*.egg-info
