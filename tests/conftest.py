"""Shared fixtures: the real spaCy model, the fixture folders, and real servers for the session:
a `prefect server start` and a moto S3 server (the real S3 API), each on a free port."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT / "samples" / "seeds"
SEEDS_GOLD = FIXTURES / "dev" / "seeds-gold.json"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def nlp():
    from flows.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def seeds_gold() -> dict:
    return json.loads(SEEDS_GOLD.read_text("utf-8"))


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text("utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str):
    """Poll `check` until it returns something true (exceptions count as not yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = check()
        except Exception:
            found = None
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def stop(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session, and its children."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory) -> dict:
    """A real Prefect server for the session: {"PREFECT_API_URL": ..., "PREFECT_HOME": ...} to put in a command's
    environment (a command without it starts a temporary server, about 10 s each)."""
    import httpx

    port = free_port()
    env = {"PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-home")), "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false"}
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        wait_for(lambda: httpx.get(f"{env['PREFECT_API_URL']}/health", timeout=5).status_code == 200, 240,
                 "the Prefect server")
        yield env
    finally:
        stop(server)


@pytest.fixture(scope="session")
def s3_server() -> dict:
    """moto's S3 server: the store's standard environment variables that reach it."""
    import boto3

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    env = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "newsetl-test",
           "AWS_SECRET_ACCESS_KEY": "newsetl-test", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ALLOW_HTTP": "true"}
    try:
        client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], aws_access_key_id="newsetl-test",
                              aws_secret_access_key="newsetl-test", region_name="us-east-1")
        wait_for(lambda: client.list_buckets() is not None, 60, "moto's S3 server")
        yield env
    finally:
        stop(server)


@pytest.fixture
def s3(s3_server, monkeypatch, request) -> dict:
    """A fresh bucket on the S3 server, with its environment set for this process; returns the env and bucket."""
    import boto3

    bucket = "newsetl-" + request.node.name.lower().replace("_", "-")[:40].rstrip("-") + f"-{os.getpid()}"
    for key, value in s3_server.items():
        monkeypatch.setenv(key, value)
    boto3.client("s3", endpoint_url=s3_server["AWS_ENDPOINT_URL"]).create_bucket(Bucket=bucket)
    import fsspec

    fsspec.filesystem("s3").invalidate_cache()
    return {**s3_server, "bucket": bucket}
