"""The DuckDB catalog: <warehouse>/newsetl.duckdb with a view per table and the analytic views."""
from __future__ import annotations

import os
from importlib import resources

from warehouse.schemas import COLUMNS, PARTITION, TABLES, schema

ANALYTIC_VIEWS = ("figure_claims", "entity_mentions", "daily_articles")
_DUCK_TYPES = {"string": "VARCHAR", "int64": "BIGINT", "int32": "INTEGER", "double": "DOUBLE", "bool": "BOOLEAN",
               "timestamp[us, tz=UTC]": "TIMESTAMPTZ"}
_VIEW_DOCS = {
    "articles": "One row per published article: cleaned body and metadata.",
    "removed_segments": "What the cleaner removed from each article, and why.",
    "entities": "Named-entity mentions with canonical names; offsets index into articles.body.",
    "figures": "Numeric claims (FIGURES.md); offsets index into articles.body.",
    "quarantine": "Inputs and rows that were not published, with the reason.",
    "runs": "One row per pipeline run.",
    "figure_claims": "One row per figure with the article's title, source, url, date and sentence.",
    "entity_mentions": "Per canonical entity: label, articles, mentions, first and last seen.",
    "daily_articles": "Articles and body words per batch date and source.",
}


# Columns of the analytic views that are not a base table's column of the same name.
_DERIVED_DOCS = {
    "figure_text": "the figure as written, qualifier included",
    "articles": "number of distinct articles",
    "mentions": "number of mentions",
    "first_seen": "first batch date it appears in",
    "last_seen": "last batch date it appears in",
    "body_words": "words in the cleaned bodies",
    PARTITION: "batch date (hive partition)",
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def base_view_sql(table: str, glob: str | None) -> str:
    """A view over a table's Parquet files, or an empty typed view before the first write."""
    if glob:
        return (f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet({_quote(glob)}, "
                f"hive_partitioning = true, union_by_name = true, hive_types = {{'{PARTITION}': DATE}})")
    cols = [f"CAST(NULL AS {_DUCK_TYPES[str(f.type)]}) AS {f.name}" for f in schema(table)]
    return f"CREATE OR REPLACE VIEW {table} AS SELECT {', '.join(cols)}, CAST(NULL AS DATE) AS {PARTITION} WHERE false"


def view_statements(globs: dict[str, str | None]) -> list[str]:
    """Every CREATE VIEW and COMMENT ON statement of the catalog, in order."""
    out = [base_view_sql(t, globs.get(t)) for t in TABLES]
    out += [resources.files("warehouse").joinpath(f"sql/{v}.sql").read_text("utf-8") for v in ANALYTIC_VIEWS]
    for view, doc in _VIEW_DOCS.items():
        out.append(f"COMMENT ON VIEW {view} IS {_quote(doc)}")
    for table, cols in COLUMNS.items():
        for name, (_, doc) in cols.items():
            out.append(f"COMMENT ON COLUMN {table}.{name} IS {_quote(doc)}")
        out.append(f"COMMENT ON COLUMN {table}.{PARTITION} IS 'batch date (hive partition)'")
    return out


def column_doc(column: str) -> str:
    """The comment of an analytic view's column: derived, or that of the base column it passes through."""
    if column in _DERIVED_DOCS:
        return _DERIVED_DOCS[column]
    for table in ("figures", "articles", "entities"):
        if column in COLUMNS[table]:
            return COLUMNS[table][column][1]
    raise KeyError(f"analytic view column {column!r} has no documentation")


def _comment_analytic_columns(con) -> None:
    for view in ANALYTIC_VIEWS:
        for (column,) in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                     "ORDER BY ordinal_position", [view]).fetchall():
            con.execute(f"COMMENT ON COLUMN {view}.{column} IS {_quote(column_doc(column))}")


def write_catalog(db_path: str, globs: dict[str, str | None]) -> None:
    """Build the catalog in a temporary file and swap it in, so open readers never see it half-made."""
    import duckdb

    tmp = db_path + ".tmp"
    for leftover in (tmp, tmp + ".wal"):
        if os.path.exists(leftover):
            os.remove(leftover)
    con = duckdb.connect(tmp)
    try:
        for stmt in view_statements(globs):
            con.execute(stmt)
        _comment_analytic_columns(con)
    finally:
        con.close()
    os.replace(tmp, db_path)


def connect(db_path: str, read_only: bool = True):
    """A DuckDB connection to the catalog."""
    import duckdb

    return duckdb.connect(db_path, read_only=read_only)
