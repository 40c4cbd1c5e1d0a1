"""The rows stay the same when the code is reorganised or made faster: for the seeds and the 60 news dev
pages, each article's body, entity rows and figure rows (with measure and place) are compared with a
committed record made by the code before the change. After an intended change of output, write the record
again and review its diff: `python -m tests.transforms.test_golden --write`."""
from __future__ import annotations

import gzip
import hashlib
import json
import sys

from tests.conftest import FIXTURES, SEEDS

RECORD = FIXTURES / "golden" / "extract.json.gz"
DEV = FIXTURES / "dev" / "boilerplate-dev" / "text"


def cases() -> list[tuple[str, str]]:
    from transforms.meta.decode import decode_bytes

    pages = sorted(SEEDS.glob("*.txt")) + sorted(DEV.glob("*.txt"))
    return [(f"{p.parent.name}/{p.name}", decode_bytes(p.read_bytes()).text) for p in pages]


def extract(nlp) -> dict[str, dict]:
    from transforms.article import RawDoc, nlp_rows, prepare

    out = {}
    for name, text in cases():
        p = prepare(RawDoc(source_uri=name, content=text))
        row: dict = {"body_sha256": hashlib.sha256(p.cleaned.body.encode()).hexdigest(), "language": p.language,
                     "removed": [[r.reason, r.text] for r in p.removed], "entities": [], "figures": []}
        if p.nlp_skipped_reason is None:
            entities, figures = nlp_rows(p, nlp(p.cleaned.body), "golden")
            drop = {"article_id", "run_id", "batch_date"}
            row["entities"] = [[v for k, v in e.items() if k not in drop] for e in entities]
            row["figures"] = [[v for k, v in f.items() if k not in drop] for f in figures]
        out[name] = row
    return json.loads(json.dumps(out))  # the record's own types (lists, floats)


def test_rows_on_the_dev_pages_and_seeds_are_unchanged(nlp):
    expected = json.loads(gzip.decompress(RECORD.read_bytes()))
    found = extract(nlp)
    assert set(found) == set(expected)
    changed = [name for name in expected if found[name] != expected[name]]
    assert not changed, f"{len(changed)} articles changed, first {changed[0]}: " \
                        f"{_first_difference(expected[changed[0]], found[changed[0]])}"


def _first_difference(old: dict, new: dict) -> str:
    for key in old:
        if old[key] != new[key]:
            if isinstance(old[key], list):
                gone = [x for x in old[key] if x not in new[key]][:2]
                added = [x for x in new[key] if x not in old[key]][:2]
                return f"{key}: lost {gone}, gained {added}"
            return f"{key}: {old[key]!r} -> {new[key]!r}"
    return "?"


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    from flows.nlp import get_nlp

    RECORD.write_bytes(gzip.compress(json.dumps(extract(get_nlp()), sort_keys=True).encode(), mtime=0))
    print(f"wrote {RECORD}")
