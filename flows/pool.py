"""The worker processes that clean, parse and extract: a pool with a clear lifetime.

One pool per process, spawned (safe beside Prefect's threads and delta-rs's runtime, which a fork
would break), kept while the process lives so that `newsetl serve` loads the model once; started
early (`prestart`) so each worker loads the model while the flow scans its inputs; terminated at
once when a signal stops the run.
"""
from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor


def _warm() -> None:
    from flows.nlp import get_nlp

    get_nlp()


class WorkerPool:
    """A lazily started pool of `size` spawned worker processes."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None
        self._size = 0
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

    def submit(self, size: int, fn, *args) -> Future:
        return self.executor(size).submit(fn, *args)

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
