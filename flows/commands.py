"""The commands behind the command line (flows/cli.py): each takes the parsed arguments, the settings and the
output, says what it does in human lines and returns its result as a dict (what --json prints)."""
from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from datetime import UTC, datetime

from flows.api import TemporaryServer, startup_timeout, temporary_server
from flows.output import Output, print_rows
from flows.settings import RECORDER_FLUSH_S, Settings

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE, EXIT_RETRY = 0, 1, 2, 75
SETTLE_POLL_S = 0.1


class UsageError(Exception):
    """A bad argument: reported as one line, exit status 2."""


def _check_uris(*uris: str) -> None:
    from flows.settings import has_credentials, redact

    for uri in uris:
        if has_credentials(uri):
            raise UsageError(f"{redact(uri)}: credentials in a URL would end up in logs, flow parameters and the runs "
                             "table; give them to fsspec through the environment (e.g. AWS_ACCESS_KEY_ID) instead")


def _check_input(uri: str) -> None:
    import fsspec

    try:
        fs, path = fsspec.core.url_to_fs(uri)
        found = fs.exists(path)
    except (ImportError, ValueError, OSError) as exc:
        raise UsageError(f"cannot open input {uri}: {exc}") from None
    if not found:
        raise UsageError(f"input not found: {uri}")


def _flows():
    from flows.settings import apply_prefect_defaults

    apply_prefect_defaults()
    import flows.backfill
    import flows.daily

    return flows.daily, flows.backfill


