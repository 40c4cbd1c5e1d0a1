"""One batch's life, shared by the daily and backfill flows: read, scan, chunks, validate, stage, publish.

Expected failures end in RunSummary.status ("failed", with a one-line reason), never in an
exception; a signal stopping the run (flows.stopping) and bugs propagate, and what the run staged
is discarded on the way out (nothing of it is published).
"""
from __future__ import annotations

import functools
import json
import sys
import threading
from collections import defaultdict, deque
from datetime import UTC, datetime

import pyarrow as pa

from flows import sources, stopping
from flows.pool import POOL
from flows.settings import PIPELINE_VERSION, Settings, redact
from flows.summary import Clock, Outcome, RunSummary, artifact
from flows.tasks import Bulk, discover_inputs, process_chunk, publish_batch, read_chunk, stage_chunk, validate_chunk
from flows.work import concat
from transforms.article import content_id
from transforms.clean import TemplateCounter
from transforms.compare.duplicates import NearCopies
from transforms.options import DEFAULT
from warehouse.lake import ConflictError, Lakehouse, StagedFile, WarehouseError
from warehouse.reads import Keys
from warehouse.schemas import to_table


class Batch:
    """The inputs of one batch date (or of given days, replaced) into the warehouse."""

    def __init__(self, summary: RunSummary, input_uri: str, warehouse_uri: str, default_date: str, settings: Settings,
                 replace_dates: frozenset[str] | None = None):
        self.summary, self.input_uri, self.warehouse_uri = summary, input_uri, warehouse_uri
        self.default_date, self.settings, self.replace_dates = default_date, settings, replace_dates
        self.lake = Lakehouse(warehouse_uri)
        self.clock = Clock(summary.stage_seconds)
        self.staged: list[StagedFile] = []
        self.since = -1  # the articles table's version what was published was read from
        self.copies: NearCopies | None = None
        self.input_root = sources.root_key(input_uri)
        self.listed: set[str] = set()  # the files under the input root
        self.input_index: dict[str, tuple[str, list[str]]] | None = None  # to save once the run is published
        self.unread = 0  # files the input index vouched for
        summary.params = {"flow": summary.flow, "input_uri": redact(input_uri), "warehouse_uri": redact(warehouse_uri),
                          "batch_date": default_date, "replace": replace_dates is not None,
                          "dates": sorted(replace_dates or []), "chunk_size": settings.chunk_size,
                          "n_process": settings.n_process, "validate_size": settings.validate_size,
                          "pipeline_version": PIPELINE_VERSION}

    def run(self, log) -> RunSummary:
        """Process and publish the batch under the run's lease; failures end in the summary's status."""
        s = self.summary
        try:
            with self.lake.lease(s.run_id):
                try:
                    outcome = self._process(log)
                    self._finish(outcome, log)
                except BaseException:
                    self.lake.discard(s.run_id)
                    raise
        except ConflictError as exc:
            s.status, s.reason, s.retry_later = "failed", str(exc).splitlines()[0], True
            log.warning("run failed: %s", s.reason)
        except (WarehouseError, sources.InputError, OSError) as exc:
            s.status, s.reason = "failed", _one_line(exc)
            log.warning("run failed: %s", s.reason)
        return s

    # -- the stages ----------------------------------------------------------------------------------------
    def _process(self, log) -> Outcome:
        s, settings = self.summary, self.settings
        with self.clock("discover"):
            files, quarantine = discover_inputs(self.input_uri, self.default_date, self.warehouse_uri)
            self.listed = {f.uri for f in files}
            if self.replace_dates is not None:
                files = [f for f in files if f.batch_date in self.replace_dates]
                quarantine = [q for q in quarantine if q["batch_date"] in self.replace_dates]
            s.files_seen = len(files) + len(quarantine)
            handled = self._handled()
        with POOL.borrowed():  # the workers end once the last chunk is back, before the last validation
            with self.clock("scan"):
                keep, templates, bad = self._scan(files, handled["content"])
            with self.clock("near-copies"):
                self.copies = self._near_copy_index() if keep else None
            quarantine = [q for q in quarantine + bad if q["source_uri"] not in handled["sources"]]
            new = sum(len(v) for v in keep.values())
            log.info("%d files (%d unchanged since read, not read again), %d new articles, %d inputs quarantined",
                     s.files_seen, self.unread, new, len(quarantine))
            outcome = Outcome()
            # the inputs' quarantine rows wait for the first validation: the workers start on the chunks meanwhile
            pooled = [{"quarantine": sources.quarantine_table(quarantine, s.run_id)}] if quarantine else []
            parts = tapered([f for f in files if f.uri in keep], settings.chunk_size, max(1, settings.n_process))
            pooled = self._chunks(parts, keep, templates, outcome, _progress(new), pooled)
        if pooled and outcome.success:
            outcome.add(*self._validate_and_stage(concat(pooled), f"{max(len(parts) - 1, 0):05d}"))
        return outcome

    def _chunks(self, parts: list[list], keep: dict, templates: dict, outcome: Outcome, progress,
                pooled: list[dict[str, pa.Table]]) -> list[dict]:
        """Read each chunk and process it on the workers, a few chunks in flight; validate and stage the
        results (`pooled`: tables waiting for one validation) every validate_size articles. Returns the
        last tables, not yet validated."""
        s, settings = self.summary, self.settings
        pending: deque = deque()
        # in flight: one chunk queued beyond the busy workers, and as many articles as three full chunks (the
        # last chunks are small: the workers must not run dry while the flow validates a pool)
        window, articles = max(2, settings.n_process) + 1, (max(2, settings.n_process) + 1) * settings.chunk_size
        for seq, part in enumerate(parts):
            stopping.check()
            if not outcome.success:
                break
            with self.clock("read"):
                docs, _ = read_chunk(Bulk(part))
                docs = [d for d in docs if d.source_uri in keep.get(_file_of(d.source_uri), ())]
            pending.append((seq, len(docs), process_chunk.submit(Bulk(docs), Bulk(templates), s.run_id, settings)))
            while pending and (len(pending) >= window and sum(p[1] for p in pending) >= articles
                               or seq == len(parts) - 1):
                done_seq, n_docs, fut = pending.popleft()
                with self.clock("clean, parse, extract (wait)"):
                    processed = _result(fut).value
                pooled.append(processed.tables)
                self.clock.add({f"{stage} (cpu)": sec for stage, sec in processed.seconds.items()})
                progress(n_docs)
                pooled_articles = sum(t["articles"].num_rows for t in pooled if "articles" in t)
                if pooled_articles >= settings.validate_size and done_seq < len(parts) - 1:
                    outcome.add(*self._validate_and_stage(concat(pooled), f"{done_seq:05d}"))
                    pooled.clear()
                    release_memory()
                    if not outcome.success:
                        break
        for _, _, fut in pending:
            fut.cancel()
        return pooled

    def _handled(self) -> dict[str, Keys]:
        """Content already published or quarantined (not processed again) and inputs already quarantined.
        A backfill re-processes its days: their published content counts as new."""
        lake = self.lake
        articles = lake.table("articles")
        self.since = articles.version() if articles is not None else -1
        if self.replace_dates is not None:
            return {"content": lake.read_keys("articles", "article_id")
                    - lake.read_keys("articles", "article_id", set(self.replace_dates)), "sources": Keys()}
        return {"content": lake.read_keys("quarantine", "article_id") | lake.read_keys("articles", "article_id"),
                "sources": lake.read_keys("quarantine", "source_uri")}

    def _scan(self, files, published: Keys):
        """First pass over the inputs, keeping no text: which records are new, and each source's template lines.
        A file the input index vouches for (listed with the version it had when last read, every record it
        held already published or quarantined) is not read again.

        Returns ({file uri: {record uris to process}}, {source key: template lines}, quarantine rows)."""
        known = self.lake.input_index(self.input_root)
        index = {f.uri: known[f.uri] for f in files if f.version and f.uri in known and known[f.uri][0] == f.version
                 and known[f.uri][1] and all(i in published for i in known[f.uri][1])}
        self.unread = len(index)
        seen: dict[str, str] = {}
        keep: dict[str, set[str]] = defaultdict(set)
        bad: list[dict] = []
        counters: dict[str, TemplateCounter] = defaultdict(lambda: TemplateCounter(DEFAULT.clean))
        for part in chunked([f for f in files if f.uri not in index], self.settings.chunk_size):
            stopping.check()
            docs, unreadable = read_chunk(Bulk(part))
            bad += unreadable
            held: dict[str, list[str]] = defaultdict(list)
            for raw in docs:
                cid = content_id(raw.content)
                held[_file_of(raw.source_uri)].append(cid)
                if cid in published:
                    continue
                if cid in seen:
                    bad.append(sources.quarantine_row(raw.source_uri, raw.batch_date,
                                                      f"duplicate content of {seen[cid]}", cid))
                    continue
                seen[cid] = raw.source_uri
                keep[_file_of(raw.source_uri)].add(raw.source_uri)
                if raw.fmt == "text":
                    counters[raw.source_key].add(raw.content)
            failed = {_file_of(q["source_uri"]) for q in unreadable}  # read again next time: its rows may not land
            index.update({f.uri: (f.version, held[f.uri]) for f in part
                          if f.version and held.get(f.uri) and f.uri not in failed})
            if not self.settings.dask_address:  # worker processes load the model while the scan goes on
                from flows.work import prestart

                prestart(self.settings.n_process, len(seen))
        scanned = {f.uri for f in files}  # a backfill scans its days only: the entries of the root's other files stay
        index.update({u: e for u, e in known.items() if u in self.listed and u not in scanned})
        self.input_index = index if index != known else None  # None: nothing to save
        return keep, {key: c.lines() for key, c in counters.items()}, bad

    def _near_copy_index(self) -> NearCopies:
        """The near-copy index over the published articles (a backfill's days excepted: they are replaced)."""
        import pyarrow.compute as pc

        index = NearCopies()
        columns = ["article_id", "body_minhash", "published_at", "batch_date", "duplicate_of"]
        for batch in self.lake.read_batches("articles", columns):
            if self.replace_dates is not None:
                days = pc.cast(batch.column("batch_date"), pa.string())
                batch = batch.filter(pc.invert(pc.fill_null(pc.is_in(days, pa.array(sorted(self.replace_dates))),
                                                            False)))
            index.add_table(batch)
        release_memory()  # the scan's Arrow batches and the segments' sorting scratch
        return index

    def _validate_and_stage(self, tables: dict[str, pa.Table], part: str):
        with self.clock("validate"):
            validated, report = validate_chunk(Bulk(tables), self.summary.run_id,
                                               self.lake.root if self.lake.is_local else None)
        tables, counts = validated.value, {}
        if report["success"] and "articles" in tables and self.copies is not None:
            with self.clock("near-copies"):
                tables["articles"] = _with_originals(tables["articles"], self.copies)
        if report["success"]:
            with self.clock("stage"):
                self.staged += stage_chunk(self.warehouse_uri, Bulk(tables), self.summary.run_id, part)
            counts = {t: data.num_rows for t, data in tables.items()}
        return tables, report, counts

    def _finish(self, outcome: Outcome, log) -> None:
        s = self.summary
        s.validation_success = outcome.success
        s.rows_quarantined = outcome.quarantined
        s.quarantine_reasons = dict(outcome.reasons)
        if outcome.success and outcome.validations and self.lake.is_local:
            from expectations.loader import build_data_docs

            with self.clock("validate"):
                s.docs_path = build_data_docs(self.lake.root)
        if outcome.success:
            s.articles_published = outcome.articles
            if not s.articles_published and not s.rows_quarantined:
                s.status = "nothing_new"
            s.counts = dict(outcome.counts, runs=1)
        else:
            self.lake.discard(s.run_id)
            self.staged = []
            s.status, s.reason = "failed", "validation failed: " + "; ".join(outcome.blocking)
            log.warning(s.reason)
        with self.clock("publish"):
            self.staged += self.lake.stage(s.run_id, "runs", {"runs": to_table("runs", [self._runs_row()])})
            updates = dict(self.copies.updates) if outcome.success and self.copies is not None else {}
            publish_batch(self.warehouse_uri, s.run_id, Bulk(self.staged),
                          sorted(self.replace_dates or []) if outcome.success else [], self.since, Bulk(updates))
        if outcome.success and self.input_index is not None:
            try:
                self.lake.save_input_index(self.input_root, self.input_index)
            except OSError as exc:  # a shortcut for the next run: the batch is published already
                log.warning("input index not saved, the next run reads every input: %s", _one_line(exc))
        if outcome.success:
            log.info("published %d articles, %d quarantine rows", s.articles_published, s.rows_quarantined)
        artifact(s)

    def _runs_row(self) -> dict:
        s = self.summary
        params = {**s.params, "stage_seconds": s.stage_seconds}
        return {"run_id": s.run_id, "flow": s.flow, "started_at": s.started_at, "finished_at": datetime.now(UTC),
                "status": s.status, "files_seen": s.files_seen, "articles_published": s.articles_published,
                "rows_quarantined": s.rows_quarantined, "validation_success": s.validation_success,
                "replaced_dates": sorted(self.replace_dates or []) if s.validation_success else [],
                "params": json.dumps(params), "batch_date": self.default_date}


