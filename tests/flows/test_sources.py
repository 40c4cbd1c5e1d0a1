"""Input listing: what vouches that a file is unchanged since a run read it, and where that is kept."""
from __future__ import annotations

import json

from flows.sources import RACY_SECONDS, version_of
from warehouse.lake import Lakehouse

NOW = 1_800_000_000.0


def test_a_version_changes_with_the_bytes_and_is_withheld_when_it_cannot_vouch():
    local = {"size": 10, "mtime": NOW - 3600, "ino": 7}
    assert version_of(local, NOW) == version_of(dict(local), NOW) != ""
    assert version_of({**local, "size": 11}, NOW) != version_of(local, NOW)
    assert version_of({**local, "mtime": NOW - 3599}, NOW) != version_of(local, NOW)
    assert version_of({**local, "mtime": NOW - RACY_SECONDS / 2}, NOW) == ""  # may change again in the same tick
    assert version_of({"size": 10, "ETag": '"abc"'}, NOW) != version_of({"size": 10, "ETag": '"abd"'}, NOW)
    assert version_of({"size": 10}, NOW) == ""  # a file system that lists no version


def test_the_input_index_round_trips_and_an_unreadable_one_is_empty(tmp_path):
    lake = Lakehouse(str(tmp_path / "wh"))
    index = {"/in/a.txt": ("size=1;mtime=1", ["a" * 32]), "/in/b.jsonl": ("size=2;mtime=2", ["b" * 32, "c" * 32])}
    lake.save_input_index("/in", index)
    assert lake.input_index("/in") == index and lake.input_index("/other") == {}
    with open(lake._input_index_path("/in"), "wb") as broken:
        broken.write(b"not parquet")
    assert lake.input_index("/in") == {}


def test_a_jsonl_record_gives_its_publication_time_as_text_or_unix_seconds(tmp_path):
    from flows.sources import InputFile, read_file

    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "a", "published": 1786700000}\n{"text": "b", "published": "2026-08-14T09:30:00Z"}\n'
                    '{"text": "c", "published": 1786700000123}\n{"text": "d", "published": true}\n', "utf-8")
    docs, quarantined = read_file(InputFile(uri=str(path), path=str(path), size=path.stat().st_size,
                                            batch_date="2026-08-14"))
    assert quarantined == []
    assert [d.published for d in docs] == ["1786700000", "2026-08-14T09:30:00Z", "1786700000123", None]


def test_an_html_page_saved_as_text_is_read_as_html(tmp_path):
    """A scraper that saved the markup under .txt (or put it in a JSONL record's "text"): the page is HTML."""
    from flows.sources import InputFile, read_file

    page = ('<!DOCTYPE html>\n<html><head><meta charset="windows-1251"><title>T</title></head>'
            '<body><p>Правительство объявило</p></body></html>')
    feed = json.dumps({"text": page}) + "\n" + json.dumps({"text": "Plain <b>text</b>"}) + "\n"
    files = {"page.txt": page.encode("cp1251"), "note.txt": b"The <html> tag opens a page.\n",
             "feed.jsonl": feed.encode()}
    read = {}
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        docs, quarantined = read_file(InputFile(uri=str(path), path=str(path), size=len(data), batch_date="2026-08-14"))
        assert quarantined == []
        read[name] = docs
    (page_doc,) = read["page.txt"]
    assert page_doc.fmt == "html" and "Правительство" in page_doc.content and page_doc.encoding_source == "declared"
    assert [d.fmt for d in read["note.txt"]] == ["text"] and [d.fmt for d in read["feed.jsonl"]] == ["html", "text"]


def test_a_warehouse_inside_the_input_root_is_not_input(tmp_path):
    from flows.sources import discover

    (tmp_path / "a.txt").write_text("An article.\n", "utf-8")
    (tmp_path / "wh" / "articles" / "_delta_log").mkdir(parents=True)
    (tmp_path / "wh" / "articles" / "_delta_log" / "00000000000000000000.json").write_text("{}", "utf-8")
    (tmp_path / "wh" / "notes.txt").write_text("Not an article either.\n", "utf-8")
    files, quarantined = discover(str(tmp_path), "", str(tmp_path / "wh"))
    assert [f.path.rsplit("/", 1)[-1] for f in files] == ["a.txt"] and quarantined == []
    files, quarantined = discover(str(tmp_path), "")  # a warehouse elsewhere: every file is input
    assert len(files) == 2 and len(quarantined) == 1
    assert discover(str(tmp_path), "", str(tmp_path.parent / "wh"))[0] == files  # outside the root: no effect


def test_a_date_folder_that_is_no_calendar_date_quarantines_its_files_not_the_run(tmp_path):
    """'dt=2026-02-30' is shaped as a batch date but names no day: its files go to quarantine under the
    run's date (one bad folder failed the whole publish: the partition value did not parse)."""
    from flows.sources import discover

    for folder in ("dt=2026-02-30", "2026-13-01", "dt=2026-02-28", "2024-02-29"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text("An article.\n", "utf-8")
    files, quarantined = discover(str(tmp_path), "2026-03-01")
    assert sorted(f.batch_date for f in files) == ["2024-02-29", "2026-02-28"]
    assert sorted((q["batch_date"], q["reason"]) for q in quarantined) == [
        ("2026-03-01", "batch date folder 2026-02-30 is not a calendar date"),
        ("2026-03-01", "batch date folder 2026-13-01 is not a calendar date")]


def test_a_local_name_that_is_no_utf8_is_read_under_an_escaped_uri(tmp_path):
    """A file name with a byte that is no UTF-8 ('bad\\xffname.txt') could not be written to source_uri: the
    whole run failed. Its URI %-escapes the byte; the file is read by its own name."""
    import os

    from flows.sources import discover, read_file

    os.makedirs(tmp_path / "in")
    with open(os.fsencode(tmp_path / "in") + b"/bad\xffname.txt", "wb") as out:
        out.write(b"An article about the budget.\n")
    (file,), quarantined = discover(str(tmp_path / "in"), "2026-08-14")
    assert quarantined == [] and file.uri.endswith("/bad%FFname.txt") and file.uri.encode("utf-8")
    (doc,), bad = read_file(file)
    assert bad == [] and doc.source_uri == file.uri and doc.content.startswith("An article")


def test_a_lone_surrogate_in_a_jsonl_record_becomes_a_replacement_character(tmp_path):
    """JSON may escape half of a pair ('\\ud83d', an emoji cut short): left in, no column could hold the text."""
    from flows.sources import InputFile, read_file

    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "Fans cheered \\ud83d on Sunday.", "title": "Win \\udc00", "url": "http://x.test/\\ud800"}\n',
                    "utf-8")
    (doc,), bad = read_file(InputFile(uri=str(path), path=str(path), size=path.stat().st_size, batch_date="2026-08-14"))
    assert bad == [] and doc.content == "Fans cheered \ufffd on Sunday." and doc.title == "Win \ufffd"
    assert doc.url == "http://x.test/\ufffd"
