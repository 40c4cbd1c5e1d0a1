"""Faults on the warehouse: disk full or permission denied while writing fail the run in one line,
and nothing is half-published. (Root ignores permissions and this machine cannot fill a disk on
demand, so the OSError is injected at the writer's single write call.)"""
import errno

import pytest

from tests.conftest import SEEDS
from warehouse.writer import Warehouse


@pytest.fixture(scope="module", autouse=True)
def prefect_api():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_write_failure_fails_the_run_and_publishes_nothing(tmp_path, monkeypatch, code):
    from flows.daily import daily

    def broken(self, table, path):
        raise OSError(code, "injected")

    monkeypatch.setattr(Warehouse, "_write", broken)
    monkeypatch.setenv("NEWSETL_N_PROCESS", "0")
    result = daily(input_uri=str(SEEDS), warehouse_uri=str(tmp_path / "wh"), batch_date="2026-11-20")
    assert result["status"] == "failed" and "\n" not in result["reason"]
    assert "injected" in result["reason"]
    monkeypatch.undo()
    wh = Warehouse(str(tmp_path / "wh"))
    assert wh.read_column("articles", "article_id") == [] and not list((tmp_path / "wh").rglob("*.parquet"))
