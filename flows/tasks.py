"""Prefect tasks over chunks of articles, and the batch they make up (shared by daily and backfill)."""
from __future__ import annotations

import contextlib
import errno
import functools
import json
import sys
import threading
import time
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import sources, stopping
from flows.settings import PIPELINE_VERSION, Settings, redact
from flows import work
from flows.work import quarantine_row
from transforms.article import RawDoc
from transforms.clean import TemplateCounter
from transforms.options import DEFAULT
from warehouse.writer import Warehouse, WarehouseError


class Bulk:
    """A large task argument Prefect passes through untouched.

    Prefect walks list and dict arguments looking for futures: seconds for a chunk's rows. An
    object of a plain class is not walked, on the thread runner and on Dask alike.
    """

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


@dataclass
class RunSummary:
    """What a run did; the CLI prints it and the `runs` table stores it."""

    run_id: str
    flow: str
    status: str = "published"
    reason: str | None = None
    files_seen: int = 0
    articles_published: int = 0
    rows_quarantined: int = 0
    validation_success: bool = True
    counts: dict = field(default_factory=dict)
    quarantine_reasons: dict = field(default_factory=dict)
    docs_path: str | None = None
    stage_seconds: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def ok(self) -> bool:
        return self.status in ("published", "nothing_new")


def _transient(task, task_run, state) -> bool:
    """Retry I/O that may pass (OS and network errors), never a deterministic failure."""
    try:
        state.result()
    except (sources.InputError, WarehouseError, ValueError, TypeError, KeyError):
        return False
    except (OSError, TimeoutError, ConnectionError):
        return True
    except Exception:
        return False
    return False


@task(cache_policy=NO_CACHE, name="discover inputs", retries=2, retry_delay_seconds=[1, 5],
      retry_condition_fn=_transient)
def discover_inputs(input_uri: str, default_date: str):
    return sources.discover(input_uri, default_date)


@task(cache_policy=NO_CACHE, name="read chunk", retries=2, retry_delay_seconds=[1, 5], retry_condition_fn=_transient)
def read_chunk(files: Bulk) -> tuple[list[RawDoc], list[dict]]:
    docs, bad = [], []
    for f in files.value:
        d, q = sources.read_file(f)
        docs += d
        bad += q
    return docs, bad


@task(cache_policy=NO_CACHE, name="clean and extract chunk")
def process_chunk(raws: Bulk, templates: Bulk, run_id: str, settings: Settings) -> dict[str, list[dict]]:
    """Clean, parse and extract a chunk, over settings.n_process worker processes."""
    from flows.work import process_parallel

    return process_parallel(raws.value, templates.value, run_id, settings.n_process, settings.nlp_batch_size)


@task(cache_policy=NO_CACHE, name="validate chunk")
def validate_chunk(rows: Bulk, gx_root: str | None):
    """Great Expectations over a chunk: failing rows to quarantine, table failures block the batch."""
    from flows.validation import apply_validation

    return apply_validation(rows.value, gx_root, build_docs=False)


_PERMANENT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS})


def _write_fault(exc: OSError) -> dict:
    """A disk-full or permission fault as a result (a retry cannot help; a task exception would log a traceback)."""
    where = f" ({exc.filename})" if exc.filename else ""
    return {"_error": f"cannot write to the warehouse: {exc.strerror or exc}{where}"}


def _raise_fault(result) -> None:
    if isinstance(result, dict) and "_error" in result:
        raise WarehouseError(result["_error"])


@task(cache_policy=NO_CACHE, name="stage chunk", retries=2, retry_delay_seconds=[2, 10],
      retry_condition_fn=_transient)
def stage_chunk(warehouse_uri: str, rows: Bulk, run_id: str, part: str) -> dict:
    try:
        return Warehouse(warehouse_uri).stage(rows.value, run_id, part)
    except OSError as exc:
        if exc.errno in _PERMANENT_ERRNOS:
            return _write_fault(exc)
        raise


@task(cache_policy=NO_CACHE, name="commit batch", retries=2, retry_delay_seconds=[2, 10],
      retry_condition_fn=_transient)
