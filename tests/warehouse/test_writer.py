"""Atomic publishing: staged files, the journal, crash recovery, replaced partitions, the lock."""
import json

import duckdb
import pytest

from warehouse.catalog import write_catalog
from warehouse.schemas import TABLES, schema, to_table
from warehouse.writer import Warehouse, WarehouseError


def article(aid, date):
    return {"article_id": aid, "source_uri": f"/in/{aid}.txt", "body": "Body text.", "raw_chars": 10,
            "body_chars": 10, "batch_date": date, "run_id": "r", "pipeline_version": "t", "language": "en"}


def ids(wh):
    return sorted(wh.read_column("articles", "article_id"))


def test_publish_writes_hive_partitions_with_the_declared_schema(tmp_path):
    wh = Warehouse(str(tmp_path))
    wh.publish({"articles": [article("a", "2026-11-01"), article("b", "2026-11-02")]}, "run1")
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.parquet"))
    assert files == ["articles/batch_date=2026-11-01/part-run1-0.parquet", "articles/batch_date=2026-11-02/part-run1-0.parquet"]
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(tmp_path / files[0])
    assert meta.schema_arrow.equals(schema("articles"), check_metadata=False)
    assert meta.metadata.row_group(0).column(0).compression == "ZSTD"


def test_crash_after_journal_is_rolled_forward(tmp_path):
    wh = Warehouse(str(tmp_path))
    wh.publish({"articles": [article("a", "2026-11-01")]}, "run1")
    # a crash between writing the journal and renaming: stage the files and the journal only
    wh._write(to_table("articles", [article("b", "2026-11-01")]),
              wh.path("_staging", "run2", "articles/batch_date=2026-11-01/part-run2.parquet"))
    (tmp_path / "_journal").mkdir(exist_ok=True)
    (tmp_path / "_journal" / "run2.json").write_text(json.dumps(
        {"run_id": "run2", "moves": ["articles/batch_date=2026-11-01/part-run2.parquet"], "replaces": []}))
    assert ids(wh) == ["a"]
    assert wh.recover() == 1
    assert ids(wh) == ["a", "b"]
    assert not list((tmp_path / "_journal").iterdir())


def test_crash_before_journal_leaves_nothing_visible(tmp_path):
    wh = Warehouse(str(tmp_path))
    wh._write(to_table("articles", [article("x", "2026-11-01")]),
              wh.path("_staging", "run9", "articles/batch_date=2026-11-01/part-run9.parquet"))
    assert ids(wh) == []
    wh.recover()
    assert not (tmp_path / "_staging").exists()


def test_replace_swaps_only_the_given_days(tmp_path):
    wh = Warehouse(str(tmp_path))
    wh.publish({"articles": [article("a", "2026-11-01"), article("b", "2026-11-02")]}, "run1")
    wh.publish({"articles": [article("c", "2026-11-01")]}, "run2", frozenset({"2026-11-01"}))
    assert ids(wh) == ["b", "c"]


def test_second_publisher_gets_a_clear_error(tmp_path):
    wh = Warehouse(str(tmp_path))
    with wh.lock():
        with pytest.raises(WarehouseError, match="another newsetl run"):
            with Warehouse(str(tmp_path)).lock():
                pass


def test_memory_filesystem(tmp_path):
    wh = Warehouse("memory://newsetl-test-wh")
    wh.publish({"articles": [article("m", "2026-11-01")]}, "run1")
    assert ids(wh) == ["m"]


def test_catalog_views_work_before_and_after_data(tmp_path):
    db = str(tmp_path / "newsetl.duckdb")
    write_catalog(db, {t: None for t in TABLES})
    con = duckdb.connect(db, read_only=True)
    assert con.execute("select count(*) from figure_claims").fetchall() == [(0,)]
    con.close()
    wh = Warehouse(str(tmp_path))
    wh.publish({"articles": [article("a", "2026-11-01")]}, "run1")
    write_catalog(db, {t: (wh.table_glob(t) if t == "articles" else None) for t in TABLES})
    con = duckdb.connect(db, read_only=True)
    assert con.execute("select article_id, batch_date::varchar from articles").fetchall() == [("a", "2026-11-01")]
    assert con.execute("select count(*) from daily_articles").fetchall() == [(1,)]


def test_staged_chunks_are_invisible_until_commit_and_discard_leaves_nothing(tmp_path):
    wh = Warehouse(str(tmp_path))
    wh.stage({"articles": [article("a", "2026-11-01")]}, "run1", "00000")
    wh.stage({"articles": [article("b", "2026-11-01")]}, "run1", "00001")
    assert ids(wh) == []
    wh.commit("run1")
    assert ids(wh) == ["a", "b"]
    wh.stage({"articles": [article("c", "2026-11-01")]}, "run2", "00000")
    wh.discard("run2")
    wh.commit("run2")
    assert ids(wh) == ["a", "b"]


def test_replace_keeps_the_runs_history(tmp_path):
    wh = Warehouse(str(tmp_path))
    run = {"run_id": "r1", "flow": "daily", "status": "published", "files_seen": 1, "articles_published": 1,
           "rows_quarantined": 0, "validation_success": True, "params": "{}", "batch_date": "2026-11-01"}
    wh.publish({"articles": [article("a", "2026-11-01")], "runs": [run]}, "r1")
    wh.publish({"articles": [article("b", "2026-11-01")], "runs": [{**run, "run_id": "r2"}]}, "r2",
               frozenset({"2026-11-01"}))
    assert ids(wh) == ["b"]
    assert sorted(wh.read_column("runs", "run_id")) == ["r1", "r2"]
