"""The Delta Lake warehouse: transactions, replaced days, killed runs completed, the catalog, time travel, migration."""
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.warehouse.rows import article, publish, row, run_row, tables
from warehouse import leases
from warehouse.catalog import connect, refresh
from warehouse.history import history, maintain
from warehouse.lake import BOOK, Lakehouse
from warehouse.migrate import is_version_1, migrate
from warehouse.reads import Keys
from warehouse.schemas import schema, table_schema


@pytest.fixture
def lake(tmp_path):
    lk = Lakehouse(str(tmp_path / "wh"))
    lk.ensure_tables()
    return lk


def ids(lake):
    return sorted(lake.read_column("articles", "article_id"))


def files(root, table):
    return sorted(p.relative_to(root / table).as_posix() for p in (root / table).rglob("*.parquet"))


def test_tables_are_delta_with_the_declared_schema_zstd_and_day_partitions(lake):
    from deltalake import DeltaTable

    publish(lake, "r1", articles=[article("a", "2026-11-01"), article("b", "2026-11-02")])
    dt = DeltaTable(lake.table_uri("articles"))
    assert dt.metadata().partition_columns == ["batch_date"]
    assert dt.schema().to_arrow().names == table_schema("articles").names
    root = lake.fs._strip_protocol(lake.root)
    names = files(__import__("pathlib").Path(root), "articles")
    assert names == ["batch_date=2026-11-01/part-r1-0.zstd.parquet", "batch_date=2026-11-02/part-r1-0.zstd.parquet"]
    meta = pq.ParquetFile(os.path.join(root, "articles", names[0]))
    assert meta.schema_arrow.equals(schema("articles"), check_metadata=False)
    assert meta.metadata.row_group(0).column(0).compression == "ZSTD"
    assert [h["operation"] for h in dt.history()][:1] == ["WRITE"]  # one transaction for the run's rows


def test_rows_are_seen_once_their_run_is_committed(lake):
    from dataclasses import asdict

    staged = lake.stage("r1", "0", tables(articles=[article("a")]))
    lake.apply({"run_id": "r1", "replace_dates": [], "files": [asdict(f) for f in staged]})
    assert ids(lake) == []  # the articles are committed, the run is not
    staged += lake.stage("r1", "runs", tables(runs=[run_row("r1")]))
    lake.apply({"run_id": "r1", "replace_dates": [], "files": [asdict(f) for f in staged]})
    assert ids(lake) == ["a"]


def test_keys_are_the_published_values_of_a_column_as_a_compact_set(lake):
    publish(lake, "r1", articles=[article("a", "2026-11-01"), article("b", "2026-11-02")])
    lake.stage("r2", "0", tables(articles=[article("c", "2026-11-01", run="r2")]))  # never published
    every, day = lake.read_keys("articles", "article_id"), lake.read_keys("articles", "article_id", {"2026-11-01"})
    assert (len(every), len(day)) == (2, 1)
    assert ["a" in every, "b" in every, "c" in every, None in every] == [True, True, False, False]
    assert ("a" in every - day, "b" in every - day, len(every | day)) == (False, True, 2)
    assert len(lake.read_keys("quarantine", "article_id")) == 0 and "a" not in Keys()


def test_keys_whose_digest_ends_in_a_zero_byte_are_found():
    from warehouse.reads import _digest

    # numpy's fixed-width bytes drop trailing zero bytes; the set must still find such a key (~1 in 256)
    zero_ended = [v for v in map(str, range(5000)) if _digest(v).endswith(b"\0")]
    others = [v for v in map(str, range(5000, 6000)) if not _digest(v).endswith(b"\0")]
    assert zero_ended
    keys = Keys(Keys.digests(zero_ended + others))
    assert all(v in keys for v in zero_ended + others)
    assert not any(v in keys for v in map(str, range(6000, 7000)))
    assert keys.nbytes == 16 * len(keys)


