"""The DuckDB catalog: a view per table and the analytic views, over one consistent snapshot.

A local warehouse keeps `<warehouse>/newsetl.duckdb`, which holds the rows of the current version
of every table (schema `store`, one DuckDB table per Delta table, kept up to date file by file: a
run reads only the files that changed) and, in `main`, a view per table that shows the rows of
committed runs, plus the analytic views. It holds no path, so `duckdb <warehouse>/newsetl.duckdb`
works from any folder, and after the warehouse is copied or moved (DuckDB resolves a view's file
paths against the working folder, so views over the Parquet files could not). It is rebuilt in a
copy and swapped in: open readers keep the version they opened.

An object-store warehouse, and any time travel, is read in place: an in-memory DuckDB with the same
views over the snapshot's files (through fsspec: DuckDB's own extensions cannot be downloaded here).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections import defaultdict
from importlib import resources
from pathlib import Path

import pyarrow as pa

from warehouse.lake import BOOK, Lakehouse
from warehouse.schemas import COLUMNS, PARTITION, TABLES, table_schema
from warehouse.snapshot import Snapshot, take

CATALOG = "newsetl.duckdb"
ANALYTIC_VIEWS = ("figure_claims", "claim_groups", "entity_mentions", "daily_articles")
STORE = "store"
_MEMBERS = pa.schema([("article_id", pa.string()), ("seq", pa.int32()), ("group_id", pa.string()),
                      ("measure", pa.string()), ("unit_class", pa.string()), ("place", pa.string())])
CATALOG_MEMORY = "256MB"  # DuckDB's memory limit while the catalog is brought up to date
_VIEW_DOCS = {
    "articles": "One row per published article: cleaned body and metadata.",
    "removed_segments": "What the cleaner removed from each article, and why.",
    "entities": "Named-entity mentions with canonical names; offsets index into articles.body.",
    "figures": "Numeric claims (docs/figures.md); offsets index into articles.body.",
    "quarantine": "Inputs and rows that were not published, with the reason.",
    "runs": "One row per pipeline run.",
    "figure_claims": "One row per figure with the article's title, source, url, date and sentence.",
    "entity_mentions": "Per canonical entity: label, articles, mentions, first and last seen.",
    "daily_articles": "Articles and body words per batch date and source.",
    "claim_groups": "Figures stating the same quantity (measure, unit, place, within 31 days) in more than one "
                    "article, their claims side by side, and whether they dispute each other.",
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
    "group_id": "claim group: figures of one measure, unit and place within 31 days (null: no group)",
    "n_claims": "figures in the group",
    "n_sources": "distinct articles in the group, a near-copy counted once with its original",
    "low": "smallest value claimed",
    "high": "largest value claimed (upper ends of ranges included)",
    "disputed": "true when no single value satisfies every claim, read through its qualifier",
    "claims": "every claim: value, qualifier, attributed_to, source_name, title, article_id",
    "unit": "the unit most claims of the group use",
}


def refresh(lake: Lakehouse) -> str | None:
    """Bring a local warehouse's catalog up to the current snapshot; returns its path (None on an object store)."""
    if not lake.is_local:
        return None
    db_path = lake.path(CATALOG)
    with _locked(lake.path(BOOK, "catalog.lock")):  # a command's snapshot is never older than the catalog it replaces
        snapshot = take(lake)
        stamp = _stamp(snapshot)
        if _stamp_of(db_path) == stamp:  # nothing was published since (a run that found nothing new): keep it
            return db_path
        tmp = db_path + ".tmp"
        for leftover in (tmp, tmp + ".wal"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(leftover)
        if os.path.exists(db_path):
            shutil.copyfile(db_path, tmp)
        import duckdb

        con = duckdb.connect(tmp)
        try:
            # DuckDB's default cache (80% of RAM) kept every copied row: the flow's process grew by ~460 MB
            # copying 20,000 articles' rows, ~310 MB under this limit (it writes blocks out, spills if need be)
            con.execute(f"SET memory_limit = '{CATALOG_MEMORY}'")
            _sync_store(con, lake, snapshot)
            con.execute("BEGIN TRANSACTION")  # the views and ~200 comments in one commit (0.8 s one at a time)
            _views(con, f"{STORE}.")
            con.execute(f"CREATE OR REPLACE TABLE {STORE}._stamp AS SELECT ? AS stamp", [stamp])
            con.execute("COMMIT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    return db_path


def _stamp(snapshot: Snapshot) -> str:
    """What a catalog was built from: the snapshot (table versions, files, visible runs) and the code that
    builds it (this module, the schemas, the views' SQL, the claim grouping and its options), so a newer
    newsetl rebuilds an older catalog."""
    digest = hashlib.sha256(json.dumps([snapshot.versions, snapshot.files, sorted(snapshot.runs)]).encode())
    here = Path(__file__)
    for source in (here, here.with_name("schemas.py"), *sorted(here.with_name("sql").glob("*.sql"))):
        digest.update(source.read_bytes())
    digest.update(_grouping_code().encode())
    return digest.hexdigest()


def _stamp_of(db_path: str) -> str | None:
    """The stamp a catalog file was built with; None when there is none (or no readable file)."""
    if not os.path.exists(db_path):
        return None
    import duckdb

    try:
        con = duckdb.connect(db_path, read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(f"SELECT stamp FROM {STORE}._stamp").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


def connect(lake: Lakehouse, as_of=None):
    """A DuckDB connection where every table and analytic view is a name: the catalog file of a local
    warehouse (read-only), else an in-memory database over the snapshot's files."""
    import duckdb

    if lake.is_local and as_of is None and os.path.exists(lake.path(CATALOG)):
        return duckdb.connect(lake.path(CATALOG), read_only=True)
    return in_memory(lake, take(lake, as_of))


def in_memory(lake: Lakehouse, snapshot: Snapshot):
    """An in-memory DuckDB with the views over a snapshot's data files, read in place."""
    import duckdb

    con = duckdb.connect()
    if not lake.is_local:
        con.register_filesystem(lake.fs)
    con.execute(f"CREATE SCHEMA {STORE}")
    for table in TABLES:
        files = snapshot.files[table]
        if files:
            listed = ", ".join(_quote(f) for f in files)
            con.execute(f"CREATE VIEW {STORE}.{table} AS SELECT * FROM read_parquet([{listed}], "
                        "hive_partitioning = true, "
                        f"union_by_name = true, hive_types = {{'{PARTITION}': DATE}})")
        else:
            con.register(f"_empty_{table}", pa.table({f.name: pa.array([], f.type) for f in table_schema(table)}))
            con.execute(f"CREATE VIEW {STORE}.{table} AS SELECT * FROM _empty_{table}")
    _visible_runs(con, snapshot)
    _claim_members(con)
    _views(con, f"{STORE}.", exclude_file=False)
    return con


def _sync_store(con, lake: Lakehouse, snapshot: Snapshot) -> None:
    """The catalog's copy of every table: rows of files no longer current deleted, of new files added."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {STORE}")
    for table in TABLES:
        root = lake.table_uri(table).rstrip("/") + "/"
        _ensure_table(con, table)
        have = {f for (f,) in con.execute(f"SELECT DISTINCT _file FROM {STORE}.{table}").fetchall()}
        current = {f[len(root):] if f.startswith(root) else f for f in snapshot.files[table]}
        gone = sorted(have - current)
        if gone:
            con.execute(f"DELETE FROM {STORE}.{table} WHERE _file IN (SELECT unnest(?))", [gone])
        new = sorted(current - have)
        if new:
            listed = ", ".join(_quote(root + f) for f in new)
            con.execute(f"INSERT INTO {STORE}.{table} BY NAME SELECT * EXCLUDE (filename), "
                        f"substr(filename, {len(root) + 1}) AS _file FROM read_parquet([{listed}], filename = true, "
                        f"hive_partitioning = true, union_by_name = true, hive_types = {{'{PARTITION}': DATE}})")
    _visible_runs(con, snapshot)
    _claim_members(con, incremental=True)


def _claim_members(con, incremental: bool = False) -> None:
    """The claim group of every figure of the visible runs (transforms.compare.claims), kept in the store.

    Groups form within a key (measure, unit class, place), so `incremental` regroups only the keys
    whose claims changed: the claims grouped last time (`store.claims`: a figure's key parts and day)
    are compared with the current ones in SQL, and only the figures of a changed key come to Python.
    A catalog grouped by other code (or none yet) is regrouped whole."""
    from transforms.compare.claims import group_ids, unit_class

    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _claims AS
        SELECT f.article_id, f.seq, f.measure, f.kind, f.unit, f.place,
               coalesce(CAST(a.published_at AS DATE), f.batch_date) AS day
        FROM {STORE}.figures AS f JOIN {STORE}.articles AS a USING (article_id, run_id)
        WHERE f.run_id IN (SELECT run_id FROM {STORE}._visible_runs) AND f.measure IS NOT NULL
          AND f.place IS NOT NULL""")
    code = _grouping_code()
    whole = not incremental or _stored_code(con) != code
    if whole:
        con.execute(f"CREATE OR REPLACE TABLE {STORE}.claims AS SELECT * FROM _claims LIMIT 0")
        con.register("_no_members", _MEMBERS.empty_table())
        con.execute(f"CREATE OR REPLACE TABLE {STORE}.claim_members AS FROM _no_members")
        con.unregister("_no_members")
        con.execute(f"CREATE OR REPLACE TABLE {STORE}._claims_code AS SELECT ? AS code", [code])
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _gone AS SELECT * FROM {STORE}.claims EXCEPT SELECT * FROM _claims;
        CREATE OR REPLACE TEMP TABLE _new AS SELECT * FROM _claims EXCEPT SELECT * FROM {STORE}.claims""")
    changed = {(m, unit_class(k, u), p) for m, k, u, p in con.execute(
        "SELECT DISTINCT measure, kind, unit, place FROM (FROM _gone UNION ALL FROM _new)").fetchall()}
    if not changed:
        return
    rows = con.execute("""
        SELECT article_id, seq, measure, kind, unit, place, day FROM _claims
        WHERE (measure, place) IN (SELECT DISTINCT measure, place FROM (FROM _gone UNION ALL FROM _new))""").fetchall()
    claims = [(a, s, m, c, p, d) for a, s, m, k, u, p, d in rows if (m, c := unit_class(k, u), p) in changed]
    groups = group_ids(claims)
    articles = defaultdict(set)
    for (article_id, _), group in groups.items():
        articles[group].add(article_id)
    key = {(a, s): (m, c, p) for a, s, m, c, p, _ in claims}
    members = [(a, s, g, *key[(a, s)]) for (a, s), g in groups.items() if len(articles[g]) > 1]  # several articles
    added = pa.Table.from_pylist([dict(zip(_MEMBERS.names, m, strict=True)) for m in members], schema=_MEMBERS)
    touched = pa.Table.from_pylist([dict(zip(_MEMBERS.names[3:], k, strict=True)) for k in changed],
                                   schema=pa.schema(list(_MEMBERS)[3:]))
    same = " AND ".join(f"c.{n} IS NOT DISTINCT FROM g.{n}" for n in ("article_id", "seq", "measure", "kind", "unit",
                                                                     "place", "day"))
    con.register("_touched", touched)
    con.register("_added", added)
    try:
        con.execute(f"""
            DELETE FROM {STORE}.claim_members WHERE (measure, unit_class, place) IN (FROM _touched);
            INSERT INTO {STORE}.claim_members FROM _added;
            DELETE FROM {STORE}.claims AS c USING _gone AS g WHERE {same};
            INSERT INTO {STORE}.claims FROM _new""")
    finally:
        con.unregister("_touched")
        con.unregister("_added")


def _grouping_code() -> str:
    """A digest of the code that forms claim groups (the grouping and its options)."""
    import inspect

    import transforms.compare.claims
    import transforms.options

    digest = hashlib.sha256()
    for module in (transforms.compare.claims, transforms.options):
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()


def _stored_code(con) -> str | None:
    """The grouping code's digest the store's claim groups were formed with (None: no groups yet)."""
    import duckdb

    try:
        row = con.execute(f"SELECT code FROM {STORE}._claims_code").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def _ensure_table(con, table: str) -> None:
    """The store table with every declared column (added when a newer schema declares more)."""
    wanted = pa.schema([*table_schema(table), pa.field("_file", pa.string())])
    probe = pa.table({f.name: pa.array([], f.type) for f in wanted})
    con.register("_probe", probe)
    try:
        exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                             [STORE, table]).fetchone()[0]
        if not exists:
            con.execute(f"CREATE TABLE {STORE}.{table} AS SELECT * FROM _probe")
            return
        have = {c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
                                          "AND table_name = ?", [STORE, table]).fetchall()}
        types = {r[0]: r[1] for r in con.execute("DESCRIBE _probe").fetchall()}
        for field in wanted:
            if field.name not in have:
                con.execute(f"ALTER TABLE {STORE}.{table} ADD COLUMN {field.name} {types[field.name]}")
    finally:
        con.unregister("_probe")


def _visible_runs(con, snapshot: Snapshot) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {STORE}._visible_runs (run_id VARCHAR)")
    con.execute(f"COMMENT ON COLUMN {STORE}._visible_runs.run_id IS 'a run whose rows the views show (committed)'")
    if snapshot.runs:
        con.execute(f"INSERT INTO {STORE}._visible_runs SELECT unnest(?)", [sorted(snapshot.runs)])


def _views(con, store: str, exclude_file: bool = True) -> None:
    """A view per table (rows of visible runs), the analytic views, and a comment on each view and column."""
    drop = " EXCLUDE (_file)" if exclude_file else ""
    for table in TABLES:
        where = "" if table == "runs" else f" WHERE run_id IN (SELECT run_id FROM {store}_visible_runs)"
        con.execute(f"CREATE OR REPLACE VIEW main.{table} AS SELECT *{drop} FROM {store}{table}{where}")
    for view in ANALYTIC_VIEWS:
        con.execute(resources.files("warehouse").joinpath(f"sql/{view}.sql").read_text("utf-8"))
    for view, doc in _VIEW_DOCS.items():
        con.execute(f"COMMENT ON VIEW main.{view} IS {_quote(doc)}")
    for table, cols in COLUMNS.items():
        for target in ("main", STORE) if exclude_file else ("main",):
            for name, (_, doc) in cols.items():
                con.execute(f"COMMENT ON COLUMN {target}.{table}.{name} IS {_quote(doc)}")
            con.execute(f"COMMENT ON COLUMN {target}.{table}.{PARTITION} IS 'batch date (hive partition)'")
        if exclude_file:
            about = f"the rows of the current version of the Delta table {table}, file by file"
            con.execute(f"COMMENT ON TABLE {STORE}.{table} IS {_quote(about)}")
            con.execute(f"COMMENT ON COLUMN {STORE}.{table}._file IS "
                        "'data file the row comes from (relative to the table)'")
    for view in ANALYTIC_VIEWS:
        for (column,) in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                     "ORDER BY ordinal_position", [view]).fetchall():
            con.execute(f"COMMENT ON COLUMN main.{view}.{column} IS {_quote(column_doc(column))}")


def column_doc(column: str) -> str:
    """The comment of an analytic view's column: derived, or that of the base column it passes through."""
    if column in _DERIVED_DOCS:
        return _DERIVED_DOCS[column]
    for table in ("figures", "articles", "entities"):
        if column in COLUMNS[table]:
            return COLUMNS[table][column][1]
    raise KeyError(f"analytic view column {column!r} has no documentation")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@contextlib.contextmanager
def _locked(path: str):
    import fcntl

    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
