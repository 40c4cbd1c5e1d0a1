"""The CPU-bound stage (clean, parse, extract) for a list of articles, in this process or in worker processes.

Each worker loads the model once and handles whole sub-chunks, so cleaning and extraction run in
parallel with the parse; a chunk comes back as one Arrow IPC stream per table (a few buffers to
unpickle, not tens of thousands of row dicts), so the flow's process stays flat however many
articles pass through it. A worker writes them with nanoarrow (warehouse/streams.py) and never
imports pyarrow (~40 MB of a worker's peak); the flow reads them as Arrow tables.
"""
from __future__ import annotations

import multiprocessing
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, NamedTuple

from flows.pool import POOL
from flows.settings import PIPELINE_VERSION
from flows.sources import quarantine_row, stamped, unicode_text
from transforms.article import RawDoc, article_row, content_id, nlp_rows, prepare, removed_rows
from transforms.options import DEFAULT
from warehouse import streams

if TYPE_CHECKING:
    import pyarrow as pa

MIN_PARALLEL = 20
NO_MAIN_TEXT = "no main text: every line of the page reads as boilerplate (menus, link lists, notices)"
_CACHE_FILLED = False  # in a worker: the tokenizer's cache has been filled outside a memory zone


class Batching(NamedTuple):
    """How texts are grouped for spaCy: a batch ends at `texts` texts or before it would pass `chars`
    characters (its memory grows with its tokens: ~230 MB of NER activations for 32 news bodies,
    ~86 MB for 30,000 characters, ~43 MB for 10,000, ~3 KB a character for one long text; the same CPU
    from 10,000 to 30,000); a longer text is cut into pieces first (`pieces`). Texts keep their order."""

    texts: int = 32
    chars: int = 10_000

    def __call__(self, texts):
        batch: list[str] = []
        size = 0
        for text in texts:
            if batch and (len(batch) >= self.texts or size + len(text) > self.chars):
                yield batch
                batch, size = [], 0
            batch.append(text)
            size += len(text)
        if batch:
            yield batch

    def pieces(self, text: str, limit: int | None = None) -> list[str]:
        """The text cut into pieces of at most `chars` characters (or `limit`, if smaller) that join back
        into it: at the last line end in the second half of each window, else its last sentence end, else
        its last space, else at the limit. The white space after a cut stays with the piece before it, so a piece
        starts where a sentence would."""
        limit = max(2, min(limit or self.chars, self.chars))
        out, start = [], 0
        while len(text) - start > limit:
            window, half = text[start:start + limit], limit // 2
            cut = window.rfind("\n", half)
            if cut < 0:
                ends = [m.end() - 1 for m in _SENTENCE_END.finditer(window, half)]
                cut = ends[-1] if ends else window.rfind(" ", half)
            end = start + (cut + 1 if cut >= 0 else limit)
            while end < len(text) and text[end].isspace():
                end += 1
            out.append(text[start:end])
            start = end
        if start < len(text) or not out:
            out.append(text[start:])
        return out


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s")


BATCHING = Batching()


class Processed(NamedTuple):
    """A chunk's tables, and the CPU seconds each stage took in the process that made them."""

    tables: dict[str, pa.Table]
    seconds: dict[str, float]


class Streams(NamedTuple):
    """A chunk's tables as Arrow IPC streams (as a worker sends them), and the CPU seconds of each stage."""

    streams: dict[str, bytes]
    seconds: dict[str, float]

    def decoded(self) -> Processed:
        return Processed({t: streams.read(b) for t, b in self.streams.items()}, self.seconds)


