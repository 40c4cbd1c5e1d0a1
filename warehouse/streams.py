"""Rows as Arrow data without pyarrow: what a worker process sends back to the flow (flows/work.py).

A worker writes each table's rows as an Arrow IPC stream with nanoarrow, in the schema the flow's
process gave it (`warehouse.schemas.stream_schemas`, itself an IPC stream without batches), and the flow
reads the stream with pyarrow (`read`): the same table that `warehouse.schemas.to_table` makes of the
same rows (tests/warehouse/test_streams.py). So a worker never imports pyarrow: its libraries, and what
building tables touched in them, took ~40 MB of a worker's peak (287 -> 245 MB over 300 articles).
"""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import nanoarrow as na
from nanoarrow import ipc

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def write(schema: bytes, rows: list[dict]) -> bytes:
    """`rows` (dicts holding every column of `schema`) as one record batch in an Arrow IPC stream.

    Values as pyarrow takes them: str, int, float, bool, bytes or None; a timestamp column's datetimes
    (a naive one read as UTC, as pyarrow does) become its microseconds since the epoch. A missing key
    is a bug, not a NULL: KeyError."""
    struct = na.c_array_stream(ipc.InputStream.from_readable(io.BytesIO(schema))).get_schema()
    columns = []
    for i in range(struct.n_children):
        field = struct.child(i)
        try:
            values = [row[field.name] for row in rows]
        except KeyError:
            raise KeyError(f"{_table(struct)} row without {field.name}") from None
        if field.format.startswith("tsu:"):
            values = [_micros(v) for v in values]
        columns.append(na.c_array(values, field))
    batch = na.c_array_from_buffers(struct, len(rows), [None], children=columns)
    out = io.BytesIO()
    with ipc.StreamWriter.from_writable(out) as writer:
        writer.write_stream(na.c_array_stream(batch))
    return out.getvalue()


def read(stream: bytes):
    """The pyarrow Table an IPC stream holds (in the flow's process)."""
    import pyarrow as pa

    return pa.ipc.open_stream(stream).read_all()


def _micros(value: datetime | None) -> int | None:
    if value is None:
        return None
    return ((value if value.tzinfo else value.replace(tzinfo=UTC)) - EPOCH) // MICROSECOND


def _table(struct) -> str:
    return dict(struct.metadata or {}).get(b"newsetl.table", b"a").decode()
