"""`newsetl report`: one static, offline HTML page about the warehouse (no CDN, no network).

The data is queried with DuckDB from the catalog views and embedded as JSON; a small inline
script draws the charts as SVG, so the page works from a file:// URL or any static host.
"""
from __future__ import annotations

import html
import json
import os
from importlib import resources

from warehouse.catalog import CATALOG

QUERIES = {
    "articles_by_day": """SELECT batch_date::VARCHAR AS day, coalesce(source_name, '(unknown)') AS source,
                                 count(*) AS articles
                          FROM articles GROUP BY ALL ORDER BY day, articles DESC""",
    "top_entities": """SELECT canonical, label, articles, mentions FROM entity_mentions
                       ORDER BY articles DESC, mentions DESC LIMIT 20""",
    "figures_over_time": """SELECT batch_date::VARCHAR AS day, unit, coalesce(subject, '') AS subject,
                                   count(*) AS claims, median(value) AS median_value
                            FROM figure_claims GROUP BY ALL ORDER BY claims DESC LIMIT 40""",
    "quarantine_reasons": """SELECT stage, split_part(reason, ':', 1) AS reason, count(*) AS rows
                             FROM quarantine GROUP BY ALL ORDER BY rows DESC LIMIT 20""",
    "last_runs": """SELECT run_id, flow, status, started_at::VARCHAR AS started_at, files_seen, articles_published,
                           rows_quarantined, validation_success FROM runs ORDER BY started_at DESC LIMIT 10""",
    "disputed": """SELECT g.group_id, g.measure, g.unit, g.place, g.first_seen::VARCHAR AS first_seen,
                          g.last_seen::VARCHAR AS last_seen, g.n_sources, g.low, g.high,
                          list({'value': c.value, 'qualifier': c.qualifier, 'attributed_to': c.attributed_to,
                                'source_name': c.source_name, 'date': coalesce(CAST(a.published_at AS DATE),
                                a.batch_date)::VARCHAR} ORDER BY c.value) AS claims
                   FROM claim_groups AS g, unnest(g.claims) AS u(c)
                   JOIN articles AS a ON a.article_id = c.article_id
                   WHERE g.disputed
                   GROUP BY ALL ORDER BY n_sources DESC, first_seen LIMIT 20""",
}


def build(warehouse: str) -> str:
    """Write <warehouse>/report/index.html from the catalog; returns its path."""
    import duckdb

    db = os.path.join(warehouse, CATALOG)
    con = duckdb.connect(db, read_only=True)
    try:
        data = {}
        for name, sql in QUERIES.items():
            cur = con.execute(sql)
            cols = [d[0] for d in cur.description]
            data[name] = [dict(zip(cols, row, strict=False)) for row in cur.fetchall()]
    finally:
        con.close()
    docs = os.path.join(warehouse, "gx", "uncommitted", "data_docs", "local_site", "index.html")
    page = render(data, os.path.relpath(docs, os.path.join(warehouse, "report")) if os.path.exists(docs) else None)
    out_dir = os.path.join(warehouse, "report")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "index.html")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(page)
    os.replace(tmp, path)
    return path


def render(data: dict, docs_href: str | None) -> str:
    """The page: embedded data, the inline chart script, tables for the runs and quarantine."""
    template = resources.files("warehouse").joinpath("report/template.html").read_text("utf-8")
    payload = json.dumps(data, default=str).replace("</", "<\\/")
    runs = data["last_runs"]
    last = runs[0] if runs else None
    summary = ("no runs yet" if last is None else
               f"last run {html.escape(str(last['run_id']))}: {html.escape(str(last['status']))}, "
               f"{last['articles_published']} articles published, {last['rows_quarantined']} rows quarantined, "
               f"validation {'passed' if last['validation_success'] else 'FAILED'}")
    link = f'<a href="{html.escape(docs_href)}">Great Expectations Data Docs</a>' if docs_href else "no Data Docs yet"
    return (template.replace("{{DATA}}", payload).replace("{{SUMMARY}}", summary).replace("{{DOCS}}", link))
