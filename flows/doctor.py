"""`newsetl doctor`: what a run needs, checked one by one, each failure with what to do about it."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from flows.settings import PIPELINE_VERSION, SPACY_MODEL, Settings, apply_prefect_defaults, redact

MIN_FREE_BYTES = 2 * 1024 ** 3  # a batch of a few thousand articles stages well under this
MODEL_VERSION = "3.8.0"


def checks(settings: Settings) -> list[dict]:
    """Every check as {check, ok, detail, fix}; none raises."""
    steps: list[tuple[str, Callable[[Settings], tuple[bool, str, str]]]] = [
        ("newsetl", _version), ("spaCy model", _model), ("Prefect API", _prefect), ("input", _input),
        ("warehouse", _warehouse), ("storage credentials", _credentials), ("free disk", _disk)]
    results = []
    for name, step in steps:
        try:
            ok, detail, fix = step(settings)
        except Exception as exc:  # a check that cannot run is a failed check, said in one line
            ok, detail, fix = False, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", \
                "see the message; NEWSETL_DEBUG=1 shows more"
        results.append({"check": name, "ok": ok, "detail": detail, "fix": fix})
    return results


def _version(settings: Settings) -> tuple[bool, str, str]:
    import sys

    return True, f"{PIPELINE_VERSION} on Python {sys.version.split()[0]}", ""


def _model(settings: Settings) -> tuple[bool, str, str]:
    """The model imports, is en_core_web_sm 3.8.0 and its weights match the checksums recorded at release."""
    from flows.model_check import verify

    fix = "reinstall it: pip install --force-reinstall -r requirements.lock (make setup)"
    try:
        problems, meta = verify()
    except ImportError as exc:
        return False, f"{SPACY_MODEL} is not installed ({exc})", fix
    name = f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}"
    if meta.get("version") != MODEL_VERSION:
        return False, f"{name}: expected version {MODEL_VERSION}", fix
    if problems:
        return False, f"{name}: {len(problems)} files differ from the recorded checksums ({problems[0]})", fix
    return True, f"{name}, every file matches its recorded checksum", ""


def _prefect(settings: Settings) -> tuple[bool, str, str]:
    apply_prefect_defaults()
    from prefect.client.orchestration import get_client

    url = os.environ.get("PREFECT_API_URL")
    started = time.monotonic()
    with get_client(sync_client=True) as client:
        error = client.api_healthcheck()
    if error is not None:
        where = url or "the temporary server"
        return False, f"{where} does not answer: {error}", \
            "start one (prefect server start) and set PREFECT_API_URL, or unset it to use a temporary server"
    where = redact(url) if url else "temporary server (set PREFECT_API_URL for a real one)"
    return True, f"{where} answered in {time.monotonic() - started:.1f} s", ""


def _input(settings: Settings) -> tuple[bool, str, str]:
    import fsspec

    fs, path = fsspec.core.url_to_fs(settings.input)
    if not fs.exists(path):
        return False, f"{redact(settings.input)} not found", "set --input, NEWSETL_INPUT or input in newsetl.toml"
    return True, f"{redact(settings.input)} readable", ""


def _warehouse(settings: Settings) -> tuple[bool, str, str]:
    """Writable (a probe file written and deleted) and of this version."""
    from warehouse.lake import Lakehouse
    from warehouse.migrate import is_version_1

    lake = Lakehouse(settings.warehouse)
    where = redact(settings.warehouse)
    if lake.is_local:
        parent = Path(lake.root)
        while not parent.exists():
            parent = parent.parent
        if not os.access(parent, os.W_OK):
            return False, f"{where}: {parent} is not writable", "choose a writable --warehouse"
        if not Path(lake.root).exists():
            return True, f"{where}: none yet, `newsetl run` creates it", ""
    probe = lake.path(f"_doctor_{uuid.uuid4().hex}")
    lake.fs.pipe_file(probe, b"newsetl doctor")
    lake.fs.rm_file(probe)
    if is_version_1(lake):
        return False, f"{where}: a version-1 warehouse (plain Parquet)", f"newsetl migrate --warehouse {where}"
    runs = lake.table("runs") if lake.exists() else None
    state = f"Delta tables, version {runs.version()}" if runs is not None else "empty"
    return True, f"{where}: writable, {state}", ""


def _credentials(settings: Settings) -> tuple[bool, str, str]:
    """For object-store URIs: the store answers with the environment's credentials (listing the bucket)."""
    import fsspec

    remote = [u for u in (settings.input, settings.warehouse) if "://" in u and not u.startswith("file://")]
    if not remote:
        return True, "local paths only: none needed", ""
    for uri in remote:
        fs, path = fsspec.core.url_to_fs(uri)
        bucket = path.split("/", 1)[0]
        try:
            fs.ls(bucket)
        except Exception as exc:
            return False, f"{redact(uri)}: cannot list {bucket}: {type(exc).__name__}: {str(exc).splitlines()[0]}", \
                "set the store's variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL; " \
                "GOOGLE_APPLICATION_CREDENTIALS; AZURE_STORAGE_*)"
    return True, "the object store answers: " + ", ".join(redact(u) for u in remote), ""


def _disk(settings: Settings) -> tuple[bool, str, str]:
    places = [Path(tempfile.gettempdir())]
    if "://" not in settings.warehouse or settings.warehouse.startswith("file://"):
        wh = Path(settings.warehouse.removeprefix("file://")).absolute()
        while not wh.exists():
            wh = wh.parent
        places.insert(0, wh)
    low = []
    for place in places:
        free = shutil.disk_usage(place).free
        if free < MIN_FREE_BYTES:
            low.append(f"{place}: {free / 1024 ** 3:.1f} GiB free")
    if low:
        return False, "; ".join(low), f"free at least {MIN_FREE_BYTES / 1024 ** 3:.0f} GiB"
    return True, ", ".join(f"{p}: {shutil.disk_usage(p).free / 1024 ** 3:.0f} GiB free" for p in places), ""
