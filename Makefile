# Two commands from the contract: `make run` and `make test`. Both set up .venv when needed.
# The install stops at the installer's own error; the stamp is written only after everything installed.
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
comma  := ,
STAMP  := $(VENV)/.installed
# -qq: pip's warnings (e.g. an unreachable extra index) stay out of the log, its errors do not
PIP    := $(BIN)/python -m pip -qq --disable-pip-version-check

.PHONY: setup run test lint test-spark eval train-cleaner bench bench-memory bench-clean lock clean
.DELETE_ON_ERROR:

setup: $(STAMP)

# requirements.lock: every package of the default install and the dev, s3 and gcs extras, exact and hashed
$(STAMP): pyproject.toml requirements.lock
	rm -f $(STAMP)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	$(BIN)/python -m flows.model_check
	touch $(STAMP)

run: setup
	$(BIN)/newsetl run

test: lint
	$(BIN)/python -m pytest -q

# ruff (pyflakes, pycodestyle, isort, bugbear, pyupgrade, simplify) and mypy over transforms/ and warehouse/
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# The Spark reader test (pyspark is the `spark` extra, ~490 MB, not in the lock).
test-spark: setup
	$(PIP) install 'pyspark>=4.3,<4.4'
	$(BIN)/python -m pytest -q tests/warehouse/test_readers.py

eval: setup
	$(BIN)/python -m tests.eval_gate --report
	$(BIN)/python -m tests.claims_eval

# The cleaner model from the dev sets (deterministic: the files come out byte for byte the same; ~3.5 min).
train-cleaner: setup
	$(BIN)/python -m scripts.train_cleaner

# Throughput against the naive full-pipeline nlp.pipe script, 1 and 2 processes, no-op re-run (N=4000: ~30 min on 2 cores;
# `make bench N=1000 P=1,2` for the scaling alone, `make bench P=2` for the 2-worker ratio alone).
bench: setup
	$(BIN)/python -u -m bench.run --n $(or $(N),4000) --processes $(or $(P),1$(comma)2)

# Peak RSS at 2,000 and 20,000 articles (long: ~1 h on 2 cores).
bench-memory: setup
	$(BIN)/python -u -m bench.run --memory 2000,20000 --processes 2

# The cleaner alone: MB/s of raw text per core on the dev pages, best and median of 30 rounds (~5 s).
bench-clean: setup
	$(BIN)/python -u -m bench.run --cleaner 30

# Re-resolve requirements.lock from pyproject.toml (after changing a range on purpose): uv, for Python 3.11
# and 3.12 at once, keeping every version that still fits.
lock: setup
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra s3 --extra gcs --universal --python-version 3.11 \
		--generate-hashes --quiet -o requirements.lock

clean:
	rm -rf $(VENV) data build *.egg-info
