"""The backfill flow: re-process a date range, one subflow per day, each day replaced atomically."""
from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.batch import Batch, open_warehouse
from flows.settings import Settings
from flows.summary import RunSummary, final_state, summary_of
from flows.tasks import refresh_catalog


def days(start: str, end: str) -> list[str]:
    """Every date from start to end inclusive, as YYYY-MM-DD."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if last < first:
        raise ValueError(f"--end {end} is before --start {start}")
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


@flow(name="newsetl-backfill-day", flow_run_name="backfill {batch_date}")
def backfill_day(input_uri: str, warehouse_uri: str, batch_date: str):
    """Re-process the inputs of one batch date and replace that day's partitions (one transaction per table)."""
    summary = RunSummary(run_id=str(flow_run.get_id() or "local"), flow="backfill")
    Batch(summary, input_uri, warehouse_uri, batch_date, Settings.from_env(), frozenset({batch_date})).run(
        get_run_logger())
    return final_state(summary.as_dict())


@flow(name="newsetl-backfill", flow_run_name="backfill {start}..{end}")
def backfill(input_uri: str, warehouse_uri: str, start: str, end: str):
    """One subflow per day, up to NEWSETL_BACKFILL_PARALLEL days at once; each day commits on its own,
    so a backfill that fails part-way can be re-run and the days already done are replaced again.
    The days' summaries, in a Failed state naming the failed days if any failed."""
    log, settings = get_run_logger(), Settings.from_env()
    summary = RunSummary(run_id=str(flow_run.get_id() or "local"), flow="backfill")
    if not open_warehouse(warehouse_uri, summary, log):
        return final_state([summary.as_dict()])
    runner = settings.task_runner()  # the same choice as `run`: threads and worker processes, or Dask
    day_flow = backfill_day.with_options(task_runner=runner) if runner else backfill_day
    with ThreadPoolExecutor(max_workers=settings.backfill_parallel, thread_name_prefix="backfill") as pool:
        futures = [pool.submit(contextvars.copy_context().run, day_flow, input_uri, warehouse_uri, day,
                               return_state=True) for day in days(start, end)]
        results = [summary_of(f.result()) for f in futures]
    refresh_catalog(warehouse_uri, settings.retention_hours)
    for result in results:
        log.info("%s: %s, %d articles", result["params"].get("batch_date"), result["status"],
                 result["articles_published"])
    return final_state(results)
