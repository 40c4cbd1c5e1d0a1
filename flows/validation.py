"""Validation wiring: frames for the GX suites, and what their failures do to the batch."""
from __future__ import annotations

import pandas as pd

from expectations.loader import validate
from transforms.article import text_chars

_CHILDREN = ("entities", "figures", "removed_segments")


def frames(rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    """One DataFrame per table; span tables get the checks the suites need (body length, exact text)."""
    bodies = {a["article_id"]: a["body"] for a in rows.get("articles", [])}
    out = {t: pd.DataFrame(rows.get(t, [])) for t in ("articles", "removed_segments", "quarantine", *_CHILDREN[:2])}
    if not out["articles"].empty:
        out["articles"]["body_text_chars"] = [text_chars(a["body"]) for a in rows["articles"]]
    for table in ("entities", "figures"):  # from the row dicts: a body column per span row would copy
        df, spans = out[table], rows.get(table, [])  # each body once per span (+540 MB at 500 articles)
        if df.empty:
            continue
        body = [bodies.get(r["article_id"]) for r in spans]
        df["article_body_chars"] = [len(b) if b is not None else -1 for b in body]
        df["is_span_exact"] = [b is not None and b[r["start_char"]:r["end_char"]] == r["text"] for b, r in zip(body, spans)]
    return out


def apply_validation(rows: dict[str, list[dict]], gx_root: str | None, build_docs: bool = True):
    """Run the suites; quarantine failing rows (and an article's children with it); report blocking failures."""
    report = validate(frames(rows), gx_root, build_docs)
    sources = {a["article_id"]: a["source_uri"] for a in rows.get("articles", [])}
    dates = {a["article_id"]: a["batch_date"] for a in rows.get("articles", [])}
    bad_rows: dict[str, dict[int, str]] = {}
    for failure in report.failures:
        if failure.scope == "row":
            for i in failure.rows:
                bad_rows.setdefault(failure.table, {}).setdefault(i, failure.reason)
    quarantine = list(rows.get("quarantine", []))
    dropped_articles = set()
    for table, failed in bad_rows.items():
        for i, reason in failed.items():
            row = rows[table][i]
            aid = row.get("article_id")
            if table == "articles":
                dropped_articles.add(aid)
            detail = "" if table == "articles" else f" (row seq {row.get('seq')})"
            quarantine.append({"source_uri": sources.get(aid, row.get("source_uri", "?")), "article_id": aid,
                               "stage": "validate", "reason": reason + detail,
                               "batch_date": dates.get(aid) or row.get("batch_date")})
    out = {"quarantine": quarantine}
    for table, table_rows in rows.items():
        if table == "quarantine":
            continue
        failed = bad_rows.get(table, {})
        out[table] = [r for i, r in enumerate(table_rows) if i not in failed and r.get("article_id") not in dropped_articles]
    summary = {"success": report.success, "docs_path": report.docs_path,
               "blocking": [f.reason for f in report.blocking()], "failures": len(report.failures)}
    return out, summary
