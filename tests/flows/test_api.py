"""The temporary Prefect server a command starts when PREFECT_API_URL names none (flows/api.py)."""
from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest

from flows.api import ServerError, TemporaryServer, temporary_server
from tests.conftest import ROOT, SEEDS


def test_a_run_without_prefect_api_url_records_every_task_run_on_its_own_server(tmp_path):
    """`newsetl run` as the entry point calls it, with a fresh PREFECT_HOME: the flow's process never imports
    Prefect's server application, every task run it logged as finished is recorded as finished before the
    server stops, the server is gone after the command, and nothing prints an ERROR."""
    code = ("import json, os, sys\n"
            "import flows.commands as commands\n"
            "from flows.cli import main\n"
            "waited, settle = [], commands._settle\n"  # the task run ids the command waits for
            "commands._settle = lambda since, ran, **kw: (waited.append(sorted(ran)), settle(since, ran, **kw))[1]\n"
            f"status = main(['run', '--input', {str(SEEDS)!r}, '--warehouse', {str(tmp_path / 'wh')!r},"
            " '--date', '2026-11-20', '--json'])\n"
            "print(json.dumps({'status': status, 'server_imported': 'prefect.server.api.server' in sys.modules,"
            " 'api': os.environ.get('PREFECT_API_URL'), 'waited': waited}), file=sys.stderr)\n"
            "sys.exit(status)\n")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "| ERROR" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    seen = json.loads(proc.stderr.strip().splitlines()[-1])
    assert seen["status"] == 0 and not seen["server_imported"] and seen["api"].startswith("http://127.0.0.1:")
    port = int(seen["api"].rsplit(":", 1)[1].split("/")[0])
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass  # stopped with the command
    run_id = json.loads(proc.stdout)["run_id"]
    with sqlite3.connect(tmp_path / "prefect-home" / "prefect.db") as db:
        flow_state = db.execute("select state_type from flow_run where id = ?", (run_id,)).fetchall()
        tasks = db.execute("select name, state_type, id from task_run where flow_run_id = ?", (run_id,)).fetchall()
    assert flow_state == [("COMPLETED",)]
    assert seen["waited"] == [sorted(str(uuid.UUID(i)) for _, _, i in tasks)]  # it waited for exactly these runs
    logged = re.findall(r"Task run '([^']+)' - Finished in state Completed", proc.stderr)
    assert sorted(name for name, _, _ in tasks) == sorted(logged)
    names = {name.rsplit("-", 1)[0] for name, _, _ in tasks}
    assert {"discover inputs", "read chunk", "clean and extract chunk", "validate chunk", "stage chunk",
            "publish batch", "refresh catalog"} <= names, names
    assert {state for _, state, _ in tasks} == {"COMPLETED"}, tasks


def test_a_named_server_is_used_as_it_is(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert temporary_server() is None
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9/api"


def test_a_server_that_cannot_start_is_one_line_and_leaves_nothing_running(monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setattr("flows.api._free_port", lambda: taken.getsockname()[1])
        server = TemporaryServer()
        proc = server.proc
        with pytest.raises(ServerError, match="did not start") as err:
            server.wait(180)
    assert "\n" not in str(err.value) and proc is not None and proc.poll() is not None


def test_a_started_server_answers_runs_no_automations_and_stops():
    server = TemporaryServer()
    try:
        server.wait(180)
        assert server.proc is not None
        environ = Path(f"/proc/{server.proc.pid}/environ").read_bytes().split(b"\0")
        assert b"MALLOC_ARENA_MAX=2" in environ or os.environ.get("MALLOC_ARENA_MAX")  # unless the user set one
        with urllib.request.urlopen(f"{server.url}/health", timeout=5) as response:
            assert response.status == 200
        with urllib.request.urlopen(f"{server.url}/admin/settings", timeout=5) as response:
            services = json.load(response)["server"]["services"]
        assert services["triggers"]["enabled"] is False and services["task_run_recorder"]["enabled"] is True
        proc = server.proc
    finally:
        server.stop()
    assert proc is not None and proc.poll() is not None and server.proc is None


def test_the_recorder_flush_interval_is_whole_seconds():
    """Prefect truncates it to an int: 0.5 became 0, a busy loop that kept a core 100% busy through a run."""
    from flows.settings import PREFECT_DEFAULTS, RECORDER_FLUSH_S

    assert int(RECORDER_FLUSH_S) == RECORDER_FLUSH_S >= 1
    assert PREFECT_DEFAULTS["PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL"] == str(RECORDER_FLUSH_S)


def test_a_flow_on_the_temporary_server_sends_no_heartbeats():
    """The setting reaches the thread the flow runs in (a flow run ends by joining its heartbeat thread:
    ~1 s), and only for that flow."""
    from prefect.settings import get_current_settings

    from flows import stopping
    from flows.commands import _no_heartbeats

    before = get_current_settings().flows.heartbeat_frequency
    with _no_heartbeats():
        seen = stopping.run(lambda: get_current_settings().flows.heartbeat_frequency)
    assert before is not None and seen is None
    assert get_current_settings().flows.heartbeat_frequency == before
