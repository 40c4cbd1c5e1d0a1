"""The hand-made claims set (tests/fixtures/claims): group precision and recall, near-copies, disputes.

The pipeline runs as a user runs it (`newsetl run` into a fresh warehouse), and the answer is read
from the catalog's `claim_groups` and `articles` the way a consumer reads it.

    python -m tests.claims_eval      # (make eval) the scores; exit 1 unless every group is pure and whole
"""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
SET = HERE / "fixtures" / "claims"


def run_pipeline(warehouse: Path, env: dict | None = None) -> None:
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--input", str(SET),
                           "--warehouse", str(warehouse)],
                          cwd=HERE.parent, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout + proc.stderr)


def scores(warehouse: Path) -> dict:
    """Pairwise group precision and recall, near-copy precision and recall, disputed and n_sources per gold group."""
    gold = json.loads((SET / "gold.json").read_text("utf-8"))
    con = duckdb.connect(str(warehouse / "newsetl.duckdb"), read_only=True)
    try:
        name = {aid: uri.split("/claims/", 1)[1] for aid, uri in con.execute(
            "SELECT article_id, source_uri FROM articles").fetchall()}
        groups = {gid: {f"{name[c['article_id']]}:{c['value']:g}" for c in claims} for gid, claims in con.execute(
            "SELECT group_id, claims FROM claim_groups").fetchall()}
        flags = {gid: (d, n) for gid, d, n in con.execute(
            "SELECT group_id, disputed, n_sources FROM claim_groups").fetchall()}
        copies = {frozenset((name[a], name[o])) for a, o in con.execute(
            "SELECT article_id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL").fetchall()}
    finally:
        con.close()
    gold_of = {claim: g["name"] for g in gold["groups"] for claim in g["claims"]}
    predicted = [sorted(members) for members in groups.values()]
    pairs = [(a, b) for members in predicted for a, b in itertools.combinations(members, 2)]
    right = sum(1 for a, b in pairs if gold_of.get(a) is not None and gold_of.get(a) == gold_of.get(b))
    gold_pairs = [(a, b) for g in gold["groups"] for a, b in itertools.combinations(sorted(g["claims"]), 2)]
    together = sum(1 for a, b in gold_pairs if any(a in m and b in m for m in groups.values()))
    per_group = {}
    for g in gold["groups"]:
        best = max(groups, key=lambda gid: len(groups[gid] & set(g["claims"])), default=None)
        hit = best is not None and groups[best] & set(g["claims"])
        per_group[g["name"]] = {"found": bool(hit), "disputed_right": bool(hit) and flags[best][0] == g["disputed"],
                                "n_sources_right": bool(hit) and flags[best][1] == g["n_sources"]}
    gold_copies = {frozenset(pair) for pair in gold["near_copies"]}
    decoys_out = all(not any(d in m for m in groups.values()) for d in gold["decoys"])
    return {"group_precision": right / len(pairs) if pairs else 0.0,
            "group_recall": together / len(gold_pairs) if gold_pairs else 0.0,
            "near_copy_precision": len(copies & gold_copies) / len(copies) if copies else 0.0,
            "near_copy_recall": len(copies & gold_copies) / len(gold_copies),
            "decoys_out_of_groups": decoys_out, "groups": per_group, "predicted_groups": predicted}


def report(result: dict) -> bool:
    print(f"claims set: group precision {result['group_precision']:.3f}, group recall {result['group_recall']:.3f}, "
          f"near-copies precision {result['near_copy_precision']:.3f} recall {result['near_copy_recall']:.3f}, "
          f"decoys kept out: {result['decoys_out_of_groups']}")
    for name, g in result["groups"].items():
        print(f"  {name:26} found {g['found']!s:5} disputed right {g['disputed_right']!s:5} "
              f"n_sources right {g['n_sources_right']}")
    return (result["group_precision"] == result["group_recall"] == 1.0 and result["decoys_out_of_groups"]
            and result["near_copy_precision"] == result["near_copy_recall"] == 1.0
            and all(all(g.values()) for g in result["groups"].values()))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        run_pipeline(Path(tmp) / "wh")
        sys.exit(0 if report(scores(Path(tmp) / "wh")) else 1)
