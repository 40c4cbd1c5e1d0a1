"""newsetl: the command line over the flows. Heavy imports happen only in the command that needs them.

Every command returns a result dict; the human summary or, with --json, that dict as one JSON object is what
it prints on stdout. Exit status (docs/contract.md): 0 published, 1 validation blocked the batch (nothing
published), 2 bad arguments, configuration or input root, 75 retry later (another run holds the warehouse)."""
from __future__ import annotations

import argparse
import atexit
import json
import os
import re
import sys
import threading
from datetime import date

from flows.api import ServerError
from flows.commands import COMMANDS, EXIT_BLOCKED, EXIT_USAGE, Output, UsageError
from flows.settings import PIPELINE_VERSION, Settings, SettingsError, apply_process_defaults

EPILOG = """examples:
  newsetl run                                   # bundled samples -> ./data/warehouse
  newsetl run --input s3://bucket/news --warehouse ./wh --date 2026-11-20 --json
  newsetl backfill --start 2026-11-01 --end 2026-11-07 --input ./news --dry-run
  newsetl sql "SELECT unit, count(*) FROM figures GROUP BY 1"
  newsetl serve --cron "0 2 * * *"
  newsetl config                                # the effective settings and where each came from

settings: flag > NEWSETL_<NAME> environment variable > newsetl.toml (or the file in NEWSETL_CONFIG) > default.
PREFECT_API_URL names a Prefect server (default: a temporary one)."""

PIPELINE = ("chunk_size", "n_process", "nlp_batch_size", "nlp_batch_chars", "validate_size", "dask_address",
            "history_retention")
# the settings each command takes as flags (all of them come from the environment and the file too)
FLAGS = {
    "run": ("input", "warehouse", *PIPELINE),
    "backfill": ("input", "warehouse", *PIPELINE, "backfill_parallel"),
    "serve": ("input", "warehouse", *PIPELINE, "backfill_parallel"),
    "sql": ("warehouse",), "report": ("warehouse",), "history": ("warehouse",),
    "maintain": ("warehouse", "history_retention"), "migrate": ("warehouse",),
    "config": tuple(n for n in Settings.model_fields if n not in ("log_level", "summary_json", "debug")),
    "doctor": ("input", "warehouse"),
}


