"""`newsetl serve` against a real `prefect server start` on 127.0.0.1: the deployment, its schedule, a run."""
from __future__ import annotations

import os
import subprocess
import time

import httpx

from tests.conftest import ROOT, SEEDS, stop, wait_for
from tests.flows.test_end_to_end import NEWSETL, q


def call(method: str, url: str, **kwargs):
    """One API call, retried like Prefect's own client does on 429/502/503 (SQLite busy answers 503)."""
    for _ in range(30):
        response = httpx.request(method, url, timeout=30, **kwargs)
        if response.status_code not in (429, 502, 503):
            break
        time.sleep(1)
    assert response.is_success, (method, url, response.status_code, response.text)
    return response.json()


def test_serve_creates_a_scheduled_deployment_and_a_triggered_run_publishes(tmp_path, prefect_api):
    wh = tmp_path / "wh"
    api = prefect_api["PREFECT_API_URL"]
    env = {**os.environ, **prefect_api}
    serving = subprocess.Popen([*NEWSETL, "serve", "--cron", "0 2 * * *", "--input", str(SEEDS),
                                "--warehouse", str(wh)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deployment = wait_for(lambda: call("POST", f"{api}/deployments/filter", json={}), 180, "the deployment")[0]
        assert deployment["name"] == "newsetl-daily"
        assert deployment["parameters"] == {"input_uri": str(SEEDS), "warehouse_uri": str(wh)}
        assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 2 * * *"]
        run = call("POST", f"{api}/deployments/{deployment['id']}/create_flow_run", json={})
        state = wait_for(lambda: (s := call("GET", f"{api}/flow_runs/{run['id']}")["state"]["type"])
                         in ("COMPLETED", "FAILED", "CRASHED") and s, 420, "the triggered run")
        assert state == "COMPLETED"
        assert q(wh, "select count(*) from articles") == [(5,)]
        assert q(wh, "select flow, status from runs") == [("daily", "published")]
    finally:
        stop(serving)
