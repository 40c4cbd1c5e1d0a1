"""The command line as a scheduler scripts it: settings and their errors, --version, --json, exit statuses,
backfill --dry-run, newsetl config and newsetl doctor."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import jsonschema
import pytest

from flows.cli import _log_level
from flows.commands import EXIT_BLOCKED, EXIT_OK, EXIT_RETRY, Output, _summary
from flows.settings import PIPELINE_VERSION, Settings, markdown_table
from tests.conftest import ROOT, SEEDS

SCHEMA = json.loads((ROOT / "flows" / "data" / "result.schema.json").read_text(encoding="utf-8"))


def cli(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_")}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**clean, "PYTHONPATH": str(ROOT), **(env or {})})


def result_of(proc: subprocess.CompletedProcess) -> dict:
    """stdout holds one JSON object and nothing else, valid against the committed schema."""
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, SCHEMA)
    return doc


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    for key in [k for k in os.environ if k.startswith("NEWSETL_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- settings ------------------------------------------------------------------------------------------------
BAD = [  # (environment, newsetl.toml, flags, the setting the one-line error must name)
    ({"NEWSETL_CHUNK_SIZE": "abc"}, None, [], "chunk_size"),                   # type, environment
    ({"NEWSETL_CHUNK_SIZE": "0"}, None, [], "chunk_size"),                     # range
    ({"NEWSETL_N_PROCESS": "-1"}, None, [], "n_process"),
    ({"NEWSETL_VALIDATE_SIZE": "1.5"}, None, [], "validate_size"),
    ({"NEWSETL_BACKFILL_PARALLEL": "999"}, None, [], "backfill_parallel"),
    ({"NEWSETL_HISTORY_RETENTION": "a week"}, None, [], "history_retention"),
    ({"NEWSETL_LOG_LEVEL": "LOUD"}, None, [], "log_level"),
    ({"NEWSETL_DEBUG": "maybe"}, None, [], "debug"),
    ({"NEWSETL_CHUNKSIZE": "5"}, None, [], "NEWSETL_CHUNKSIZE"),              # unknown variable
    ({}, 'chunk_size = "many"\n', [], "chunk_size"),                          # type, file
    ({}, "nlp_batch_size = 0\n", [], "nlp_batch_size"),                        # range, file
    ({}, 'warehous = "/tmp/wh"\n', [], "warehous"),                           # unknown key, file
    ({}, "chunk_size = [1, 2]\n", [], "chunk_size"),
    ({}, "[pipeline]\nchunk_size = 5\n", [], "pipeline"),                     # a table is no setting
    ({}, "chunk_size = \n", [], "newsetl.toml"),                              # not TOML
    ({"NEWSETL_CONFIG": "/nonexistent/newsetl.toml"}, None, [], "NEWSETL_CONFIG"),
    ({}, None, ["--chunk-size", "lots"], "chunk_size"),                       # type, flag
    ({}, None, ["--n-process", "-3"], "n_process"),                           # range, flag
]


@pytest.mark.parametrize("env,toml,flags,name", BAD, ids=[c[3] + str(i) for i, c in enumerate(BAD)])
def test_every_bad_setting_is_one_line_and_exit_2(no_env, monkeypatch, capsys, env, toml, flags, name):
    """`newsetl run` in this process (main() as the entry point calls it); the next test does it as a process."""
    from flows.cli import main

    if toml is not None:
        (no_env / "newsetl.toml").write_text(toml, encoding="utf-8")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    status = main(["run", *flags, "--warehouse", str(no_env / "wh")])
    out, err = capsys.readouterr()
    assert status == 2 and out == "", out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsetl: error: ") and name in lines[0], err
    assert not (no_env / "wh").exists()  # nothing was started


@pytest.mark.parametrize("env,flags", [({"NEWSETL_CHUNK_SIZE": "abc"}, []), ({}, ["--n-process", "-3"])])
def test_a_bad_setting_ends_the_process_with_2_and_one_line(tmp_path, env, flags):
    proc = cli("run", *flags, "--warehouse", str(tmp_path / "wh"), env=env, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == "", proc.stdout + proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_a_bad_setting_with_json_is_one_json_object(tmp_path):
    proc = cli("run", "--json", env={"NEWSETL_CHUNK_SIZE": "abc"}, cwd=tmp_path)
    assert proc.returncode == 2
    doc = result_of(proc)
    assert doc["exit_status"] == 2 and "chunk_size" in doc["error"]


def test_precedence_flag_environment_file_default(no_env, monkeypatch):
    (no_env / "newsetl.toml").write_text('chunk_size = 7\nnlp_batch_size = 9\nhistory_retention = "7d"\n')
    monkeypatch.setenv("NEWSETL_CHUNK_SIZE", "8")
    monkeypatch.setenv("NEWSETL_NLP_BATCH_SIZE", "")  # empty: not set
    s = Settings.load({"chunk_size": "9", "warehouse": None})
    assert (s.chunk_size, s.source("chunk_size")) == (9, "--chunk-size")
    s = Settings.load()
    assert (s.chunk_size, s.source("chunk_size")) == (8, "NEWSETL_CHUNK_SIZE")
    assert (s.nlp_batch_size, s.retention_hours) == (9, 168.0)
    assert s.source("nlp_batch_size") == f"{no_env / 'newsetl.toml'} (nlp_batch_size)"
    monkeypatch.delenv("NEWSETL_CHUNK_SIZE")
    assert Settings.load().chunk_size == 7
    (no_env / "newsetl.toml").unlink()
    s = Settings.load()
    assert (s.chunk_size, s.source("chunk_size"), s.validate_size) == (200, "default", 500)
    other = no_env / "elsewhere.toml"
    other.write_text("validate_size = 50\n")
    monkeypatch.setenv("NEWSETL_CONFIG", str(other))
    assert Settings.load().validate_size == 50


def test_flags_reach_the_flows_through_the_environment(no_env, monkeypatch):
    monkeypatch.setenv("NEWSETL_CHUNK_SIZE", "1")  # restored (unset) after the test
    monkeypatch.delenv("NEWSETL_CHUNK_SIZE")
    s = Settings.load({"chunk_size": "17"})
    s.export()
    assert os.environ["NEWSETL_CHUNK_SIZE"] == "17" and Settings.from_env().chunk_size == 17
    assert "NEWSETL_VALIDATE_SIZE" not in os.environ  # only what a flag set


@pytest.mark.parametrize("own", [None, "mimalloc"])
def test_the_command_gives_arrow_the_system_allocator_unless_the_user_chose_one(tmp_path, own):
    """The command sets the pool in its environment before pyarrow is imported (its worker processes inherit it)."""
    code = ("import sys; from flows.cli import main; main(['config', '--json']); import pyarrow; "
            "print(pyarrow.default_memory_pool().backend_name, file=sys.stderr)")
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if own:
        env["ARROW_DEFAULT_MEMORY_POOL"] = own
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == (own or "system")


def test_config_command_says_where_each_value_came_from(tmp_path):
    (tmp_path / "newsetl.toml").write_text('warehouse = "s3://bucket/wh"\n')
    proc = cli("config", "--json", "--chunk-size", "5", env={"NEWSETL_VALIDATE_SIZE": "50"}, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    settings = result_of(proc)["settings"]
    assert settings["chunk_size"] == {"value": 5, "source": "--chunk-size"}
    assert settings["validate_size"] == {"value": 50, "source": "NEWSETL_VALIDATE_SIZE"}
    assert settings["warehouse"] == {"value": "s3://bucket/wh", "source": f"{tmp_path / 'newsetl.toml'} (warehouse)"}
    assert settings["nlp_batch_size"] == {"value": 32, "source": "default"}
    human = cli("config", cwd=tmp_path)
    assert human.returncode == 0 and "s3://bucket/wh" in human.stdout and "newsetl.toml" in human.stdout


def test_readme_configuration_table_is_the_model():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- settings:begin.*?-->\n(.*?)\n<!-- settings:end -->", readme, re.S)
    assert found, "README lacks the generated settings table"
    assert found.group(1).strip() == markdown_table(), "regenerate it: python -m flows.settings"


def test_run_json_is_one_object_with_the_batch(seeds_run):
    wh, doc = seeds_run
    jsonschema.validate(doc, SCHEMA)
    assert doc["command"] == "run" and doc["exit_status"] == 0 and doc["status"] == "published"
    assert doc["articles_published"] == 5 and doc["runs"][0]["counts"]["articles"] == 5
    assert doc["run_id"] == doc["run_ids"][0] and doc["runs"][0]["batch_date"] == "2026-11-20"
    assert {"scan", "publish"} <= set(doc["stage_seconds"]) and doc["warehouse_version"] >= 1
    from deltalake import DeltaTable

    runs = DeltaTable(str(wh / "runs"), version=doc["warehouse_version"]).to_pyarrow_table(columns=["run_id"])
    assert doc["run_id"] in runs.column("run_id").to_pylist()  # the version its runs row was committed in


# -- --version, exit statuses, log level ------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["--version"], ["run", "--version"], ["sql", "--version"], ["doctor", "--version"]])
def test_version(args):
    proc = cli(*args)
    assert proc.returncode == 0 and proc.stdout.strip() == f"newsetl {PIPELINE_VERSION}", proc.stdout + proc.stderr


def _run(status: str, retry: bool = False) -> dict:
    return {"run_id": "r1", "flow": "daily", "status": status, "reason": None if status != "failed" else "x",
            "retry_later": retry, "files_seen": 3, "articles_published": 2 if status == "published" else 0,
            "rows_quarantined": 1, "validation_success": status != "failed", "counts": {"articles": 2},
            "quarantine_reasons": {"empty file": 1}, "stage_seconds": {"clean": 0.5},
            "params": {"batch_date": "2026-11-20"}}


@pytest.mark.parametrize("runs,status", [([_run("published")], EXIT_OK), ([_run("nothing_new")], EXIT_OK),
                                         ([_run("failed")], EXIT_BLOCKED), ([_run("failed", retry=True)], EXIT_RETRY),
                                         ([_run("published"), _run("failed", retry=True)], EXIT_RETRY)])
def test_exit_status_of_a_batch(tmp_path, runs, status):
    from datetime import datetime

    doc = _summary(runs, str(tmp_path / "none"), datetime.now(UTC), Output(True, "run"))
    assert doc["exit_status"] == status
    jsonschema.validate({"newsetl_version": PIPELINE_VERSION, "command": "backfill", **doc}, SCHEMA)


def test_verbose_and_quiet_move_the_log_level(no_env, monkeypatch):
    monkeypatch.setenv("PREFECT_LOGGING_LEVEL", "INFO")
    for shift, level in ((0, "INFO"), (1, "DEBUG"), (5, "DEBUG"), (-1, "WARNING"), (-2, "ERROR")):
        _log_level(Settings.load(), shift)
        assert os.environ["PREFECT_LOGGING_LEVEL"] == level
    monkeypatch.setenv("NEWSETL_LOG_LEVEL", "warning")
    _log_level(Settings.load(), 0)
    assert os.environ["PREFECT_LOGGING_LEVEL"] == "WARNING"


# -- backfill --dry-run ---------------------------------------------------------------------------------------
def test_backfill_dry_run_lists_days_and_files_and_writes_nothing(tmp_path, seeds_warehouse):
    inp = tmp_path / "in"
    seeds = sorted(SEEDS.glob("*.txt"))
    for day, seed in (("2026-11-20", seeds[0]), ("2026-11-20", seeds[1]), ("2026-11-22", seeds[2])):
        (inp / day).mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, inp / day / seed.name)
    (inp / "2026-11-21").mkdir()
    (inp / "2026-11-21" / "notes.pdf").write_bytes(b"%PDF")
    wh = tmp_path / "wh"
    shutil.copytree(seeds_warehouse, wh)
    before = {p: p.stat().st_mtime_ns for p in wh.rglob("*")}
    proc = cli("backfill", "--start", "2026-11-20", "--end", "2026-11-22", "--input", str(inp), "--warehouse", str(wh),
               "--dry-run", "--json")
    assert proc.returncode == 0, proc.stderr
    plan = {d["batch_date"]: d for d in result_of(proc)["days"]}
    assert list(plan) == ["2026-11-20", "2026-11-21", "2026-11-22"]
    assert [Path(f).name for f in plan["2026-11-20"]["files"]] == [seeds[0].name, seeds[1].name]
    assert plan["2026-11-20"]["articles_published"] == 5  # the seeds warehouse's day
    assert plan["2026-11-21"]["files"] == [] and plan["2026-11-21"]["skipped_files"][0].endswith("notes.pdf")
    assert plan["2026-11-22"]["articles_published"] == 0
    assert {p: p.stat().st_mtime_ns for p in wh.rglob("*")} == before
    human = cli("backfill", "--start", "2026-11-22", "--end", "2026-11-22", "--input", str(inp), "--warehouse",
                str(tmp_path / "new"), "--dry-run")
    assert human.returncode == 0 and seeds[2].name in human.stdout and "nothing written" in human.stdout
    assert not (tmp_path / "new").exists()


# -- doctor ---------------------------------------------------------------------------------------------------
def test_doctor_passes_here_and_names_what_to_fix(tmp_path, prefect_api, seeds_warehouse):
    proc = cli("doctor", "--json", "--warehouse", str(seeds_warehouse), env=prefect_api)
    doc = result_of(proc)
    assert proc.returncode == 0 and all(c["ok"] for c in doc["checks"]), proc.stdout
    assert {c["check"] for c in doc["checks"]} >= {"spaCy model", "Prefect API", "warehouse", "storage credentials",
                                                   "free disk"}
    assert "version" in next(c for c in doc["checks"] if c["check"] == "warehouse")["detail"]
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    bad = cli("doctor", "--warehouse", str(locked / "wh"), "--input", str(tmp_path / "none"),
              env={**prefect_api, "PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert bad.returncode == 1, bad.stdout + bad.stderr
    failed = [line for line in bad.stdout.splitlines() if line.startswith("FAIL")]
    assert any("Prefect API" in f and "fix:" in f for f in failed)
    assert any(line.startswith("FAIL input") for line in failed)
    if os.geteuid() != 0:  # root writes anywhere
        assert any(line.startswith("FAIL warehouse") for line in failed)
    assert "Traceback" not in bad.stdout + bad.stderr


def test_model_files_match_the_recorded_checksums():
    from flows.model_check import verify

    problems, meta = verify()
    assert problems == [] and meta["name"].startswith("core_web_sm") and meta["version"] == "3.8.0"


def test_a_reader_that_goes_away_ends_the_command_quietly():
    """`newsetl sql ... | head`: the output's reader closed its end; no 'BrokenPipeError' line, SIGPIPE's status."""
    read, write = os.pipe()
    os.close(read)  # gone before the first line
    try:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_")}
        proc = subprocess.run([sys.executable, "-m", "flows.cli", "config"], cwd=ROOT, stdout=write,
                              stderr=subprocess.PIPE, text=True, env={**clean, "PYTHONPATH": str(ROOT)}, timeout=120)
    finally:
        os.close(write)
    assert proc.returncode == 141 and proc.stderr == ""
