"""Leases: a run holds one while it works (`_newsetl/leases/<run>.json`, renewed in the background); a lease
not renewed for LEASE_TTL_S belongs to a dead run, whose work the next command completes or discards."""
from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Protocol

HEARTBEAT_S = 10.0           # a running command renews its lease this often
LEASE_TTL_S = 180.0          # a lease not renewed for this long belongs to a dead run
BOOK = "_newsetl"            # our bookkeeping beside the tables; the leading underscore keeps Delta and Spark out
INPUTS = "inputs"            # _newsetl/inputs/<digest of an input root>.parquet: what each file held when last read


class _Warehouse(Protocol):
    """What the lease methods use of the Lakehouse they are part of."""

    fs: Any

    def path(self, *parts: str) -> str: ...
    def _ls(self, path: str, suffix: str = "") -> list[str]: ...
    def _write_json(self, path: str, payload: dict) -> None: ...
    def _leases(self: _Warehouse) -> tuple[set[str], set[str]]: ...
    def apply(self, manifest: dict) -> None: ...
    def discard(self, run_id: str) -> None: ...
    def _sweep_partial_writes(self: _Warehouse, live: set[str]) -> None: ...


class LeaseMixin:
    """The lease and recovery methods of `warehouse.lake.Lakehouse` (its fs, paths and commits)."""

    @contextlib.contextmanager
    def lease(self: _Warehouse, run_id: str) -> Iterator[None]:
        """Hold a lease on the warehouse while a run works: renewed in the background, released at the end."""
        path = self.path(BOOK, "leases", f"{run_id}.json")
        started = datetime.now(UTC).isoformat()
        stop = threading.Event()

        def renew() -> None:
            self._write_json(path, {"run_id": run_id, "host": socket.gethostname(), "pid": os.getpid(),
                                    "started_at": started, "renewed_at": time.time()})

        renew()

        def beat() -> None:
            while not stop.wait(HEARTBEAT_S):
                with contextlib.suppress(OSError):
                    renew()

        thread = threading.Thread(target=beat, name=f"lease-{run_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=HEARTBEAT_S)
            with contextlib.suppress(OSError, FileNotFoundError):
                self.fs.rm(path)

    def recover(self: _Warehouse) -> list[str]:
        """Complete the commits of dead runs that had started them; discard the staging of the others.

        Returns what was done, one line each."""
        live, dead = self._leases()
        done = []
        for manifest_path in self._ls(self.path(BOOK, "commits"), ".json"):
            manifest = json.loads(self.fs.cat_file(manifest_path))
            run_id = manifest["run_id"]
            if run_id in live:
                continue
            self.apply(manifest)
            self.fs.rm(manifest_path)
            self.discard(run_id)
            done.append(f"completed the publish of run {run_id}")
        for staging in self._ls(self.path(BOOK, "staging")):
            run_id = staging.rstrip("/").rsplit("/", 1)[-1]
            if run_id not in live and not self.fs.exists(self.path(BOOK, "commits", f"{run_id}.json")):
                self.fs.rm(staging, recursive=True)
                done.append(f"discarded what run {run_id} staged")
        for run_id in dead:
            with contextlib.suppress(FileNotFoundError, OSError):
                self.fs.rm(self.path(BOOK, "leases", f"{run_id}.json"))
        self._sweep_partial_writes(live)
        return done

    def _sweep_partial_writes(self: _Warehouse, live: set[str]) -> None:
        """Remove the files a killed process was writing beside their names (`<name>.<pid>-<thread>.tmp`, local
        disks only): a manifest's of a run that is not live, any other once older than a lease lives."""
        for folder in ("commits", "leases", INPUTS):
            path = self.path(BOOK, folder)
            if not self.fs.exists(path):
                continue
            for tmp in self.fs.ls(path, detail=True):
                name = tmp["name"]
                if not name.endswith(".tmp"):
                    continue
                run_id = name.rsplit("/", 1)[-1].split(".json.", 1)[0]
                stale = (folder == "commits" and run_id not in live) \
                    or time.time() - float(tmp.get("mtime") or time.time()) > LEASE_TTL_S
                if stale:
                    with contextlib.suppress(FileNotFoundError, OSError):
                        self.fs.rm(name)

    def _leases(self: _Warehouse) -> tuple[set[str], set[str]]:
        live: set[str] = set()
        dead: set[str] = set()
        for path in self._ls(self.path(BOOK, "leases"), ".json"):
            try:
                lease = json.loads(self.fs.cat_file(path))
            except (FileNotFoundError, ValueError):
                continue
            (live if time.time() - lease.get("renewed_at", 0) < LEASE_TTL_S else dead).add(lease["run_id"])
        return live, dead
