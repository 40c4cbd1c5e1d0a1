"""Great Expectations suites from the JSON files beside this module, run over a batch's tables.

An expectation's meta.scope says what a failure means: "row" quarantines the failing rows,
"table" blocks the whole batch. Data Docs are built into <gx_root>/gx when a root is given.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from importlib import resources

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


def validate(frames: dict, gx_root: str | None = None) -> Report:
    """Run every suite over its frame (pandas DataFrames with a RangeIndex)."""
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = _context(gx, gx_root)
    source = _get_or_add(context.data_sources, "newsetl", lambda: context.data_sources.add_pandas(name="newsetl"))
    report = Report()
    for name in SUITES:
        frame = frames.get(name)
        if frame is None or frame.empty:
            continue
        result = _run_suite(gx, context, source, name, frame)
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
    if gx_root is not None:
        context.build_data_docs()
        report.docs_path = f"{gx_root}/gx/uncommitted/data_docs/local_site/index.html"
    return report


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


def _run_suite(gx, context, source, name: str, frame) -> dict:
    suite_json = load_suite(name)
    try:
        context.suites.delete(name)
    except Exception:  # not there yet
        pass
    suite = context.suites.add(gx.ExpectationSuite(**suite_json))
    asset = _asset(source, name)
    batch_def = _batch_definition(asset)
    vd_name = f"newsetl_{name}"
    try:
        context.validation_definitions.delete(vd_name)
    except Exception:
        pass
    vd = context.validation_definitions.add(gx.ValidationDefinition(name=vd_name, data=batch_def, suite=suite))
    cp_name = f"newsetl_{name}"
    try:
        context.checkpoints.delete(cp_name)
    except Exception:
        pass
    actions = [gx.checkpoint.UpdateDataDocsAction(name="docs")] if context.__class__.__name__ == "FileDataContext" else []
    checkpoint = context.checkpoints.add(gx.Checkpoint(name=cp_name, validation_definitions=[vd], actions=actions,
                                                       result_format={"result_format": "COMPLETE"}))
    result = checkpoint.run(batch_parameters={"dataframe": frame})
    (only,) = result.run_results.values()
    return only.to_json_dict()


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
