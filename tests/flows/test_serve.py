"""`newsetl serve` against a real `prefect server start` on 127.0.0.1: the deployment, its schedule, a run."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import ROOT, SEEDS
from tests.flows.test_end_to_end import NEWSETL, q

PREFECT = str(Path(sys.executable).parent / "prefect")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = check()
        except httpx.HTTPError:
            found = None
        if found:
            return found
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def call(method: str, url: str, **kwargs):
    """One API call, retried like Prefect's own client does on 429/502/503 (SQLite busy answers 503)."""
    for _ in range(30):
        response = httpx.request(method, url, timeout=30, **kwargs)
        if response.status_code not in (429, 502, 503):
            break
        time.sleep(1)
    assert response.is_success, (method, url, response.status_code, response.text)
    return response.json()


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_serve_creates_a_scheduled_deployment_and_a_triggered_run_publishes(tmp_path):
    port, wh = free_port(), tmp_path / "wh"
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": api,
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false"}
    server = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    serving = None
    try:
        wait_for(lambda: httpx.get(f"{api}/health", timeout=5).status_code == 200, 240, "the Prefect server")
        serving = subprocess.Popen([*NEWSETL, "serve", "--cron", "0 2 * * *", "--input", str(SEEDS),
                                    "--warehouse", str(wh)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        deployment = wait_for(lambda: call("POST", f"{api}/deployments/filter", json={}), 180,
                              "the deployment")[0]
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
        if serving is not None:
            stop(serving)
        stop(server)
