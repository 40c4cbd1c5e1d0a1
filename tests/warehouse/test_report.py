"""`newsetl report`: a static offline page whose charts render in a real headless browser."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from warehouse.report import build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
def test_report_is_static_and_offline(warehouse):
    page = Path(build(str(warehouse))).read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no CDN, nothing fetched
    assert "Press TV" in page and "United States" in page and "binary data" in page
    assert "last run r1: published" in page


@pytest.mark.skipif(CHROMIUM is None,
                    reason="no headless browser: install Debian's chromium (apt-get install chromium)")
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
