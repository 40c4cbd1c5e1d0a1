"""Rows written as an Arrow IPC stream without pyarrow (warehouse/streams.py) read back as to_table's table."""
from datetime import UTC, datetime, timedelta, timezone

import pyarrow as pa
import pytest

from warehouse import streams
from warehouse.schemas import PARTITION, TABLES, rows_schema, stream_schemas, to_table

EAST = timezone(timedelta(hours=5, minutes=30))
SAMPLES = {  # per Arrow type: values as the pipeline's rows hold them, with None and the edges
    pa.string(): ["Zürich \u201cquoted\u201d \U0001f600", None, ""],
    pa.int32(): [2_147_483_647, None, -3],
    pa.int64(): [9_007_199_254_740_993, None, 0],
    pa.float64(): [3_000_000_000, None, -0.25],  # a whole number as an int: as pyarrow takes it
    pa.bool_(): [True, None, False],
    pa.binary(): [bytes(range(256)), None, b""],
    pa.timestamp("us", tz="UTC"): [datetime(2026, 11, 20, 23, 59, 59, 999_999, tzinfo=EAST), None,
                                   datetime(1969, 12, 31, 23, 0, 0, 1)],  # aware elsewhere; naive, before 1970
}
FLAT = [t for t in TABLES if all(f.type in SAMPLES for f in rows_schema(t))]


def test_every_table_a_worker_writes_is_flat():
    assert {"articles", "removed_segments", "entities", "figures", "quarantine"} <= set(FLAT)


@pytest.mark.parametrize("table", FLAT)
def test_a_stream_reads_back_as_the_table_to_table_makes(table):
    rows = [{f.name: SAMPLES[f.type][i] for f in rows_schema(table)} for i in range(3)]
    got = streams.read(streams.write(stream_schemas()[table], rows))
    assert got.equals(to_table(table, rows), check_metadata=True)
    assert got.schema.equals(rows_schema(table), check_metadata=True)
    assert streams.read(streams.write(stream_schemas()[table], [])).equals(to_table(table, []), check_metadata=True)


def test_a_row_without_a_column_is_a_bug_not_a_null():
    row = {f.name: None for f in rows_schema("entities") if f.name != PARTITION}
    with pytest.raises(KeyError, match=f"entities row without {PARTITION}"):
        streams.write(stream_schemas()["entities"], [row])


def test_a_timestamp_is_its_instant_in_microseconds():
    moment = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert streams._micros(moment) == 1_795_176_000_000_000
    assert streams._micros(moment.astimezone(EAST)) == streams._micros(moment.replace(tzinfo=None))
