"""Delta's per-file statistics of a staged data file."""
from __future__ import annotations

import json
import math

import pyarrow as pa
import pyarrow.compute as pc

_STAT_STRINGS = ("article_id", "run_id", "source_uri")  # short string columns worth min/max stats


def file_stats(data: pa.Table) -> str:
    """Delta's statistics of a data file: rows, nulls, and min/max of numbers and short keys."""
    stats: dict = {"numRecords": data.num_rows, "nullCount": {}, "minValues": {}, "maxValues": {}}
    for field in data.schema:
        column = data.column(field.name)
        stats["nullCount"][field.name] = column.null_count
        numeric = pa.types.is_integer(field.type) or pa.types.is_floating(field.type)
        if (numeric or field.name in _STAT_STRINGS) and column.null_count < len(column):
            low, high = pc.min_max(column).values()
            stats["minValues"][field.name], stats["maxValues"][field.name] = low.as_py(), high.as_py()
    return json.dumps(stats, allow_nan=False, default=str) if _finite(stats) else json.dumps(
        {"numRecords": data.num_rows})


def _finite(stats: dict) -> bool:
    return all(not isinstance(v, float) or math.isfinite(v)
               for part in ("minValues", "maxValues") for v in stats[part].values())
