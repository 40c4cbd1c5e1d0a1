"""newsetl: the command line over the flows. Heavy imports happen only in the command that needs them."""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from datetime import date, datetime, timezone

from flows.settings import Settings

EPILOG = """examples:
  newsetl run                                   # bundled samples -> ./data/warehouse
  newsetl run --input s3://bucket/news --warehouse ./wh --date 2026-11-20
  newsetl backfill --start 2026-11-01 --end 2026-11-07 --input ./news
  newsetl sql "SELECT unit, count(*) FROM figures GROUP BY 1"
  newsetl serve --cron "0 2 * * *"

environment: NEWSETL_INPUT, NEWSETL_WAREHOUSE (defaults for --input/--warehouse),
NEWSETL_CHUNK_SIZE, NEWSETL_N_PROCESS, PREFECT_API_URL (a Prefect server; default: a temporary one)."""


class UsageError(Exception):
    """A bad argument: reported as one line, exit status 2."""


def _date(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a valid date: {value!r}") from None


def build_parser(settings: Settings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsetl", description="Batch ETL for news articles: clean text, "
                                     "entities and figures, validated Parquet tables queried with DuckDB.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    wh_help = f"warehouse folder or fsspec URL (default: {settings.warehouse_uri})"
    run = sub.add_parser("run", help="process every input not yet in the warehouse (one batch)")
    run.add_argument("--input", default=settings.input_uri, help="input folder, file or fsspec URL (default: bundled samples)")
    run.add_argument("--warehouse", default=settings.warehouse_uri, help=wh_help)
    run.add_argument("--date", type=_date, help="batch date for inputs without a date folder (default: today, UTC)")
    back = sub.add_parser("backfill", help="re-process a date range, replacing those days' partitions")
    back.add_argument("--start", type=_date, required=True, help="first batch date (YYYY-MM-DD)")
    back.add_argument("--end", type=_date, required=True, help="last batch date, inclusive")
    back.add_argument("--input", default=settings.input_uri, help="input folder or fsspec URL")
    back.add_argument("--warehouse", default=settings.warehouse_uri, help=wh_help)
    serve = sub.add_parser("serve", help="serve the scheduled daily deployment on a Prefect server")
    serve.add_argument("--cron", default="0 2 * * *", help="cron schedule (default: daily at 02:00 UTC)")
    serve.add_argument("--input", default=settings.input_uri, help="input folder or fsspec URL")
    serve.add_argument("--warehouse", default=settings.warehouse_uri, help=wh_help)
    sql = sub.add_parser("sql", help="run SQL against the warehouse views in DuckDB")
    sql.add_argument("query", help='SQL, e.g. "SELECT * FROM figure_claims LIMIT 5"')
    sql.add_argument("--warehouse", default=settings.warehouse_uri, help=wh_help)
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    sql.add_argument("--as-of", dest="as_of", metavar="VERSION|TIMESTAMP",
                     help="read the tables as they were at a version of the runs table or a time (time travel)")
    report = sub.add_parser("report", help="write <warehouse>/report/index.html, a static page about the warehouse")
    report.add_argument("--warehouse", default=settings.warehouse_uri, help=wh_help)
    history = sub.add_parser("history", help="list the table versions: when, which run, what operation, rows")
    history.add_argument("--warehouse", default=settings.warehouse_uri, help=wh_help)
    history.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    maintain = sub.add_parser("maintain", help="compact small files and delete files no retained version needs")
    maintain.add_argument("--warehouse", default=settings.warehouse_uri, help=wh_help)
    migrate = sub.add_parser("migrate", help="convert a version-1 warehouse (plain Parquet) to Delta tables in place")
    migrate.add_argument("--warehouse", default=settings.warehouse_uri, help=wh_help)
    return parser


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    args = build_parser(settings).parse_args(argv)
    try:
        return {"run": cmd_run, "backfill": cmd_backfill, "serve": cmd_serve, "report": cmd_report, "sql": cmd_sql,
                "history": cmd_history, "maintain": cmd_maintain, "migrate": cmd_migrate}[args.command](args)
    except UsageError as exc:
        print(f"newsetl: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("NEWSETL_DEBUG"):
            raise
        print(f"newsetl: error: {type(exc).__name__}: {exc} (set NEWSETL_DEBUG=1 for the traceback)", file=sys.stderr)
        return 1


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


def _check_warehouse(uri: str, must_exist: bool = False):
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
        if not exists and not must_exist and lake.is_local:
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


def cmd_run(args) -> int:
    _check_uris(args.input, args.warehouse)
    _check_input(args.input)
    _check_warehouse(args.warehouse)
    daily, _ = _flows()
    batch_date = args.date or daily.today()
    runner = Settings.from_env().task_runner()
    flow = daily.daily.with_options(task_runner=runner) if runner else daily.daily
    started = datetime.now(timezone.utc)
    result = _stoppable(flow, input_uri=args.input, warehouse_uri=args.warehouse, batch_date=batch_date)
    _settle(started)
    return _report([result], args.warehouse)


def cmd_backfill(args) -> int:
    _check_uris(args.input, args.warehouse)
    _check_input(args.input)
    if args.end < args.start:
        raise UsageError(f"--end {args.end} is before --start {args.start}")
    _check_warehouse(args.warehouse)
    _, backfill = _flows()
    started = datetime.now(timezone.utc)
    results = _stoppable(backfill.backfill, input_uri=args.input, warehouse_uri=args.warehouse, start=args.start,
                         end=args.end)
    _settle(started)
    return _report(results, args.warehouse)


def _stoppable(flow, **params):
    """A flow run that SIGTERM or Ctrl-C ends within seconds (flows.stopping), its workers stopped first."""
    from flows import stopping
    from flows.pool import POOL

    stopping.on_stop(POOL.terminate)
    return stopping.run(flow, **params)


def cmd_serve(args) -> int:
    _check_uris(args.input, args.warehouse)
    _flows()
    from flows.serve import serve

    print(f"newsetl: serving deployment newsetl-daily/newsetl-daily with cron {args.cron!r} (Ctrl-C to stop)")
    serve(args.input, args.warehouse, args.cron)
    return 0


def _settle(since: datetime, timeout_s: float = 10.0) -> None:
    """With the temporary Prefect server, wait until it has recorded this command's task runs as
    finished: stopped earlier (at exit), its recorder is cancelled mid-write, which prints an
    ERROR with a traceback and loses task runs. A real server (PREFECT_API_URL) keeps running."""
    if os.environ.get("PREFECT_API_URL"):
        return
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterStartTime

    recent = TaskRunFilter(start_time=TaskRunFilterStartTime(after_=since))
    deadline, seen = time.monotonic() + timeout_s, None
    try:
        with get_client(sync_client=True) as client:
            while time.monotonic() < deadline:
                runs = client.read_task_runs(task_run_filter=recent)
                states = sorted((str(r.id), r.state_type.value if r.state_type else "") for r in runs)
                if states == seen and all(r.state and r.state.is_final() for r in runs):
                    return  # every recorded run finished, and nothing new arrived for a quarter second
                seen = states
                time.sleep(0.25)
    except Exception:  # the batch is published already: a bookkeeping wait never fails the command
        return


def _report(results: list[dict], warehouse: str) -> int:
    failed = [r for r in results if r["status"] == "failed"]
    retry = any(r.get("retry_later") for r in failed)
    if os.environ.get("NEWSETL_SUMMARY_JSON"):  # for scripts and the benchmark
        with open(os.environ["NEWSETL_SUMMARY_JSON"], "w", encoding="utf-8") as out:
            json.dump(results[0] if len(results) == 1 else results, out, default=str)
    for r in results:
        reasons = ", ".join(f"{k} ({v})" for k, v in sorted(r["quarantine_reasons"].items())) or "none"
        print(f"newsetl: run {r['run_id']} {r['status']}: {r['files_seen']} files, "
              f"{r['articles_published']} articles published, {r['rows_quarantined']} quarantined "
              f"[{reasons}]" + (f" - {r['reason']}" if r.get("reason") else ""))
    print(f"newsetl: warehouse {warehouse}" + (f" (duckdb {warehouse}/newsetl.duckdb)" if "://" not in warehouse else ""))
    return 75 if retry else 1 if failed else 0


def cmd_report(args) -> int:
    _check_warehouse(args.warehouse, must_exist=True)
    if not os.path.exists(os.path.join(args.warehouse, "newsetl.duckdb")):
        raise UsageError(f"no warehouse catalog in {args.warehouse}: run `newsetl run` first")
    from warehouse.report import build

    print(f"newsetl: report {build(args.warehouse)}")
    return 0


def cmd_sql(args) -> int:
    import duckdb

    from warehouse.catalog import connect

    lake = _check_warehouse(args.warehouse, must_exist=True)
    try:
        con = connect(lake, args.as_of)
    except (ValueError, OSError, duckdb.Error) as exc:
        raise UsageError(f"cannot read {args.warehouse}" + (f" as of {args.as_of}" if args.as_of else "")
                         + f": {str(exc).splitlines()[0]}") from None
    try:
        cur = con.execute(args.query)
        cols = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.Error as exc:
        raise UsageError(str(exc).splitlines()[0]) from None
    finally:
        con.close()
    _print_rows(cols, rows, args.format)
    return 0


def cmd_history(args) -> int:
    from warehouse.history import history

    rows = history(_check_warehouse(args.warehouse, must_exist=True))
    cols = ["table", "version", "time", "run_id", "operation", "rows_added", "rows_removed"]
    _print_rows(cols, [tuple(r[c] for c in cols) for r in rows], args.format)
    return 0


def cmd_maintain(args) -> int:
    from warehouse.catalog import refresh
    from warehouse.history import maintain

    lake = _check_warehouse(args.warehouse, must_exist=True)
    for line in lake.recover():
        print(f"newsetl: {line}")
    for table, m in maintain(lake, Settings.from_env().retention_hours).items():
        print(f"newsetl: {table}: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in m.items()))
    refresh(lake)
    return 0


def cmd_migrate(args) -> int:
    from warehouse.catalog import refresh
    from warehouse.lake import Lakehouse
    from warehouse.migrate import migrate

    _check_uris(args.warehouse)
    lake = Lakehouse(args.warehouse)
    if not lake.fs.exists(lake.root):
        raise UsageError(f"no warehouse at {args.warehouse}")
    for line in migrate(lake):
        print(f"newsetl: {line}")
    refresh(lake)
    return 0


def _print_rows(cols: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        for row in rows:
            print(json.dumps(dict(zip(cols, row)), default=str, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(cols)
        writer.writerows(rows)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*cols, show_lines=False)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)
        print(f"({len(rows)} rows)")


if __name__ == "__main__":
    sys.exit(main())
