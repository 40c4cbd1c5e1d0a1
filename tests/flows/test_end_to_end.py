"""The real flow on the samples and on a hostile folder, read back through DuckDB."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.batch import has_unread
from tests.conftest import FIXTURES, ROOT, SEEDS

NEWSETL = [sys.executable, "-m", "flows.cli"]
TABLES = {
    "articles": {"article_id", "source_uri", "url", "source_name", "title", "author", "published_at", "language",
                 "body", "raw_chars", "body_chars", "batch_date", "run_id", "pipeline_version"},
    "removed_segments": {"article_id", "seq", "text", "reason"},
    "entities": {"article_id", "seq", "text", "label", "canonical", "start_char", "end_char", "sentence_idx"},
    "figures": {"article_id", "seq", "text", "value", "value_max", "unit", "kind", "qualifier", "subject",
                "attributed_to", "start_char", "end_char", "sentence_idx"},
    "quarantine": {"source_uri", "article_id", "stage", "reason", "batch_date", "run_id"},
    "runs": {"run_id", "flow", "started_at", "finished_at", "status", "files_seen", "articles_published",
             "rows_quarantined", "validation_success", "params"},
}


def newsetl(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The CLI as a user runs it; env adds to the environment (a Prefect API, the store's credentials)."""
    return subprocess.run([*NEWSETL, *args], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NEWSETL_DEBUG": "", **(env or {})})


def assert_clean_output(proc: subprocess.CompletedProcess) -> None:
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert "| ERROR" not in out and "ERROR |" not in out, out
    assert "Warning:" not in out, out  # a library's FutureWarning or DeprecationWarning is noise in a nightly log


def q(wh: Path, sql: str):
    con = duckdb.connect(str(wh / "newsetl.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_contract_tables_and_columns(seeds_warehouse):
    for table, required in TABLES.items():
        cols = {r[0] for r in q(seeds_warehouse, f"DESCRIBE {table}")}
        assert required <= cols, f"{table} lacks {required - cols}"
    assert q(seeds_warehouse, "select count(*), count(distinct article_id) from articles") == [(5, 5)]
    assert q(seeds_warehouse, "select distinct batch_date::varchar from articles") == [("2026-11-20",)]
    types = dict(q(seeds_warehouse, "select column_name, column_type from (describe articles)"))
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE" and types["batch_date"] == "DATE"


def test_offsets_point_at_the_row_text(seeds_warehouse):
    for table in ("entities", "figures"):
        bad = q(seeds_warehouse, f"""select count(*) from {table} t join articles a using (article_id)
                                     where substr(a.body, t.start_char + 1, t.end_char - t.start_char) <> t.text""")
        assert bad == [(0,)]
        orphans = q(seeds_warehouse,
                    f"select count(*) from {table} where article_id not in (select article_id from articles)")
        assert orphans == [(0,)]


def test_seed_facts(seeds_warehouse):
    assert (3000.0, "troop", "at_least") in q(seeds_warehouse, "select value, unit, qualifier from figures")
    leaked = q(seeds_warehouse, """select e.canonical from entities e join articles a using (article_id)
                                   where a.source_uri like '%000_3ef350cdd4bc2bac.txt'
                                     and (e.canonical ilike '%lavrov%' or e.canonical ilike '%gaza%')""")
    assert leaked == []
    claims = q(seeds_warehouse, "select count(*) from figure_claims where title is not null and sentence is not null")
    assert claims[0][0] >= 15


def test_tables_are_delta_and_plain_parquet_readers_see_the_same_rows(seeds_warehouse):
    from deltalake import DeltaTable

    for table in ("articles", "figures", "entities", "removed_segments", "runs"):
        assert (seeds_warehouse / table / "_delta_log").is_dir(), table
        plain = duckdb.sql(f"select count(*) from read_parquet('{seeds_warehouse}/{table}/batch_date=*/*.parquet', "
                           "hive_partitioning = true)").fetchall()[0][0]
        delta = DeltaTable(str(seeds_warehouse / table)).to_pyarrow_table().num_rows
        assert plain == delta == q(seeds_warehouse, f"select count(*) from {table}")[0][0], table
    assert not [p for p in seeds_warehouse.rglob("batch_date=*/*") if not p.name.endswith(".zstd.parquet")]


def test_runs_row_and_catalog(seeds_warehouse):
    runs = q(seeds_warehouse, "select status, files_seen, articles_published, validation_success from runs")
    assert runs == [("published", 5, 5, True)]
    params = json.loads(q(seeds_warehouse, "select params from runs")[0][0])
    assert params["input_uri"] == str(SEEDS) and params["batch_date"] == "2026-11-20"
    assert {"discover", "scan", "validate", "stage"} <= set(params["stage_seconds"])
    assert (seeds_warehouse / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").exists()


def test_second_run_publishes_nothing(seeds_warehouse):
    proc = newsetl("run", "--input", str(SEEDS), "--warehouse", str(seeds_warehouse), "--date", "2026-11-20")
    assert proc.returncode == 0 and "0 articles published" in proc.stdout
    assert q(seeds_warehouse, "select count(*) from articles") == [(5,)]
    assert "5 files (5 unchanged since read, not read again)" in proc.stdout + proc.stderr


def test_a_changed_input_is_read_again_and_an_unchanged_one_is_not(tmp_path, prefect_api):
    inp = tmp_path / "in"
    wh = inp / "wh"  # a warehouse inside the input root is no input: its own files are neither read nor quarantined
    inp.mkdir()
    for seed in ("000_3ef350cdd4bc2bac.txt", "003_b54bb3dfe6eb36d9.txt"):
        shutil.copy(SEEDS / seed, inp / seed)
        os.utime(inp / seed, (1.7e9, 1.7e9))  # written long ago (a file changed in the last 2 s is always read)
    assert has_unread(str(inp), str(wh))  # no warehouse yet: a run will validate (GX is imported early)
    assert has_unread("s3://no-such-bucket/news", str(wh))  # a bucket is not listed twice: counts as unread
    assert newsetl("run", "--input", str(inp), "--warehouse", str(wh), env=prefect_api).returncode == 0
    assert not has_unread(str(inp), str(wh))  # a no-op run imports no GX
    changed = inp / "003_b54bb3dfe6eb36d9.txt"
    changed.write_text(changed.read_text("utf-8") + "\nThe ministry said on Friday that 40 more advisers would "
                       "arrive within a month, according to a statement.\n", "utf-8")
    os.utime(changed, (1.7e9 + 60, 1.7e9 + 60))
    assert has_unread(str(inp), str(wh))
    proc = newsetl("run", "--input", str(inp), "--warehouse", str(wh), env=prefect_api)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "2 files (1 unchanged since read, not read again), 1 new articles" in out
    assert q(wh, "select count(*) from articles") == [(3,)] and q(wh, "select count(*) from quarantine") == [(0,)]
    shutil.rmtree(wh / "_newsetl" / "inputs")  # without the index every file is read: the same answer
    (wh / "_newsetl" / "inputs").write_text("not a folder")  # and when it cannot be saved, the run still publishes
    proc = newsetl("run", "--input", str(inp), "--warehouse", str(wh), env=prefect_api)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "2 files (0 unchanged since read, not read again), 0 new articles" in out, out
    assert "input index not saved, the next run reads every input" in out and "Traceback" not in out


def hostile_folder(root: Path) -> dict[str, str]:
    """Good and bad inputs side by side; returns file name -> expected fate."""
    good = (SEEDS / "003_b54bb3dfe6eb36d9.txt").read_text("utf-8")
    (root / "dt=2026-11-19" / "deep" / "er").mkdir(parents=True)
    shutil.copy(SEEDS / "000_3ef350cdd4bc2bac.txt", root / "dt=2026-11-19" / "deep" / "er" / "spaces and ünïcode.txt")
    (root / "copy.txt").write_text(good, "utf-8")
    (root / "latin1.txt").write_bytes(("Café owners in Paris said on Monday that more than 300 cafés closed "
                                       "this year, according to the trade union.\n").encode("latin-1"))
    (root / "empty.txt").write_text("   \n\n", "utf-8")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (root / "notes.docx").write_bytes(b"PK\x03\x04")
    (root / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    (root / "page.html.gz").write_bytes(gzip.compress(
        f"<html><head><title>Troops</title></head><body><nav>Home | World</nav><article><h1>Troops</h1>"
        f"{''.join(f'<p>{p}</p>' for p in good.split(chr(10))[1:8])}</article></body></html>".encode()))
    (root / "feed.jsonl").write_text("\n".join([
        json.dumps({"text": (SEEDS / "004_b097015a3128bddb.txt").read_text("utf-8"), "url": "https://example.org/a"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"html": "<p>Officials said on Friday that about 700 families were moved out of the flooded "
                            "valley overnight, and that roads to the town would stay closed.</p>"}),  # a fragment
    ]) + "\n", "utf-8")
    (root / "stray_nul.txt").write_text("Aid reaches the valley\nOfficials said on Saturday that 40 trucks of "
                                        "aid\x00 reached the flooded valley, where 700 families wait.\n", "utf-8")
    (root / "boilerplate_only.txt").write_text(
        "Home\nWorld\nSport\nSubscribe to our newsletter\n- Advertisement -\n", "utf-8")
    (root / "utf16.txt").write_bytes((SEEDS / "001_ae877c58f8d80608.txt").read_text("utf-8").encode("utf-16"))
    (root / "bom_crlf.txt").write_bytes(b"\xef\xbb\xbf" + (SEEDS / "002_23c06521338ce5b8.txt").read_text("utf-8")
                                        .replace("\n", "\r\n").encode("utf-8"))
    (root / "cp1252.txt").write_bytes("\u201cWe lost \u20ac2 million this year,\u201d the owner said on Tuesday, "
                                      "adding that about 40 workers would be laid off.\n".encode("cp1252"))
    (root / "one_line.txt").write_text("Officials said on Monday that about 1,200 workers lost their jobs after the "
                                       "steel plant in the northern city closed for good.", "utf-8")
    (root / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * (60 * 2**20)))
    (root / "huge.txt").write_bytes(b"word " * (26 * 2**20 // 5))
    (root / "xxe.html").write_text(
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<html><head><title>Plant closes</title><link rel="stylesheet" href="http://example.invalid/s.css"></head>'
        '<body><article><h1>Plant closes</h1><p>&xxe;</p><img src="http://example.invalid/x.png">'
        + "".join(f"<p>{p}</p>" for p in good.split("\n")[8:14]) + "</article></body></html>", "utf-8")
    (root / "clean_table.txt").write_text((FIXTURES / "articles" / "clean_with_table.txt").read_text("utf-8"), "utf-8")
    (root / "iso8859_2.txt").write_bytes("Vláda v pondělí schválila nové zákony o daních. Příliš žluťoučký kůň úpěl "
                                         "ďábelské ódy, uvedlo ministerstvo financí.\n".encode("iso-8859-2"))
    (root / "declared.html").write_bytes('<html><head><meta charset="windows-1251"><title>Новости</title></head><body>'
                                         '<article><h1>Новости</h1><p>Правительство в понедельник '
                                         'объявило о новых мерах '
                                         'поддержки экономики, сообщили в министерстве.</p></article></body></html>'
                                         .encode("cp1251"))
    outside = root.parent / "outside.txt"
    outside.write_text(good.upper(), "utf-8")
    (root / "link_out.txt").symlink_to(outside)
    return {}


def test_hostile_folder_is_published_or_quarantined(tmp_path, prefect_api):
    inp, wh = tmp_path / "in", tmp_path / "wh"
    inp.mkdir()
    hostile_folder(inp)
    proc = newsetl("run", "--input", str(inp), "--warehouse", str(wh), "--date", "2026-11-20", env=prefect_api)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_clean_output(proc)
    published = {r[0].rsplit("/", 1)[-1] for r in q(wh, "select source_uri from articles")}
    quarantined = {r[0].rsplit("/", 1)[-1]: r[1] for r in q(wh, "select source_uri, reason from quarantine")}
    assert {"spaces and ünïcode.txt", "copy.txt", "latin1.txt", "page.html.gz", "feed.jsonl#1", "feed.jsonl#4",
            "stray_nul.txt"} <= published
    assert {"utf16.txt", "bom_crlf.txt", "cp1252.txt", "one_line.txt", "clean_table.txt", "iso8859_2.txt",
            "declared.html"} <= published
    for name in ("empty.txt", "image.txt", "notes.docx", "broken.txt.gz", "feed.jsonl#2", "feed.jsonl#3",
                 "boilerplate_only.txt", "bomb.txt.gz", "huge.txt", "link_out.txt"):
        assert name in quarantined and quarantined[name], name
    # the cap is in the reason
    assert "26214400" in quarantined["huge.txt"] and "52428800" in quarantined["bomb.txt.gz"]
    bodies = " ".join(r[0] for r in q(wh, "select body from articles"))
    assert "root:" not in bodies and "€2 million" in bodies and "\r" not in bodies
    assert quarantined["boilerplate_only.txt"].startswith("no main text")
    by_name = {uri.rsplit("/", 1)[-1]: (body, enc, how) for uri, body, enc, how
               in q(wh, "select source_uri, body, encoding, encoding_source from articles")}
    assert "Café owners" in by_name["latin1.txt"][0] and by_name["latin1.txt"][1:] == ("windows-1252", "detected")
    assert "Příliš žluťoučký kůň" in by_name["iso8859_2.txt"][0] and by_name["iso8859_2.txt"][1] == "iso-8859-2"
    assert "Правительство" in by_name["declared.html"][0]
    assert by_name["declared.html"][1:] == ("windows-1251", "declared")
    assert by_name["utf16.txt"][1:] == ("utf-16", "bom") and by_name["bom_crlf.txt"][1:] == ("utf-8", "bom")
    assert "30 million euros" in by_name["clean_table.txt"][0]  # the paragraphs after the table are kept
    inputs = {p.name for p in inp.rglob("*") if p.is_file()}
    seen = {n.split("#")[0] for n in published | set(quarantined)}
    assert inputs <= seen  # nothing lost
    dates = dict(q(wh, "select source_uri, batch_date::varchar from articles"))
    assert any(uri.endswith("ünïcode.txt") and d == "2026-11-19" for uri, d in dates.items())
    rows = q(wh, "select count(*) from quarantine")
    again = newsetl("run", "--input", str(inp), "--warehouse", str(wh), "--date", "2026-11-20", env=prefect_api)
    assert again.returncode == 0 and "0 articles published" in again.stdout, again.stdout + again.stderr
    assert q(wh, "select count(*) from quarantine") == rows  # a quarantined input is not processed again


def test_bad_arguments_are_one_line_errors(tmp_path, prefect_api):
    for args in (["run", "--input", str(tmp_path / "missing")], ["run", "--date", "2026-13-45"],
                 ["run", "--input", "s3://user:hunter2@bucket/in"], ["run", "--warehouse", "s3://b/wh?secret_key=x"],
                 ["backfill", "--start", "2026-11-05", "--end", "2026-11-01"],
                 ["sql", "select 1", "--warehouse", str(tmp_path)]):
        proc = newsetl(*args, env=prefect_api)
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr and proc.stderr.strip().count("\n") <= 1, proc.stderr
        assert "hunter2" not in proc.stderr + proc.stdout


def test_backfill_replaces_only_its_days(tmp_path, prefect_api):
    inp, wh = tmp_path / "in", tmp_path / "wh"
    for day, seed in (("2026-11-01", "000_3ef350cdd4bc2bac.txt"), ("2026-11-02", "003_b54bb3dfe6eb36d9.txt")):
        (inp / day).mkdir(parents=True)
        shutil.copy(SEEDS / seed, inp / day / seed)
    assert newsetl("run", "--input", str(inp), "--warehouse", str(wh), env=prefect_api).returncode == 0
    before = dict(q(wh, "select batch_date::varchar, run_id from articles"))
    proc = newsetl("backfill", "--start", "2026-11-01", "--end", "2026-11-01", "--input", str(inp), "--warehouse",
                   str(wh), env=prefect_api)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_clean_output(proc)
    after = dict(q(wh, "select batch_date::varchar, run_id from articles"))
    assert set(after) == {"2026-11-01", "2026-11-02"} and len(after) == 2
    assert after["2026-11-02"] == before["2026-11-02"] and after["2026-11-01"] != before["2026-11-01"]
    assert q(wh, "select count(*) from figures where batch_date = '2026-11-01'")[0][0] > 0
    assert len(q(wh, "select run_id from runs")) == 2  # the replaced day keeps its run history
    from deltalake import DeltaTable

    replaced = next(h for h in DeltaTable(str(wh / "articles")).history() if h["operation"] == "WRITE")
    assert replaced["operationParameters"]["mode"] == "Overwrite"  # the day swapped in one transaction
    proc = newsetl("backfill", "--start", "2026-11-01", "--end", "2026-11-02", "--input", str(inp), "--warehouse",
                   str(wh), env=prefect_api)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    both = dict(q(wh, "select batch_date::varchar, run_id from articles"))
    assert len(both) == 2 and all(both[d] not in (before[d], after[d]) for d in both)  # two days, in parallel subflows
    history = newsetl("history", "--warehouse", str(wh), "--format", "json", env=prefect_api)
    ops = [json.loads(line) for line in history.stdout.splitlines()]
    assert sum(1 for o in ops if o["table"] == "articles" and "overwrite" in o["operation"]) == 3


def test_sigkill_mid_batch_loses_and_duplicates_nothing(tmp_path, prefect_api):
    """Kill a real run while it stages chunks; the warehouse stays consistent and the next run completes."""
    import os
    import signal
    import time

    inp, wh = tmp_path / "in", tmp_path / "wh"
    for i in range(12):
        for seed in sorted(SEEDS.glob("*.txt")):
            (inp / f"site-{i}").mkdir(parents=True, exist_ok=True)
            (inp / f"site-{i}" / seed.name).write_text(seed.read_text("utf-8") + f"\nFiled by desk {i}.\n", "utf-8")
    env = {**os.environ, **prefect_api, "NEWSETL_CHUNK_SIZE": "10", "NEWSETL_N_PROCESS": "1"}
    proc = subprocess.Popen([*NEWSETL, "run", "--input", str(inp), "--warehouse", str(wh), "--date", "2026-11-20"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not list((wh / "_newsetl" / "staging").rglob("*.parquet")):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not list((wh / "articles").rglob("batch_date=*/*.parquet")) if (wh / "articles").exists() else True
    assert next((wh / "_newsetl" / "leases").glob("*.json"), None)  # not stale yet: the next run would wait
    assert_next_run_completes(wh, inp, prefect_api, 60)
    assert not list((wh / "_newsetl" / "staging").rglob("*.parquet"))


@pytest.mark.parametrize("workers", ["2", "0"])
def test_sigterm_stops_a_run_within_seconds_and_leaves_no_process(tmp_path, workers, prefect_api):
    """A scheduler's SIGTERM mid-parse: exit 143 in seconds with one line, workers and the temporary
    Prefect server gone, nothing published; the next run publishes everything."""
    import os
    import signal
    import time

    import psutil

    inp, wh = tmp_path / "in", tmp_path / "wh"
    for i in range(24):
        for seed in sorted(SEEDS.glob("*.txt")):
            (inp / f"site-{i}").mkdir(parents=True, exist_ok=True)
            (inp / f"site-{i}" / seed.name).write_text(seed.read_text("utf-8") + f"\nFiled by desk {i}.\n", "utf-8")
    env = {**os.environ, "NEWSETL_CHUNK_SIZE": "20", "NEWSETL_VALIDATE_SIZE": "20", "NEWSETL_N_PROCESS": workers,
           "NEWSETL_DEBUG": ""}
    # parsing in the run's own process: its own temporary Prefect server (it must go too); else the shared one
    env.update(prefect_api if workers != "0" else {})
    proc = subprocess.Popen([*NEWSETL, "run", "--input", str(inp), "--warehouse", str(wh), "--date", "2026-11-20"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent, deadline = psutil.Process(proc.pid), time.monotonic() + 300
    # mid-parse, whatever the machine's speed: the first chunk is staged, five more are to parse
    while time.monotonic() < deadline and proc.poll() is None and not list(
            (wh / "_newsetl" / "staging").rglob("*.parquet")):
        time.sleep(0.02)
    children = parent.children(recursive=True)
    busy = [c for c in children if ("spawn_main" if workers != "0" else "uvicorn") in " ".join(c.cmdline())]
    assert len(busy) >= max(1, int(workers)) and proc.poll() is None, "the run ended before it could be stopped"
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, out + err
    assert time.monotonic() - sent < 10, err  # the workers are stopped, not waited for (chunks take minutes at scale)
    assert "newsetl: terminated" in err and "Traceback" not in err, err
    _, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, [" ".join(p.cmdline()) for p in alive]  # workers, resource tracker, Prefect server
    assert not list((wh / "articles").rglob("batch_date=*/*.parquet")) if (wh / "articles").exists() else True
    if workers == "0":  # the next run after a stop is the same with or without worker processes: checked once
        return
    assert_next_run_completes(wh, inp, prefect_api, 120)  # a SIGKILL-like end: the lease stays


def assert_next_run_completes(wh: Path, inp: Path, prefect_api: dict, articles: int) -> None:
    """Age the stopped run's lease past its time to live (as if minutes had passed), run again: the batch
    is published whole, once, and nothing stays staged."""
    from warehouse import leases

    for lease in (wh / "_newsetl" / "leases").glob("*.json"):
        stale = json.loads(lease.read_text())
        stale["renewed_at"] -= leases.LEASE_TTL_S + 1
        lease.write_text(json.dumps(stale))
    done = newsetl("run", "--input", str(inp), "--warehouse", str(wh), "--date", "2026-11-20", env=prefect_api)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_clean_output(done)
    assert q(wh, "select count(*), count(distinct article_id) from articles") == [(articles, articles)]
