"""The worker processes that clean, parse and extract: a pool with a clear lifetime.

One pool per process, spawned (safe beside Prefect's threads and delta-rs's runtime, which a fork
would break); started early (`prestart`) so each worker loads the model while the flow scans its
inputs; ended when the last batch using it has its chunks back (`borrowed`), so the workers'
memory (~150 MB each with the model, ~245 at work) is free before the flow validates the last chunk, publishes
and rebuilds the catalog; terminated at once when a signal stops the run. (`newsetl serve` runs
each scheduled flow run in a process of its own: no pool outlives its run.)
"""
from __future__ import annotations

import contextlib
import importlib.util
import multiprocessing
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor

# Packages a worker process does without: LightGBM imports both whenever they are installed (pandas ~37 MB
# a worker, pyarrow ~40 MB at a worker's peak) and takes them for absent when refused;
# a worker writes its tables with nanoarrow instead (warehouse/streams.py)
REFUSED = ("pandas", "pyarrow")


class _Refuse:
    """An import hook for the worker processes: the REFUSED packages are not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".", 1)[0] in REFUSED:
            raise ModuleNotFoundError(f"No module named {name!r} (a worker process does without it)", name=name)
        return None


# Packages whose __init__ imports far more than a worker uses: a worker imports their submodules alone
# (datasketch's imports every sketch it has, its LSH ensembles' scipy.integrate and its Redis storage with
# redis and OpenTelemetry, ~30 MB; a worker computes MinHash signatures with `datasketch.minhash` only)
BARE_PACKAGES = ("datasketch",)


def _bare_package(name: str) -> None:
    """Register package `name` without running its __init__: `import name.sub` then loads that submodule
    (and what it imports) only."""
    if name not in sys.modules and (spec := importlib.util.find_spec(name)) is not None:
        sys.modules[name] = importlib.util.module_from_spec(spec)


def _warm() -> None:
    if not any(name in sys.modules for name in REFUSED):
        sys.meta_path.insert(0, _Refuse())
    for name in BARE_PACKAGES:
        _bare_package(name)
    from flows.nlp import get_nlp

    get_nlp()


class WorkerPool:
    """A lazily started pool of `size` spawned worker processes."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None
        self._size = 0
        self._users = 0  # batches using the pool now (a backfill's days run side by side)
        self._lock = threading.Lock()
        self.stopped = False  # terminate() ended the pool: waits on it end with the stop, not an error

    def executor(self, size: int) -> ProcessPoolExecutor:
        """The pool with `size` workers (restarted when the size changes)."""
        with self._lock:
            self.stopped = False
            if self._executor is None or self._size != size:
                if self._executor is not None:
                    self._executor.shutdown(cancel_futures=True)
                self._executor = ProcessPoolExecutor(max_workers=size, initializer=_warm,
                                                     mp_context=multiprocessing.get_context("spawn"))
                self._size = size
            return self._executor

    def prestart(self, size: int) -> None:
        """Start the workers now (each loads the model): processes are spawned on demand, so one trivial call each."""
        if self._executor is None or self._size != size:
            executor = self.executor(size)
            for _ in range(size):
                executor.submit(int)

    def running(self, size: int) -> bool:
        """The pool is started with `size` workers (a chunk of any size goes to them)."""
        with self._lock:
            return self._executor is not None and self._size == size

    def submit(self, size: int, fn, *args) -> Future:
        return self.executor(size).submit(fn, *args)

    @contextlib.contextmanager
    def borrowed(self):
        """The pool for one batch's processing: when the last batch using it is done, the workers end
        (a chunk still queued after a failure is finished first, as it would have been)."""
        with self._lock:
            self._users += 1
        try:
            yield self
        finally:
            with self._lock:
                self._users -= 1
                executor = self._executor if self._users == 0 else None
                if executor is not None:
                    self._executor = None
            if executor is not None:
                executor.shutdown(wait=True)

    def shutdown(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(cancel_futures=True)
                self._executor = None

    def terminate(self) -> None:
        """Stop the workers now, mid-chunk (a signal is stopping the run)."""
        with self._lock:
            self.stopped = True
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
        for child in multiprocessing.active_children():
            child.terminate()


POOL = WorkerPool()  # the process's pool
