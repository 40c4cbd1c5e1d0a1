"""The daily flow: one batch of new input into the warehouse."""
from __future__ import annotations

from datetime import UTC, datetime

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.batch import Batch, open_warehouse
from flows.settings import Settings
from flows.summary import RunSummary, final_state
from flows.tasks import refresh_catalog


def today() -> str:
    return datetime.now(UTC).date().isoformat()


@flow(name="newsetl-daily", flow_run_name="daily {batch_date}", log_prints=False, validate_parameters=True)
def daily(input_uri: str, warehouse_uri: str, batch_date: str | None = None):
    """Ingest, clean, extract, validate and publish every input not yet in the warehouse: the run's summary,
    in a Failed state when the batch failed (call with `return_state=True`, read it with `summary_of`)."""
    log, settings = get_run_logger(), Settings.from_env()
    summary = RunSummary(run_id=str(flow_run.get_id() or "local"), flow="daily")
    if open_warehouse(warehouse_uri, summary, log):
        Batch(summary, input_uri, warehouse_uri, batch_date or today(), settings).run(log)
        refresh_catalog(warehouse_uri, settings.retention_hours)
    return final_state(summary.as_dict())
