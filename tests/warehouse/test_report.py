"""`newsetl report`: a static offline page whose charts render in a real headless browser."""
import re
import shutil
import subprocess

import pytest

from warehouse.catalog import write_catalog
from warehouse.report import build
from warehouse.writer import Warehouse

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
TABLES = ("articles", "removed_segments", "entities", "figures", "quarantine", "runs")


@pytest.fixture
def warehouse(tmp_path):
    wh = Warehouse(str(tmp_path))
    day = "2026-11-20"
    wh.publish({
        "articles": [{"article_id": f"a{i}", "source_uri": f"/in/{i}.txt", "source_name": src, "body": "US troops.",
                      "raw_chars": 10, "body_chars": 10, "batch_date": day, "run_id": "r1", "pipeline_version": "t",
                      "language": "en"} for i, src in enumerate(["Press TV", "Reuters", "Reuters"])],
        "entities": [{"article_id": "a0", "seq": 0, "text": "US", "label": "GPE", "canonical": "United States",
                      "start_char": 0, "end_char": 2, "sentence_idx": 0, "batch_date": day}],
        "figures": [{"article_id": "a1", "seq": 0, "text": "2,500", "value": 2500.0, "unit": "troop", "kind": "count",
                     "qualifier": "approx", "subject": "US troops", "start_char": 0, "end_char": 5, "sentence_idx": 0,
                     "sentence": "About 2,500 US troops.", "batch_date": day}],
        "quarantine": [{"source_uri": "/in/x.bin", "stage": "ingest", "reason": "binary data: not text",
                        "batch_date": day, "run_id": "r1"}],
        "runs": [{"run_id": "r1", "flow": "daily", "status": "published", "files_seen": 4, "articles_published": 3,
                  "rows_quarantined": 1, "validation_success": True, "params": "{}", "batch_date": day}],
    }, "r1")
    write_catalog(wh.path("newsetl.duckdb"), {t: wh.table_glob(t) if wh.fs.glob(wh.table_glob(t)) else None for t in TABLES})
    return tmp_path


def test_report_is_static_and_offline(warehouse):
    page = open(build(str(warehouse)), encoding="utf-8").read()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no CDN, nothing fetched
    assert "Press TV" in page and "United States" in page and "binary data" in page
    assert "last run r1: published" in page


@pytest.mark.skipif(CHROMIUM is None, reason="no headless browser: install Debian's chromium (apt-get install chromium)")
def test_report_charts_render_in_headless_chromium_without_console_errors(warehouse, tmp_path_factory):
    path = build(str(warehouse))
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                           "--virtual-time-budget=5000", "--dump-dom", f"file://{path}"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [ln for ln in proc.stderr.splitlines() if "CONSOLE" in ln]
    assert not console, console
    assert 'data-charts-rendered="4"' in proc.stdout
    assert proc.stdout.count("<rect") >= 4  # one bar per chart at least