def test_a_near_copy_s_new_original_is_set_in_its_staged_file_or_by_an_update_once_published(lake):
    from deltalake import DeltaTable

    publish(lake, "r1", articles=[article("old")])  # published before: only an update commit can change it
    staged = lake.stage("r2", "0", tables(articles=[article("a", run="r2"), article("b", run="r2")]))
    staged += lake.stage("r2", "1", tables(articles=[article("c", run="r2")]))  # an earlier original came along
    staged += lake.stage("r2", "runs", tables(runs=[run_row("r2")]))
    lake.publish("r2", staged, [], originals={"a": "c", "b": "c"})
    dt = DeltaTable(lake.table_uri("articles"))
    assert [h["operation"] for h in dt.history()][:2] == ["WRITE", "WRITE"]  # the run's own: no update commit
    got = dict(zip(*(lake.read_column("articles", c) for c in ("article_id", "duplicate_of")), strict=True))
    assert got == {"old": None, "a": "c", "b": "c", "c": None}
    rewritten = [f for f in pa.table(dt.get_add_actions(flatten=True)).to_pylist() if "part-r2-0" in f["path"]]
    assert [(f["num_records"], f["null_count.duplicate_of"]) for f in rewritten] == [(2, 0)]  # its new statistics
    assert [f["size_bytes"] for f in rewritten] == [os.path.getsize(os.path.join(lake.root, "articles", f["path"]))
                                                    for f in rewritten]

    staged = lake.stage("r3", "0", tables(articles=[article("d", run="r3")]))
    staged += lake.stage("r3", "runs", tables(runs=[run_row("r3")]))
    lake.publish("r3", staged, [], originals={"old": "d"})
    got = dict(zip(*(lake.read_column("articles", c) for c in ("article_id", "duplicate_of")), strict=True))
    assert got["old"] == "d"
    assert DeltaTable(lake.table_uri("articles")).history()[0]["operation"] == "UPDATE"


def test_a_backfill_replaces_its_days_and_keeps_the_runs_history(lake):
    publish(lake, "r1", articles=[article("a", "2026-11-01"), article("b", "2026-11-02")])
    publish(lake, "r2", replace_dates=["2026-11-01"], articles=[article("c", "2026-11-01", run="r2")])
    assert ids(lake) == ["b", "c"]
    assert sorted(lake.read_column("runs", "run_id")) == ["r1", "r2"]
    ops = [(h["operation"], (h.get("operationParameters") or {}).get("mode")) for h in lake.table("articles").history()]
    assert ops[0] == ("WRITE", "Overwrite")  # the day replaced in one transaction
    publish(lake, "r3", replace_dates=["2026-11-02"])  # a day re-processed to nothing is emptied
    assert ids(lake) == ["c"]


def test_a_run_killed_after_its_manifest_is_completed_by_the_next(lake, monkeypatch):
    staged = lake.stage("dead", "0", tables(articles=[article("a", run="dead")],
                                           figures=[row("figures", article_id="a", seq=0, text="3", value=3.0,
                                                        unit="troop", kind="count", qualifier="exact", start_char=0,
                                                        end_char=1, sentence_idx=0, run_id="dead")]))
    staged += lake.stage("dead", "runs", tables(runs=[run_row("dead")]))
    calls = []
    real = Lakehouse._commit

    def dies_after_figures(self, table, *args):
        calls.append(table)
        if table == "articles":
            raise KeyboardInterrupt  # killed between two table commits
        return real(self, table, *args)

    monkeypatch.setattr(Lakehouse, "_commit", dies_after_figures)
    with pytest.raises(KeyboardInterrupt):
        lake.publish("dead", staged)
    monkeypatch.undo()
    assert calls == ["figures", "articles"] and ids(lake) == []
    assert lake.recover() == ["completed the publish of run dead"]
    assert ids(lake) == ["a"] and len(lake.read_column("figures", "article_id")) == 1  # figures not committed twice
    assert not list(lake.fs.find(lake.path(BOOK, "staging"))) and not list(lake.fs.find(lake.path(BOOK, "commits")))


def test_a_run_killed_before_its_manifest_leaves_nothing(lake):
    lake.stage("dead", "0", tables(articles=[article("a", run="dead")]))
    assert lake.recover() == ["discarded what run dead staged"]
    assert ids(lake) == [] and not list(lake.fs.find(lake.path(BOOK, "staging")))


def test_a_file_a_killed_process_was_writing_is_removed_once_nobody_can_be_writing_it(lake):
    """Killed inside `_write_bytes` (between open and rename), a process leaves `<name>.<pid>-<thread>.tmp`."""
    book = Path(lake.path(BOOK))
    for folder, name in [("commits", "dead.json.1-2.tmp"), ("commits", "alive.json.3-4.tmp"),
                         ("inputs", "abc.parquet.5-6.tmp"), ("leases", "old.json.7-8.tmp")]:
        (book / folder).mkdir(parents=True, exist_ok=True)
        (book / folder / name).write_bytes(b"{")
    old = time.time() - leases.LEASE_TTL_S - 60
    os.utime(book / "leases" / "old.json.7-8.tmp", (old, old))
    with lake.lease("alive"):
        lake.recover()
        left = sorted(p.name for p in book.rglob("*.tmp"))
    assert left == ["abc.parquet.5-6.tmp", "alive.json.3-4.tmp"]  # a live run's manifest; a fresh index write


