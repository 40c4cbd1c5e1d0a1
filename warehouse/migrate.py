"""`newsetl migrate`: a version-1 warehouse (plain Parquet, a journal) becomes Delta tables, in place.

Version 1 wrote `<table>/batch_date=D/part-*.parquet` with its own journal. Migration first rolls
an interrupted version-1 publish forward (as version 1's next run would have), then rewrites each
table's rows as Delta data files with the version-2 columns (child tables take their article's
run, body_text_chars is computed, columns version 1 never knew are null) and commits them, then
deletes the version-1 files. Interrupted, it is run again: a table already committed only loses
its leftover version-1 files. Nothing is lost: every row is carried over.
"""
from __future__ import annotations

import json
from dataclasses import asdict

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from warehouse.lake import Lakehouse
from warehouse.schemas import PARTITION, PUBLISH_ORDER, TABLES, schema

RUN = "migrated-v1"


def is_version_1(lake: Lakehouse) -> bool:
    """Whether the warehouse holds version-1 tables (Parquet files and no Delta log)."""
    return any(_v1_files(lake, t) and not lake.fs.exists(lake.path(t, "_delta_log")) for t in TABLES) \
        or lake.fs.exists(lake.path("_journal"))


def migrate(lake: Lakehouse) -> list[str]:
    """Convert the warehouse; returns what was done, one line each."""
    done = _roll_forward(lake)
    run_of_article: dict[str, str] = {}
    for table in ("articles", *[t for t in PUBLISH_ORDER if t != "articles"]):
        old = _v1_files(lake, table)
        if lake.fs.exists(lake.path(table, "_delta_log")):
            leftovers = [f for f in old if f.rsplit("/", 1)[-1] not in _delta_files(lake, table)]
            for f in leftovers:
                lake.fs.rm(f)
            if leftovers:
                done.append(f"{table}: removed {len(leftovers)} version-1 files left by an interrupted migration")
            continue
        if not old:
            continue
        data = ds.dataset(old, filesystem=lake.fs, format="parquet", partitioning=ds.partitioning(
            pa.schema([(PARTITION, pa.string())]), flavor="hive"), partition_base_dir=lake.path(table)).to_table()
        if table == "articles":
            run_of_article = dict(zip(data.column("article_id").to_pylist(), data.column("run_id").to_pylist(),
                                      strict=False))
        data = _upgrade(table, data, run_of_article)
        files = lake.stage(RUN, "0", {table: data})
        lake.create_table(table)
        lake.apply({"run_id": RUN, "replace_dates": [], "files": [asdict(f) for f in files]})
        for f in old:
            lake.fs.rm(f)
        done.append(f"{table}: {data.num_rows} rows from {len(old)} version-1 files now a Delta table "
                    f"({len(files)} files)")
    lake.discard(RUN)
    lake.ensure_tables()
    for leftover in ("_journal", "_staging", "_trash", ".lock"):
        if lake.fs.exists(lake.path(leftover)):
            lake.fs.rm(lake.path(leftover), recursive=True)
    return done or ["nothing to migrate: the warehouse is already version 2"]


def _upgrade(table: str, data: pa.Table, run_of_article: dict[str, str]) -> pa.Table:
    """Version-1 rows with the version-2 columns, in the declared order and types."""
    n = data.num_rows
    columns = {}
    for field in schema(table):
        if field.name in data.column_names:
            columns[field.name] = data.column(field.name).cast(field.type)
        elif field.name == "run_id" and "article_id" in data.column_names:
            columns[field.name] = pa.array([run_of_article.get(a) for a in data.column("article_id").to_pylist()],
                                           pa.string())
        elif field.name == "body_text_chars":
            columns[field.name] = pa.array([len("".join(b.split())) if b else 0
                                            for b in data.column("body").to_pylist()], pa.int64())
        elif field.name == "replaced_dates":
            columns[field.name] = pa.array([[]] * n, field.type)
        else:
            columns[field.name] = pa.nulls(n, field.type)
    columns[PARTITION] = pc.cast(data.column(PARTITION), pa.string())
    return pa.table(columns)


def _roll_forward(lake: Lakehouse) -> list[str]:
    """Finish an interrupted version-1 publish from its journal (the files it listed moved into place)."""
    done: list[str] = []
    journals = lake.path("_journal")
    if not lake.fs.exists(journals):
        return done
    for path in sorted(lake.fs.ls(journals, detail=False)):
        if not path.endswith(".json"):
            continue
        journal = json.loads(lake.fs.cat_file(path))
        run_id = journal["run_id"]
        for rel in journal.get("replaces", []):
            if lake.fs.exists(lake.path(rel)):
                lake.fs.rm(lake.path(rel), recursive=True)
        for rel in journal.get("moves", []):
            src, dst = lake.path("_staging", run_id, rel), lake.path(rel)
            if lake.fs.exists(src):
                lake.fs.makedirs(dst.rsplit("/", 1)[0], exist_ok=True)
                lake.fs.mv(src, dst)
        lake.fs.rm(path)
        done.append(f"rolled forward the interrupted version-1 publish of run {run_id}")
    return done


def _v1_files(lake: Lakehouse, table: str) -> list[str]:
    if not lake.fs.exists(lake.path(table)):
        return []
    return sorted(p for p in lake.fs.glob(lake.path(table, f"{PARTITION}=*", "*.parquet")))


def _delta_files(lake: Lakehouse, table: str) -> set[str]:
    dt = lake.table(table)
    return {u.rsplit("/", 1)[-1] for u in dt.file_uris()} if dt is not None else set()
