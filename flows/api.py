"""The Prefect API a command talks to: the server PREFECT_API_URL names, or a temporary one.

Without PREFECT_API_URL, Prefect's client starts a temporary server itself, but only when the flow
begins, and only after importing the whole server application into this process (about 6 s and
~100 MB that the command never uses). `temporary_server()` starts the same server instead, in its
first second: uvicorn on Prefect's app factory with the environment Prefect gives it (no UI,
ephemeral, the database under PREFECT_HOME), without automations and with two malloc arenas
(SERVER_ENV), and points Prefect at it through PREFECT_API_URL before Prefect is imported. The server
boots in its own process while this one imports the pipeline and opens the warehouse; `wait()` comes
before the flow; it stops when the command exits.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

PORT_IN_USE = 3  # uvicorn's exit status when it cannot bind
# The temporary server's environment (the user's own values win): no automations. Their services (triggers
# and the actions they fire) load at start-up, ~0.45 s of the ~4 s before the server answers, and
# nothing could define an automation for a server that lives as long as one command; a named server
# (PREFECT_API_URL) runs them.
# And two malloc arenas (glibc): the server's threads (uvicorn's loop, the services', the database's
# worker threads) each took an arena of their own that keeps what it freed: 253 -> 221 MB at the end of
# a 4,000-article run, the same run time.
SERVER_ENV = {"PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false", "MALLOC_ARENA_MAX": "2"}


class ServerError(RuntimeError):
    """The temporary Prefect server did not come up: one line, with what it printed."""


class TemporaryServer:
    """One Prefect server process for this command, on a free local port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        env = {**SERVER_ENV, **os.environ,
               "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        env.pop("PREFECT_API_URL", None)
        self.proc: subprocess.Popen | None = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app", "--host",
             "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL, preexec_fn=_end_with_parent if sys.platform == "linux" else None)

    def wait(self, timeout_s: float) -> None:
        """Return when the server answers /health; ServerError when it exits or stays silent for timeout_s."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                code = None if self.proc is None else self.proc.returncode
                why = f"port {self.port} was taken" if code == PORT_IN_USE else f"it exited with status {code}"
                raise ServerError(f"the temporary Prefect server did not start: {why}; run the command again, "
                                  "or start one (prefect server start) and set PREFECT_API_URL")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                if response.status == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"the temporary Prefect server did not answer within {timeout_s:.0f} s "
                          "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s): what it recorded stays in its database."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def temporary_server() -> TemporaryServer | None:
    """Start a temporary server and point PREFECT_API_URL at it, unless that names a server already.
    Call before Prefect is imported: its settings read the variable once. The server stops when this
    process exits, after Prefect's own exit handlers have sent their last logs and events to it."""
    from flows.settings import apply_prefect_defaults

    if os.environ.get("PREFECT_API_URL"):
        return None
    apply_prefect_defaults()  # the server's process takes them too
    server = TemporaryServer()
    os.environ["PREFECT_API_URL"] = server.url
    os.environ.setdefault("PREFECT_UI_URL", "")  # it serves no UI: no "View at" link to a page that is not there
    atexit.register(server.stop)  # registered before Prefect's handlers, so it runs after them
    return server


def startup_timeout() -> float:
    """How long a temporary server may take to answer (Prefect's own setting, 180 s by default here)."""
    return float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 180)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _end_with_parent() -> None:
    """In the server's process before it starts: the kernel ends it if this command dies (even by SIGKILL)."""
    import ctypes

    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