def test_a_live_run_is_left_alone(lake):
    with lake.lease("alive"):
        lake.stage("alive", "0", tables(articles=[article("a", run="alive")]))
        assert lake.recover() == []
        assert lake.fs.find(lake.path(BOOK, "staging"))


def test_a_stale_lease_is_a_dead_run(lake, monkeypatch):
    with lake.lease("slow"):
        lake.stage("slow", "0", tables(articles=[article("a", run="slow")]))
        monkeypatch.setattr(leases, "LEASE_TTL_S", -1.0)
        assert lake.recover() == ["discarded what run slow staged"]


def test_concurrent_writers_both_publish(lake):
    errors = []

    def one(run, day):
        try:
            with lake.lease(run):
                for i in range(4):
                    publish(lake, f"{run}-{i}", day=day, articles=[article(f"{run}{i}", day, run=f"{run}-{i}")])
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(r, d)) for r, d in (("x", "2026-11-01"), ("y", "2026-11-01"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and ids(lake) == sorted([f"x{i}" for i in range(4)] + [f"y{i}" for i in range(4)])


def test_vacuum_leaves_only_the_current_files(lake, tmp_path):
    publish(lake, "r1", articles=[article("a", "2026-11-01")])
    publish(lake, "r2", replace_dates=["2026-11-01"], articles=[article("b", "2026-11-01", run="r2")])
    assert len(files(tmp_path / "wh", "articles")) == 2  # the replaced file is kept until vacuumed
    lake.vacuum(0)
    assert files(tmp_path / "wh", "articles") == ["batch_date=2026-11-01/part-r2-0.zstd.parquet"]
    got = duckdb.sql(f"select article_id from read_parquet('{tmp_path}/wh/articles/batch_date=*/*.parquet', "
                     "hive_partitioning = true)").fetchall()
    assert got == [("b",)]


def test_catalog_is_consistent_and_works_from_any_folder_and_after_a_move(lake, tmp_path, monkeypatch):
    publish(lake, "r1", articles=[article("a")], figures=[row("figures", article_id="a", seq=0, text="3", value=3.0,
                                                               unit="troop", kind="count", qualifier="exact",
                                                               start_char=0, end_char=1, sentence_idx=0, run_id="r1")])
    lake.stage("r2", "0", tables(articles=[article("b", run="r2")]))  # staged, never committed
    db = refresh(lake)
    moved = tmp_path / "elsewhere" / "wh"
    shutil.copytree(tmp_path / "wh", moved)
    shutil.rmtree(tmp_path / "wh")
    monkeypatch.chdir("/")
    con = duckdb.connect(str(moved / "newsetl.duckdb"), read_only=True)
    assert con.execute("select article_id from articles").fetchall() == [("a",)]
    assert con.execute("select count(*) from figure_claims").fetchone() == (1,)
    assert db.endswith("newsetl.duckdb")


def test_catalog_regroups_only_changed_claims_and_matches_a_whole_regroup(lake, monkeypatch):
    """Each refresh regroups the keys whose claims changed (new runs, a replaced day, a day moved by
    published_at); after each, the groups equal those formed from scratch over the same snapshot."""
    from datetime import datetime

    import transforms.compare.claims as claims
    from warehouse.catalog import in_memory
    from warehouse.snapshot import take

    def fig(aid, seq, run, value, unit="troop", kind="count", place="Iraq", measure="United States troops", **kw):
        return row("figures", article_id=aid, seq=seq, text=str(value), value=value, unit=unit, kind=kind,
                   qualifier="exact", start_char=0, end_char=1, sentence_idx=0, run_id=run, measure=measure,
                   place=place, **kw)

    def on(day):
        return datetime.fromisoformat(day + "T08:00:00+00:00")

    regrouped = []
    whole = claims.group_ids
    monkeypatch.setattr(claims, "group_ids", lambda rows, *a: regrouped.append(len(rows)) or whole(rows, *a))

    def members(con):
        return sorted(con.execute("select article_id, seq, group_id from store.claim_members").fetchall())

    def check():
        refresh(lake)
        con = duckdb.connect(lake.path("newsetl.duckdb"), read_only=True)
        got = members(con)
        assert got == members(in_memory(lake, take(lake)))
        return got

    syria = dict(place="Syria", measure="United States troops")
    publish(lake, "r1", day="2026-11-01",
            articles=[article("a", "2026-11-01", published_at=on("2026-11-01")),
                      article("b", "2026-11-01", published_at=on("2026-11-01"))],
            figures=[fig("a", 0, "r1", 2500.0, batch_date="2026-11-01"), fig("b", 0, "r1", 3000.0,
                     unit="soldier", batch_date="2026-11-01"),
                     fig("a", 1, "r1", 900.0, batch_date="2026-11-01", **syria),
                     fig("b", 1, "r1", 1000.0, batch_date="2026-11-01", **syria)])
    first = check()
    assert len({g for _, _, g in first}) == 2 and len(first) == 4  # Iraq (troops and soldiers count alike), Syria
    regrouped.clear()
    publish(lake, "r2", day="2026-11-02",
            articles=[article("c", "2026-11-02", run="r2", published_at=on("2026-11-02"))],
            figures=[fig("c", 0, "r2", 2000.0, batch_date="2026-11-02")])
    second = check()
    assert regrouped[0] == 3  # only Iraq's claims were regrouped, Syria's groups kept
    assert len(second) == 5 and {r for r in first if r[0] != "c"} <= set(second)
    publish(lake, "r3", replace_dates=["2026-11-01"], day="2026-11-01",  # a backfill: b gone, a's day moves
            articles=[article("a", "2026-11-01", run="r3", published_at=on("2026-12-20"))],
            figures=[fig("a", 0, "r3", 2500.0, batch_date="2026-11-01"),
                     fig("a", 1, "r3", 900.0, batch_date="2026-11-01", **syria)])
    third = check()
    assert third == []  # no key holds claims of two articles within the window any more
    monkeypatch.setattr("warehouse.catalog._grouping_code", lambda: "other grouping code")
    publish(lake, "r4", day="2026-12-21", articles=[article("d", "2026-12-21", run="r4")],
            figures=[fig("d", 0, "r4", 2400.0, batch_date="2026-12-21")])
    regrouped.clear()
    fourth = check()
    assert regrouped[0] == 4 and len(fourth) == 2  # new grouping code: every claim regrouped (a, d: one group)


def test_catalog_updates_file_by_file(lake):
    publish(lake, "r1", articles=[article("a", "2026-11-01"), article("b", "2026-11-02")])
    refresh(lake)
    publish(lake, "r2", replace_dates=["2026-11-01"], articles=[article("c", "2026-11-01", run="r2")])
    refresh(lake)
    con = duckdb.connect(lake.path("newsetl.duckdb"), read_only=True)
    assert sorted(r[0] for r in con.execute("select article_id from articles").fetchall()) == ["b", "c"]
    assert con.execute("select count(distinct _file) from store.articles").fetchone() == (2,)


def test_a_catalog_is_rebuilt_only_when_what_it_shows_changed(lake):
    publish(lake, "r1", articles=[article("a", "2026-11-01")])
    db = refresh(lake)
    built = os.stat(db).st_ino, os.stat(db).st_mtime_ns
    assert refresh(lake) == db and (os.stat(db).st_ino, os.stat(db).st_mtime_ns) == built  # nothing new: kept
    publish(lake, "r2", articles=[article("b", "2026-11-01", run="r2")])
    refresh(lake)
    assert os.stat(db).st_ino != built[0]  # a new run: rebuilt (in a copy, swapped in)
    con = duckdb.connect(db, read_only=True)
    assert sorted(r[0] for r in con.execute("select article_id from articles").fetchall()) == ["a", "b"]
    con.close()
    con = duckdb.connect(db)
    con.execute("UPDATE store._stamp SET stamp = 'made by another newsetl'")
    con.close()
    rebuilt = os.stat(db).st_ino
    refresh(lake)
    assert os.stat(db).st_ino != rebuilt  # a catalog another version built is rebuilt


def test_time_travel_and_history(lake, monkeypatch):
    monkeypatch.setattr(leases, "LEASE_TTL_S", 600.0)
    publish(lake, "r1", articles=[article("a")])
    publish(lake, "r2", replace_dates=["2026-11-20"], articles=[article("b", run="r2")])
    first = [h for h in history(lake) if h["table"] == "runs" and h["run_id"] == "r1"][0]
    con = connect(lake, as_of=first["version"])
    assert con.execute("select article_id from articles").fetchall() == [("a",)]
    assert connect(lake).execute("select article_id from articles").fetchall() == [("b",)]
    rows = {(h["table"], h["run_id"]): h for h in history(lake)}
    assert rows[("articles", "r2")]["rows_added"] == 1 and "overwrite" in rows[("articles", "r2")]["operation"]
    lake.vacuum(0)
    with pytest.raises(Exception, match="No files found|not found|vacuum"):
        connect(lake, as_of=first["version"]).execute("select * from articles").fetchall()


def test_maintain_compacts_small_files(lake, tmp_path):
    for i in range(3):
        publish(lake, f"r{i}", articles=[article(f"a{i}", run=f"r{i}")])
    assert len(files(tmp_path / "wh", "articles")) == 3
    out = maintain(lake, 0)
    assert out["articles"]["files_removed"] == 3 and len(files(tmp_path / "wh", "articles")) == 1
    assert ids(lake) == ["a0", "a1", "a2"]


def test_a_new_column_comes_through_schema_evolution(lake, monkeypatch):
    import pyarrow as pa

    from warehouse import schemas

    publish(lake, "r1", articles=[article("a")])
    monkeypatch.setitem(schemas.COLUMNS["articles"], "mood", (pa.string(), "a column a later version adds"))
    lake.ensure_tables()
    assert "mood" in lake.table("articles").schema().to_arrow().names
    publish(lake, "r2", articles=[article("b", run="r2", mood="calm")])
    assert sorted(lake.read_column("articles", "mood"), key=lambda v: v or "") == [None, "calm"]


def test_migrate_a_version_1_warehouse(tmp_path):
    root = tmp_path / "v1"
    day = root / "articles" / "batch_date=2026-11-01"
    day.mkdir(parents=True)
    old = [{"article_id": "a", "source_uri": "/in/a.txt", "body": "Body text here.", "run_id": "r0",
            "raw_chars": 20, "body_chars": 15, "language": "en"}]
    import pyarrow as pa

    pq.write_table(pa.Table.from_pylist(old), day / "part-r0-0.parquet")
    (root / "entities" / "batch_date=2026-11-01").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([{"article_id": "a", "seq": 0, "text": "Body", "label": "ORG", "canonical": "B",
                                          "start_char": 0, "end_char": 4, "sentence_idx": 0}]),
                   root / "entities" / "batch_date=2026-11-01" / "part-r0-0.parquet")
    (root / "runs" / "batch_date=2026-11-01").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([{"run_id": "r0", "flow": "daily", "status": "published"}]),
                   root / "runs" / "batch_date=2026-11-01" / "part-r0-runs.parquet")
    (root / "_journal").mkdir()
    (root / "_staging" / "r9" / "articles" / "batch_date=2026-11-01").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([{**old[0], "article_id": "b", "run_id": "r0"}]),
                   root / "_staging" / "r9" / "articles" / "batch_date=2026-11-01" / "part-r9-0.parquet")
    (root / "_journal" / "r9.json").write_text(json.dumps(
        {"run_id": "r9", "moves": ["articles/batch_date=2026-11-01/part-r9-0.parquet"], "replaces": []}))
    lake = Lakehouse(str(root))
    assert is_version_1(lake)
    done = migrate(lake)
    assert any("rolled forward" in line for line in done) and any("articles: 2 rows" in line for line in done)
    assert not is_version_1(lake) and ids(lake) == ["a", "b"]
    assert lake.read_column("entities", "run_id") == ["r0"]  # children take their article's run
    assert not list(root.rglob("part-r0-0.parquet")) and not (root / "_journal").exists()
    assert migrate(lake) == ["nothing to migrate: the warehouse is already version 2"]