def process_articles(raws: list[RawDoc], templates: dict, run_id: str, batching: Batching = BATCHING,
                     schemas: dict[str, bytes] | None = None) -> Streams:
    """Every table's rows for these articles; a failure of one article quarantines that article only.
    `schemas`: each table's schema as an IPC stream (warehouse.schemas.stream_schemas, which a worker
    process cannot call: it has no pyarrow)."""
    from flows.nlp import get_nlp

    out: dict[str, list[dict]] = defaultdict(list)
    prepared = []
    nlp, t0 = get_nlp(), time.process_time()
    for raw in raws:
        try:
            p = prepare(raw, DEFAULT, templates.get(raw.source_key, frozenset()))
        except Exception as exc:  # a bug must not lose the batch: quarantine with the reason
            reason = f"cleaner failed: {type(exc).__name__}: {_first_line(exc)}"
            out["quarantine"].append(quarantine_row(raw.source_uri, raw.batch_date, reason, content_id(raw.content),
                                                    "clean"))
            continue
        if p.cleaned.body.strip():
            prepared.append(p)
        else:
            out["quarantine"].append(
                quarantine_row(raw.source_uri, raw.batch_date, NO_MAIN_TEXT, p.article_id, "clean"))
    docs = parse_bodies(nlp, [p.cleaned.body for p in prepared if p.nlp_skipped_reason is None], batching)
    t1, parse0, extract = time.process_time(), _parse_seconds(nlp), 0.0
    for p in prepared:  # each Doc is dropped once its rows are made: a sub-chunk's Docs are never all held
        doc = next(docs) if p.nlp_skipped_reason is None else None
        t = time.process_time()
        try:
            if isinstance(doc, Exception):
                raise doc
            ents, figs = nlp_rows(p, doc, run_id, DEFAULT) if doc is not None else ([], [])
        except Exception as exc:
            reason = f"extraction failed: {type(exc).__name__}: {_first_line(exc)}"
            out["quarantine"].append(quarantine_row(p.raw.source_uri, p.raw.batch_date, reason, p.article_id,
                                                    "extract"))
            ents = figs = None
        if ents is not None:
            out["articles"].append(article_row(p, run_id, PIPELINE_VERSION))
            out["removed_segments"] += removed_rows(p, run_id)
            out["entities"] += ents
            out["figures"] += figs
        extract += time.process_time() - t
    t2, parse = time.process_time(), _parse_seconds(nlp) - parse0
    if schemas is None:
        from warehouse.schemas import stream_schemas

        schemas = stream_schemas()
    tables = _write(out, schemas, run_id)
    seconds = {"clean": t1 - t0, "ner": t2 - t1 - extract - parse, "parse": parse,
               "extract": extract + time.process_time() - t2}
    return Streams(tables, seconds)


def _write(out: dict[str, list[dict]], schemas: dict[str, bytes], run_id: str) -> dict[str, bytes]:
    """Each table's rows as an Arrow IPC stream. When a value fits no column (a string that is no Unicode
    text, a number out of its type's range), the articles whose rows fail alone are quarantined with the
    writer's reason and the others written: one bad value must not lose the chunk."""
    quarantine = stamped(out.pop("quarantine", []), run_id)
    try:
        return _streams(out, quarantine, schemas)
    except Exception as exc:  # the writer's errors vary (ValueError, UnicodeError, OverflowError)
        first = exc
    rows_of: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for table, rows in out.items():
        for row in rows:
            rows_of[row["article_id"]][table].append(row)
    failed = {}
    for article_id, tables in rows_of.items():
        try:
            _streams(tables, [], schemas)
        except Exception as exc:
            failed[article_id] = exc
    if not failed:
        raise first
    for article_id, exc in failed.items():
        row = rows_of[article_id]["articles"][0]
        while exc.__cause__ or exc.__context__:  # the writer's own words: 'surrogates not allowed'
            exc = exc.__cause__ or exc.__context__
        quarantine += stamped([quarantine_row(unicode_text(row["source_uri"]), row["batch_date"],
                                              f"unwritable value: {type(exc).__name__}: {_first_line(exc)}",
                                              article_id, "extract")], run_id)
    kept = {t: [r for r in rows if r["article_id"] not in failed] for t, rows in out.items()}
    quarantine = [{k: unicode_text(v) if isinstance(v, str) else v for k, v in r.items()} for r in quarantine]
    return _streams(kept, quarantine, schemas)


def _streams(out: dict[str, list[dict]], quarantine: list[dict], schemas: dict[str, bytes]) -> dict[str, bytes]:
    tables = {t: streams.write(schemas[t], rows) for t, rows in out.items()}
    if quarantine:
        tables["quarantine"] = streams.write(schemas["quarantine"], quarantine)
    return tables


def parse_bodies(nlp, bodies: list[str], batching: Batching) -> Iterator:
    """Each body's Doc, in order, or the exception spaCy raised on it (that article alone is quarantined).

    A body longer than a batch's characters (or the model's max_length) is parsed in pieces joined back
    into one Doc, so a worker's memory is bounded by `batching.chars` whatever the longest article, and
    no body is refused for its length. Only entities within a few words of a cut may differ from a
    parse of the whole body (the model's context window ends there); figures are read within their
    sentence, and cuts fall between sentences."""
    from spacy.tokens import Doc

    cut = [batching.pieces(body, nlp.max_length) for body in bodies]
    docs = _pipe(nlp, (piece for pieces in cut for piece in pieces), batching)
    for pieces in cut:
        parts = [next(docs) for _ in pieces]
        failed = [d for d in parts if isinstance(d, Exception)]
        if failed:
            yield failed[0]
        elif len(parts) == 1:
            yield parts[0]
        else:  # the Docs' user_data holds only their cached text (transforms.extract.sentences)
            yield Doc.from_docs(parts, ensure_whitespace=False, exclude=["user_data"])


