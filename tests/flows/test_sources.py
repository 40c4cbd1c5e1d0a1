"""Input listing: what vouches that a file is unchanged since a run read it, and where that is kept."""
from __future__ import annotations

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
