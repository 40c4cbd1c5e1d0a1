"""The CPU-bound stage (clean, parse, extract) for a list of articles, in this process or in worker processes.

Each worker process loads the model once and handles whole sub-chunks, so cleaning and extraction
run in parallel with the parse and only small row dicts cross process boundaries.
"""
from __future__ import annotations

import multiprocessing
import signal
import threading
from collections import defaultdict
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from flows.settings import PIPELINE_VERSION
from transforms.article import RawDoc, article_row, content_id, nlp_rows, prepare, removed_rows
from transforms.options import DEFAULT

MIN_PARALLEL = 20
NO_MAIN_TEXT = "no main text: every line of the page reads as boilerplate (menus, link lists, notices)"
_POOL: ProcessPoolExecutor | None = None
_POOL_SIZE = 0
_POOL_LOCK = threading.Lock()
_STOPPED_BY: int | None = None  # the signal that made terminate() stop the workers
_CACHE_FILLED = False  # in a worker: the tokenizer's cache has been filled outside a memory zone


def quarantine_row(raw: RawDoc, article_id: str | None, stage: str, reason: str) -> dict:
    return {"source_uri": raw.source_uri, "article_id": article_id, "stage": stage, "reason": reason[:500],
            "batch_date": raw.batch_date}


def process_articles(raws: list[RawDoc], templates: dict, run_id: str, batch_size: int = 32) -> dict[str, list[dict]]:
    """Rows of every table for these articles; a failure of one article quarantines that article only."""
    from flows.nlp import get_nlp

    out: dict[str, list[dict]] = defaultdict(list)
    prepared = []
    for raw in raws:
        try:
            p = prepare(raw, DEFAULT, templates.get(raw.source_key, frozenset()))
        except Exception as exc:  # a bug must not lose the batch: quarantine with the reason
            out["quarantine"].append(quarantine_row(raw, content_id(raw.content), "clean",
                                                    f"cleaner failed: {type(exc).__name__}: {exc}"))
            continue
        if p.cleaned.body.strip():
            prepared.append(p)
        else:
            out["quarantine"].append(quarantine_row(raw, p.article_id, "clean", NO_MAIN_TEXT))
    english = [p for p in prepared if p.nlp_skipped_reason is None]
    docs = dict(zip((p.article_id for p in english),
                    get_nlp().pipe((p.cleaned.body for p in english), batch_size=batch_size)))
    for p in prepared:
        try:
            ents, figs = nlp_rows(p, docs[p.article_id], DEFAULT) if p.article_id in docs else ([], [])
        except Exception as exc:
            out["quarantine"].append(quarantine_row(p.raw, p.article_id, "extract",
                                                    f"extraction failed: {type(exc).__name__}: {exc}"))
            continue
        out["articles"].append(article_row(p, run_id, PIPELINE_VERSION))
        out["removed_segments"] += removed_rows(p)
        out["entities"] += ents
        out["figures"] += figs
    return dict(out)


def in_worker(raws: list[RawDoc], templates: dict, run_id: str, batch_size: int = 32) -> dict[str, list[dict]]:
    """process_articles in a worker process, inside a spaCy memory zone.

    A worker lives as long as its pool (across runs under `newsetl serve`), and every new word a
    parse meets would stay in its vocabulary; the zone frees them after each sub-chunk. A worker
    runs one call at a time and only plain rows leave the zone, so no Doc outlives it. spaCy does
    not fill the tokenizer's cache inside a zone (uncached, tokenizing costs 3.7x, 2.7% of a
    parse), so a worker's first call runs outside one and fills it with the common words.
    """
    global _CACHE_FILLED
    from flows.nlp import get_nlp

    if not _CACHE_FILLED:
        _CACHE_FILLED = True
        return process_articles(raws, templates, run_id, batch_size)
    with get_nlp().memory_zone():
        return process_articles(raws, templates, run_id, batch_size)


def _warm() -> None:
    from flows.nlp import get_nlp

    get_nlp()


def workers(n_process: int) -> int:
    """How many worker processes to use; 0 = none (in this process), always inside daemonic workers
    such as Dask's. One worker still pays: the flow validates and writes while it parses."""
    if n_process < 1 or multiprocessing.current_process().daemon:
        return 0
    return n_process


def pool(n_process: int) -> ProcessPoolExecutor:
    """A process pool kept for the life of this process (spawned: safe beside Prefect's threads)."""
    global _POOL, _POOL_SIZE, _STOPPED_BY
    with _POOL_LOCK:
        _STOPPED_BY = None
        if _POOL is None or _POOL_SIZE != n_process:
            if _POOL is not None:
                _POOL.shutdown(cancel_futures=True)
            _POOL = ProcessPoolExecutor(max_workers=n_process, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_warm)
            _POOL_SIZE = n_process
        return _POOL


def prestart(n_process: int, articles: int) -> None:
    """Start the worker processes now, so each loads the model while the flow scans its inputs."""
    n = workers(n_process)
    if n and articles >= MIN_PARALLEL and not (_POOL is not None and _POOL_SIZE == n):
        executor = pool(n)
        for _ in range(n):  # processes are spawned on demand: one trivial call each
            executor.submit(int)


def shutdown() -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown(cancel_futures=True)
            _POOL = None


def terminate() -> None:
    """Stop the workers now, mid-chunk: a signal is stopping the run (nothing of it is published)."""
    global _POOL, _STOPPED_BY
    with _POOL_LOCK:
        _STOPPED_BY = signal.SIGTERM
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
            _POOL = None
    for child in multiprocessing.active_children():
        child.terminate()


def process_parallel(raws: list[RawDoc], templates: dict, run_id: str, n_process: int, batch_size: int) -> dict:
    """process_articles over n_process workers (sub-chunks in order), or in this process."""
    n = workers(n_process)
    if n == 0 or len(raws) < MIN_PARALLEL:  # a few articles cost less than starting workers
        return process_articles(raws, templates, run_id, batch_size)
    size = -(-len(raws) // n)
    parts = [raws[i:i + size] for i in range(0, len(raws), size)]
    futures = [pool(n).submit(in_worker, part, {k: templates[k] for k in {r.source_key for r in part}
                                                       if k in templates}, run_id, batch_size) for part in parts]
    out: dict[str, list[dict]] = defaultdict(list)
    for fut in futures:
        try:
            result = fut.result()
        except (BrokenProcessPool, CancelledError):  # a worker died, or terminate() cancelled the sub-chunk
            if _STOPPED_BY is not None:  # aborted by the stop, not failed
                from flows.stopping import Stopped

                raise Stopped() from None
            raise
        for table, rows in result.items():
            out[table] += rows
    return dict(out)