def _pipe(nlp, texts: Iterable[str], batching: Batching) -> Iterator:
    """nlp.pipe a batch at a time; when a batch fails, its texts one by one, a failing text yielding its error."""
    for batch in batching(texts):
        try:
            yield from list(nlp.pipe(batch, batch_size=len(batch)))
        except Exception:
            for text in batch:
                try:
                    yield nlp(text)
                except Exception as exc:
                    yield exc


def _first_line(exc: BaseException) -> str:
    """An error's message as a quarantine reason: its first line, at most 300 characters (spaCy's run to 400)."""
    return (str(exc).strip().splitlines() or [""])[0][:300]


def _parse_seconds(nlp) -> float:
    """CPU seconds the selective parse has taken in this process (the rest of `nlp.pipe` is tokens, senter, NER)."""
    return nlp.get_pipe("selective_parse").seconds if "selective_parse" in nlp.pipe_names else 0.0


def in_worker(raws: list[RawDoc], templates: dict, run_id: str, batching: Batching,
              schemas: dict[str, bytes]) -> Streams:
    """process_articles in a worker process, inside a spaCy memory zone.

    A worker lives as long as its pool (a whole batch, a backfill's days), and every new word a
    parse meets would stay in its vocabulary; the zone frees them after each sub-chunk. A worker
    runs one call at a time and only Arrow streams leave the zone, so no Doc outlives it. spaCy does
    not fill the tokenizer's cache inside a zone (uncached, tokenizing costs 3.7x, 2.7% of a
    parse), so a worker's first call runs outside one and fills it with the common words.
    """
    global _CACHE_FILLED
    from flows.nlp import get_nlp

    if not _CACHE_FILLED:
        _CACHE_FILLED = True
        return process_articles(raws, templates, run_id, batching, schemas)
    with get_nlp().memory_zone():
        return process_articles(raws, templates, run_id, batching, schemas)


def workers(n_process: int) -> int:
    """How many worker processes to use; 0 = none (in this process), always inside daemonic workers
    such as Dask's. One worker still pays: the flow validates and writes while it parses."""
    if n_process < 1 or multiprocessing.current_process().daemon:
        return 0
    return n_process


def prestart(n_process: int, articles: int) -> None:
    """Start the worker processes now, so each loads the model while the flow scans its inputs."""
    n = workers(n_process)
    if n and articles >= MIN_PARALLEL:
        POOL.prestart(n)


def process_parallel(raws: list[RawDoc], templates: dict, run_id: str, n_process: int,
                     batching: Batching) -> Processed:
    """process_articles over n_process workers (sub-chunks in order), or in this process."""
    n = workers(n_process)
    # a few articles cost less than starting workers (not than using started ones)
    if n == 0 or len(raws) < MIN_PARALLEL and not POOL.running(n):
        return process_articles(raws, templates, run_id, batching).decoded()
    from warehouse.schemas import stream_schemas

    size = -(-len(raws) // n)
    parts = [raws[i:i + size] for i in range(0, len(raws), size)]
    futures = [POOL.submit(n, in_worker, part, {k: templates[k] for k in {r.source_key for r in part}
                                                if k in templates}, run_id, batching, stream_schemas())
               for part in parts]
    results = []
    for fut in futures:
        try:
            results.append(fut.result().decoded())
        except (BrokenProcessPool, CancelledError):  # a worker died, or terminate() cancelled the sub-chunk
            if POOL.stopped:  # aborted by the stop, not failed
                from flows.stopping import Stopped

                raise Stopped() from None
            raise
    seconds: Counter = Counter()
    for r in results:
        seconds.update(r.seconds)
    return Processed(concat([r.tables for r in results]), dict(seconds))


def concat(parts: list[dict[str, pa.Table]]) -> dict[str, pa.Table]:
    """Several chunks' tables as one table each."""
    import pyarrow as pa

    names = {t for part in parts for t in part}
    return {t: pa.concat_tables([part[t] for part in parts if t in part], promote_options="default") for t in names}
