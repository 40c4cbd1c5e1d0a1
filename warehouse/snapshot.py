"""A consistent read of the warehouse: for each table, the files of one version, and the runs to show.

A run commits its tables one by one and its `runs` row last, so a reader who shows only the rows
of committed runs never sees part of a batch. A run that replaces days (a backfill) removes the old
rows in its first commits; while it is between its first commit and its `runs` row, a reader takes
each table as it was before that run's commit, and hides every run committed after that point (it
shows again a moment later, once the backfill is done): no day is ever missing or doubled.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from warehouse.lake import BOOK, Lakehouse
from warehouse.schemas import TABLES

_HISTORY = 64  # commits per table looked at for a backfill in progress (it is among the newest)


@dataclass
class Snapshot:
    """What a reader reads: a version and its data files per table, and the runs whose rows it shows."""

    versions: dict[str, int | None]
    files: dict[str, list[str]]        # URIs (local paths or the store's URLs)
    runs: set[str]
    as_of: str | None = None


def take(lake: Lakehouse, as_of: int | str | datetime | None = None) -> Snapshot:
    """The warehouse now, or as of a version of its `runs` table or a time (within the retained history)."""
    when = _as_of_time(lake, as_of)
    # a `runs` version is read as that version: delta-rs finds the version at a time by the commit file's
    # modification time, which on a loaded machine can be a millisecond or more after the commit's timestamp
    runs_at = int(as_of) if as_of is not None and not isinstance(as_of, datetime) and str(as_of).isdigit() else when
    runs = lake.published_runs(runs_at)
    pending = set() if when is not None else _replacing_runs(lake)
    versions: dict[str, int | None] = {}
    files: dict[str, list[str]] = {}
    for table in TABLES:
        at = runs_at if table == "runs" else when
        dt = lake.table(table, at) if when is None or _existed(lake, table, when) else None
        if dt is None:
            versions[table], files[table] = None, []
            continue
        if pending:
            dt, recent = lake.history(table, _HISTORY)
            started = [h["version"] for h in recent if h.get("newsetl.run_id") in pending]
            if started:
                cut = min(started) - 1
                runs -= {h.get("newsetl.run_id") for h in recent if h["version"] > cut}
                dt = lake.table(table, cut) if cut >= 0 else None
        versions[table] = dt.version() if dt is not None else None
        files[table] = sorted(dt.file_uris()) if dt is not None else []
    return Snapshot(versions, files, runs, None if when is None else when.isoformat())


def _replacing_runs(lake: Lakehouse) -> set[str]:
    """Runs publishing replaced days right now (their manifest is written, their runs row not yet)."""
    out = set()
    folder = lake.path(BOOK, "commits")
    if lake.fs.exists(folder):
        for path in lake.fs.ls(folder, detail=False):
            if path.endswith(".json"):
                try:
                    manifest = json.loads(lake.fs.cat_file(path))
                except (FileNotFoundError, ValueError):
                    continue
                if manifest.get("replace_dates"):
                    out.add(manifest["run_id"])
    return out


def _as_of_time(lake: Lakehouse, as_of: int | str | datetime | None) -> datetime | None:
    """A time to read the tables at: a `runs` version's commit time, or the time given."""
    if as_of is None:
        return None
    if isinstance(as_of, datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    if isinstance(as_of, int) or str(as_of).isdigit():
        runs, entries = lake.history("runs")
        if runs is None:
            raise ValueError("the warehouse has no runs yet")
        for entry in entries:
            if entry["version"] == int(as_of):
                return datetime.fromtimestamp(entry["timestamp"] / 1000, tz=UTC)
        raise ValueError(f"no version {as_of} in the runs table's history")
    parsed = datetime.fromisoformat(str(as_of))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _existed(lake: Lakehouse, table: str, when: datetime) -> bool:
    dt = lake.table(table)
    if dt is None:
        return False
    first = min(h["timestamp"] for h in dt.history())
    return first <= when.timestamp() * 1000
