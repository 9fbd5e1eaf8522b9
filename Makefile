# Two commands do all the set-up: `make lab` (open the course) and `make test` (run every test).
#
# The course runs on Python 3.11, 3.12 and 3.13. Unless you name one with PYTHON=/path/to/python3.12,
# make takes the first of $(CANDIDATES) that runs and is one of those versions (a name that is on PATH but
# does not run, such as a pyenv shim for a version that is not active, is skipped).
CANDIDATES := python3.13 python3.12 python3.11 python3 python
VERSION_OK := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
find_python = $(shell for p in $(CANDIDATES); do $$p -c '$(VERSION_OK)' >/dev/null 2>&1 && { command -v $$p; break; }; done)
# Looked up once, and only when a rule needs it (the eval turns PYTHON into a plain value).
PYTHON ?= $(eval PYTHON := $(find_python))$(PYTHON)

VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab reads overrides.json in this folder as the defaults for the course's JupyterLab.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

define PYTHON_HELP
The course runs on Python 3.11, 3.12 or 3.13. Install one of them (python.org, Homebrew, your
Linux distribution, or pyenv), then run make again, naming it if make does not find it by itself:
    make lab PYTHON=/path/to/python3.12
To move an existing .venv to another Python, run `make clean` first.
endef
export PYTHON_HELP

.PHONY: lab test unit notebooks execute data bench check-pythons clean

# A working .venv is kept; otherwise it is made with $(PYTHON), after checking its version.
$(STAMP): requirements.txt pyproject.toml
	@if $(BIN)/python -c '$(VERSION_OK)' 2>/dev/null; then \
	  echo "Updating $(VENV) ($$($(BIN)/python --version))"; \
	elif [ -e $(BIN)/python ]; then \
	  echo "$(VENV) holds an unsupported or broken Python: run 'make clean', then make again."; echo "$$PYTHON_HELP"; exit 1; \
	elif [ -z "$(PYTHON)" ]; then \
	  echo "No Python 3.11-3.13 found (tried: $(CANDIDATES))."; echo "$$PYTHON_HELP"; exit 1; \
	elif ! $(PYTHON) -c '$(VERSION_OK)' 2>/dev/null; then \
	  echo "'$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo 'not a Python that runs')."; echo "$$PYTHON_HELP"; exit 1; \
	else \
	  echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"; $(PYTHON) -m venv $(VENV) || exit 1; \
	fi
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-deps -e .
	touch $(STAMP)

# Course defaults for JupyterLab (no prompt about Jupyter news, no update checks: the course works offline).
$(LAB_SETTINGS): jupyterlab-settings/overrides.json | $(STAMP)
	mkdir -p $(dir $@)
	cp jupyterlab-settings/overrides.json $@