def test_sigkill_at_the_instant_of_a_commit_leaves_a_readable_warehouse_the_next_run_completes(tmp_path):
    """A real process killed while it commits table after table (many runs, killed at random points)."""
    script = tmp_path / "writer.py"
    script.write_text(f"""
import sys
sys.path.insert(0, {str(os.getcwd())!r})
from tests.warehouse.rows import article, publish
from warehouse.lake import Lakehouse
lake = Lakehouse(sys.argv[1])
lake.ensure_tables()
for i in range(200):
    with lake.lease(f"r{{i}}"):
        publish(lake, f"r{{i}}", articles=[article(f"a{{i}}", run=f"r{{i}}")],
                entities=[{{**__import__("tests.warehouse.rows", fromlist=["row"]).row("entities", article_id=f"a{{i}}",
                          seq=0, text="x", label="ORG", canonical="x", start_char=0, end_char=1, sentence_idx=0,
                          run_id=f"r{{i}}")}}])
""")
    wh = str(tmp_path / "wh")
    proc = subprocess.Popen([sys.executable, str(script), wh], cwd=os.getcwd())
    first = Path(wh) / "runs" / "_delta_log" / f"{1:020d}.json"  # the first run's commit (version 0: the empty table)
    deadline = time.monotonic() + 240
    while not first.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(3)  # then mid-way through later runs' commits, however fast this machine is
    assert proc.poll() is None, "the writer ended before it could be killed"
    proc.kill()
    proc.wait()
    lake = Lakehouse(wh)
    seen = set(ids(lake))
    from warehouse import leases as lk
    lk.LEASE_TTL_S = -1.0
    try:
        lake.recover()
    finally:
        lk.LEASE_TTL_S = 180.0
    after = set(ids(lake))
    assert seen <= after and len(after) >= 1
    runs = set(lake.read_column("runs", "run_id"))
    assert after == {f"a{r[1:]}" for r in runs}  # every committed run has its article, no article without its run
    children = set(lake.read_column("entities", "article_id"))
    assert children == after  # no orphan child rows, none missing
    assert not list(lake.fs.find(lake.path(BOOK, "commits")))


