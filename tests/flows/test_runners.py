"""The same flow on other engines: a 2-worker Dask LocalCluster, and fsspec memory:// for input and warehouse."""
import shutil

import fsspec
import pyarrow.dataset as ds
import pytest

from tests.conftest import SEEDS

DATE = "2026-11-20"
IGNORED = {"run_id", "ingested_at", "source_uri"}  # differ between any two runs (and file systems)


@pytest.fixture(scope="module", autouse=True)
def prefect_api():
    """One temporary Prefect API for the module, stopped while pytest still captures its logs."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def table_rows(uri: str, table: str, fs=None) -> list[tuple]:
    data = ds.dataset(uri, filesystem=fs, format="parquet", partitioning="hive").to_table()
    cols = sorted(c for c in data.column_names if c not in IGNORED)
    return sorted(tuple(str(r[c]) for c in cols) for r in data.select(cols).to_pylist())


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    from flows.daily import daily

    wh = tmp_path_factory.mktemp("default") / "wh"
    assert daily(input_uri=str(SEEDS), warehouse_uri=str(wh), batch_date=DATE)["status"] == "published"
    return wh


def test_dask_local_cluster_publishes_the_same_tables(default_run, tmp_path):
    from prefect_dask import DaskTaskRunner

    from flows.daily import daily

    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "dashboard_address": None})
    wh = tmp_path / "wh"
    result = daily.with_options(task_runner=runner)(input_uri=str(SEEDS), warehouse_uri=str(wh), batch_date=DATE)
    assert result["status"] == "published" and result["articles_published"] == 5
    for table in ("articles", "entities", "figures", "removed_segments"):
        assert table_rows(str(wh / table), table) == table_rows(str(default_run / table), table), table


def test_memory_input_and_warehouse(default_run):
    from flows.daily import daily

    fs = fsspec.filesystem("memory")
    for path in SEEDS.glob("*.txt"):
        with fs.open(f"/newsetl-in/{path.name}", "wb") as out:
            out.write(path.read_bytes())
    try:
        result = daily(input_uri="memory://newsetl-in", warehouse_uri="memory://newsetl-wh", batch_date=DATE)
        assert result["status"] == "published" and result["articles_published"] == 5
        for table in ("articles", "figures"):
            assert table_rows(f"/newsetl-wh/{table}", table, fs) == table_rows(str(default_run / table), table)
        again = daily(input_uri="memory://newsetl-in", warehouse_uri="memory://newsetl-wh", batch_date=DATE)
        assert again["articles_published"] == 0
    finally:
        for root in ("/newsetl-in", "/newsetl-wh"):
            if fs.exists(root):
                fs.rm(root, recursive=True)
    shutil.rmtree(default_run, ignore_errors=True)
