"""Parquet publishing with atomic commits: stage, journal, rename; recover from any crash.

Layout: <root>/<table>/batch_date=YYYY-MM-DD/part-<run_id>.parquet. A publish writes every
file under <root>/_staging/<run_id>/, then writes the journal <root>/_journal/<run_id>.json
listing the renames, then renames. A reader never sees a partial file (a rename is atomic);
a crash before the journal leaves only staging (deleted by the next run), a crash after it
is rolled forward by the next run. Only one process publishes at a time (lock file).
"""
from __future__ import annotations

import contextlib
import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.schemas import PARTITION, PUBLISH_ORDER, to_table


class WarehouseError(RuntimeError):
    """A warehouse problem reported as one line to the user."""


@dataclass
class Warehouse:
    """A warehouse root on any fsspec file system."""

    uri: str

    def __post_init__(self):
        self.fs, self.root = fsspec.core.url_to_fs(self.uri)
        self.root = self.root.rstrip("/") or "/"
        self.is_local = "file" in (self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,))

    def path(self, *parts: str) -> str:
        return "/".join([self.root, *parts])

    def table_glob(self, table: str) -> str:
        """A glob over a table's committed files (what the DuckDB views read)."""
        return self.path(table, "**", "*.parquet")

    @contextlib.contextmanager
    def lock(self, wait_s: float = 0.0):
        """Hold the warehouse's publish lock; a second holder gets a one-line error."""
        self.fs.makedirs(self.root, exist_ok=True)
        if not self.is_local:
            yield
            return
        import fcntl

        with open(os.path.join(self.root, ".lock"), "a+") as handle:
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise WarehouseError(f"another newsetl run is publishing to {self.uri}; try again when it ends") from None
                    time.sleep(0.5)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def recover(self) -> int:
        """Roll committed journals forward and drop uncommitted staging; returns journals replayed."""
        replayed = 0
        for journal in sorted(self._ls(self.path("_journal"))):
            self._apply(json.loads(self.fs.cat_file(journal)))
            self.fs.rm(journal)
            replayed += 1
        for leftover in ("_staging", "_trash"):
            if self.fs.exists(self.path(leftover)):
                self.fs.rm(self.path(leftover), recursive=True)
        return replayed

    def publish(self, rows: dict[str, list[dict]], run_id: str, replace_dates: frozenset[str] = frozenset()) -> dict[str, int]:
        """Write every table's rows (each row carries batch_date) as one atomic batch."""
        counts = self.stage(rows, run_id, "0")
        self.commit(run_id, replace_dates)
        return counts

    def stage(self, rows: dict[str, list[dict]], run_id: str, part: str) -> dict[str, int]:
        """Write rows under _staging/<run_id>/ (invisible to readers until commit); returns rows per table."""
        counts = {}
        for table in PUBLISH_ORDER:
            by_date: dict[str, list[dict]] = defaultdict(list)
            for row in rows.get(table, []):
                by_date[row[PARTITION]].append(row)
            counts[table] = sum(len(v) for v in by_date.values())
            for date, part_rows in sorted(by_date.items()):
                rel = f"{table}/{PARTITION}={date}/part-{run_id}-{part}.parquet"
                self._write(to_table(table, part_rows), self.path("_staging", run_id, rel))
        return counts

    def commit(self, run_id: str, replace_dates: frozenset[str] = frozenset()) -> None:
        """Make everything staged for run_id visible at once, replacing replace_dates' partitions.

        The runs table is history: a replaced day keeps its earlier runs rows.
        """
        base = self.path("_staging", run_id)
        files = sorted(self.fs.glob(base + "/*/*/*.parquet")) if self.fs.exists(base) else []
        moves = [f[len(base) + 1:] for f in files]
        replaces = [f"{t}/{PARTITION}={d}" for t in PUBLISH_ORDER if t != "runs" for d in sorted(replace_dates)]
        journal = {"run_id": run_id, "moves": moves, "replaces": replaces}
        self._write_bytes(self.path("_journal", f"{run_id}.json"), json.dumps(journal).encode())
        self._apply(journal)
        self.fs.rm(self.path("_journal", f"{run_id}.json"))

    def discard(self, run_id: str) -> None:
        """Drop what a run staged (a blocked batch publishes nothing); never a committed run's files,
        which the next run's recovery rolls forward from the journal."""
        if self.fs.exists(self.path("_journal", f"{run_id}.json")):
            return
        if self.fs.exists(self.path("_staging", run_id)):
            self.fs.rm(self.path("_staging", run_id), recursive=True)

    def _apply(self, journal: dict) -> None:
        run_id = journal["run_id"]
        for rel in journal["replaces"]:
            live, trash = self.path(rel), self.path("_trash", run_id, rel)
            if self.fs.exists(live) and not self.fs.exists(trash):
                self.fs.makedirs(trash.rsplit("/", 1)[0], exist_ok=True)
                self.fs.mv(live, trash, recursive=True)
        for rel in journal["moves"]:
            src, dst = self.path("_staging", run_id, rel), self.path(rel)
            if self.fs.exists(src):
                self.fs.makedirs(dst.rsplit("/", 1)[0], exist_ok=True)
                self.fs.mv(src, dst)
        for leftover in (self.path("_staging", run_id), self.path("_trash", run_id)):
            if self.fs.exists(leftover):
                self.fs.rm(leftover, recursive=True)

    def _write(self, table: pa.Table, path: str) -> None:
        self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with self.fs.open(path, "wb") as out:
            pq.write_table(table, out, compression="zstd")
            _fsync(out)

    def _write_bytes(self, path: str, data: bytes) -> None:
        self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with self.fs.open(path + ".tmp", "wb") as out:
            out.write(data)
            _fsync(out)
        self.fs.mv(path + ".tmp", path)

    def _ls(self, path: str) -> list[str]:
        if not self.fs.exists(path):
            return []
        return [p for p in self.fs.ls(path, detail=False) if p.endswith(".json")]

    def read_column(self, table: str, column: str, dates: frozenset[str] | None = None) -> list:
        """One column of a table's committed rows (optionally of some partitions only)."""
        import pyarrow.dataset as ds

        base = self.path(table)
        if not self.fs.exists(base) or not self.fs.glob(self.table_glob(table)):
            return []
        dataset = ds.dataset(base, filesystem=self.fs, format="parquet", partitioning="hive",
                             exclude_invalid_files=False)
        flt = None
        if dates is not None:
            flt = ds.field(PARTITION).cast(pa.string()).isin(sorted(dates))
        return dataset.to_table(columns=[column], filter=flt).column(column).to_pylist()


def _fsync(handle) -> None:
    with contextlib.suppress(AttributeError, OSError, ValueError):
        handle.flush()
        os.fsync(handle.fileno())
