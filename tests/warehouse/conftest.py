"""A small warehouse written by the real writer and catalog, for the report and reader tests."""
from datetime import datetime, timezone

import pytest

from warehouse.catalog import write_catalog
from warehouse.writer import Warehouse

PUBLISHED = datetime(2026, 11, 20, 8, 30, 15, 123456, tzinfo=timezone.utc)
TABLES = ("articles", "removed_segments", "entities", "figures", "quarantine", "runs")


@pytest.fixture
def warehouse(tmp_path):
    wh = Warehouse(str(tmp_path))
    day = "2026-11-20"
    wh.publish({
        "articles": [{"article_id": f"a{i}", "source_uri": f"/in/{i}.txt", "source_name": src, "body": "US troops.",
                      "raw_chars": 10, "body_chars": 10, "batch_date": day, "run_id": "r1", "pipeline_version": "t",
                      "language": "en", "published_at": PUBLISHED} for i, src in enumerate(["Press TV", "Reuters", "Reuters"])],
        "entities": [{"article_id": "a0", "seq": 0, "text": "US", "label": "GPE", "canonical": "United States",
                      "start_char": 0, "end_char": 2, "sentence_idx": 0, "batch_date": day}],
        "figures": [{"article_id": "a1", "seq": 0, "text": "2,500", "value": 2500.0, "unit": "troop", "kind": "count",
                     "qualifier": "approx", "subject": "US troops", "start_char": 0, "end_char": 5, "sentence_idx": 0,
                     "sentence": "About 2,500 US troops.", "batch_date": day}],
        "quarantine": [{"source_uri": "/in/x.bin", "stage": "ingest", "reason": "binary data: not text",
                        "batch_date": day, "run_id": "r1"}],
        "runs": [{"run_id": "r1", "flow": "daily", "status": "published", "files_seen": 4, "articles_published": 3,
                  "rows_quarantined": 1, "validation_success": True, "params": "{}", "batch_date": day}],
    }, "r1")
    write_catalog(wh.path("newsetl.duckdb"), {t: wh.table_glob(t) if wh.fs.glob(wh.table_glob(t)) else None for t in TABLES})
    return tmp_path
