"""The warehouse's audit trail and upkeep: every table version with its run, compaction and vacuum."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from warehouse.lake import Lakehouse
from warehouse.schemas import TABLES


def history(lake: Lakehouse) -> list[dict]:
    """Every version of every table: when, which run, which operation, rows added and removed."""
    out = []
    for table in TABLES:
        for entry in lake.history(table)[1]:
            metrics = entry.get("operationMetrics") or {}
            params = entry.get("operationParameters") or {}
            out.append({
                "table": table, "version": entry["version"],
                "time": datetime.fromtimestamp(entry["timestamp"] / 1000, tz=UTC).isoformat(timespec="seconds"),
                "run_id": entry.get("newsetl.run_id"),
                "operation": entry.get("operation", "")
                + (f" ({params['mode'].lower()})" if params.get("mode") else ""),
                "rows_added": _int(entry.get("newsetl.rows",
                                             metrics.get("num_added_rows", metrics.get("numOutputRows")))),
                "rows_removed": _int(metrics.get("num_deleted_rows", metrics.get("numRemovedRows"))),
                "files_added": _int(metrics.get("num_added_files", metrics.get("numFilesAdded"))),
                "files_removed": _int(metrics.get("num_removed_files", metrics.get("numFilesRemoved",
                                                                                    metrics.get("numDeletedFiles")))),
            })
    return sorted(out, key=lambda r: (r["time"], r["table"], r["version"]))


def maintain(lake: Lakehouse, retention_hours: float, target_mb: int = 128) -> dict[str, dict]:
    """Compact each table's small files (per day) and delete the files no retained version needs."""
    from deltalake import WriterProperties

    out = {}
    for table in TABLES:
        dt = lake.table(table)
        if dt is None:
            continue
        metrics = dt.optimize.compact(target_size=target_mb * 2**20,
                                      writer_properties=WriterProperties(compression="ZSTD"))
        out[table] = {"files_added": metrics.get("numFilesAdded", 0),
                      "files_removed": metrics.get("numFilesRemoved", 0)}
    removed = lake.vacuum(retention_hours)
    out["vacuum"] = {"files_deleted": removed}
    return out


def _int(value) -> int | None:
    if value is None:
        return None
    try:
        return int(value if not isinstance(value, str) else json.loads(value))
    except (TypeError, ValueError):
        return None