def has_unread(input_uri: str, warehouse_uri: str) -> bool:
    """Whether the input holds a file its warehouse's input index does not vouch for (new, or changed since
    it was read): a run will read, clean and validate. (The scan also checks that every record of a
    vouched-for file is published.) A remote input counts as unread unlisted: the run lists a bucket
    once, and a scheduled run over one usually finds new files."""
    if "://" in input_uri and not input_uri.startswith("file://"):
        return True
    files, _ = sources.discover(input_uri, "", warehouse_uri)
    known = Lakehouse(warehouse_uri).input_index(sources.root_key(input_uri))
    return any(not f.version or f.uri not in known or known[f.uri][0] != f.version for f in files)


def open_warehouse(warehouse_uri: str, summary: RunSummary, log) -> bool:
    """Create missing tables, complete or discard what killed runs left; False (summary failed) if unreachable."""
    lake = Lakehouse(warehouse_uri)
    try:
        lake.ensure_tables()
        for line in lake.recover():
            log.info(line)
    except (WarehouseError, OSError) as exc:
        summary.status, summary.reason = "failed", _one_line(exc)
        log.warning("run failed: %s", summary.reason)
        return False
    return True


def _with_originals(articles: pa.Table, copies: NearCopies) -> pa.Table:
    """The articles with duplicate_of set: the original each near-copies, if any."""
    originals = [copies.original_of(a, sig, published, day) for a, sig, published, day in zip(
        *(articles.column(c).to_pylist() for c in ("article_id", "body_minhash", "published_at", "batch_date")),
        strict=False)]
    return articles.set_column(articles.schema.get_field_index("duplicate_of"), "duplicate_of",
                               pa.array(originals, pa.string()))


