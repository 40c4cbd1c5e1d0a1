"""Complete rows of every table for warehouse tests (to_table wants every declared column)."""
from __future__ import annotations

from datetime import UTC, datetime

from warehouse.schemas import COLUMNS, PARTITION, to_table

PUBLISHED = datetime(2026, 11, 20, 8, 30, 15, 123456, tzinfo=UTC)


def row(table: str, **values) -> dict:
    """A row of `table`: the given values, every other column null (lists empty)."""
    out = {name: [] if name == "replaced_dates" else None for name in COLUMNS[table]}
    out.update(values)
    out.setdefault(PARTITION, "2026-11-20")
    return out


def article(aid: str, day: str = "2026-11-20", run: str = "r1", **values) -> dict:
    body = values.pop("body", "US troops stay.")
    base = dict(article_id=aid, source_uri=f"/in/{aid}.txt", body=body, raw_chars=len(body) + 8, body_chars=len(body),
                raw_text_chars=len(body) + 6, body_text_chars=len("".join(body.split())), body_words=len(body.split()),
                language="en", input_format="text", run_id=run, pipeline_version="t", batch_date=day)
    return row("articles", **{**base, **values})


def run_row(run: str, day: str = "2026-11-20", status: str = "published", **values) -> dict:
    base = dict(run_id=run, flow="daily", status=status, started_at=PUBLISHED, finished_at=PUBLISHED, files_seen=1,
                articles_published=1, rows_quarantined=0, validation_success=True, params="{}", batch_date=day)
    return row("runs", **{**base, **values})


def tables(**rows_by_table) -> dict:
    """{table: [rows]} as Arrow tables."""
    return {t: to_table(t, rows) for t, rows in rows_by_table.items()}


def publish(lake, run: str, replace_dates=(), day: str = "2026-11-20", status: str = "published", **rows_by_table):
    """Stage and publish a run's rows, with its runs row."""
    staged = lake.stage(run, "0", tables(**rows_by_table)) if rows_by_table else []
    staged += lake.stage(run, "runs", tables(runs=[run_row(run, day, status, replaced_dates=sorted(replace_dates))]))
    lake.publish(run, staged, list(replace_dates))
