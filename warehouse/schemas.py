"""The storage contract: every table's Arrow schema, declared once as data, with a version and hash."""
from __future__ import annotations

import hashlib

import pyarrow as pa

SCHEMA_VERSION = 1
PARTITION = "batch_date"
TS = pa.timestamp("us", tz="UTC")

# Column name -> (Arrow type, comment). Files carry these columns; batch_date lives in the path.
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
        "body_words": (pa.int64(), "whitespace-separated words of the body"),
        "encoding": (pa.string(), "codec that decoded the input bytes (utf-8, windows-1252, shift_jis, ...)"),
        "encoding_source": (pa.string(), "what chose it: bom, declared, utf-8 or detected; +ftfy when mojibake was repaired"),
        "input_format": (pa.string(), "text or html"),
        "nlp_skipped_reason": (pa.string(), "why no NER ran (non-English, empty body), else null"),
        "run_id": (pa.string(), "run that published the article"),
        "pipeline_version": (pa.string(), "newsetl version that produced the row"),
        "ingested_at": (TS, "time the run processed the article (UTC)"),
    },
    "removed_segments": {
        "article_id": (pa.string(), "article the segment was removed from"),
        "seq": (pa.int32(), "order of the segment in the page"),
        "text": (pa.string(), "removed lines"),
        "reason": (pa.string(), "signal that removed them"),
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
    },
    "figures": {
        "article_id": (pa.string(), "article of the figure"),
        "seq": (pa.int32(), "order of the figure in the body"),
        "text": (pa.string(), "the figure as written, qualifier included"),
        "value": (pa.float64(), "the number, fully scaled"),
        "value_max": (pa.float64(), "upper end of a range, else null"),
        "unit": (pa.string(), "ISO 4217 code, percent, a measure, or the counted noun's lemma"),
        "kind": (pa.string(), "count, money, percent, quantity, duration, age or score"),
        "qualifier": (pa.string(), "exact, approx, at_least, at_most or range"),
        "subject": (pa.string(), "the counted noun phrase"),
        "attributed_to": (pa.string(), "canonical name of who stated the figure"),
        "start_char": (pa.int32(), "start offset in articles.body"),
        "end_char": (pa.int32(), "end offset in articles.body (exclusive)"),
        "sentence_idx": (pa.int32(), "sentence number in the body, from 0"),
        "sentence": (pa.string(), "the sentence that states the figure"),
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
        "params": (pa.string(), "run parameters as JSON (no credentials)"),
    },
}
TABLES = tuple(COLUMNS)
# Children before parents: a reader who joins from articles never sees an orphan batch.
PUBLISH_ORDER = ("removed_segments", "entities", "figures", "quarantine", "articles", "runs")


def schema(table: str) -> pa.Schema:
    """The Arrow schema of a table's files (without the partition column)."""
    return pa.schema([pa.field(name, typ, metadata={"comment": doc}) for name, (typ, doc) in COLUMNS[table].items()],
                     metadata={"newsetl.table": table, "newsetl.schema_version": str(SCHEMA_VERSION)})


def schema_hash() -> str:
    """A short hash of all schemas: changes whenever a column or type changes."""
    text = ";".join(f"{t}:{n}:{typ}" for t, cols in COLUMNS.items() for n, (typ, _) in cols.items())
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def to_table(table: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) as an Arrow table of the declared schema; extra keys are ignored."""
    sch = schema(table)
    return pa.Table.from_pydict({f.name: [r.get(f.name) for r in rows] for f in sch}, schema=sch)
