"""Quality on the dev sets with the reference scorer: `make eval` prints the table, CI gates on floors.

    python -m tests.eval_gate --report     # every dev set, input kind and language, beside the baselines
    python -m tests.eval_gate              # the gated scores only (what test_quality_gate.py checks)

The dev pages are also the cleaner's training pages, so its scores here are optimistic; the
cross-validated scores (pages held out of training) are in transforms/data/cleaner/meta.json.
"""
from __future__ import annotations

import gzip
import json
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

from tests import score_reference as scorer

HERE = Path(__file__).resolve().parent
DEV = HERE / "fixtures" / "dev"
BASELINE = HERE / "eval_baseline.json"
SEEDS = HERE.parent / "samples" / "seeds"
HTML_SAMPLE = 30  # open-web HTML pages in the gate (every 10th page): the HTML path costs ~0.3 s a page


@cache
def gold(dev_set: str) -> dict:
    folder = {"openweb": "openweb-dev", "news": "boilerplate-dev"}[dev_set]
    return json.loads((DEV / folder / "gold.json").read_text("utf-8"))


def page(dev_set: str, key: str, kind: str) -> str:
    from transforms.meta.decode import decode_bytes

    folder = DEV / {"openweb": "openweb-dev", "news": "boilerplate-dev"}[dev_set]
    if kind == "text":
        return decode_bytes((folder / "text" / f"{key}.txt").read_bytes()).text
    return decode_bytes(gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()), markup=True).text


