"""The storage contract: every table's columns, declared once as data, with a version and a hash.

Each table is a Delta Lake table partitioned by `batch_date` (a date; in the data files' paths as
batch_date=YYYY-MM-DD, not in the files). Every table carries `run_id`: the catalog shows a row only
once its run's `runs` row is committed, so a reader never sees part of a batch.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

import pyarrow as pa

SCHEMA_VERSION = 2
PARTITION = "batch_date"
TS = pa.timestamp("us", tz="UTC")
_RUN = (pa.string(), "run that published the row")

# Column name -> (Arrow type, comment). Data files carry these columns; batch_date lives in the path.
COLUMNS: dict[str, dict[str, tuple[pa.DataType, str]]] = {
    "articles": {
        "article_id": (pa.string(), "content hash of the input record (sha256, 32 hex)"),
        "source_uri": (pa.string(), "input file (and #line for JSONL) the article came from"),
        "url": (pa.string(), "canonical URL when the input states one"),
        "source_name": (pa.string(), "publisher name found on the page or in the record"),
        "title": (pa.string(), "headline"),
        "author": (pa.string(), "byline name"),
        "published_at": (TS, "publication time (UTC) when the page or record states one"),
        "language": (pa.string(), "ISO 639-1 code of the body, 'und' when unknown"),
        "body": (pa.string(), "cleaned main text; entity and figure offsets index into it"),
        "raw_chars": (pa.int64(), "characters of the decoded input"),
        "body_chars": (pa.int64(), "characters of the body"),
        "raw_text_chars": (pa.int64(), "characters of the decoded input that are not white space"),
        "body_text_chars": (pa.int64(), "characters of the body that are not white space "
                                        "(never more than raw_text_chars)"),
        "body_words": (pa.int64(), "whitespace-separated words of the body"),
        "encoding": (pa.string(), "codec that decoded the input bytes (utf-8, windows-1252, shift_jis, ...)"),
        "encoding_source": (pa.string(), "what chose it: bom, declared, utf-8 or detected; "
                                         "+ftfy when mojibake was repaired"),
        "input_format": (pa.string(), "text or html"),
        "nlp_skipped_reason": (pa.string(), "why no NER ran (non-English, empty body), else null"),
        "duplicate_of": (pa.string(), "article_id of the earliest published near-copy of this article "
                                      "(syndicated, republished), else null"),
        "body_minhash": (pa.binary(), "MinHash signature of the body's word 5-grams (64 uint64): finds near-copies"),
        "run_id": _RUN,
        "pipeline_version": (pa.string(), "newsetl version that produced the row"),
        "ingested_at": (TS, "time the run processed the article (UTC)"),
    },
    "removed_segments": {
        "article_id": (pa.string(), "article the segment was removed from"),
        "seq": (pa.int32(), "order of the segment in the page"),
        "text": (pa.string(), "removed lines"),
        "reason": (pa.string(), "signal that removed them"),
        "run_id": _RUN,
    },
    "entities": {
        "article_id": (pa.string(), "article of the mention"),
        "seq": (pa.int32(), "order of the mention in the body"),
        "text": (pa.string(), "mention as written"),
        "label": (pa.string(), "spaCy entity label"),
        "canonical": (pa.string(), "one name however the entity is written"),
        "start_char": (pa.int32(), "start offset in articles.body"),
        "end_char": (pa.int32(), "end offset in articles.body (exclusive)"),
        "sentence_idx": (pa.int32(), "sentence number in the body, from 0"),
        "run_id": _RUN,
    },
    "figures": {
        "article_id": (pa.string(), "article of the figure"),
        "seq": (pa.int32(), "order of the figure in the body"),
        "text": (pa.string(), "the figure as written, qualifier included"),
        "value": (pa.float64(), "the number, fully scaled"),
        "value_max": (pa.float64(), "upper end of a range, else null"),
        "unit": (pa.string(), "ISO 4217 code, percent, a measure, or the counted noun's lemma"),
        "kind": (pa.string(), "count, money, percent or quantity"),
        "qualifier": (pa.string(), "exact, approx, at_least, at_most or range"),
        "subject": (pa.string(), "the counted noun phrase"),
        "attributed_to": (pa.string(), "canonical name of who stated the figure"),
        "start_char": (pa.int32(), "start offset in articles.body"),
        "end_char": (pa.int32(), "end offset in articles.body (exclusive)"),
        "sentence_idx": (pa.int32(), "sentence number in the body, from 0"),
        "sentence": (pa.string(), "the sentence that states the figure"),
        "measure": (pa.string(), "what is counted, normalised: 'United States troops' for US troops, "
                                 "American soldiers, U.S. forces"),
        "place": (pa.string(), "canonical place the figure is about (its sentence's, else the article's main place)"),
        "run_id": _RUN,
    },
    "quarantine": {
        "source_uri": (pa.string(), "input that could not be published"),
        "article_id": (pa.string(), "content hash when the content could be read"),
        "stage": (pa.string(), "ingest, clean, extract or validate"),
        "reason": (pa.string(), "one line a person can act on"),
        "run_id": (pa.string(), "run that quarantined it"),
        "quarantined_at": (TS, "when (UTC)"),
    },
    "runs": {
        "run_id": (pa.string(), "Prefect flow run id"),
        "flow": (pa.string(), "daily or backfill"),
        "started_at": (TS, "start (UTC)"),
        "finished_at": (TS, "end (UTC)"),
        "status": (pa.string(), "published, nothing_new or failed"),
        "files_seen": (pa.int64(), "input files found"),
        "articles_published": (pa.int64(), "articles written by this run"),
        "rows_quarantined": (pa.int64(), "quarantine rows written by this run"),
        "validation_success": (pa.bool_(), "all Great Expectations suites passed at table level"),
        "replaced_dates": (pa.list_(pa.string()), "batch dates whose partitions this run replaced (a backfill)"),
        "params": (pa.string(), "run parameters as JSON (no credentials)"),
    },
}
TABLES = tuple(COLUMNS)
# Children before parents and the runs row last: a reader of one table at a time never finds a row
# whose parent is missing, and the catalog shows a run only when all of it is committed.
PUBLISH_ORDER = ("removed_segments", "entities", "figures", "quarantine", "articles", "runs")
PUBLISHED = ("published", "nothing_new")  # run statuses whose rows readers see


def schema(table: str) -> pa.Schema:
    """The Arrow schema of a table's data files (without the partition column)."""
    return pa.schema([pa.field(name, typ, metadata={"comment": doc}) for name, (typ, doc) in COLUMNS[table].items()],
                     metadata={"newsetl.table": table, "newsetl.schema_version": str(SCHEMA_VERSION)})


