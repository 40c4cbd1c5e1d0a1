"""Prefect tasks over chunks of articles, and the batch they make up (shared by daily and backfill)."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from prefect import get_run_logger, task

from flows import sources
from flows.settings import PIPELINE_VERSION, Settings
from transforms.article import RawDoc, article_row, nlp_rows, prepare, removed_rows
from transforms.boilerplate import template_lines
from transforms.options import DEFAULT
from warehouse.writer import Warehouse, WarehouseError


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


@task(name="discover inputs", retries=2, retry_delay_seconds=[1, 5], retry_condition_fn=_transient)
def discover_inputs(input_uri: str, default_date: str):
    return sources.discover(input_uri, default_date)


@task(name="read chunk", retries=2, retry_delay_seconds=[1, 5], retry_condition_fn=_transient)
def read_chunk(files: list) -> tuple[list[RawDoc], list[dict]]:
    docs, bad = [], []
    for f in files:
        d, q = sources.read_file(f)
        docs += d
        bad += q
    return docs, bad


@task(name="clean and extract chunk")
def process_chunk(raws: list[RawDoc], templates: dict, run_id: str, settings: Settings) -> dict[str, list[dict]]:
    """Clean, parse and extract a chunk; a failure of one article quarantines that article only."""
    from flows.nlp import parse

    out: dict[str, list[dict]] = defaultdict(list)
    prepared = []
    for raw in raws:
        try:
            prepared.append(prepare(raw, DEFAULT, templates.get(raw.source_key, frozenset())))
        except Exception as exc:  # a bug must not lose the batch: quarantine with the reason
            out["quarantine"].append(_qrow(raw, None, "clean", f"cleaner failed: {type(exc).__name__}: {exc}"))
    english = [p for p in prepared if p.nlp_skipped_reason is None]
    docs = dict(zip((p.article_id for p in english),
                    parse([p.cleaned.body for p in english], settings.nlp_batch_size, settings.n_process)))
    for p in prepared:
        try:
            ents, figs = nlp_rows(p, docs[p.article_id], DEFAULT) if p.article_id in docs else ([], [])
        except Exception as exc:
            out["quarantine"].append(_qrow(p.raw, p.article_id, "extract", f"extraction failed: {type(exc).__name__}: {exc}"))
            continue
        out["articles"].append(article_row(p, run_id, PIPELINE_VERSION))
        out["removed_segments"] += removed_rows(p)
        out["entities"] += ents
        out["figures"] += figs
    return dict(out)


def _qrow(raw: RawDoc, article_id: str | None, stage: str, reason: str) -> dict:
    return {"source_uri": raw.source_uri, "article_id": article_id, "stage": stage, "reason": reason[:500],
            "batch_date": raw.batch_date}


@task(name="validate batch")
def validate_batch(rows: dict[str, list[dict]], gx_root: str | None):
    """Great Expectations over the batch: failing rows to quarantine, table failures block."""
    from flows.validation import apply_validation

    return apply_validation(rows, gx_root)


@task(name="publish batch", retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=_transient)
def publish_batch(warehouse_uri: str, rows: dict[str, list[dict]], run_id: str, replace_dates: list[str]) -> dict:
    wh = Warehouse(warehouse_uri)
    counts = wh.publish(rows, run_id, frozenset(replace_dates))
    if wh.is_local:
        from warehouse.catalog import write_catalog

        write_catalog(wh.path("newsetl.duckdb"), {t: wh.table_glob(t) if wh.fs.glob(wh.table_glob(t)) else None
                                                  for t in ("articles", "removed_segments", "entities", "figures",
                                                            "quarantine", "runs")})
    return counts


def chunked(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or []


def run_batch(summary: RunSummary, input_uri: str, warehouse_uri: str, default_date: str,
              settings: Settings, dates: frozenset[str] | None = None, replace: bool = False) -> RunSummary:
    """One batch end to end; expected failures end in summary.status, never in an exception."""
    log = get_run_logger()
    wh = Warehouse(warehouse_uri)
    try:
        with wh.lock(wait_s=settings.lock_wait_s):
            if wh.recover():
                log.info("recovered an interrupted publish")
            return _batch(summary, wh, input_uri, warehouse_uri, default_date, settings, dates, replace, log)
    except (WarehouseError, sources.InputError, PermissionError, OSError) as exc:
        summary.status, summary.reason = "failed", str(exc).splitlines()[0]
        log.warning("run failed: %s", summary.reason)
        return summary


def _batch(summary, wh, input_uri, warehouse_uri, default_date, settings, dates, replace, log) -> RunSummary:
    files, quarantine = discover_inputs(input_uri, default_date)
    if dates is not None:
        files = [f for f in files if f.batch_date in dates]
        quarantine = [q for q in quarantine if q["batch_date"] in dates]
    summary.files_seen = len(files) + len(quarantine)
    known = {q for q in wh.read_column("quarantine", "source_uri")} if not replace else set()
    published = set(wh.read_column("articles", "article_id")) - (
        set(wh.read_column("articles", "article_id", dates)) if replace and dates else set())
    raws: list[RawDoc] = []
    for part in chunked(files, settings.chunk_size):
        docs, bad = read_chunk(part)
        raws += docs
        quarantine += bad
    raws, dupes = _dedupe(raws, published)
    quarantine += dupes
    quarantine = [q for q in quarantine if q["source_uri"] not in known]
    log.info("%d files, %d new articles, %d already published", summary.files_seen, len(raws),
             summary.files_seen - len(raws) - len(quarantine))
    rows: dict[str, list[dict]] = defaultdict(list)
    templates = _templates(raws)
    futures = [process_chunk.submit(part, templates, summary.run_id, settings) for part in chunked(raws, settings.chunk_size)]
    for fut in futures:
        for table, part_rows in fut.result().items():
            rows[table] += part_rows
    rows["quarantine"] = quarantine + rows.get("quarantine", [])
    rows, report = validate_batch(dict(rows), wh.root if wh.is_local else None)
    summary.validation_success, summary.docs_path = report["success"], report["docs_path"]
    return _finish(summary, wh, warehouse_uri, rows, report, default_date, dates if replace else None, log)


def _dedupe(raws: list[RawDoc], published: set[str]) -> tuple[list[RawDoc], list[dict]]:
    """Drop content already published; quarantine a second copy of the same content in this batch."""
    from transforms.article import content_id

    seen: dict[str, str] = {}
    keep, dupes = [], []
    for raw in raws:
        cid = content_id(raw.content)
        if cid in published:
            continue
        if cid in seen:
            dupes.append(_qrow(raw, cid, "ingest", f"duplicate content of {seen[cid]}"))
            continue
        seen[cid] = raw.source_uri
        keep.append(raw)
    return keep, dupes


def _templates(raws: list[RawDoc]) -> dict[str, frozenset[str]]:
    """Per source, the lines that recur across its articles in this batch."""
    by_source: dict[str, list[str]] = defaultdict(list)
    for raw in raws:
        if raw.fmt == "text":
            by_source[raw.source_key].append(raw.content)
    return {key: template_lines(pages, DEFAULT.clean) for key, pages in by_source.items()}


def _finish(summary, wh, warehouse_uri, rows, report, default_date, replace_dates, log) -> RunSummary:
    summary.rows_quarantined = len(rows.get("quarantine", []))
    summary.quarantine_reasons = _reason_counts(rows.get("quarantine", []))
    if not report["success"]:
        summary.status = "failed"
        summary.reason = "validation failed: " + "; ".join(report["blocking"])
        publish_batch(warehouse_uri, {"runs": [_run_row(summary, default_date)]}, summary.run_id, [])
        log.warning(summary.reason)
        return summary
    summary.articles_published = len(rows.get("articles", []))
    if not summary.articles_published and not summary.rows_quarantined:
        summary.status = "nothing_new"
    rows["runs"] = [_run_row(summary, default_date)]
    summary.counts = publish_batch(warehouse_uri, rows, summary.run_id, sorted(replace_dates or []))
    log.info("published %d articles, %d quarantine rows", summary.articles_published, summary.rows_quarantined)
    return summary


def _reason_counts(rows: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["reason"].split(":")[0]] += 1
    return dict(counts)


def _run_row(summary: RunSummary, batch_date: str) -> dict:
    params = {"flow": summary.flow}
    return {"run_id": summary.run_id, "flow": summary.flow, "started_at": summary.started_at,
            "finished_at": datetime.now(timezone.utc), "status": summary.status, "files_seen": summary.files_seen,
            "articles_published": summary.articles_published, "rows_quarantined": summary.rows_quarantined,
            "validation_success": summary.validation_success, "params": json.dumps(params), "batch_date": batch_date}


def summary_dict(summary: RunSummary) -> dict:
    out = asdict(summary)
    out["started_at"] = summary.started_at.isoformat()
    return out
