"""The daily flow: one batch of new input into the warehouse."""
from __future__ import annotations

from datetime import datetime, timezone

from prefect import flow
from prefect.runtime import flow_run

from flows.settings import Settings
from flows.tasks import RunSummary, run_batch


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


@flow(name="newsetl-daily", flow_run_name="daily {batch_date}", log_prints=False, validate_parameters=True)
def daily(input_uri: str, warehouse_uri: str, batch_date: str | None = None) -> dict:
    """Ingest, clean, extract, validate and publish every input not yet in the warehouse."""
    from dataclasses import asdict

    summary = RunSummary(run_id=str(flow_run.get_id() or "local"), flow="daily")
    result = run_batch(summary, input_uri, warehouse_uri, batch_date or today(), Settings.from_env())
    return asdict(result)