def table_schema(table: str) -> pa.Schema:
    """The Delta table's schema: the data files' columns and the partition column, a date."""
    return pa.schema([*(pa.field(f.name, f.type) for f in schema(table)), pa.field(PARTITION, pa.date32())])


def schema_hash() -> str:
    """A short hash of all schemas: changes whenever a column or type changes."""
    text = ";".join(f"{t}:{n}:{typ}" for t, cols in COLUMNS.items() for n, (typ, _) in cols.items())
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def to_table(table: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) as an Arrow table of the declared schema plus batch_date (a string, the partition).

    Every declared column must be a key of every row: a missing key is a bug, not a NULL."""
    sch = rows_schema(table)
    for row in rows:
        missing = [f.name for f in sch if f.name not in row]
        if missing:
            raise KeyError(f"{table} row without {', '.join(missing)}")
    return pa.Table.from_pydict({f.name: pa.array([r[f.name] for r in rows], type=f.type) for f in sch}, schema=sch)


def rows_schema(table: str) -> pa.Schema:
    """The schema of a table's rows as the pipeline makes them: the declared columns and batch_date, a string."""
    sch = schema(table)
    return pa.schema([*sch, pa.field(PARTITION, pa.string())], metadata=sch.metadata)


@lru_cache(maxsize=1)
def stream_schemas() -> dict[str, bytes]:
    """Each table's `rows_schema` as an Arrow IPC stream without batches: what a worker process, which has
    no pyarrow, writes its rows in (warehouse/streams.py)."""
    out = {}
    for table in TABLES:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, rows_schema(table)):
            pass
        out[table] = sink.getvalue().to_pybytes()
    return out