def test_an_article_two_concurrent_runs_publish_is_kept_once(lake):
    from dataclasses import asdict

    since = lake.table("articles").version()
    figure = row("figures", article_id="same", seq=0, text="3", value=3.0, unit="troop", kind="count",
                 qualifier="exact", start_char=0, end_char=1, sentence_idx=0)
    first = lake.stage("r1", "0", tables(articles=[article("same"), article("only1")],
                                         figures=[{**figure, "run_id": "r1"}]))
    first += lake.stage("r1", "runs", tables(runs=[run_row("r1", articles_published=2)]))
    second = lake.stage("r2", "0", tables(articles=[article("same", run="r2")], figures=[{**figure, "run_id": "r2"}]))
    second += lake.stage("r2", "runs", tables(runs=[run_row("r2", articles_published=1)]))
    lake.apply({"run_id": "r1", "replace_dates": [], "since": since, "files": [asdict(f) for f in first
                                                                                if f.table != "runs"]})
    lake.publish("r2", second, since=since)  # commits after r1's articles: its copy goes
    lake.publish("r1", first, since=since)
    assert sorted(ids(lake)) == ["only1", "same"] and lake.read_column("articles", "run_id").count("r1") == 2
    assert lake.read_column("figures", "run_id") == ["r1"]
    runs = dict(zip(lake.read_column("runs", "run_id"), lake.read_column("runs", "articles_published"), strict=False))
    assert runs == {"r1": 2, "r2": 0}


