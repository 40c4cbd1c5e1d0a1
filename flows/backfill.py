"""The backfill flow: re-process a date range, one subflow per day, each day replaced atomically."""
from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import date, timedelta

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.settings import Settings
from flows.tasks import RunSummary, run_batch
from warehouse.writer import Warehouse, WarehouseError


def days(start: str, end: str) -> list[str]:
    """Every date from start to end inclusive, as YYYY-MM-DD."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if last < first:
        raise ValueError(f"--end {end} is before --start {start}")
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


@flow(name="newsetl-backfill-day", flow_run_name="backfill {batch_date}")
def backfill_day(input_uri: str, warehouse_uri: str, batch_date: str, locked: bool = False) -> dict:
    """Re-process the inputs of one batch date and replace that day's partitions."""
    summary = RunSummary(run_id=str(flow_run.get_id() or "local"), flow="backfill")
    result = run_batch(summary, input_uri, warehouse_uri, batch_date, Settings.from_env(),
                       dates=frozenset({batch_date}), replace=True, locked=locked)
    return asdict(result)


@flow(name="newsetl-backfill", flow_run_name="backfill {start}..{end}")
def backfill(input_uri: str, warehouse_uri: str, start: str, end: str) -> list[dict]:
    """One subflow per day, up to NEWSETL_BACKFILL_PARALLEL days at once, under one warehouse lock.

    Each day commits on its own, so a backfill that fails part-way can be re-run and the days
    already done are simply replaced again.
    """
    log = get_run_logger()
    settings = Settings.from_env()
    wh = Warehouse(warehouse_uri)
    try:
        with wh.lock(wait_s=settings.lock_wait_s):
            if wh.recover():
                log.info("recovered an interrupted publish")
            with ThreadPoolExecutor(max_workers=settings.backfill_parallel, thread_name_prefix="backfill") as pool:
                futures = [pool.submit(contextvars.copy_context().run, backfill_day, input_uri, warehouse_uri, day, True)
                           for day in days(start, end)]
                results = [f.result() for f in futures]
    except WarehouseError as exc:
        reason = str(exc).splitlines()[0]
        log.warning("backfill failed: %s", reason)
        failed = RunSummary(run_id=str(flow_run.get_id() or "local"), flow="backfill", status="failed", reason=reason)
        return [asdict(failed)]
    for result in results:
        log.info("%s: %s, %d articles", result["params"].get("batch_date"), result["status"], result["articles_published"])
    return results
