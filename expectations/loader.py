"""Great Expectations suites from the JSON files beside this module, run over a batch's tables.

An expectation's meta.scope says what a failure means: "row" quarantines the failing rows,
"table" blocks the whole batch. Data Docs are built into <gx_root>/gx when a root is given.
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import logging
import sys
import threading
import types
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

KEEP_RESULTS = 60  # validation results kept per suite (and shown in Data Docs)
SUITES = ("articles", "entities", "figures", "removed_segments", "quarantine")


@dataclass
class Failure:
    """One failed expectation of one table."""

    table: str
    expectation: str
    scope: str
    rows: list[int] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return f"{self.table}: {self.expectation}"


@dataclass
class Report:
    """What validation found across the batch."""

    failures: list[Failure] = field(default_factory=list)
    docs_path: str | None = None
    evaluated: int = 0

    @property
    def success(self) -> bool:
        return not any(f.scope == "table" for f in self.failures)

    def blocking(self) -> list[Failure]:
        return [f for f in self.failures if f.scope == "table"]


def load_suite(name: str) -> dict:
    """The committed JSON of a suite."""
    return json.loads(resources.files("expectations").joinpath(f"{name}.json").read_text("utf-8"))


def describe(exp: dict) -> str:
    """An expectation as a short readable name: expect_x(column)."""
    kw = exp.get("kwargs", {})
    target = kw.get("column") or ",".join(kw.get("column_list", [])) or f"{kw.get('column_A')}>{kw.get('column_B')}"
    return f"{exp['type']}({target})"


def validate(frames: dict, gx_root: str | None = None, build_docs: bool = True) -> Report:
    """Run every suite over its frame (pandas DataFrames with a RangeIndex).

    With a gx_root, results are stored in that file context; Data Docs are built when build_docs
    (a batch validated chunk by chunk builds them once, at the end, with `build_data_docs`).
    """
    suites = _suites(gx_root)
    report = Report()
    for name in SUITES:
        frame = frames.get(name)
        if frame is None or frame.empty:
            continue
        with suites.lock:  # a GX context is not thread-safe (backfill days validate in parallel)
            result = suites.run(name, frame)
        report.evaluated += 1
        for res in result["results"]:
            if not res["success"]:
                cfg = res["expectation_config"]
                rows = [int(i) for i in (res.get("result") or {}).get("unexpected_index_list") or []
                        if not isinstance(i, dict)]
                scope = (cfg.get("meta") or {}).get("scope", "row")
                if scope == "row" and not rows:
                    scope = "table"  # a row rule that cannot name its rows blocks, never passes silently
                report.failures.append(Failure(name, describe(cfg), scope, rows))
    if gx_root is not None and build_docs:
        report.docs_path = build_data_docs(gx_root)
    return report


def build_data_docs(gx_root: str, keep: int = KEEP_RESULTS) -> str:
    """Build the Data Docs of a file context (its newest `keep` results per suite); returns the index path."""
    suites = _suites(gx_root)
    with suites.lock:
        prune_results(gx_root, keep)
        suites.context.build_data_docs()
    return f"{gx_root}/gx/uncommitted/data_docs/local_site/index.html"


def prune_results(gx_root: str, keep: int) -> int:
    """Delete all but the newest `keep` stored validation results per suite (nightly runs add up for years)."""
    base = Path(gx_root) / "gx" / "uncommitted" / "validations"
    removed = 0
    for suite in (base.iterdir() if base.is_dir() else []):
        results = sorted(suite.rglob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in results[keep:]:
            old.unlink(missing_ok=True)
            removed += 1
    return removed


# GX imports the clients of the cloud stores and services it can read whenever they are installed (boto3
# with botocore, Google's storage and BigQuery with gRPC: ~30 MB and ~0.3 s); validation here reads
# DataFrames only. They are refused to GX's own import, which takes them for absent; the rest of the
# process (s3fs's botocore for an S3 warehouse) imports them as usual.
CLOUD_CLIENTS = ("boto3", "botocore", "google", "grpc")


class _WithoutCloudClients:
    """An import hook that refuses CLOUD_CLIENTS to one thread (the one importing GX) and to no other."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in CLOUD_CLIENTS and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"No module named {name!r} (not needed to validate DataFrames)", name=name)
        return None


