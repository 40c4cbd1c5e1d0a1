"""Faults on the warehouse: disk full or permission denied while writing fail the run in one line,
and nothing is half-published. (Root ignores permissions and this machine cannot fill a disk on
demand, so the OSError is injected where the lakehouse stages a run's files.)"""
import errno

import pytest

from flows.summary import summary_of
from tests.conftest import SEEDS
from warehouse.lake import Lakehouse


@pytest.fixture(scope="module", autouse=True)
def prefect_api():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_write_failure_fails_the_run_and_publishes_nothing(tmp_path, monkeypatch, code):
    from flows.daily import daily

    def broken(self, run_id, part, tables):
        raise OSError(code, "injected")

    monkeypatch.setattr(Lakehouse, "stage", broken)
    monkeypatch.setenv("NEWSETL_N_PROCESS", "0")
    state = daily(input_uri=str(SEEDS), warehouse_uri=str(tmp_path / "wh"), batch_date="2026-11-20",
                  return_state=True)
    result = summary_of(state)
    assert result["status"] == "failed" and "\n" not in result["reason"]
    assert "injected" in result["reason"]
    assert state.is_failed() and state.message == result["reason"]  # Prefect records the run as failed, why
    monkeypatch.undo()
    lake = Lakehouse(str(tmp_path / "wh"))
    assert lake.read_column("articles", "article_id") == [] and not list((tmp_path / "wh").rglob("batch_date=*/*"))
