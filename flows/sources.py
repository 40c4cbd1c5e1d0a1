"""Input discovery and reading: local paths and fsspec URLs, .txt/.html/.jsonl, optionally .gz."""
from __future__ import annotations

import gzip
import io
import json
import os
import re
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlparse

import fsspec

from transforms.article import RawDoc
from transforms.meta.decode import DecodeError, decode_bytes, normalise_text, repair_mojibake

FORMATS = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
MAX_FILE_BYTES = 25 * 1024 * 1024        # raw file size cap
MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024  # gzip bomb cap
# an HTML page, whatever its file is called (a scraper saved the markup as .txt): a doctype or <html> first,
# after white space, a byte-order mark, an XML declaration or comments (WHATWG's sniffing, narrowed to pages)
_HTML_START = re.compile(r"(?:\ufeff|\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                         r"<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
_DATE_DIR = re.compile(r"(?:^|/)(?:dt=)?(\d{4}-\d{2}-\d{2})(?=/)")
# What a file system's listing says about a file's version: local mtime and inode, S3's ETag, GCS's generation...
_VERSION_KEYS = ("mtime", "ino", "ETag", "etag", "LastModified", "last_modified", "generation", "md5Hash", "updated")
RACY_SECONDS = 2.0  # a file changed this recently may change again within the same mtime tick: not vouched for


class InputError(RuntimeError):
    """The input root cannot be read at all."""


@dataclass(frozen=True)
class InputFile:
    """A file found under the input root, with its batch date."""

    uri: str
    path: str
    size: int
    batch_date: str
    version: str = ""  # size and version as listed; "" when the listing cannot vouch the bytes are unchanged
    opens: str = ""    # what to open when it is not `uri`: a local name that is no UTF-8 (uri has it %-escaped)


def version_of(info: dict, now: float) -> str:
    """A string that changes whenever the file's bytes do, from its listing alone; "" when the file
    system lists no version, or the file changed in the last RACY_SECONDS (a second change within the
    same mtime tick would go unseen)."""
    found = [f"{k}={info[k]}" for k in _VERSION_KEYS if info.get(k) is not None]
    if not found or (isinstance(info.get("mtime"), int | float) and info["mtime"] > now - RACY_SECONDS):
        return ""
    return f"size={info.get('size')};" + ";".join(found)


def batch_date_of(path: str, default: str) -> str:
    """A YYYY-MM-DD or dt=YYYY-MM-DD folder in the path (the deepest), else the default; ValueError when
    that folder is no calendar date ('dt=2026-02-30'): its files belong to no partition."""
    found = _DATE_DIR.findall(path)
    if not found:
        return default
    try:
        datetime.strptime(found[-1], "%Y-%m-%d")
    except ValueError:
        raise ValueError(f"batch date folder {found[-1]} is not a calendar date") from None
    return found[-1]


def root_key(input_uri: str) -> str:
    """An input root as one string, wherever the command was started (a local path made absolute)."""
    return input_uri if "://" in input_uri else os.path.abspath(input_uri)


def is_html(head: str) -> bool:
    """Whether a text begins as an HTML page does (its first few KB; bytes read as Latin-1 will do)."""
    return _HTML_START.match(head) is not None


def file_format(path: str) -> str | None:
    name = path.lower().removesuffix(".gz")
    return next((fmt for ext, fmt in FORMATS.items() if name.endswith(ext)), None)


def discover(input_uri: str, default_date: str, warehouse_uri: str | None = None) -> tuple[list[InputFile], list[dict]]:
    """Every file under the input root (sorted) and quarantine rows for those that must not be read. A
    warehouse inside the input root is not input: its own files are left out, not quarantined run after run."""
    fs, root = fsspec.core.url_to_fs(input_uri)
    skip = _inside(fs, root, warehouse_uri)
    try:
        if not fs.exists(root):
            raise InputError(f"input not found: {input_uri}")
        entries = fs.find(root, detail=True) if fs.isdir(root) else {root: fs.info(root)}
    except (PermissionError, OSError) as exc:
        raise InputError(f"cannot read input {input_uri}: {exc.strerror or exc}") from None
    protocol = input_uri.split("://", 1)[0] + "://" if "://" in input_uri else ""
    real_root = os.path.realpath(root) if not protocol else None
    files, quarantined, now = [], [], time.time()
    for path, info in sorted(entries.items()):
        if info.get("type") == "directory" or skip and (path == skip or path.startswith(skip + "/")):
            continue
        uri = _text(protocol + path)
        rel = path[len(root):] if path.startswith(root) else path
        try:
            date = batch_date_of(rel if rel.startswith("/") else "/" + rel, default_date)
        except ValueError as exc:
            quarantined.append(_q(uri, default_date, str(exc)))
            continue
        if real_root and os.path.islink(path) and not os.path.realpath(path).startswith(real_root + os.sep):
            quarantined.append(_q(uri, date, "symlink points outside the input root: not followed"))
        elif file_format(path) is None:
            kind = os.path.splitext(path)[1] or "(none)"
            quarantined.append(_q(uri, date, f"unknown file type {kind}: expected .txt, .html, .htm or .jsonl, "
                                             "optionally .gz"))
        elif (info.get("size") or 0) > MAX_FILE_BYTES:
            quarantined.append(_q(uri, date, f"file is {info['size']} bytes, over the {MAX_FILE_BYTES} byte cap"))
        else:
            files.append(InputFile(uri, path, int(info.get("size") or 0), date, version_of(info, now),
                                   opens="" if uri == protocol + path else protocol + path))
    return files, quarantined


_UNDECODED = re.compile("[\udc80-\udcff]")  # a byte of a file name that is no UTF-8, as Python holds it


def _text(uri: str) -> str:
    """A file's URI as text every table can hold: the bytes of a local name that are no UTF-8 %-escaped
    ('bad\\xffname.txt' -> 'bad%FFname.txt'; they were written to no column and failed the run)."""
    return _UNDECODED.sub(lambda m: f"%{ord(m.group()) - 0xDC00:02X}", uri)


def _inside(fs, root: str, warehouse_uri: str | None) -> str | None:
    """The warehouse's path on the input's file system when it lies under the input root, else None."""
    if not warehouse_uri:
        return None
    try:
        wfs, path = fsspec.core.url_to_fs(warehouse_uri)
    except (ImportError, ValueError):
        return None
    if type(wfs) is not type(fs):
        return None
    if "://" not in warehouse_uri:
        path, root = os.path.realpath(path), os.path.realpath(root)
    path, root = path.rstrip("/"), root.rstrip("/")
    return path if path.startswith(root + "/") else None


def quarantine_row(source_uri: str, batch_date: str, reason: str, article_id: str | None = None,
                   stage: str = "ingest") -> dict:
    """A `quarantine` row (the one place it is built); the run adds its id and time (quarantine_table)."""
    return {"source_uri": source_uri, "article_id": article_id, "stage": stage, "reason": reason[:500],
            "batch_date": batch_date}


def stamped(rows: list[dict], run_id: str) -> list[dict]:
    """Quarantine rows stamped with the run and the time."""
    now = datetime.now(UTC)
    return [{**r, "run_id": run_id, "quarantined_at": now} for r in rows]


def quarantine_table(rows: list[dict], run_id: str):
    """Quarantine rows as the table's Arrow data, stamped with the run and the time."""
    from warehouse.schemas import to_table

    return to_table("quarantine", stamped(rows, run_id))


_q = quarantine_row


def read_file(f: InputFile) -> tuple[list[RawDoc], list[dict]]:
    """Decode one file into raw records; bad files and bad JSONL lines become quarantine rows."""
    try:
        data = _read_bytes(f)
    except DecodeError as exc:
        return [], [_q(f.uri, f.batch_date, str(exc))]
    fmt = file_format(f.path)
    if fmt == "jsonl":
        return _read_jsonl(f, data)
    if fmt == "text" and is_html(data[:4096].decode("latin-1")):
        fmt = "html"
    try:
        text, encoding, how = decode_bytes(data, markup=fmt == "html")
    except DecodeError as exc:
        return [], [_q(f.uri, f.batch_date, str(exc))]
    if not text.strip():
        return [], [_q(f.uri, f.batch_date, "empty file (no text)")]
    return [RawDoc(source_uri=f.uri, content=text, fmt=fmt, batch_date=f.batch_date, source_key=_folder(f.uri),
                   encoding=encoding, encoding_source=how)], []


def _read_bytes(f: InputFile) -> bytes:
    with fsspec.open(f.opens or f.uri, "rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise DecodeError(f"file is over the {MAX_FILE_BYTES} byte cap")
    if not f.path.lower().endswith(".gz"):
        return raw
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
            data = gz.read(MAX_DECOMPRESSED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DecodeError(f"corrupt gzip: {exc}") from None
    if len(data) > MAX_DECOMPRESSED_BYTES:
        raise DecodeError(f"decompresses to over the {MAX_DECOMPRESSED_BYTES} byte cap (gzip bomb?)")
    return data


def _read_jsonl(f: InputFile, data: bytes) -> tuple[list[RawDoc], list[dict]]:
    try:
        text, encoding, how = decode_bytes(data, declared=_declared_in_jsonl(data))
    except DecodeError as exc:
        return [], [_q(f.uri, f.batch_date, str(exc))]
    docs, bad = [], []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        uri = f"{f.uri}#{n}"
        record, reason = _record(line)
        if reason:
            bad.append(_q(uri, f.batch_date, reason))
            continue
        body, repaired = repair_mojibake(normalise_text(record.get("text") or record.get("html")))
        url = _str(record.get("url"))
        fmt = "text" if record.get("text") and not is_html(body[:4096]) else "html"
        docs.append(RawDoc(source_uri=uri, content=body, fmt=fmt,
                           encoding=encoding,
                           encoding_source=how + ("+ftfy" if repaired and "+ftfy" not in how else ""),
                           batch_date=f.batch_date, url=url, title=_str(record.get("title")),
                           author=_str(record.get("author")), source_name=_str(record.get("source")),
                           published=_published(record.get("published")),
                           source_key=urlparse(url).netloc if url else _folder(f.uri)))
    if not docs and not bad:
        bad.append(_q(f.uri, f.batch_date, "empty JSONL file (no records)"))
    return docs, bad


def _declared_in_jsonl(data: bytes) -> str | None:
    """The encoding a JSONL file's first record names in an `encoding` or `charset` field (read from
    its ASCII bytes, which every such encoding shares), for a file that is not UTF-8."""
    first = data.split(b"\n", 1)[0].decode("ascii", "replace")
    try:
        record = json.loads(first)
    except json.JSONDecodeError:
        return None
    found = record.get("encoding") or record.get("charset") if isinstance(record, dict) else None
    return found if isinstance(found, str) else None


_SURROGATE = re.compile("[\ud800-\udfff]")  # no Unicode character: JSON's '\\ud83d' without its pair, as json.loads
# leaves it, or a byte of a name that is no UTF-8, as Python holds it


def unicode_text(text: str) -> str:
    """Text every column can hold: a surrogate becomes U+FFFD."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def _record(line: str) -> tuple[dict, str | None]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {}, f"malformed JSON line: {exc.msg} at column {exc.colno}"
    if not isinstance(record, dict):
        return {}, "JSON line is not an object"
    if "\\ud" in line.lower():  # an escaped surrogate: one left alone (a cut emoji) is no text any table holds
        record = {k: unicode_text(v) if isinstance(v, str) else v for k, v in record.items()}
    body = record.get("text") or record.get("html")
    if not isinstance(body, str) or not body.strip():
        return {}, "JSON record has no 'text' or 'html' string"
    return record, None


def _str(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _published(value) -> str | None:
    """A record's publication time: a string, or a number of seconds (or milliseconds) since 1970."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return str(int(value))
    return _str(value)


def _folder(uri: str) -> str:
    return uri.rsplit("/", 1)[0]
