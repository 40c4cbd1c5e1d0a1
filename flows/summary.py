"""What a run did: its summary (printed by the CLI, stored in `runs`, a Prefect artifact), the validated
chunks' sum and the seconds per stage."""
from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import pyarrow as pa


@dataclass
class RunSummary:
    """What a run did; the CLI prints it and the `runs` table stores it."""

    run_id: str
    flow: str
    status: str = "published"
    reason: str | None = None
    retry_later: bool = False
    files_seen: int = 0
    articles_published: int = 0
    rows_quarantined: int = 0
    validation_success: bool = True
    counts: dict = field(default_factory=dict)
    quarantine_reasons: dict = field(default_factory=dict)
    docs_path: str | None = None
    stage_seconds: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def ok(self) -> bool:
        return self.status in ("published", "nothing_new")

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Outcome:
    """What the validated chunks add up to."""

    success: bool = True
    validations: int = 0
    blocking: list = field(default_factory=list)
    articles: int = 0
    quarantined: int = 0
    reasons: dict = field(default_factory=lambda: defaultdict(int))
    counts: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, tables: dict[str, pa.Table], report: dict, counts: dict) -> None:
        self.validations += 1
        self.success = self.success and report["success"]
        self.blocking += [b for b in report["blocking"] if b not in self.blocking]
        if "articles" in tables:
            self.articles += tables["articles"].num_rows
        for table, n in counts.items():
            self.counts[table] += n
        if "quarantine" in tables:
            self.quarantined += tables["quarantine"].num_rows
            for reason in tables["quarantine"].column("reason").to_pylist():
                self.reasons[reason.split(":")[0]] += 1


def final_state(data: dict | list[dict]):
    """What a flow returns: its summary, or a day's summaries. When a batch failed, a Failed state that
    carries them: Prefect records the flow run as failed with the one-line reason (what its UI, automations
    and a served deployment's history show), and the caller still gets every count (`summary_of`)."""
    from prefect.states import Failed

    rows = data if isinstance(data, list) else [data]
    failed = [r for r in rows if r["status"] == "failed"]
    if not failed:
        return data
    reasons = [r.get("reason") or "failed" for r in failed]
    if isinstance(data, list):
        days = [f"{r['params'].get('batch_date', '?')}: {reason}" for r, reason in zip(failed, reasons, strict=True)]
        return Failed(message=f"{len(failed)} of {len(rows)} days failed: " + "; ".join(days), data=data)
    return Failed(message=reasons[0], data=data)


def summary_of(state):
    """A flow run's summary from its final state (`return_state=True`): a failed batch's state carries it;
    a flow that raised (a bug, a crash) raises that exception here."""
    data = state.result(raise_on_failure=False)
    if isinstance(data, BaseException):
        raise data
    return data


class Clock:
    """Seconds per stage of a run: wall seconds of the flow's own stages, CPU seconds of the workers' (cpu)."""

    def __init__(self, seconds: dict):
        self.seconds = seconds

    @contextlib.contextmanager
    def __call__(self, stage: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + time.perf_counter() - t0, 3)

    def add(self, seconds: dict[str, float]) -> None:
        """Seconds measured elsewhere (CPU seconds of the worker processes, summed over them)."""
        for stage, sec in seconds.items():
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + sec, 3)


def artifact(summary: RunSummary) -> None:
    """A markdown artifact on the flow run: counts per table and stage, quarantine reasons, validation."""
    from prefect.artifacts import create_markdown_artifact

    lines = [f"# newsetl {summary.flow} run: {summary.status}", "",
             f"{summary.files_seen} files seen, {summary.articles_published} articles published, "
             f"{summary.rows_quarantined} rows quarantined.", "",
             f"Validation: {'passed' if summary.validation_success else 'FAILED'}"
             + (f" - {summary.reason}" if summary.reason else "")
             + (f" (Data Docs: `{summary.docs_path}`)" if summary.docs_path else ""), "",
             "| table | rows |", "|---|---|", *(f"| {t} | {n} |" for t, n in sorted(summary.counts.items())), "",
             "| stage | seconds |", "|---|---|", *(f"| {k} | {v:.1f} |" for k, v in summary.stage_seconds.items()), ""]
    if summary.quarantine_reasons:
        lines += ["| quarantine reason | rows |", "|---|---|",
                  *(f"| {r} | {n} |" for r, n in sorted(summary.quarantine_reasons.items(), key=lambda kv: -kv[1]))]
    create_markdown_artifact("\n".join(lines), key=f"newsetl-{summary.flow}", description="newsetl run summary")