def chunked(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def tapered(items: list, size: int, workers: int, smallest: int = 10) -> list[list]:
    """Chunks of `size` items, smaller toward the end so the workers finish together (guided
    self-scheduling): a chunk takes at most a (2 x workers)th of the items left, and no fewer than
    `smallest` per worker. With equal chunks the last one's halves ended seconds apart, one core idle."""
    parts, i = [], 0
    while i < len(items):
        n = min(size, max(-(-(len(items) - i) // (2 * workers)), smallest * workers))
        parts.append(items[i:i + n])
        i += n
    return parts


def _result(fut):
    """A submitted task's result, waited for a second at a time (a stop request is noticed within a second)."""
    done = threading.Event()
    fut.add_done_callback(lambda _: done.set())
    while not done.wait(1.0):
        stopping.check()
    return fut.result()


def _file_of(source_uri: str) -> str:
    """The input file a record came from (a JSONL line's uri is '<file>#<line>')."""
    return source_uri.split("#", 1)[0]


def _one_line(exc: BaseException) -> str:
    where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
    text = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(exc).__name__
    return text.splitlines()[0] + where


def release_memory() -> None:
    """Hand the heap freed by a validated batch back to the OS (glibc keeps it for reuse otherwise, and
    the flow's RSS ratchets up batch after batch); a no-op where malloc_trim does not exist."""
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
