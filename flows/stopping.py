"""Stopping a command: SIGTERM (a scheduler) or Ctrl-C ends it within seconds, as SIGKILL would.

The command's work runs in a thread; the main thread only waits and takes the signal. On a
signal the work is asked to stop (the worker processes are terminated, so waits on them end),
given a few seconds, then the process ends hard with every child process (workers, the temporary
Prefect server) killed: nothing of the batch in progress is published, and the warehouse is left
as a SIGKILL leaves it, readable, for the next run to complete or discard.
"""
from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

GRACE_S = 4.0  # how long the work may take to unwind before the process ends hard
EXIT_STATUS = {signal.SIGTERM: 143, signal.SIGINT: 130}
_requested = threading.Event()
_on_stop: list[Callable[[], None]] = []


class Stopped(BaseException):
    """Raised in the work when a stop was requested (a BaseException: no `except Exception` keeps going)."""


def requested() -> bool:
    """Whether a signal asked the command to stop."""
    return _requested.is_set()


def check() -> None:
    """Raise Stopped when a stop was requested: called between units of work."""
    if _requested.is_set():
        raise Stopped()


def on_stop(callback: Callable[[], None]) -> None:
    """Call back (once, from the main thread) when a stop is requested: release what the work waits on."""
    _on_stop.append(callback)


def run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs) in a thread (with this thread's context variables), its result or exception
    handed back; a signal ends the process."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # handed to the main thread as is
            outcome["error"] = exc

    received: list[int] = []

    def handler(signum: int, _frame: Any) -> None:
        received.append(signum)
        _requested.set()

    previous = {s: signal.signal(s, handler) for s in EXIT_STATUS}
    worker = threading.Thread(target=contextvars.copy_context().run, args=(target,), name="newsetl-command",
                              daemon=True)
    worker.start()
    try:
        while worker.is_alive() and not received:
            worker.join(0.2)
        if received:
            _end(received[0], worker)
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _end(signum: int, worker: threading.Thread) -> None:
    """Unwind for at most GRACE_S, then end the process and its children; never returns."""
    logging.disable(logging.CRITICAL)  # what the work prints while it unwinds is noise now
    threading.excepthook = lambda args: None
    for callback in _on_stop:
        with contextlib.suppress(Exception):  # stopping goes on whatever a callback does
            callback()
    worker.join(GRACE_S)
    word = "terminated" if signum == signal.SIGTERM else "interrupted"
    print(f"newsetl: {word}: the batch in progress was not published; the next run takes its inputs again",
          file=sys.__stderr__, flush=True)
    kill_children()
    sys.__stdout__.flush()
    os._exit(EXIT_STATUS[signum])


def kill_children(timeout_s: float = 2.0) -> None:
    """Terminate every process this one started (and theirs), killing those still alive after timeout_s."""
    import psutil

    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=timeout_s)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()