def open_warehouse(uri: str, must_exist: bool = False, create: bool = True):
    """The warehouse reachable (its store, credentials, bucket) and of this version: else a one-line error."""
    from warehouse.lake import Lakehouse
    from warehouse.migrate import is_version_1

    try:
        lake = Lakehouse(uri)
        if not lake.is_local:  # a bucket is never created here: a missing one is a mistake in the URL
            bucket = lake.root.split("/", 1)[0]
            if not lake.fs.exists(bucket):
                raise UsageError(f"cannot open warehouse {uri}: bucket {bucket} does not exist or is not reachable")
        exists = lake.fs.exists(lake.root)
        if not exists and not must_exist and create and lake.is_local:
            lake.fs.makedirs(lake.root, exist_ok=True)
        version_1 = exists and is_version_1(lake)
    except UsageError:
        raise
    except (ImportError, ValueError, OSError) as exc:
        raise UsageError(f"cannot open warehouse {uri}: {str(exc).splitlines()[0] or type(exc).__name__}") from None
    except Exception as exc:  # the stores' clients raise their own types (botocore, gcsfs)
        raise UsageError(f"cannot open warehouse {uri}: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
    if must_exist and not (exists and (version_1 or lake.exists())):
        raise UsageError(f"no warehouse at {uri}: run `newsetl run` first")
    if version_1:
        raise UsageError(f"{uri} is a version-1 warehouse (plain Parquet): run `newsetl migrate --warehouse {uri}`")
    return lake


def cmd_run(args, settings: Settings, out: Output) -> dict:
    _check_uris(settings.input, settings.warehouse)
    _check_input(settings.input)
    server = temporary_server()  # boots while the pipeline is imported and the warehouse opened
    open_warehouse(settings.warehouse)
    daily, _ = _flows()
    runner = settings.task_runner()
    flow = daily.daily.with_options(task_runner=runner) if runner else daily.daily
    if server is not None and runner is None:
        _import_validation(settings.input, settings.warehouse)
    started = datetime.now(UTC)
    result = _stoppable(flow, server, runner is None, input_uri=settings.input, warehouse_uri=settings.warehouse,
                        batch_date=args.date or daily.today(), return_state=True)
    return _summary([result], settings.warehouse, started, out)


def cmd_backfill(args, settings: Settings, out: Output) -> dict:
    _check_uris(settings.input, settings.warehouse)
    _check_input(settings.input)
    if args.end < args.start:
        raise UsageError(f"--end {args.end} is before --start {args.start}")
    if args.dry_run:
        return _dry_run(args, settings, out)
    server = temporary_server()
    open_warehouse(settings.warehouse)
    _, backfill = _flows()
    if server is not None and not settings.dask_address:
        _import_validation()
    started = datetime.now(UTC)
    results = _stoppable(backfill.backfill, server, not settings.dask_address, input_uri=settings.input,
                         warehouse_uri=settings.warehouse, start=args.start, end=args.end, return_state=True)
    return _summary(results, settings.warehouse, started, out)


def _dry_run(args, settings: Settings, out: Output) -> dict:
    """The days a backfill would replace, their input files and the rows published there now; writes nothing."""
    from collections import Counter

    from flows.backfill import days
    from flows.sources import InputError, discover

    lake = open_warehouse(settings.warehouse, create=False)
    span = days(args.start, args.end)
    try:
        files, skipped = discover(settings.input, "", settings.warehouse)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    published = Counter(str(d) for d in lake.read_column("articles", "batch_date", set(span))) \
        if lake.fs.exists(lake.root) and lake.exists() else Counter()
    plan = []
    for day in span:  # a file without a date folder takes the day being replaced, as the backfill gives it
        plan.append({"batch_date": day, "files": [f.uri for f in files if (f.batch_date or day) == day],
                     "skipped_files": [q["source_uri"] for q in skipped if (q["batch_date"] or day) == day],
                     "articles_published": published.get(day, 0)})
        out.say(f"newsetl: {day}: {len(plan[-1]['files'])} input files would replace "
                f"{plan[-1]['articles_published']} published articles")
        for uri in plan[-1]["files"]:
            out.say(f"  {uri}")
    undated = sum(1 for f in files if not f.batch_date)
    if undated:
        out.say(f"newsetl: {undated} input files have no date folder: each day above takes them")
    out.say("newsetl: dry run: nothing written")
    return {"dry_run": True, "warehouse": settings.warehouse, "days": plan, "undated_files": undated}


def _stoppable(flow, server: TemporaryServer | None, tracked: bool = True, **params):
    """A flow run that SIGTERM or Ctrl-C ends within seconds (flows.stopping), its workers stopped first;
    its summary, read from its final state (`return_state=True`). With a temporary Prefect server,
    the flow starts once it answers and the command waits until it has recorded the runs (`tracked`:
    every task runs in this process, none on Dask's)."""
    from flows import stopping
    from flows.pool import POOL
    from flows.summary import summary_of
    from flows.tasks import RAN

    stopping.on_stop(POOL.terminate)
    if server is not None:
        stopping.run(server.wait, startup_timeout())
    started, ran = datetime.now(UTC), set()
    token = RAN.set(ran)
    try:
        with _no_heartbeats() if server is not None else contextlib.nullcontext():
            result = summary_of(stopping.run(flow, **params))
    finally:
        RAN.reset(token)
    if server is not None:
        _settle(started, ran if tracked else None)
    return result


def _import_validation(input_uri: str | None = None, warehouse_uri: str | None = None) -> None:
    """Import Great Expectations on a thread while the temporary server starts: ~3 s of CPU that the flow
    would spend at its first validation, with the workers busy, on the core the server's start leaves
    idle. Only when the run will validate: a backfill always, a run when its input holds a file the
    warehouse has not read (a no-op run, whose flow would share this process with the import, imports
    nothing). Not a daemon: an import is not cut short at exit."""
    def work() -> None:
        with contextlib.suppress(Exception):  # a failed import fails again where validation needs it, and says so
            from flows.batch import has_unread

            if input_uri is None or warehouse_uri is None or has_unread(input_uri, warehouse_uri):
                from expectations.loader import import_gx

                import_gx()

    threading.Thread(target=work, name="import-gx").start()


def _no_heartbeats():
    """Prefect's settings without flow run heartbeats, for a flow on the command's temporary server. They
    let a server notice a flow run whose process died, but this server dies with the command; and a flow
    run ends by joining the thread that sends them, which sleeps a second at a time (~1 s a flow run)."""
    from prefect.settings import temporary_settings

    return temporary_settings(updates={"flows.heartbeat_frequency": None})


def cmd_serve(args, settings: Settings, out: Output) -> dict:
    _check_uris(settings.input, settings.warehouse)
    _flows()
    from flows.serve import serve

    print(f"newsetl: serving deployment newsetl-daily/newsetl-daily with cron {args.cron!r} (Ctrl-C to stop)",
          file=sys.stderr)
    serve(settings.input, settings.warehouse, args.cron)
    return {"deployment": "newsetl-daily/newsetl-daily", "cron": args.cron}


def _settle(since: datetime, ran: set[str] | None, timeout_s: float = 15.0) -> None:
    """Wait until the temporary Prefect server has recorded this command's task runs as finished:
    stopped earlier, its recorder is cancelled mid-write, which prints an ERROR with a traceback and
    loses task runs. The events that record them are sent first; then every task run started since
    `since` must be final, and every one of `ran` (the runs this process ran) among them; unknown
    (`ran` None: tasks ran on Dask), the runs must stay final and unchanged for longer than the
    recorder's flush interval. A real server (PREFECT_API_URL) keeps running: no wait."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterStartTime
    from prefect.events.worker import EventsWorker

    recent = TaskRunFilter(start_time=TaskRunFilterStartTime(after_=since))
    deadline, seen, unchanged = time.monotonic() + timeout_s, None, 0
    try:
        EventsWorker.drain_all(timeout=timeout_s, at_exit=False)
        with get_client(sync_client=True) as client:
            while time.monotonic() < deadline:
                runs = _task_runs(client, recent)
                final = {str(r.id) for r in runs if r.state and r.state.is_final()}
                if ran is not None and len(final) == len(runs) and ran <= final:
                    return
                states = sorted((str(r.id), r.state_type.value if r.state_type else "") for r in runs)
                unchanged = unchanged + 1 if states == seen and len(final) == len(runs) else 0
                if ran is None and unchanged * SETTLE_POLL_S > RECORDER_FLUSH_S:
                    return
                seen = states
                time.sleep(SETTLE_POLL_S)
    except Exception:  # the batch is published already: a bookkeeping wait never fails the command
        return


def _task_runs(client, task_run_filter, page: int = 200) -> list:
    """Every task run the filter matches, a page at a time (the server returns at most 200 at once)."""
    runs: list = []
    while True:
        got = client.read_task_runs(task_run_filter=task_run_filter, limit=page, offset=len(runs))
        runs += got
        if len(got) < page:
            return runs


RUN_KEYS = ("run_id", "flow", "status", "reason", "files_seen", "articles_published", "rows_quarantined",
            "validation_success", "counts", "quarantine_reasons", "stage_seconds")


def _summary(results: list[dict], warehouse: str, started: datetime, out: Output) -> dict:
    """The result of run and backfill: per run and in total, the warehouse's version after it, the exit status."""
    failed = [r for r in results if r["status"] == "failed"]
    status = EXIT_RETRY if any(r.get("retry_later") for r in failed) else EXIT_BLOCKED if failed else EXIT_OK
    runs = [{**{k: r.get(k) for k in RUN_KEYS}, "batch_date": r.get("params", {}).get("batch_date")} for r in results]
    for r in runs:
        reasons = ", ".join(f"{k} ({v})" for k, v in sorted(r["quarantine_reasons"].items())) or "none"
        out.say(f"newsetl: run {r['run_id']} {r['status']}: {r['files_seen']} files, "
                f"{r['articles_published']} articles published, {r['rows_quarantined']} quarantined "
                f"[{reasons}]" + (f" - {r['reason']}" if r.get("reason") else ""))
    from warehouse.catalog import CATALOG

    catalog = f" (duckdb {warehouse}/{CATALOG})" if "://" not in warehouse else ""
    out.say(f"newsetl: warehouse {warehouse}{catalog}")
    total = {k: sum(r[k] for r in runs) for k in ("files_seen", "articles_published", "rows_quarantined")}
    reasons: dict[str, int] = {}
    stages: dict[str, float] = {}
    for r in runs:
        for k, v in r["quarantine_reasons"].items():
            reasons[k] = reasons.get(k, 0) + v
        for k, v in r["stage_seconds"].items():
            stages[k] = round(stages.get(k, 0.0) + v, 3)
    return {"exit_status": status, "status": "failed" if failed else "published",
            "run_id": runs[0]["run_id"] if len(runs) == 1 else None, "run_ids": [r["run_id"] for r in runs],
            **total, "quarantine_reasons": reasons, "stage_seconds": stages,
            "seconds": round((datetime.now(UTC) - started).total_seconds(), 3),
            "warehouse": warehouse, "warehouse_version": _version(warehouse), "runs": runs}


def _version(warehouse: str) -> int | None:
    """The warehouse's version: that of its runs table, which every run commits last (`sql --as-of` takes it)."""
    from warehouse.lake import Lakehouse

    try:
        dt = Lakehouse(warehouse).table("runs")
    except Exception:  # the result is reported either way
        return None
    return None if dt is None else dt.version()


def cmd_report(args, settings: Settings, out: Output) -> dict:
    open_warehouse(settings.warehouse, must_exist=True)
    from warehouse.catalog import CATALOG

    if not os.path.exists(os.path.join(settings.warehouse, CATALOG)):
        raise UsageError(f"no warehouse catalog in {settings.warehouse}: run `newsetl run` first")
    from warehouse.report import build

    path = build(settings.warehouse)
    out.say(f"newsetl: report {path}")
    return {"report": str(path)}


def cmd_sql(args, settings: Settings, out: Output) -> dict:
    import duckdb

    from warehouse.catalog import connect

    lake = open_warehouse(settings.warehouse, must_exist=True)
    try:
        con = connect(lake, args.as_of)
    except (ValueError, OSError, duckdb.Error) as exc:
        raise UsageError(f"cannot read {settings.warehouse}" + (f" as of {args.as_of}" if args.as_of else "")
                         + f": {str(exc).splitlines()[0]}") from None
    try:
        cur = con.execute(args.query)
        cols = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.Error as exc:
        raise UsageError(str(exc).splitlines()[0]) from None
    finally:
        con.close()
    if not out.as_json:
        print_rows(cols, rows, args.format)
    return {"columns": cols, "rows": [dict(zip(cols, row, strict=False)) for row in rows]}


def cmd_history(args, settings: Settings, out: Output) -> dict:
    from warehouse.history import history

    rows = history(open_warehouse(settings.warehouse, must_exist=True))
    cols = ["table", "version", "time", "run_id", "operation", "rows_added", "rows_removed"]
    if not out.as_json:
        print_rows(cols, [tuple(r[c] for c in cols) for r in rows], args.format)
    return {"versions": [{c: r[c] for c in cols} for r in rows]}


def cmd_maintain(args, settings: Settings, out: Output) -> dict:
    from warehouse.catalog import refresh
    from warehouse.history import maintain

    lake = open_warehouse(settings.warehouse, must_exist=True)
    recovered = lake.recover()
    for line in recovered:
        out.say(f"newsetl: {line}")
    tables = maintain(lake, settings.retention_hours)
    for table, m in tables.items():
        out.say(f"newsetl: {table}: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in m.items()))
    refresh(lake)
    return {"recovered": recovered, "tables": tables, "warehouse_version": _version(settings.warehouse)}


def cmd_migrate(args, settings: Settings, out: Output) -> dict:
    from warehouse.catalog import refresh
    from warehouse.lake import Lakehouse
    from warehouse.migrate import migrate

    _check_uris(settings.warehouse)
    lake = Lakehouse(settings.warehouse)
    if not lake.fs.exists(lake.root):
        raise UsageError(f"no warehouse at {settings.warehouse}")
    done = migrate(lake)
    for line in done:
        out.say(f"newsetl: {line}")
    refresh(lake)
    return {"done": done, "warehouse_version": _version(settings.warehouse)}


def cmd_config(args, settings: Settings, out: Output) -> dict:
    rows = settings.rows()
    width = max(len(f"{r['name']} = {json.dumps(r['value'])}") for r in rows)
    for r in rows:  # newsetl.toml's own syntax, each value's source as a comment
        out.say(f"{r['name']} = {json.dumps(r['value'])}".ljust(width) + f"  # {r['source']}")
    return {"settings": {r["name"]: {"value": r["value"], "source": r["source"]} for r in rows}}


def cmd_doctor(args, settings: Settings, out: Output) -> dict:
    from flows.doctor import checks

    results = checks(settings)
    for c in results:
        fix = f" - fix: {c['fix']}" if c["fix"] else ""
        out.say(f"{'ok  ' if c['ok'] else 'FAIL'} {c['check']}: {c['detail']}{fix}")
    failed = [c for c in results if not c["ok"]]
    out.say(f"newsetl: {len(results) - len(failed)} of {len(results)} checks passed")
    return {"exit_status": EXIT_BLOCKED if failed else EXIT_OK, "checks": results}


COMMANDS = {"run": cmd_run, "backfill": cmd_backfill, "serve": cmd_serve, "report": cmd_report, "sql": cmd_sql,
            "history": cmd_history, "maintain": cmd_maintain, "migrate": cmd_migrate, "config": cmd_config,
            "doctor": cmd_doctor}