def commit_batch(warehouse_uri: str, runs_row: dict, run_id: str, replace_dates: list[str]) -> dict | None:
    """Make the staged batch visible atomically (with its runs row) and refresh the DuckDB catalog."""
    wh = Warehouse(warehouse_uri)
    try:
        wh.stage({"runs": [runs_row]}, run_id, "runs")
        with _COMMIT_LOCK:  # days of a backfill commit from parallel threads
            _commit_and_catalog(wh, run_id, replace_dates)
    except OSError as exc:
        if exc.errno in _PERMANENT_ERRNOS:
            return _write_fault(exc)
        raise
    return None


_COMMIT_LOCK = threading.Lock()


def _commit_and_catalog(wh: Warehouse, run_id: str, replace_dates: list[str]) -> None:
    wh.commit(run_id, frozenset(replace_dates))
    if wh.is_local:
        from warehouse.catalog import write_catalog

        write_catalog(wh.path("newsetl.duckdb"), {t: wh.table_glob(t) if wh.fs.glob(wh.table_glob(t)) else None
                                                  for t in ("articles", "removed_segments", "entities", "figures",
                                                            "quarantine", "runs")})


def chunked(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or []


def run_batch(summary: RunSummary, input_uri: str, warehouse_uri: str, default_date: str,
              settings: Settings, dates: frozenset[str] | None = None, replace: bool = False,
              locked: bool = False) -> RunSummary:
    """One batch end to end; expected failures end in summary.status, never in an exception.

    `locked`: the caller (a backfill running days in parallel) already holds the warehouse lock.
    """
    log = get_run_logger()
    wh = Warehouse(warehouse_uri)
    summary.params = {"flow": summary.flow, "input_uri": redact(input_uri), "warehouse_uri": redact(warehouse_uri),
                      "batch_date": default_date, "replace": replace, "dates": sorted(dates or []),
                      "chunk_size": settings.chunk_size, "n_process": settings.n_process,
                      "validate_size": settings.validate_size,
                      "pipeline_version": PIPELINE_VERSION}
    try:
        with contextlib.nullcontext() if locked else wh.lock(wait_s=settings.lock_wait_s):
            if not locked and wh.recover():
                log.info("recovered an interrupted publish")
            try:
                return _batch(summary, wh, input_uri, warehouse_uri, default_date, settings, dates, replace, log)
            except BaseException:
                wh.discard(summary.run_id)
                raise
    except (WarehouseError, sources.InputError, PermissionError, OSError) as exc:
        summary.status, summary.reason = "failed", str(exc).splitlines()[0]
        log.warning("run failed: %s", summary.reason)
        return summary


class _Clock:
    """Wall seconds per stage of a run."""

    def __init__(self, seconds: dict):
        self.seconds = seconds

    @contextlib.contextmanager
    def __call__(self, stage: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + time.perf_counter() - t0, 3)


def _batch(summary, wh, input_uri, warehouse_uri, default_date, settings, dates, replace, log) -> RunSummary:
    clock = _Clock(summary.stage_seconds)
    with clock("discover"):
        files, quarantine = discover_inputs(input_uri, default_date)
        if dates is not None:
            files = [f for f in files if f.batch_date in dates]
            quarantine = [q for q in quarantine if q["batch_date"] in dates]
        summary.files_seen = len(files) + len(quarantine)
        known = set(wh.read_column("quarantine", "source_uri")) if not replace else set()
        # content already published or already quarantined is not processed again
        handled = {a for a in wh.read_column("quarantine", "article_id") if a} if not replace else set()
        published = handled | set(wh.read_column("articles", "article_id")) - (
            set(wh.read_column("articles", "article_id", dates)) if replace and dates else set())
    with clock("scan"):
        keep, templates, bad = _scan(files, published, settings)
    quarantine = [q for q in quarantine + bad if q["source_uri"] not in known]
    new = sum(len(v) for v in keep.values())
    log.info("%d files, %d new articles, %d inputs quarantined", summary.files_seen, new, len(quarantine))
    progress = _progress(new)
    outcome = _Outcome()
    if quarantine:
        outcome.add(_validate_and_stage(clock, wh, warehouse_uri, {"quarantine": quarantine}, summary.run_id, "q"))
    pending: deque = deque()
    pooled: dict[str, list[dict]] = defaultdict(list)  # finished chunks waiting for one validation
    window = max(2, settings.n_process) + 1  # one chunk queued beyond the busy workers
    parts = chunked([f for f in files if f.uri in keep], settings.chunk_size)
    for seq, part in enumerate(parts):
        stopping.check()
        if not outcome.success:
            break
        with clock("read"):
            docs, _ = read_chunk(Bulk(part))
            docs = [d for d in docs if d.source_uri in keep.get(_file_of(d), ())]
        pending.append((seq, len(docs), process_chunk.submit(Bulk(docs), Bulk(templates), summary.run_id, settings)))
        while pending and (len(pending) >= window or seq == len(parts) - 1):
            done_seq, n_docs, fut = pending.popleft()
            with clock("clean, parse, extract (wait)"):
                for table, rows in _result(fut).items():
                    pooled[table] += rows
            progress(n_docs)
            if len(pooled["articles"]) >= settings.validate_size or done_seq == len(parts) - 1:
                outcome.add(_validate_and_stage(clock, wh, warehouse_uri, dict(pooled), summary.run_id,
                                                f"{done_seq:05d}"))
                pooled.clear()
                _release_memory()
                if not outcome.success:
                    break
    for _, _, fut in pending:
        fut.cancel()
    return _finish(summary, clock, wh, warehouse_uri, outcome, default_date, dates if replace else None, log)


def _result(fut):
    """A submitted task's result, waited for a second at a time: Python handles a signal (a
    scheduler's SIGTERM, Ctrl-C) only when the main thread wakes, so a run stops within a second
    rather than after the chunk."""
    done = threading.Event()
    fut.add_done_callback(lambda _: done.set())
    while not done.wait(1.0):
        pass
    return fut.result()


def _file_of(doc: RawDoc) -> str:
    """The input file a record came from (a JSONL line's uri is '<file>#<line>')."""
    return doc.source_uri.split("#", 1)[0]


def _scan(files, published: set[str], settings: Settings):
    """First pass over the inputs, keeping no text: which records are new, and each source's template lines.

    Returns ({file uri: {record uris to process}}, {source key: template lines}, quarantine rows).
    """
    from transforms.article import content_id

    seen: dict[str, str] = {}
    keep: dict[str, set[str]] = defaultdict(set)
    bad: list[dict] = []
    counters: dict[str, TemplateCounter] = defaultdict(lambda: TemplateCounter(DEFAULT.clean))
    for part in chunked(files, settings.chunk_size):
        stopping.check()
        docs, unreadable = read_chunk(Bulk(part))
        bad += unreadable
        for raw in docs:
            cid = content_id(raw.content)
            if cid in published:
                continue
            if cid in seen:
                bad.append(quarantine_row(raw, cid, "ingest", f"duplicate content of {seen[cid]}"))
                continue
            seen[cid] = raw.source_uri
            keep[_file_of(raw)].add(raw.source_uri)
            if raw.fmt == "text":
                counters[raw.source_key].add(raw.content)
        if not settings.dask_address:  # worker processes load the model while the scan goes on
            from flows.work import prestart

            prestart(settings.n_process, len(seen))
    return keep, {key: c.lines() for key, c in counters.items()}, bad


@dataclass
class _Outcome:
    """What the validated chunks add up to."""

    success: bool = True
    validations: int = 0
    blocking: list = field(default_factory=list)
    articles: int = 0
    quarantined: int = 0
    reasons: dict = field(default_factory=lambda: defaultdict(int))
    counts: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, staged: tuple[dict, dict, dict]) -> None:
        rows, report, counts = staged
        self.validations += 1
        self.success = self.success and report["success"]
        self.blocking += [b for b in report["blocking"] if b not in self.blocking]
        self.articles += len(rows.get("articles", []))
        self.quarantined += len(rows.get("quarantine", []))
        for table, n in counts.items():
            self.counts[table] += n
        for reason, n in _reason_counts(rows.get("quarantine", [])).items():
            self.reasons[reason] += n