def _date(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a valid date: {value!r}") from None


class Parser(argparse.ArgumentParser):
    """argparse, its errors in one line (the usage is one `--help` away), as JSON too with --json."""

    def error(self, message: str):
        line = f"{message} (see {self.prog} --help)"
        if "--json" in sys.argv[1:]:
            print(json.dumps({"newsetl_version": PIPELINE_VERSION, "command": self.prog.partition(" ")[2] or None,
                              "exit_status": EXIT_USAGE, "error": line}))
        self.exit(EXIT_USAGE, f"newsetl: error: {line}\n")


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument("--version", action="version", version=f"newsetl {PIPELINE_VERSION}")
    common.add_argument("--json", action="store_true", help="print the result as one JSON object, nothing else")
    common.add_argument("-v", "--verbose", action="count", default=0, help="more log lines (DEBUG)")
    common.add_argument("-q", "--quiet", action="count", default=0, help="fewer log lines (WARNING; -qq: ERROR)")
    parser = Parser(prog="newsetl", description="Batch ETL for news articles: clean text, "
                                     "entities and figures, validated Delta tables queried with DuckDB.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"newsetl {PIPELINE_VERSION}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_, parents=[common])
        for setting in FLAGS[name]:
            field = Settings.model_fields[setting]
            p.add_argument("--" + setting.replace("_", "-"), dest=f"set_{setting}", metavar=setting.upper(),
                           help=field.description)
        return p

    run = command("run", "process every input not yet in the warehouse (one batch)")
    run.add_argument("--date", type=_date, help="batch date for inputs without a date folder (default: today, UTC)")
    back = command("backfill", "re-process a date range, replacing those days' partitions")
    back.add_argument("--start", type=_date, required=True, help="first batch date (YYYY-MM-DD)")
    back.add_argument("--end", type=_date, required=True, help="last batch date, inclusive")
    back.add_argument("--dry-run", action="store_true", help="list the days and files it would replace; write nothing")
    command("serve", "serve the scheduled daily deployment on a Prefect server").add_argument(
        "--cron", default="0 2 * * *", help="cron schedule (default: daily at 02:00 UTC)")
    sql = command("sql", "run SQL against the warehouse views in DuckDB")
    sql.add_argument("query", help='SQL, e.g. "SELECT * FROM figure_claims LIMIT 5"')
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    sql.add_argument("--as-of", dest="as_of", metavar="VERSION|TIMESTAMP",
                     help="read the tables as they were at a version of the runs table or a time (time travel)")
    command("report", "write <warehouse>/report/index.html, a static page about the warehouse")
    command("history", "list the table versions: when, which run, what operation, rows").add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format")
    command("maintain", "compact small files and delete files no retained version needs")
    command("migrate", "convert a version-1 warehouse (plain Parquet) to Delta tables in place")
    command("config", "print the effective settings and where each came from")
    command("doctor", "check the model, the Prefect API, the warehouse, storage credentials and free disk")
    return parser


def main(argv: list[str] | None = None) -> int:
    apply_process_defaults()
    args = build_parser().parse_args(argv)  # argparse reports its own errors with status 2
    out = Output(args.json, args.command)
    try:
        settings = Settings.load({k[4:]: v for k, v in vars(args).items() if k.startswith("set_")})
    except SettingsError as exc:
        return out.error(str(exc), EXIT_USAGE)
    settings.export()
    _log_level(settings, args.verbose - args.quiet)
    out.settings = settings
    try:
        result = COMMANDS[args.command](args, settings, out)
        return out.result(result)
    except (UsageError, SettingsError) as exc:
        return out.error(str(exc), EXIT_USAGE)
    except ServerError as exc:
        return out.error(str(exc), EXIT_BLOCKED)
    except BrokenPipeError:
        return _reader_gone()
    except Exception as exc:  # a bug: one line, the traceback only on request
        if settings.debug:
            raise
        return out.error(f"{type(exc).__name__}: {exc} (set NEWSETL_DEBUG=1 for the traceback)", EXIT_BLOCKED)


EXIT_PIPE = 128 + 13  # the status of a process SIGPIPE ended, as a shell reports `yes | head`'s


def _reader_gone() -> int:
    """The reader of the output went away (`newsetl sql ... | head`): stop quietly, as Unix tools do; the
    output's last flush goes nowhere instead of raising again at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE


def _log_level(settings: Settings, shift: int) -> None:
    """-v/-q move the configured level; Prefect's loggers and ours follow it."""
    import logging

    levels = ["DEBUG", "INFO", "WARNING", "ERROR"]
    level = levels[min(len(levels) - 1, max(0, levels.index(settings.log_level) - shift))]
    os.environ["PREFECT_LOGGING_LEVEL"] = level
    logging.getLogger("newsetl").setLevel(level)


def entry() -> None:
    """The `newsetl` command: main(), then a normal exit without the interpreter's teardown. Python joins
    the threads and runs the exit handlers (Prefect sends its last logs and events, the temporary server
    stops, logging flushes), then frees every object of every module one by one: ~0.6 s after a run, a
    tenth of a no-op re-run, for nothing. Here the process ends once the handlers have run."""
    code = main()
    join_threads, run_handlers = getattr(threading, "_shutdown", None), getattr(atexit, "_run_exitfuncs", None)
    if join_threads is None or run_handlers is None:  # not CPython as we know it: the usual exit
        sys.exit(code)
    join_threads()  # what Py_FinalizeEx does first, then the handlers
    run_handlers()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away after the last write
        code = _reader_gone()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
