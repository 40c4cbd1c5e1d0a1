"""`make setup` with a broken package index: it stops at the installer's own error and leaves no stamp."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_a_broken_package_index_stops_setup_with_the_installers_error(tmp_path):
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    base = getattr(sys, "_base_executable", sys.executable)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull,
           "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_FIND_LINKS": "", "PIP_EXTRA_INDEX_URL": "",
           "PIP_RETRIES": "0", "PIP_TIMEOUT": "2", "PIP_NO_CACHE_DIR": "1"}
    proc = subprocess.run(["make", "setup", f"PYTHON={base}"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "ERROR: " in out and ("No matching distribution" in out or "Could not find a version" in out), out
    assert not (tmp_path / ".venv" / ".installed").exists()
    again = subprocess.run(["make", "-q", "setup", f"PYTHON={base}"], cwd=tmp_path, env=env, capture_output=True)
    assert again.returncode != 0  # the next make tries the install again