## Open the course in JupyterLab.
lab: $(STAMP) $(LAB_SETTINGS)
	# the course's own notebooks are trusted, so that JupyterLab draws their stored widgets instead of a text fallback
	$(BIN)/jupyter trust notebooks/*.ipynb
	# served from the project folder so that the notebooks' ../images/ diagrams display; opens on notebooks/
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# Tests run in two worker processes (pytest-xdist). `--dist loadscope` keeps every notebook, and every test module,
# on one worker, its cells in order in one kernel; a notebook's results do not depend on what the other worker
# runs. Small recurrent models keep about one of the two cores busy, so two workers finish sooner than one.
# With --no-loadscope-reorder the work is handed out in the order given: the longest notebooks first, then the
# short ones and the unit tests, which fill the gaps at the end.
WORKERS := -n 2 --dist loadscope --no-loadscope-reorder
# TensorFlow sizes its thread pools to all the cores, so two workers side by side would run twice as many busy
# threads as there are cores, each process waiting for cores the other holds. Each worker's TensorFlow gets half
# the cores instead (one thread per pool on a 2-core machine): `python benchmarks/thread_pools.py` measures the
# difference. Every notebook's checks passed with these pools (from a clean clone);
# `make execute` and JupyterLab keep TensorFlow's defaults.
THREADS := $(shell python3 -c "import os; print(max(1, (os.cpu_count() or 2) // 2))" 2>/dev/null || echo 1)
TF_POOLS := TF_NUM_INTRAOP_THREADS=$(THREADS) TF_NUM_INTEROP_THREADS=$(THREADS)
NBVAL   := --nbval-lax --nbval-current-env --nbval-cell-timeout=900
LONGEST_FIRST := $(addprefix notebooks/,03_language_models.ipynb 07_translation.ipynb 02_lstm_gru.ipynb \
  12_transformer.ipynb 11_speech.ipynb 08_attention.ipynb 06_addition_seq2seq.ipynb 05_text_classification.ipynb \
  01_rnn_basics.ipynb 10_beam_search.ipynb 09_bleu.ipynb 04_word_vectors.ipynb)
# Every notebook in notebooks/ runs: those of the list in its order, then any other (a new lesson, or a copy a
# learner made in JupyterLab), so that none is left out silently.
ALL_NOTEBOOKS := $(wildcard notebooks/*.ipynb)
NOTEBOOKS_IN_TEST_ORDER := $(filter $(ALL_NOTEBOOKS),$(LONGEST_FIRST)) $(filter-out $(LONGEST_FIRST),$(ALL_NOTEBOOKS))

## Every test in one run: every notebook top to bottom under nbval, and the unit tests.
test: $(STAMP)
	$(TF_POOLS) $(BIN)/python -m pytest $(WORKERS) $(NBVAL) --doctest-modules $(NOTEBOOKS_IN_TEST_ORDER) tests course_utils -q

## Only the unit tests (and the docstring examples of course_utils).
unit: $(STAMP)
	$(TF_POOLS) $(BIN)/python -m pytest $(WORKERS) tests --doctest-modules course_utils -q

## Only the notebooks, under nbval.
notebooks: $(STAMP)
	$(TF_POOLS) $(BIN)/python -m pytest $(WORKERS) $(NBVAL) $(NOTEBOOKS_IN_TEST_ORDER) -q

## Re-run every notebook top to bottom and store its outputs (NB=notebooks/01_rnn_basics.ipynb for one),
## without the per-cell execution timestamps, so that the stored file changes only where the results do.
## The state of widgets is stored too (metadata.widgets), so a reader of the stored notebook sees the widget
## and what it drew, not a text repr of it.
NB ?= $(wildcard notebooks/*.ipynb)
execute: $(STAMP)
	for nb in $(NB); do \
	  echo "executing $$nb"; start=$$(date +%s); \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=900 \
	    --ExecutePreprocessor.store_widget_state=True "$$nb" || exit 1; \
	  $(BIN)/python scripts/clean_notebook_metadata.py "$$nb" || exit 1; \
	  echo "$$nb: $$(( $$(date +%s) - start )) s"; \
	done

## Rewrite the frozen test sets in data/ from their generators (see data/README.md).
data: $(STAMP)
	$(BIN)/python -m course_utils.frozen data

## Benchmark scripts (timings are printed, never asserted by tests).
bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python "$$b" || exit 1; done

## For each Python 3.11-3.13 on this machine (PATH or pyenv): a fresh venv, the unit tests and lesson 01 under
## nbval; prints a table. Installs everything once per version (about 1.5 GB each, removed afterwards).
check-pythons:
	bash scripts/check_pythons.sh

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

## Draw the diagrams into images/ (tests/test_images.py fails when a committed one is out of date).
.PHONY: images
images: $(STAMP)
	$(BIN)/python scripts/make_images.py

## Execute notebooks twice into a scratch folder and list cells whose printed text differs (NB=... for one).
.PHONY: compare
compare: $(STAMP)
	@tmp=$$(mktemp -d); status=0; for nb in $(NB); do name=$$(basename $$nb .ipynb); \
	  for run in a b; do $(BIN)/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=900 "$$nb" --output-dir $$tmp --output $$name-$$run >/dev/null || exit 1; done; \
	  echo "== $$nb"; $(BIN)/python scripts/compare_runs.py $$tmp/$$name-a.ipynb $$tmp/$$name-b.ipynb || status=1; \
	done; rm -rf $$tmp; exit $$status

## The course as a static website in _site/ (SITE=path for another folder), built from the stored notebooks
## without running them: one page per lesson and a home page with the syllabus. It opens from disk and needs no
## network (diagrams, MathJax and its fonts are copied in). Open _site/index.html. tests/test_site.py checks it.
SITE ?= _site
.PHONY: site
site: $(STAMP)
	$(BIN)/python scripts/build_site.py --out $(SITE)
