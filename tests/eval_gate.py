"""Quality gate: dev-set scores with the reference scorer, compared with floors pinned in a baseline file.

`python -m tests.eval_gate --report` prints the scores (make eval); the test below fails CI when a
score drops under its floor. Raise the floors in eval_baseline.json as quality improves.
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from tests import score_reference as scorer

HERE = Path(__file__).resolve().parent
DEV = HERE / "fixtures" / "dev" / "boilerplate-dev"
BASELINE = HERE / "eval_baseline.json"
SEEDS = HERE.parent / "samples" / "seeds"


def boilerplate_scores() -> dict[str, dict]:
    """F1, precision and recall of the cleaner on the dev pages, from text and from HTML."""
    from transforms.article import RawDoc, prepare

    gold = json.loads((DEV / "gold.json").read_text("utf-8"))
    out = {}
    for fmt in ("text", "html"):
        pred = {}
        for key in gold:
            if fmt == "text":
                content = (DEV / "text" / f"{key}.txt").read_text("utf-8")
            else:
                content = gzip.decompress((DEV / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
            pred[key] = {"body": prepare(RawDoc(source_uri=key, content=content, fmt=fmt)).cleaned.body}
        out[fmt] = scorer.score_boilerplate(gold, pred)
    return out


def seed_scores() -> dict[str, dict]:
    """Figure and entity scores on the five seeds, end to end from their raw text."""
    from dataclasses import asdict

    from flows.nlp import get_nlp
    from transforms.boilerplate import clean_text
    from transforms.entities import extract_entities
    from transforms.figures import extract_figures

    nlp = get_nlp()
    gold = {scorer.file_id(k): v for k, v in json.loads((HERE / "fixtures" / "dev" / "seeds-gold.json").read_text("utf-8")).items()}
    figs, ents = {}, {}
    for path in sorted(SEEDS.glob("*.txt")):
        doc = nlp(clean_text(path.read_text("utf-8")).body)
        figs[scorer.file_id(path.name)] = {"figures": [asdict(f) for f in extract_figures(doc)]}
        ents[scorer.file_id(path.name)] = {"entities": [asdict(e) for e in extract_entities(doc)]}
    fig = scorer.score_figures(gold, figs)
    fig.pop("per_article")
    return {"figures": fig, "entities": scorer.score_entities(gold, ents)}


def measure() -> dict[str, float]:
    """The gated numbers, flat."""
    bp, seeds = boilerplate_scores(), seed_scores()
    return {
        "text_f1": bp["text"]["f1"], "text_precision": bp["text"]["precision"], "text_recall": bp["text"]["recall"],
        "html_f1": bp["html"]["f1"], "html_precision": bp["html"]["precision"], "html_recall": bp["html"]["recall"],
        "seeds_figure_f1": seeds["figures"]["f1"], "seeds_qualifier_accuracy": seeds["figures"]["qualifier_accuracy"],
        "seeds_entity_recall": seeds["entities"]["required_recall"],
        "seeds_forbidden_leaks": -float(seeds["entities"]["forbidden_leaks"]),  # negated: higher is better
    }


def below_floor(scores: dict[str, float]) -> list[str]:
    floors = json.loads(BASELINE.read_text("utf-8"))["floors"]
    return [f"{k}: {scores[k]:.3f} < floor {v:.3f}" for k, v in floors.items() if scores[k] < v - 1e-9]



if __name__ == "__main__":
    scores = measure()
    for key, value in scores.items():
        print(f"{key:28s} {abs(value) if key == 'seeds_forbidden_leaks' else value:.3f}")
    problems = below_floor(scores)
    print("floors: " + ("OK" if not problems else "; ".join(problems)))
    sys.exit(1 if problems else 0)
