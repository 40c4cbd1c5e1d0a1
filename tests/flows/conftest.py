"""The samples run once for the session, as the quick start runs them (the temporary Prefect server), with
--json: tests read its warehouse and its result."""
from __future__ import annotations

import json

import pytest

from tests.conftest import SEEDS
from tests.flows.test_end_to_end import assert_clean_output, newsetl


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory):
    wh = tmp_path_factory.mktemp("wh")
    proc = newsetl("run", "--input", str(SEEDS), "--warehouse", str(wh), "--date", "2026-11-20", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_clean_output(proc)
    return wh, json.loads(proc.stdout)


@pytest.fixture(scope="session")
def seeds_warehouse(seeds_run):
    return seeds_run[0]
