"""`make bench`: the pipeline end to end against the naive spaCy script, on a corpus of N distinct articles.

Builds N real-looking pages from the bundled seeds and dev pages (each copy has its prose
paragraphs in a different order, so every page is a distinct article; copies of one page sit
in different site folders), runs `newsetl run` into a fresh warehouse once per worker count,
and measures in the same run the script a user would write: the full pipeline's `nlp.pipe` with
the same model and number of processes over the same cleaned bodies. Then a no-op re-run, the
cleaner's raw MB/s per core, the cost of figure + entity extraction beside the parse, and each
spaCy component's cost in the full and in the selective pipeline.

    python -m bench.run [--n 4000] [--processes 1,2] [--memory 2000,20000]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PAGES = sorted((ROOT / "tests" / "fixtures" / "dev" / "boilerplate-dev" / "text").glob("*.txt")) + \
    sorted((ROOT / "samples" / "seeds").glob("*.txt"))
NEWSETL = str(Path(sys.executable).parent / "newsetl")
DATE = "2026-01-01"


def build_corpus(n: int, target: Path) -> dict:
    """N distinct pages: copy c of base page b is b with its long lines shuffled, in folder site-c."""
    if (target / ".done").exists():
        return json.loads((target / ".done").read_text())
    shutil.rmtree(target, ignore_errors=True)
    bases = [p.read_text("utf-8").splitlines() for p in PAGES]
    seen, made, raw_bytes, copy = set(), 0, 0, 0
    while made < n:
        for b, lines in enumerate(bases):
            if made >= n:
                break
            page = list(lines)
            if copy:
                rng = random.Random(copy * 1000 + b)
                slots = [i for i, ln in enumerate(page) if len(ln) >= 80]
                shuffled = [page[i] for i in slots]
                rng.shuffle(shuffled)
                for i, ln in zip(slots, shuffled, strict=False):
                    page[i] = ln
            text = "\n".join(page) + "\n"
            if text in seen:
                continue
            seen.add(text)
            path = target / f"site-{copy:04d}" / f"{b:03d}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            made, raw_bytes = made + 1, raw_bytes + len(text.encode())
        copy += 1
    info = {"articles": made, "raw_bytes": raw_bytes}
    (target / ".done").write_text(json.dumps(info))
    return info


def run_pipeline(corpus: Path, warehouse: Path, processes: int) -> dict:
    """`newsetl run` as a user runs it: wall seconds, peak RSS over its process tree, its stage timings."""
    summary = warehouse.parent / f"{warehouse.name}-summary.json"
    env = {**os.environ, "NEWSETL_N_PROCESS": str(processes), "NEWSETL_SUMMARY_JSON": str(summary)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([NEWSETL, "run", "--input", str(corpus), "--warehouse", str(warehouse), "--date", DATE],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, pss, roles, cpu = _watch(proc)
    err = proc.stderr.read()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"bench: newsetl run failed ({proc.returncode}): {err.strip().splitlines()[-1:]}")
    result = json.loads(summary.read_text())
    return {"wall_s": wall, "peak_rss_mb": peak / 2**20, "peak_pss_mb": pss / 2**20,
            "stages": result.get("stage_seconds", {}),
            "articles": result.get("articles_published", 0),
            "peak_rss_mb_by_role": {role: rss / 2**20 for role, rss in roles.items()}, "cpu_s_by_role": cpu}


def _role(p: psutil.Process, root: psutil.Process) -> str:
    if p.pid == root.pid:
        return "flow"
    return "prefect server" if any("uvicorn" in part for part in p.cmdline()) else "workers"


def _watch(proc: subprocess.Popen) -> tuple[int, int, dict[str, int], dict[str, float]]:
    """Peak of the summed RSS of a process and its children, sampled every 0.2 s; the peak of their
    summed PSS every 2 s (a shared page counted once, split between the processes that map it: the
    memory the run takes from the machine, where the RSS sum counts the libraries every process maps
    again; reading it costs the kernel ~6 ms a process, which more often would take a share of a core
    from the run); the peak of each role's own RSS sum (the flow's process, the temporary Prefect
    server, the worker processes); and the CPU seconds each role used (each process's last sample: a
    process that ended keeps its count)."""
    root, peak, pss_peak, roles, cpu = psutil.Process(proc.pid), 0, 0, {}, {}
    for sample in itertools.count():
        if proc.poll() is not None:
            break
        try:
            now: dict[str, int] = {}
            pss = 0
            for p in [root, *root.children(recursive=True)]:
                if p.is_running():
                    role = _role(p, root)
                    now[role] = now.get(role, 0) + p.memory_info().rss
                    pss += p.memory_full_info().pss if sample % 10 == 0 else 0
                    times = p.cpu_times()  # a process keeps its first role (an ending one has no cmdline)
                    cpu[p.pid] = (cpu.get(p.pid, (role,))[0], times.user + times.system)
            peak, pss_peak = max(peak, sum(now.values())), max(pss_peak, pss)
            roles = {r: max(roles.get(r, 0), v) for r, v in {**roles, **now}.items()}
        except psutil.Error:
            pass
        time.sleep(0.2)
    by_role: dict[str, float] = {}
    for role, seconds in cpu.values():
        by_role[role] = by_role.get(role, 0.0) + seconds
    return peak, pss_peak, roles, by_role


def bodies(warehouse: Path) -> list[str]:
    """Every published body, English or not: what a script over the same articles would parse."""
    import duckdb

    from warehouse.catalog import CATALOG

    con = duckdb.connect(str(warehouse / CATALOG), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT body FROM articles ORDER BY source_uri").fetchall()]
    finally:
        con.close()


def naive_script(texts: list[str], processes: int) -> tuple[float, float]:
    """Wall and CPU seconds for the script a user would write: the full pipeline's `nlp.pipe` over every
    body, same model (with thinc's default BLIS), batch size and processes, Docs shipped back to the caller."""
    import spacy

    from flows.settings import SPACY_MODEL, Settings

    nlp = spacy.load(SPACY_MODEL)
    t0, cpu0 = time.perf_counter(), _cpu_seconds()
    for _ in nlp.pipe(texts, batch_size=Settings.model_fields["nlp_batch_size"].default, n_process=processes):
        pass
    return time.perf_counter() - t0, _cpu_seconds() - cpu0


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (spaCy's n_process workers)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def component_costs(texts: list[str]) -> dict:
    """CPU seconds per component, one process: the full pipeline (thinc's default BLIS, and numpy's BLAS as
    ours) against the selective one over the same English bodies; and the share of sentences and tokens
    the selective parse reads."""
    import spacy
    from thinc.api import use_ops

    from flows.nlp import get_nlp
    from flows.settings import SPACY_MODEL
    from transforms.extract.parse import needed_tokens

    def run(nlp) -> dict[str, float]:
        t0 = time.process_time()
        docs = [nlp.make_doc(t) for t in texts]
        cost = {"tokenizer": time.process_time() - t0}
        for name, proc in nlp.pipeline:
            t0 = time.process_time()
            docs = list(proc.pipe(docs, batch_size=32)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            cost[name] = time.process_time() - t0
        return cost

    selective = get_nlp()  # numpy's BLAS, one thread (flows/nlp.py)
    english = [t for t, lang in zip(texts, _languages(texts), strict=True) if lang == "en"]
    full, sel = run(spacy.load(SPACY_MODEL)), run(selective)
    with use_ops("numpy", use_blis=False):  # the full pipeline with our BLAS: what the BLAS alone gives
        full_numpy = run(spacy.load(SPACY_MODEL))
    docs = list(selective.pipe(english[:200]))
    tokens = sum(len(d) for d in docs)
    kept = [set(needed_tokens(d).tolist()) for d in docs]
    sentences = sum(1 for d in docs for _ in d.sents)
    kept_sentences = sum(1 for d, k in zip(docs, kept, strict=True) for s in d.sents if s.start in k)
    return {"articles": len(english), "full": full, "full_numpy_blas": full_numpy, "selective": sel,
            "speedup": sum(full.values()) / sum(sel.values()),
            "blas_speedup": sum(full.values()) / sum(full_numpy.values()),
            "parsed_token_share": sum(len(k) for k in kept) / max(tokens, 1),
            "parsed_sentence_share": kept_sentences / max(sentences, 1)}


def _languages(texts: list[str]) -> list[str]:
    from transforms.meta.language import detect_language

    return [detect_language(t)[0] for t in texts]


def cleaning_speed(rounds: int = 3) -> dict:
    """Raw MB/s per core of the text cleaner (body, metadata and language of each page) on the dev
    pages: the best round (the machine's speed, what the target is about) and the median round."""
    from transforms.article import RawDoc, prepare

    pages = [p.read_text("utf-8") for p in PAGES]
    size = sum(len(p.encode()) for p in pages)
    times = []
    for _ in range(rounds):
        t0 = time.process_time()
        for i, page in enumerate(pages):
            prepare(RawDoc(source_uri=str(i), content=page))
        times.append(time.process_time() - t0)
    best, median = min(times), statistics.median(times)
    return {"raw_mb": size / 1e6, "rounds": rounds, "seconds": best, "mb_per_s": size / 1e6 / best,
            "median_seconds": median, "median_mb_per_s": size / 1e6 / median}


def postprocess_cost(texts: list[str]) -> dict:
    """Figure + entity extraction time as a share of the spaCy parse time (one process)."""
    from flows.nlp import get_nlp
    from transforms.extract.entities import extract_entities
    from transforms.extract.figures import extract_figures

    nlp = get_nlp()
    t0 = time.process_time()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.process_time() - t0
    t0 = time.process_time()
    for doc in docs:
        extract_figures(doc)
        extract_entities(doc)
    extract = time.process_time() - t0
    return {"articles": len(texts), "parse_s": parse, "extract_s": extract, "share": extract / parse}


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) \
        if Path("/proc/cpuinfo").exists() else platform.processor()
    memory = psutil.virtual_memory().total / 2**30
    return f"{len(os.sched_getaffinity(0))} cores ({cpu}), {memory:.0f} GiB, Python {platform.python_version()}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=4000, help="articles in the corpus (default 4000)")
    ap.add_argument("--processes", default="1,2", help="worker counts to run, comma-separated (default 1,2)")
    ap.add_argument("--memory", default="", help="instead: peak RSS at these corpus sizes, e.g. 2000,20000")
    ap.add_argument("--cleaner", type=int, default=0, metavar="ROUNDS", help="instead: the cleaner's MB/s alone")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    if args.cleaner:
        clean = cleaning_speed(args.cleaner)
        print(_cleaner_line(clean))
        return 0
    if args.memory:
        return memory(sorted(int(x) for x in args.memory.split(",")), max(int(p) for p in args.processes.split(",")))
    corpus = OUT / f"corpus-{args.n}"
    info = build_corpus(args.n, corpus)
    print(f"corpus: {info['articles']} articles, {info['raw_bytes'] / 1e6:.1f} MB raw, in {corpus}")
    clean = cleaning_speed(10)
    print(_cleaner_line(clean))
    rows, speed = [], {}
    for p in [int(x) for x in args.processes.split(",")]:
        wh = OUT / f"warehouse-{args.n}-p{p}"
        shutil.rmtree(wh, ignore_errors=True)
        run = run_pipeline(corpus, wh, p)
        texts = bodies(wh)
        words = sum(len(t.split()) for t in texts)
        naive, naive_cpu = naive_script(texts, p)
        noop = run_pipeline(corpus, wh, p)
        speed[p] = words / run["wall_s"]
        rows.append({"processes": p, "articles": run["articles"], "body_words": words, "wall_s": run["wall_s"],
                     "articles_per_s": run["articles"] / run["wall_s"], "words_per_s": speed[p],
                     "naive_s": naive, "naive_cpu_s": naive_cpu, "naive_articles_per_s": len(texts) / naive,
                     "naive_words_per_s": words / naive,
                     "ratio_to_naive": naive / run["wall_s"], "peak_rss_mb": run["peak_rss_mb"],
                     "peak_pss_mb": run["peak_pss_mb"],
                     "peak_rss_mb_by_role": run["peak_rss_mb_by_role"], "stages": run["stages"],
                     "noop_wall_s": noop["wall_s"], "noop_ratio": noop["wall_s"] / run["wall_s"],
                     "noop_stages": noop["stages"], "cpu_s_by_role": run["cpu_s_by_role"]})
        _print_run(rows[-1])
    texts = bodies(OUT / f"warehouse-{args.n}-p{rows[0]['processes']}")[:400]
    post, parts = postprocess_cost(texts), component_costs(texts)
    print(f"\nfigures + entities: {post['extract_s']:.2f} s beside {post['parse_s']:.2f} s of parsing "
          f"({post['share']:.1%}) over {post['articles']} articles")
    print(f"selective parse over {parts['articles']} English bodies: {parts['parsed_sentence_share']:.0%} of the "
          f"sentences, {parts['parsed_token_share']:.0%} of the tokens parsed; spaCy CPU {parts['speedup']:.2f}x "
          f"less than the full pipeline ({parts['blas_speedup']:.2f}x of it from numpy's BLAS instead of BLIS)")
    for name in ("full", "full_numpy_blas", "selective"):
        total = sum(parts[name].values())
        shares = ", ".join(f"{k} {v:.1f} s ({v / total:.0%})" for k, v in parts[name].items())
        print(f"  {name}: {total:.1f} s: {shares}")
    if 1 in speed and len(speed) > 1:
        print(f"scaling 1 -> {max(speed)} processes: {speed[max(speed)] / speed[1]:.2f}x")
    result = {"machine": machine(), "corpus": info, "cleaner": clean, "runs": rows, "postprocess": post,
              "components": parts, "scaling": {str(p): speed[p] / speed[min(speed)] for p in speed}}
    (OUT / f"results-{args.n}.json").write_text(json.dumps(result, indent=2))
    print(f"\nresults: {OUT / f'results-{args.n}.json'}")
    return 0


def _print_run(r: dict) -> None:
    p = r["processes"]
    print(f"\nprocesses={p}: {r['articles']} articles, {r['body_words']} body words in {r['wall_s']:.1f} s: "
          f"{r['articles_per_s']:.2f} articles/s, {r['words_per_s']:.0f} words/s")
    print(f"  naive script (full pipeline nlp.pipe, {p} processes, same bodies): {r['naive_s']:.1f} s, "
          f"{r['naive_articles_per_s']:.2f} articles/s, {r['naive_words_per_s']:.0f} words/s; "
          f"newsetl is {r['ratio_to_naive']:.2f}x its throughput")
    cpu = sum(r["cpu_s_by_role"].values())
    print(f"  CPU seconds, all processes: newsetl {cpu:.0f}, naive script {r['naive_cpu_s']:.0f} "
          f"({r['naive_cpu_s'] / cpu:.2f}x; steadier than wall time when the machine's speed drifts)")
    print(f"  peak RSS {r['peak_rss_mb']:.0f} MB (all processes; PSS {r['peak_pss_mb']:.0f} MB, shared pages "
          "counted once); by role: "
          + ", ".join(f"{k} {v:.0f} MB" for k, v in r["peak_rss_mb_by_role"].items()))
    print("  CPU by role: " + ", ".join(f"{k} {v:.0f} s" for k, v in r["cpu_s_by_role"].items())
          + f" ({sum(r['cpu_s_by_role'].values()) / r['wall_s']:.2f} cores busy on average)")
    flow = {k: v for k, v in r["stages"].items() if not k.endswith("(cpu)")}
    cpu = {k[:-6]: v for k, v in r["stages"].items() if k.endswith("(cpu)")}
    print("  flow stages (wall): " + ", ".join(f"{k} {v:.1f} s ({v / r['wall_s']:.0%})" for k, v in flow.items()))
    if cpu:
        total = sum(cpu.values())
        print("  worker stages (CPU, all workers): "
              + ", ".join(f"{k} {v:.1f} s ({v / total:.0%})" for k, v in cpu.items()))
    print(f"  no-op re-run: {r['noop_wall_s']:.1f} s = {r['noop_ratio']:.1%} of the full run")


def _cleaner_line(clean: dict) -> str:
    return (f"cleaner: {clean['mb_per_s']:.2f} MB/s of raw text per core, best of {clean['rounds']} rounds "
            f"({clean['raw_mb']:.2f} MB in {clean['seconds'] * 1000:.0f} ms); median round "
            f"{clean['median_mb_per_s']:.2f} MB/s")


def memory(sizes: list[int], processes: int) -> int:
    """Peak RSS of the pipeline at each corpus size (bounded chunks should keep it flat)."""
    peaks = {}
    for n in sizes:
        corpus = OUT / f"corpus-{n}"
        build_corpus(n, corpus)
        wh = OUT / f"warehouse-mem-{n}"
        shutil.rmtree(wh, ignore_errors=True)
        run = run_pipeline(corpus, wh, processes)
        peaks[n] = run["peak_rss_mb"]
        print(f"N={n}: peak RSS {peaks[n]:.0f} MB (process tree; PSS {run['peak_pss_mb']:.0f} MB), "
              f"{run['wall_s']:.0f} s, {processes} processes; "
              "peaks by role: " + ", ".join(f"{r} {v:.0f} MB" for r, v in run["peak_rss_mb_by_role"].items()))
        shutil.rmtree(wh, ignore_errors=True)
    print(f"peak RSS ratio {max(sizes)} vs {min(sizes)}: {peaks[max(sizes)] / peaks[min(sizes)]:.2f}")
    (OUT / "results-memory.json").write_text(json.dumps({"machine": machine(), "peak_rss_mb": peaks}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
