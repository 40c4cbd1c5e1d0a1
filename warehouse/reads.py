"""Reading a warehouse's published rows: the runs readers see, and columns of their rows."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any, Protocol

import numpy as np
import pyarrow as pa

from warehouse.schemas import PARTITION, PUBLISHED


class _Warehouse(Protocol):
    """What the reading methods use of the Lakehouse they are part of."""

    is_local: bool

    def path(self, *parts: str) -> str: ...
    def table(self, table: str, version: int | datetime | None = None) -> Any: ...
    def dataset(self: _Warehouse, dt, table: str) -> Any: ...
    def published_runs(self: _Warehouse, version: int | datetime | None = None) -> set[str]: ...


class ReadMixin:
    """The reading methods of `warehouse.lake.Lakehouse` (its tables and paths)."""

    def dataset(self: _Warehouse, dt, table: str):
        """A Delta table's current files as a pyarrow dataset. On disk through Arrow's own file system: with
        delta-rs' default (a Python file system handler) Arrow's I/O threads call into Python, and a short
        command that read a table aborted at exit ("terminate called without an active exception")."""
        if not self.is_local:
            return dt.to_pyarrow_dataset()
        import pyarrow.fs as pafs

        return dt.to_pyarrow_dataset(filesystem=pafs.SubTreeFileSystem(self.path(table), pafs.LocalFileSystem()))

    def read_columns(self: _Warehouse, table: str, columns: list[str]) -> list[tuple]:
        """Some columns of a table's published rows, as tuples."""
        import pyarrow.dataset as ds

        dt = self.table(table)
        if dt is None:
            return []
        have = set(dt.schema().to_arrow().names)
        data = self.dataset(dt, table).to_table(
            columns=[c for c in columns if c in have],
            filter=ds.field("run_id").isin(pa.array(sorted(self.published_runs()), pa.string())))
        values = [data.column(c).to_pylist() if c in have else [None] * data.num_rows for c in columns]
        return list(zip(*values, strict=False))

    def read_batches(self: _Warehouse, table: str, columns: list[str]) -> Iterator[pa.Table]:
        """Some columns of a table's published rows, a record batch at a time (a column the table does not
        have yet is null): what a whole table's rows as Python objects would not fit."""
        import pyarrow.dataset as ds

        dt = self.table(table)
        if dt is None:
            return
        have = set(dt.schema().to_arrow().names)
        scanner = self.dataset(dt, table).scanner(
            columns=[c for c in columns if c in have],
            filter=ds.field("run_id").isin(pa.array(sorted(self.published_runs()), pa.string())))
        for batch in scanner.to_batches():
            if batch.num_rows:
                data = pa.Table.from_batches([batch])
                for c in columns:
                    if c not in have:
                        data = data.append_column(c, pa.nulls(data.num_rows, pa.string()))
                yield data

    def _column_of_run(self: _Warehouse, table: str, column: str, run_id: str) -> list:
        import pyarrow.dataset as ds

        data = self.dataset(self.table(table), table)
        return data.to_table(columns=[column], filter=ds.field("run_id") == run_id).column(column).to_pylist()

    def published_runs(self: _Warehouse, version: int | datetime | None = None) -> set[str]:
        """The runs whose rows readers see: those with a committed `runs` row of a published status."""
        dt = self.table("runs", version)
        if dt is None:
            return set()
        runs = pa.table(self.dataset(dt, "runs").to_table(columns=["run_id", "status"]))
        return {r for r, s in zip(runs.column("run_id").to_pylist(), runs.column("status").to_pylist(), strict=False)
                if s in PUBLISHED}

    def read_column(self: _Warehouse, table: str, column: str, dates: set[str] | None = None) -> list:
        """One column of a table's published rows (optionally of some days only)."""
        scanner = _published_scanner(self, table, column, dates)
        return [] if scanner is None else scanner.to_table().column(column).to_pylist()

    def read_keys(self: _Warehouse, table: str, column: str, dates: set[str] | None = None) -> Keys:
        """One column of a table's published rows (optionally of some days only) as a compact set, read a
        record batch at a time: what every run checks its inputs against, over the warehouse's whole history."""
        scanner = _published_scanner(self, table, column, dates)
        if scanner is None:
            return Keys()
        return Keys(np.concatenate([Keys.digests(batch.column(0).to_pylist()) for batch in scanner.to_batches()]
                                   or [Keys.digests([])]))


def _published_scanner(lake: _Warehouse, table: str, column: str, dates: set[str] | None):
    """A scanner over one column of a table's published rows (optionally of some days only); None without
    the table."""
    import pyarrow.dataset as ds

    dt = lake.table(table)
    if dt is None:
        return None
    flt = ds.field("run_id").isin(pa.array(sorted(lake.published_runs()), pa.string()))
    if dates is not None:
        flt = flt & ds.field(PARTITION).isin([date.fromisoformat(d) for d in sorted(dates)])
    return lake.dataset(dt, table).scanner(columns=[column], filter=flt)


class Keys:
    """A set of strings held as one sorted array of their 16-byte BLAKE2b digests: 16 bytes a key, where a
    Python set holds ~120 bytes for a 32-character id. The ids and inputs a warehouse has handled grow
    with its whole history, and every run reads them all (a collision of 128-bit digests is not a risk).
    Nulls are not keys."""

    def __init__(self, digests: np.ndarray | None = None):
        self._sorted = np.unique(digests) if digests is not None else np.zeros(0, _DIGEST)

    @staticmethod
    def digests(values: Iterable[str | None]) -> np.ndarray:
        return np.array([_digest(v) for v in values if v is not None], dtype=_DIGEST)

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        # both sides through numpy's S16, which drops a digest's trailing zero bytes the same way everywhere
        key = np.frombuffer(_digest(value), _DIGEST)[0]
        i = int(np.searchsorted(self._sorted, key))
        return i < len(self._sorted) and self._sorted[i] == key

    def __len__(self) -> int:
        return len(self._sorted)

    def __or__(self, other: Keys) -> Keys:
        return Keys(np.concatenate([self._sorted, other._sorted]))

    def __sub__(self, other: Keys) -> Keys:
        return Keys(np.setdiff1d(self._sorted, other._sorted, assume_unique=True))

    @property
    def nbytes(self) -> int:
        return self._sorted.nbytes


_DIGEST = np.dtype("S16")


def _digest(value: str) -> bytes:
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16).digest()