def test_history_numbers_each_commit_right_when_another_lands_after_the_table_was_loaded(lake, monkeypatch):
    """delta-rs numbers history() by counting down from the loaded version but lists every commit in the log:
    a concurrent run's commit in between shifts every number (a run then read its own commit as version 0)."""
    stale = lake.table("articles")
    publish(lake, "r1", articles=[article("a")])
    assert [h["version"] for h in stale.history()][-1] == -1  # the delta-rs behaviour this guards against
    monkeypatch.setattr(lake, "table", lambda table, version=None: stale)
    dt, entries = lake.history("articles")
    assert dt.version() == 1
    assert [(h["version"], h["operation"], h.get("newsetl.run_id")) for h in entries] == [
        (1, "WRITE", "r1"), (0, "CREATE TABLE", None)]
    assert [h["version"] for h in lake.history("articles", 1)[1]] == [1]


def test_time_travel_to_a_runs_version_when_its_file_was_written_late(lake, monkeypatch):
    """delta-rs finds a version at a time by its commit file's modification time, which on a loaded machine
    can come a few milliseconds after the commit's timestamp: a `runs` version is read as that version."""
    monkeypatch.setattr(leases, "LEASE_TTL_S", 600.0)
    publish(lake, "r1", articles=[article("a")])
    publish(lake, "r2", replace_dates=["2026-11-20"], articles=[article("b", run="r2")])
    first = [h for h in history(lake) if h["table"] == "runs" and h["run_id"] == "r1"][0]
    log = Path(lake.path("runs", "_delta_log", f"{first['version']:020d}.json"))
    stat = log.stat()
    os.utime(log, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000))
    assert connect(lake, as_of=first["version"]).execute("select article_id from articles").fetchall() == [("a",)]
