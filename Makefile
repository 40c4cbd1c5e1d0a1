# Two commands from the contract: `make run` and `make test`. Both set up .venv when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
comma  := ,
STAMP  := $(VENV)/.installed

.PHONY: setup run test eval train-cleaner bench bench-memory lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -m pip check
	touch $(STAMP)

run: setup
	$(BIN)/newsetl run

test: setup
	$(BIN)/python -m pytest -q

eval: setup
	$(BIN)/python -m tests.eval_gate --report
	$(BIN)/python -m tests.claims_eval

# The cleaner model from the dev sets (deterministic: the files come out byte for byte the same; ~5 min).
train-cleaner: setup
	$(BIN)/python -m scripts.train_cleaner

# Throughput against the nlp.pipe limit, 1 and 2 processes, no-op re-run (N=4000: ~55 min on 2 cores;
# `make bench N=1000 P=1,2` for the scaling alone, `make bench P=2` for the 2-worker ratio alone).
bench: setup
	$(BIN)/python -u -m bench.run --n $(or $(N),4000) --processes $(or $(P),1$(comma)2)

# Peak RSS at 2,000 and 20,000 articles (long: ~1 h on 2 cores).
bench-memory: setup
	$(BIN)/python -u -m bench.run --memory 2000,20000 --processes 2

# The cleaner alone: MB/s of raw text per core on the dev pages, best and median of 30 rounds (~5 s).
bench-clean: setup
	$(BIN)/python -u -m bench.run --cleaner 30

# Refresh the lock from the current venv (after changing pyproject.toml on purpose).
lock: setup
	$(BIN)/python -m pip freeze --exclude-editable | grep -v "^-e" > constraints.txt

clean:
	rm -rf $(VENV) data build *.egg-info
