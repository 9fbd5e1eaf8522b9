# Two commands do all the set-up: `make lab` (open the course) and `make test` (run every test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test unit notebooks execute bench clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null || \
	  { echo "The course needs Python 3.11 ('$(PYTHON)' is not): install it, or run make PYTHON=/path/to/python3.11 ..."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-deps -e .
	touch $(STAMP)

## Open the course in JupyterLab.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

## Unit tests, then every notebook top to bottom under nbval.
test: unit notebooks

unit: $(STAMP)
	$(BIN)/python -m pytest tests --doctest-modules course_utils -q

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=900 notebooks -q

## Re-run every notebook top to bottom and store its outputs (NB=notebooks/01_rnn_basics.ipynb for one).
NB ?= $(wildcard notebooks/*.ipynb)
execute: $(STAMP)
	for nb in $(NB); do \
	  echo "executing $$nb"; start=$$(date +%s); \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=900 "$$nb" || exit 1; \
	  echo "$$nb: $$(( $$(date +%s) - start )) s"; \
	done

## Benchmark scripts (timings are printed, never asserted by tests).
bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python "$$b" || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

## Draw the diagrams into images/ (tests/test_images.py fails when a committed one is out of date).
.PHONY: images
images: $(STAMP)
	$(BIN)/python scripts/make_images.py
