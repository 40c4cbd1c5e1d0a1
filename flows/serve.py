"""Deployment of the daily flow on a Prefect server, with a cron schedule (kept apart from flow code)."""
from __future__ import annotations

from flows.daily import daily
from flows.settings import Settings

DEPLOYMENT = "newsetl-daily"


def serve(input_uri: str, warehouse_uri: str, cron: str = "0 2 * * *") -> None:
    """Create the deployment with its schedule and parameters and run it until stopped."""
    runner = Settings.from_env().task_runner()  # the same choice as `run`: threads and worker processes, or Dask
    flow = daily.with_options(task_runner=runner) if runner else daily
    flow.serve(name=DEPLOYMENT, cron=cron, parameters={"input_uri": input_uri, "warehouse_uri": warehouse_uri},
               description="newsetl: ingest, clean, extract, validate and publish new articles")