def _validate_and_stage(clock, wh, warehouse_uri, rows, run_id, part):
    with clock("validate"):
        rows, report = validate_chunk(Bulk(rows), wh.root if wh.is_local else None)
    counts = {}
    if report["success"]:
        with clock("stage"):
            counts = stage_chunk(warehouse_uri, Bulk(rows), run_id, part)
            _raise_fault(counts)
    return rows, report, counts


def _release_memory() -> None:
    """Hand the heap freed by a validated batch back to the OS.

    glibc keeps freed memory for reuse, so without this the flow's RSS ratchets up batch after
    batch (measured: +300 MB over 20,000 articles); a no-op where malloc_trim does not exist.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _progress(total: int):
    """A progress bar on a terminal, nothing otherwise (the log lines say the rest)."""
    if not sys.stderr.isatty() or total == 0:
        return lambda n: None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task_id = bar.add_task("articles", total=total)
    bar.start()

    def advance(n: int) -> None:
        bar.advance(task_id, n)
        if bar.finished:
            bar.stop()

    return advance


def _finish(summary, clock, wh, warehouse_uri, outcome, default_date, replace_dates, log) -> RunSummary:
    summary.validation_success = outcome.success
    summary.rows_quarantined = outcome.quarantined
    summary.quarantine_reasons = dict(outcome.reasons)
    if outcome.success and outcome.validations and wh.is_local:
        from expectations.loader import build_data_docs

        with clock("validate"):
            summary.docs_path = build_data_docs(wh.root)
    if not outcome.success:
        wh.discard(summary.run_id)
        summary.status = "failed"
        summary.reason = "validation failed: " + "; ".join(outcome.blocking)
        log.warning(summary.reason)
        with clock("commit"):
            _raise_fault(commit_batch(warehouse_uri, _run_row(summary, default_date), summary.run_id, []))
        _artifact(summary)
        return summary
    summary.articles_published = outcome.articles
    if not summary.articles_published and not summary.rows_quarantined:
        summary.status = "nothing_new"
    summary.counts = dict(outcome.counts, runs=1)
    with clock("commit"):
        _raise_fault(commit_batch(warehouse_uri, _run_row(summary, default_date), summary.run_id,
                                  sorted(replace_dates or [])))
    log.info("published %d articles, %d quarantine rows", summary.articles_published, summary.rows_quarantined)
    _artifact(summary)
    return summary


def _artifact(summary: RunSummary) -> None:
    """A markdown artifact on the flow run: counts per table and stage, quarantine reasons, validation."""
    from prefect.artifacts import create_markdown_artifact

    lines = [f"# newsetl {summary.flow} run: {summary.status}", "",
             f"{summary.files_seen} files seen, {summary.articles_published} articles published, "
             f"{summary.rows_quarantined} rows quarantined.", "",
             f"Validation: {'passed' if summary.validation_success else 'FAILED'}"
             + (f" - {summary.reason}" if summary.reason else "")
             + (f" (Data Docs: `{summary.docs_path}`)" if summary.docs_path else ""), "",
             "| table | rows |", "|---|---|", *(f"| {t} | {n} |" for t, n in sorted(summary.counts.items())), "",
             "| stage | seconds |", "|---|---|", *(f"| {k} | {v:.1f} |" for k, v in summary.stage_seconds.items()), ""]
    if summary.quarantine_reasons:
        lines += ["| quarantine reason | rows |", "|---|---|",
                  *(f"| {r} | {n} |" for r, n in sorted(summary.quarantine_reasons.items(), key=lambda kv: -kv[1]))]
    create_markdown_artifact("\n".join(lines), key=f"newsetl-{summary.flow}", description="newsetl run summary")


def _reason_counts(rows: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["reason"].split(":")[0]] += 1
    return dict(counts)


def _run_row(summary: RunSummary, batch_date: str) -> dict:
    params = {**summary.params, "stage_seconds": summary.stage_seconds}
    return {"run_id": summary.run_id, "flow": summary.flow, "started_at": summary.started_at,
            "finished_at": datetime.now(timezone.utc), "status": summary.status, "files_seen": summary.files_seen,
            "articles_published": summary.articles_published, "rows_quarantined": summary.rows_quarantined,
            "validation_success": summary.validation_success, "params": json.dumps(params), "batch_date": batch_date}


def summary_dict(summary: RunSummary) -> dict:
    out = asdict(summary)
    out["started_at"] = summary.started_at.isoformat()
    return out