# GX imports these at the top of expectations and renderers the suites here never run (KL divergence
# against a distribution, its charts): scipy.stats and Altair, ~78 MB of a process and ~1.5 s of the import.
# Each stands in as a _Deferred module until something reads an attribute of it.
DEFERRED = ("scipy.stats", "altair")


class _Deferred(types.ModuleType):
    """Stands in for a module in sys.modules; its first attribute read imports the real module, which
    replaces it there, and takes its namespace (names bound to the stand-in keep working)."""

    _lock = threading.RLock()

    def __getattr__(self, attr: str):
        with self._lock:
            real = sys.modules.get(self.__name__)
            if real is None or real is self:
                sys.modules.pop(self.__name__, None)
                real = importlib.import_module(self.__name__)
                self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def import_gx():
    """Great Expectations, imported (~3 s: a command imports it on a thread while its Prefect server starts)."""
    # GX imports PySpark when it is installed (a dev dependency), which warns on pandas 3. A filter, not
    # catch_warnings: that swaps the whole process's filters, unsafe on a thread.
    warnings.filterwarnings("ignore", "PySpark does not yet fully support", FutureWarning)
    for name in DEFERRED:
        if name not in sys.modules and (spec := importlib.util.find_spec(name)) is not None:
            sys.modules[name] = stand_in = _Deferred(name)
            stand_in.__spec__ = spec  # what importlib.util.find_spec(name) answers meanwhile (None raises)
    hook = _WithoutCloudClients()
    sys.meta_path.insert(0, hook)
    try:
        import great_expectations as gx
    finally:
        sys.meta_path.remove(hook)

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    return gx


class _Suites:
    """A GX context with the committed suites and one checkpoint per table, set up once per process."""

    def __init__(self, gx_root: str | None):
        gx = import_gx()
        self.gx, self.context = gx, _context(gx, gx_root)
        self.source = _get_or_add(self.context.data_sources, "newsetl",
                                  lambda: self.context.data_sources.add_pandas(name="newsetl"))
        self.checkpoints: dict = {}
        self.lock = threading.Lock()

    def run(self, name: str, frame) -> dict:
        if name not in self.checkpoints:
            self.checkpoints[name] = _checkpoint(self.gx, self.context, self.source, name)
        result = self.checkpoints[name].run(batch_parameters={"dataframe": frame})
        (only,) = result.run_results.values()
        return only.to_json_dict()


_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()


def _suites(gx_root: str | None) -> _Suites:
    with _CACHE_LOCK:
        if gx_root not in _CACHE:
            _CACHE[gx_root] = _Suites(gx_root)
        return _CACHE[gx_root]


def _context(gx, gx_root: str | None):
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if gx_root is None:
        context = gx.get_context(mode="ephemeral")
    else:
        context = gx.get_context(mode="file", project_root_dir=gx_root)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _get_or_add(collection, name, add):
    try:
        return collection.get(name)
    except Exception:  # GX raises several types for "not found"
        return add()


def _checkpoint(gx, context, source, name: str):
    """The checkpoint of one table's suite, re-created from the committed JSON."""
    suite_json = load_suite(name)
    with contextlib.suppress(Exception):  # not there yet
        context.suites.delete(name)
    suite = context.suites.add(gx.ExpectationSuite(**suite_json))
    batch_def = _batch_definition(_asset(source, name))
    vd_name = f"newsetl_{name}"
    with contextlib.suppress(Exception):
        context.validation_definitions.delete(vd_name)
    vd = context.validation_definitions.add(gx.ValidationDefinition(name=vd_name, data=batch_def, suite=suite))
    cp_name = f"newsetl_{name}"
    with contextlib.suppress(Exception):
        context.checkpoints.delete(cp_name)
    return context.checkpoints.add(gx.Checkpoint(name=cp_name, validation_definitions=[vd], actions=[],
                                                 result_format={"result_format": "COMPLETE"}))


def _asset(source, name: str):
    try:
        return source.get_asset(name)
    except LookupError:
        return source.add_dataframe_asset(name=name)


def _batch_definition(asset):
    try:
        return asset.get_batch_definition("whole")
    except Exception:
        return asset.add_batch_definition_whole_dataframe("whole")
