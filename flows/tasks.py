"""Prefect tasks: thin wrappers over plain functions, retried on I/O only, over chunks of articles."""
from __future__ import annotations

import contextvars
import errno
import functools

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import task_run

from flows import sources
from flows.settings import Settings
from warehouse.lake import Lakehouse, StagedFile, WarehouseError


class Bulk:
    """A large task argument Prefect passes through untouched.

    Prefect walks list and dict arguments looking for futures: seconds for a chunk's rows. An
    object of a plain class is not walked, on the thread runner and on Dask alike.
    """

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


PERMANENT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS})


def transient(task, task_run, state) -> bool:
    """Retry I/O that may pass (OS and network errors), never a deterministic failure."""
    try:
        state.result()
    except (sources.InputError, WarehouseError, ValueError, TypeError, KeyError, PermissionError):
        return False
    except (OSError, TimeoutError, ConnectionError) as exc:
        return getattr(exc, "errno", None) not in PERMANENT_ERRNOS
    except Exception:
        return False
    return False


RAN: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("newsetl_task_runs", default=None)
"""While a command collects them (flows.commands), the ids of the task runs its flow runs in this process."""


def _task(name: str, **options):
    """A Prefect task whose runs are added to RAN's set, when there is one."""
    def wrap(fn):
        @functools.wraps(fn)
        def body(*args, **kwargs):
            _note_run()
            return fn(*args, **kwargs)
        return task(name=name, **options)(body)
    return wrap


def _note_run() -> None:
    """This task run's id into RAN's set, if any (a function of the module: Dask pickles it by name, and
    a ContextVar cannot be pickled)."""
    ran = RAN.get()
    if ran is not None:
        ran.add(str(task_run.id))


_IO = {"retries": 2, "retry_delay_seconds": [1, 5], "retry_condition_fn": transient, "cache_policy": NO_CACHE}


@_task(name="discover inputs", **_IO)
def discover_inputs(input_uri: str, default_date: str, warehouse_uri: str | None = None):
    return sources.discover(input_uri, default_date, warehouse_uri)


@_task(name="read chunk", **_IO)
def read_chunk(files: Bulk):
    docs, bad = [], []
    for f in files.value:
        d, q = sources.read_file(f)
        docs += d
        bad += q
    return docs, bad


@_task(name="clean and extract chunk", cache_policy=NO_CACHE)
def process_chunk(raws: Bulk, templates: Bulk, run_id: str, settings: Settings):
    """Clean, parse and extract a chunk, over settings.n_process worker processes: Arrow tables back."""
    from flows.work import Batching, process_parallel

    batching = Batching(settings.nlp_batch_size, settings.nlp_batch_chars)
    return Bulk(process_parallel(raws.value, templates.value, run_id, settings.n_process, batching))


@_task(name="validate chunk", cache_policy=NO_CACHE)
def validate_chunk(tables: Bulk, run_id: str, gx_root: str | None):
    """Great Expectations over a chunk: failing rows to quarantine, table failures block the batch."""
    from flows.validation import apply_validation

    out, summary = apply_validation(tables.value, run_id, gx_root, build_docs=False)
    return Bulk(out), summary


@_task(name="stage chunk", **_IO)
def stage_chunk(warehouse_uri: str, tables: Bulk, run_id: str, part: str) -> list[StagedFile]:
    return Lakehouse(warehouse_uri).stage(run_id, part, tables.value)


@_task(name="publish batch", **_IO)
def publish_batch(warehouse_uri: str, run_id: str, files: Bulk, replace_dates: list[str], since: int,
                  originals: Bulk) -> None:
    """Commit the staged batch: one transaction per table, the runs row last."""
    Lakehouse(warehouse_uri).publish(run_id, files.value, replace_dates, since, originals.value)


@_task(name="refresh catalog", **_IO)
def refresh_catalog(warehouse_uri: str, retention_hours: float) -> str | None:
    """The DuckDB catalog brought up to date, then the files no retained version needs deleted."""
    from warehouse.catalog import refresh

    lake = Lakehouse(warehouse_uri)
    path = refresh(lake)
    lake.vacuum(retention_hours)
    return path
