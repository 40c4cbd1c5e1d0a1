"""Validation wiring: frames for the GX suites from a batch's Arrow tables, and what their failures do.

A row-scope failure quarantines the failing rows (an article takes its child rows with it); a
table-scope failure blocks the batch.
"""
from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from expectations.loader import validate
from flows.sources import quarantine_row, quarantine_table

_SPANS = ("entities", "figures")
_FRAMES = ("articles", "removed_segments", "quarantine", *_SPANS)
DERIVED = ("article_body_chars", "is_span_exact")  # columns frames() adds to the span tables for the suites


def frames(tables: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    """One DataFrame per table; span tables get the checks the suites need (body length, exact text)."""
    out = {t: tables[t].to_pandas() if t in tables else pd.DataFrame() for t in _FRAMES}
    articles = tables.get("articles")
    bodies = dict(zip(articles.column("article_id").to_pylist(), articles.column("body").to_pylist(), strict=False)) \
        if articles is not None else {}
    for table in _SPANS:
        data = tables.get(table)
        if data is None or data.num_rows == 0:
            continue
        body = [bodies.get(a) for a in data.column("article_id").to_pylist()]
        starts, ends, texts = (data.column(c).to_pylist() for c in ("start_char", "end_char", "text"))
        out[table]["article_body_chars"] = [len(b) if b is not None else -1 for b in body]
        out[table]["is_span_exact"] = [b is not None and b[s:e] == t
                                       for b, s, e, t in zip(body, starts, ends, texts, strict=False)]
    return out


def apply_validation(tables: dict[str, pa.Table], run_id: str, gx_root: str | None, build_docs: bool = True):
    """Run the suites; quarantine failing rows (and an article's children with it); report blocking failures.

    Returns (the tables without the failing rows, quarantine included; a summary)."""
    report = validate(frames(tables), gx_root, build_docs)
    failed: dict[str, dict[int, str]] = defaultdict(dict)
    for failure in report.failures:
        if failure.scope == "row":
            for i in failure.rows:
                failed[failure.table].setdefault(i, failure.reason)
    articles = tables.get("articles")
    where = {}
    if articles is not None:
        where = {a: (u, d) for a, u, d in zip(*(articles.column(c).to_pylist()
                                                  for c in ("article_id", "source_uri", "batch_date")), strict=False)}
    new_quarantine, dropped = [], set()
    for table, rows in failed.items():
        data = tables[table]
        for i, reason in sorted(rows.items()):
            aid = data.column("article_id")[i].as_py() if "article_id" in data.column_names else None
            if table == "articles":
                dropped.add(aid)
            detail = "" if table == "articles" else f" (row seq {data.column('seq')[i].as_py()})"
            uri, day = where.get(aid, (None, None))
            new_quarantine.append(quarantine_row(uri or "?", day or data.column("batch_date")[i].as_py(),
                                                 reason + detail, aid, "validate"))
    out = {}
    for table, data in tables.items():
        bad = failed.get(table, {})
        keep = pa.array([i not in bad for i in range(data.num_rows)], pa.bool_())
        if dropped and table != "quarantine":  # an article's children go with it
            keep = pc.and_(keep, pc.invert(pc.is_in(data.column("article_id"), pa.array(sorted(dropped)))))
        out[table] = data.filter(keep) if bad or dropped else data
    if new_quarantine:
        extra = quarantine_table(new_quarantine, run_id)
        out["quarantine"] = pa.concat_tables([out["quarantine"], extra]) if "quarantine" in out else extra
    summary = {"success": report.success, "docs_path": report.docs_path,
               "blocking": [f.reason for f in report.blocking()], "failures": len(report.failures)}
    return out, summary