def keys(dev_set: str, kind: str, sample: bool) -> list[str]:
    ids = sorted(gold(dev_set))
    return ids[::len(ids) // HTML_SAMPLE] if sample and dev_set == "openweb" and kind == "html" else ids


def score(dev_set: str, bodies: dict[str, str]) -> dict:
    g = {k: gold(dev_set)[k] for k in bodies}
    pred = {k: {"body": b} for k, b in bodies.items()}
    return scorer.score_snippets(g, pred) if dev_set == "openweb" else scorer.score_boilerplate(g, pred)


def newsetl_bodies(dev_set: str, kind: str, sample: bool = False) -> dict[str, str]:
    from transforms.article import RawDoc, prepare

    return {k: prepare(RawDoc(source_uri=k, content=page(dev_set, k, kind), fmt=kind)).cleaned.body
            for k in keys(dev_set, kind, sample)}


def baseline_bodies(dev_set: str, kind: str, name: str) -> dict[str, str]:
    """The bodies of a baseline: no cleaning, lines of 80 characters or more, the rules alone, trafilatura."""
    from transforms.clean import clean_text

    out = {}
    for k in keys(dev_set, kind, False):
        content = page(dev_set, k, kind)
        if name == "trafilatura":
            import trafilatura

            out[k] = trafilatura.extract(content, output_format="txt", include_comments=False, include_tables=True,
                                         deduplicate=False) or ""
        elif name == "rules":
            out[k] = clean_text(content, model=None).body
        elif name == "long lines":
            out[k] = "\n\n".join(line for line in content.split("\n") if len(line.strip()) >= 80)
        else:
            out[k] = content
    return out


def languages(dev_set: str) -> dict[str, str]:
    """The language of each page (of its text to keep)."""
    from transforms.meta.language import detect_language

    out = {}
    for k, g in gold(dev_set).items():
        text = " ".join(g["with"]) if dev_set == "openweb" else g["articleBody"]
        out[k] = detect_language(text, sample_chars=2000)[0]
    return out


def seed_scores() -> dict[str, dict]:
    """Seed bodies exact, figure and entity scores, end to end from the raw text."""
    from dataclasses import asdict

    from flows.nlp import get_nlp
    from transforms.clean import clean_text
    from transforms.extract.entities import extract_entities
    from transforms.extract.figures import extract_figures

    nlp = get_nlp()
    seeds_gold = json.loads((DEV / "seeds-gold.json").read_text("utf-8"))
    figs, ents, exact = {}, {}, 0
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text("utf-8")
        body = clean_text(raw).body
        raw_lines = raw.split("\n")
        exact += body.split("\n\n") == [" ".join(raw_lines[i - 1].split()) for i in seeds_gold[path.name]["body_lines"]]
        doc = nlp(body)
        figs[scorer.file_id(path.name)] = {"figures": [asdict(f) for f in extract_figures(doc)]}
        ents[scorer.file_id(path.name)] = {"entities": [asdict(e) for e in extract_entities(doc)]}
    g = {scorer.file_id(k): v for k, v in seeds_gold.items()}
    fig = scorer.score_figures(g, figs)
    fig.pop("per_article")
    return {"figures": fig, "entities": scorer.score_entities(g, ents), "exact": exact}


def measure() -> dict[str, float]:
    """The gated numbers, flat (open-web HTML on a fixed sample of HTML_SAMPLE pages)."""
    out = {}
    for dev_set in ("openweb", "news"):
        for kind in ("text", "html"):
            s = score(dev_set, newsetl_bodies(dev_set, kind, sample=True))
            for metric in ("f1", "precision", "recall"):
                out[f"{dev_set}_{kind}_{metric}"] = s[metric]
    seeds = seed_scores()
    out.update({"seeds_exact_bodies": float(seeds["exact"]), "seeds_figure_f1": seeds["figures"]["f1"],
                "seeds_qualifier_accuracy": seeds["figures"]["qualifier_accuracy"],
                "seeds_entity_recall": seeds["entities"]["required_recall"],
                "seeds_forbidden_leaks": -float(seeds["entities"]["forbidden_leaks"])})  # negated: higher is better
    return out


def below_floor(scores: dict[str, float]) -> list[str]:
    floors = json.loads(BASELINE.read_text("utf-8"))["floors"]
    return [f"{k}: {scores[k]:.3f} < floor {v:.3f}" for k, v in floors.items() if scores[k] < v - 1e-9]


def report() -> None:
    """Every dev set and input kind, newsetl beside the baselines; per language; seeds; cross-validated."""
    baselines = {"text": ("rules", "long lines", "none"), "html": ("trafilatura",)}
    print(f"{'dev set':8} {'input':5} {'pages':>5}  {'newsetl F1':>10} {'P':>6} {'R':>6}   baselines (F1)")
    by_page = {}
    for dev_set in ("openweb", "news"):
        for kind in ("text", "html"):
            bodies = newsetl_bodies(dev_set, kind)
            by_page[(dev_set, kind)] = bodies
            s = score(dev_set, bodies)
            base = "  ".join(f"{b} {score(dev_set, baseline_bodies(dev_set, kind, b))['f1']:.3f}"
                             for b in baselines[kind])
            scores = f"{s['f1']:10.3f} {s['precision']:6.3f} {s['recall']:6.3f}"
            print(f"{dev_set:8} {kind:5} {len(bodies):5}  {scores}   {base}")
    print(f"\nper language on the dev pages (open web; 5 pages or more)\n{'language':8} {'pages':>5}  "
          f"{'text F1':>7} {'P':>6} {'R':>6}  {'HTML F1':>7} {'P':>6} {'R':>6}")
    by_language = defaultdict(list)
    for k, language in languages("openweb").items():
        by_language[language].append(k)
    for language, ids in sorted(by_language.items(), key=lambda kv: -len(kv[1])):
        if len(ids) >= 5:
            t = score("openweb", {k: by_page[("openweb", "text")][k] for k in ids})
            h = score("openweb", {k: by_page[("openweb", "html")][k] for k in ids})
            print(f"{language:8} {len(ids):5}  {t['f1']:7.3f} {t['precision']:6.3f} {t['recall']:6.3f}  "
                  f"{h['f1']:7.3f} {h['precision']:6.3f} {h['recall']:6.3f}")
    seeds = seed_scores()
    print(f"\nseeds: {seeds['exact']}/5 bodies exact, figure F1 {seeds['figures']['f1']:.3f}, qualifiers "
          f"{seeds['figures']['qualifier_accuracy']:.3f}, entity recall {seeds['entities']['required_recall']:.3f}, "
          f"forbidden leaks {seeds['entities']['forbidden_leaks']}")
    meta = json.loads((HERE.parent / "transforms" / "data" / "cleaner" / "meta.json").read_text("utf-8"))
    print("\ncross-validated (5 folds by page, each page scored by a model trained without it: the estimate for "
          "pages not seen)")
    for kind, sets in meta["cross_validated"].items():
        print("  " + kind + ": " + ", ".join(f"{name} F1 {s['f1']:.3f} (P {s['precision']:.3f}, R {s['recall']:.3f})"
                                             for name, s in sets.items() if "f1" in s))
    print(f"  open web by language: {'language':8} {'pages':>5}  {'text F1':>7} {'P':>6} {'R':>6}  "
          f"{'HTML F1':>7} {'P':>6} {'R':>6}")
    for language, s in meta.get("cross_validated_open_web_by_language", {}).items():
        t, h = s["text"], s["html"]
        print(f"  {'':20} {language:8} {s['pages']:5}  {t['f1']:7.3f} {t['precision']:6.3f} {t['recall']:6.3f}  "
              f"{h['f1']:7.3f} {h['precision']:6.3f} {h['recall']:6.3f}")


if __name__ == "__main__":
    if "--report" in sys.argv:
        report()
    scores = measure()
    for key, value in scores.items():
        print(f"{key:28s} {abs(value) if key == 'seeds_forbidden_leaks' else value:.3f}")
    problems = below_floor(scores)
    print("floors: " + ("OK" if not problems else "; ".join(problems)))
    sys.exit(1 if problems else 0)
