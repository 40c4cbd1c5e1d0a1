"""The same flow on other engines and stores: S3 (moto's server, the real API) for input and warehouse, and a
real Dask cluster (a `dask scheduler` and two `dask worker` processes) writing an S3 warehouse."""
import os
import subprocess
import sys
import threading

import fsspec
import pytest

from tests.conftest import BIN, ROOT, SEEDS, free_port, stop, wait_for
from tests.flows.test_end_to_end import NEWSETL, assert_clean_output

DATE = "2026-11-20"
COMPARED = {"articles": "article_id, title, body, language", "figures": "article_id, seq, value, unit, qualifier",
            "entities": "article_id, seq, canonical, label"}


def cli(*args, env, timeout=900):
    return subprocess.run([*NEWSETL, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "NEWSETL_DEBUG": "", **env})


def rows(warehouse: str, env: dict, table: str) -> list:
    proc = cli("sql", f"SELECT {COMPARED[table]} FROM {table} ORDER BY ALL", "--warehouse", warehouse,
               "--format", "csv", env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def upload_seeds(bucket: str) -> str:
    fs = fsspec.filesystem("s3")
    for path in SEEDS.glob("*.txt"):
        fs.pipe_file(f"{bucket}/in/{path.name}", path.read_bytes())
    return f"s3://{bucket}/in"


@pytest.fixture(scope="module")
def local_run(tmp_path_factory, prefect_api):
    wh = str(tmp_path_factory.mktemp("local") / "wh")
    proc = cli("run", "--input", str(SEEDS), "--warehouse", wh, "--date", DATE, env=prefect_api)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {t: rows(wh, prefect_api, t) for t in COMPARED}


def test_s3_input_and_warehouse_publish_the_same_tables_and_read_in_place(s3, prefect_api, local_run):
    env = {**s3, **prefect_api}
    wh = f"s3://{s3['bucket']}/wh"
    proc = cli("run", "--input", upload_seeds(s3["bucket"]), "--warehouse", wh, "--date", DATE, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_clean_output(proc)
    for table in COMPARED:
        assert rows(wh, env, table) == local_run[table], table
    again = cli("run", "--input", f"s3://{s3['bucket']}/in", "--warehouse", wh, "--date", DATE, env=env)
    assert again.returncode == 0 and "0 articles published" in again.stdout
    fs = fsspec.filesystem("s3")
    fs.invalidate_cache()
    assert fs.exists(f"{s3['bucket']}/wh/articles/_delta_log")
    assert not fs.exists(f"{s3['bucket']}/wh/_newsetl/staging") or not fs.find(f"{s3['bucket']}/wh/_newsetl/staging")


def test_two_concurrent_runs_into_one_s3_warehouse_both_publish(s3, prefect_api):
    env = {**s3, **prefect_api, "NEWSETL_N_PROCESS": "0"}
    fs = fsspec.filesystem("s3")
    seeds = sorted(SEEDS.glob("*.txt"))
    for i, folder in enumerate(("a", "b")):
        for path in seeds[i * 2:i * 2 + 3]:  # overlapping: one seed in both inputs
            fs.pipe_file(f"{s3['bucket']}/{folder}/{path.name}", path.read_bytes())
    wh = f"s3://{s3['bucket']}/wh"
    results = {}

    def run(folder):
        results[folder] = cli("run", "--input", f"s3://{s3['bucket']}/{folder}", "--warehouse", wh, "--date", DATE,
                              env=env)

    threads = [threading.Thread(target=run, args=(f,)) for f in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for folder, proc in results.items():
        assert proc.returncode == 0, folder + proc.stdout + proc.stderr
    published = cli("sql", "SELECT count(*), count(DISTINCT article_id) FROM articles", "--warehouse", wh,
                    "--format", "csv", env=env)
    assert published.stdout.splitlines()[1] == "5,5", published.stdout  # every seed once, the shared one too
    runs = cli("sql", "SELECT count(*) FROM runs WHERE status = 'published'", "--warehouse", wh, "--format", "csv",
               env=env)
    assert runs.stdout.splitlines()[1] == "2"


def test_unreachable_or_missing_store_is_one_line_and_exit_2(s3, prefect_api):
    env = {**s3, **prefect_api}
    missing = cli("run", "--input", str(SEEDS), "--warehouse", "s3://no-such-bucket-newsetl/wh", env=env)
    bad_endpoint = cli("sql", "SELECT 1", "--warehouse", f"s3://{s3['bucket']}/wh",
                       env={**env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"})
    for proc in (missing, bad_endpoint):
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr and proc.stderr.strip().count("\n") == 0, proc.stderr


@pytest.fixture
def dask_cluster(s3, prefect_api):
    """A real Dask cluster: a scheduler and two single-threaded worker processes, reaching S3 and Prefect."""
    port = free_port()
    env = {**os.environ, **s3, **prefect_api, "PYTHONPATH": str(ROOT)}
    env.pop("bucket", None)
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)]
    address = f"tcp://127.0.0.1:{port}"
    procs += [subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                                "--no-dashboard", "--memory-limit", "0"], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
              for _ in range(2)]
    try:
        from distributed import Client

        def two_workers():
            with Client(address, timeout=10) as client:
                return len(client.scheduler_info()["workers"]) == 2

        wait_for(two_workers, 120, "two Dask workers")
        yield address
    finally:
        for proc in procs:
            stop(proc)


def test_a_dask_cluster_writes_an_s3_warehouse(dask_cluster, s3, prefect_api, local_run):
    env = {**s3, **prefect_api, "NEWSETL_DASK_ADDRESS": dask_cluster}
    wh = f"s3://{s3['bucket']}/wh"
    proc = cli("run", "--input", upload_seeds(s3["bucket"]), "--warehouse", wh, "--date", DATE, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for table in COMPARED:
        assert rows(wh, {**s3, **prefect_api}, table) == local_run[table], table
    from distributed import Client

    with Client(dask_cluster, timeout=10) as client:  # the cluster's workers parsed: each loaded the model
        assert any(client.run(lambda: "flows.nlp" in sys.modules and sys.modules["flows.nlp"]._load.cache_info()
                              .currsize == 1).values())
