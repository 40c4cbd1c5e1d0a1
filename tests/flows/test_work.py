"""The worker-process path produces exactly the rows of the in-process path."""
import pytest

from flows.pool import POOL
from flows.work import MIN_PARALLEL, Batching, process_parallel
from tests.conftest import SEEDS
from transforms.article import RawDoc


def _comparable(tables: dict) -> dict:
    return {t: sorted(sorted((k, str(v)) for k, v in r.items() if k not in ("ingested_at", "quarantined_at"))
                      for r in data.to_pylist()) for t, data in tables.items()}


def test_two_worker_processes_match_one_process():
    pages = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    raws = [RawDoc(source_uri=f"/in/site-{i}/{j}.txt", content=page + f"\nFiled {i}.\n", batch_date="2026-11-20",
                   source_key=f"/in/site-{i}")
            for i in range(MIN_PARALLEL // len(pages) + 1) for j, page in enumerate(pages)]
    assert len(raws) >= MIN_PARALLEL
    try:
        parallel = process_parallel(raws, {}, "run", n_process=2, batching=Batching(8)).tables
        with pytest.MonkeyPatch.context() as mp:  # a chunk too small to start workers for goes to started ones
            mp.setattr("flows.work.process_articles", lambda *a: pytest.fail("processed in the flow's process"))
            few = process_parallel(raws[:3], {}, "run", n_process=2, batching=Batching(8)).tables
    finally:
        POOL.shutdown()
    assert few["articles"].num_rows == 3
    serial = process_parallel(raws, {}, "run", n_process=0, batching=Batching(8)).tables
    assert parallel["articles"].num_rows == len(raws)
    assert _comparable(parallel) == _comparable(serial)


def _modules_after_work(schemas: dict[str, bytes]) -> set[str]:
    import sys

    from flows.work import in_worker

    raws = [RawDoc(source_uri=f"/in/{p.name}", content=p.read_text("utf-8"), batch_date="2026-11-20")
            for p in sorted(SEEDS.glob("*.txt"))]
    raws.append(RawDoc(source_uri="/in/empty.txt", content="Home | News | Sport\n", batch_date="2026-11-20"))
    in_worker(raws, {}, "run", Batching(8), schemas)
    return set(sys.modules)


def test_a_worker_process_does_without_pandas_and_pyarrow():
    """LightGBM imports pandas and pyarrow whenever it can (~37 and ~40 MB a worker); the workers refuse
    both and write their tables with nanoarrow, and the test above finds their rows the same."""
    import importlib

    from warehouse.schemas import stream_schemas

    try:
        error = POOL.submit(1, importlib.import_module, "pandas").exception(timeout=300)
        modules = POOL.submit(1, _modules_after_work, stream_schemas()).result(timeout=300)
    finally:
        POOL.shutdown()
    assert isinstance(error, ModuleNotFoundError)
    assert "lightgbm" in modules and "nanoarrow" in modules and not {"pandas", "pyarrow"} & modules


def _signature_and_modules(body: str) -> tuple[bytes, set[str]]:
    import sys

    from transforms.compare.duplicates import signature

    return signature(body), {name.split(".")[0] for name in sys.modules} | set(sys.modules)


def test_a_worker_process_computes_signatures_without_the_rest_of_datasketch():
    """datasketch's __init__ imports every sketch (scipy.integrate, redis, OpenTelemetry: ~30 MB a worker); a
    worker imports its MinHash alone, with the same signature as the whole package's."""
    from transforms.compare.duplicates import signature

    body = sorted(SEEDS.glob("*.txt"))[0].read_text("utf-8")
    try:
        remote, modules = POOL.submit(1, _signature_and_modules, body).result(timeout=300)
    finally:
        POOL.shutdown()
    assert "datasketch.minhash" in modules and not {"redis", "datasketch.lsh", "scipy.integrate"} & modules
    assert remote == signature(body)


def test_chunks_taper_so_the_workers_finish_together():
    from flows.batch import tapered

    items = list(range(4000))
    parts = tapered(items, 200, workers=2)
    assert [x for p in parts for x in p] == items
    sizes = [len(p) for p in parts]
    assert max(sizes) == 200 and sizes[:10] == [200] * 10
    assert sizes[-1] <= 20 and all(a >= b for a, b in zip(sizes[10:], sizes[11:], strict=False))
    assert all(len(p) >= 20 for p in parts[:-1])  # never under 10 a worker, but the very last
    assert [len(p) for p in tapered(items[:7], 200, workers=2)] == [7]
    assert tapered([], 200, workers=2) == []


def test_a_worker_call_leaves_no_new_words_in_the_vocabulary():
    from flows.nlp import get_nlp
    from flows.work import in_worker
    from warehouse.schemas import stream_schemas

    word = "Qurvandel"  # a name the model has never seen
    body = (f"General Amir {word} said on Tuesday that 2,500 troops would stay in Iraq until next year. "
            f"{word} spoke to reporters in Baghdad after the meeting with officials.")
    raw = RawDoc(source_uri="/in/x.txt", content=f"Troops to stay\n\n{body}\n", batch_date="2026-11-20")
    strings = get_nlp().vocab.strings
    warm = "Warm\n\nA first call fills the tokenizer's cache.\n"
    in_worker([RawDoc(source_uri="/in/w.txt", content=warm)], {}, "run", Batching(), stream_schemas())
    assert word not in strings
    tables = in_worker([raw], {}, "run", Batching(), stream_schemas()).decoded().tables
    assert word in tables["articles"].column("body")[0].as_py()
    assert any(word in e for e in tables["entities"].column("text").to_pylist())
    assert word not in strings  # freed with the zone; the rows hold plain strings


def test_the_flow_process_imports_neither_spacy_nor_great_expectations():
    """The flow's process scans, reads, validates and writes; the model lives in the workers. Importing the
    batch driver must not pull spaCy (1.2 s, ~40 MB) or Great Expectations (3 s) into it."""
    import subprocess
    import sys

    code = ("import sys, flows.batch, flows.work, flows.daily, flows.backfill, flows.cli; "
            "print(sorted(m for m in ('spacy', 'thinc', 'great_expectations') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_batches_keep_order_and_end_at_texts_or_characters():
    texts = ["a" * 10, "b" * 10, "c" * 25, "d" * 5, "e" * 5, "f" * 5, "g" * 40, "h"]
    batches = list(Batching(texts=3, chars=30)(texts))
    assert [t for b in batches for t in b] == texts  # order kept, nothing lost
    assert batches == [texts[0:2], [texts[2], texts[3]], texts[4:6], [texts[6]], [texts[7]]]
    assert all(len(b) <= 3 and (sum(map(len, b)) <= 30 or len(b) == 1) for b in batches)
    assert list(Batching(texts=2, chars=10**6)(texts[:5])) == [texts[0:2], texts[2:4], texts[4:5]]
    assert list(Batching()([])) == []


def test_the_workers_end_when_the_last_batch_using_them_is_done():
    import multiprocessing

    with POOL.borrowed():  # a backfill's first day
        with POOL.borrowed():  # a second day, side by side
            assert POOL.submit(1, int, "7").result() == 7
            workers = multiprocessing.active_children()
            assert workers
        assert all(w.is_alive() for w in workers)  # the first day still uses them
        assert POOL.submit(1, int, "8").result() == 8
    for w in workers:
        w.join(timeout=10)
    assert not any(w.is_alive() for w in workers)
    assert POOL.submit(1, int, "9").result() == 9  # a later batch starts new ones
    POOL.shutdown()


def test_a_long_text_is_cut_at_line_ends_into_pieces_that_join_back():
    text = "".join(f"Paragraph {i}: the army said {i} troops moved.\n\n" for i in range(40)) + "x" * 130 + " tail."
    pieces = Batching(chars=200).pieces(text)
    assert "".join(pieces) == text
    assert all(len(p) <= 200 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-3])  # each cut at a paragraph's end, its blank line kept
    assert Batching(chars=200).pieces(text[:150]) == [text[:150]]
    assert Batching(chars=10**6).pieces(text, limit=100)[0] == text[:text.rindex("\n", 0, 100) + 1]


def _rows(raws, batching):
    from flows.work import process_articles

    tables = process_articles(raws, {}, "run", batching).decoded().tables
    return {t: [{k: v for k, v in r.items() if k != "ingested_at"} for r in data.to_pylist()]
            for t, data in tables.items()}


def test_a_body_longer_than_a_batch_is_parsed_in_pieces_with_the_same_figures():
    """A worker's memory is bounded by a batch's characters whatever the longest body; figures are read
    within their sentence and the cuts fall between paragraphs, so they come out as from the whole body."""
    page = max((p.read_text("utf-8") for p in SEEDS.glob("*.txt")), key=len)
    raw = RawDoc(source_uri="/in/long.txt", content=page, batch_date="2026-11-20")
    whole, cut = _rows([raw], Batching()), _rows([raw], Batching(chars=1_500))
    body = whole["articles"][0]["body"]
    assert len(Batching(chars=1_500).pieces(body)) >= 3
    assert cut["articles"] == whole["articles"]
    assert cut["figures"] == whole["figures"] and whole["figures"]
    same = {(e["start_char"], e["label"]) for e in whole["entities"]} & {(e["start_char"], e["label"])
                                                                        for e in cut["entities"]}
    assert len(same) >= 0.9 * len(whole["entities"])  # the model's context window ends at a cut


def test_a_body_over_the_models_max_length_is_published_with_its_figures(monkeypatch):
    """spaCy refuses a text over nlp.max_length (E088, a million characters by default): that failed the
    whole chunk. The body is parsed in pieces under that length instead."""
    from flows.nlp import get_nlp

    body = "".join(f"Officials said {i},000 troops were sent to Iraq in wave {i}.\n\n" for i in range(1, 60))
    raw = RawDoc(source_uri="/in/huge.txt", content="Waves of troops\n\n" + body, batch_date="2026-11-20")
    monkeypatch.setattr(get_nlp(), "max_length", 1_000)
    rows = _rows([raw], Batching(chars=10**6))
    assert "quarantine" not in rows
    assert len(rows["articles"]) == 1 and len(rows["articles"][0]["body"]) > 1_000
    assert {f["value"] for f in rows["figures"]} >= {1000.0, 59000.0}


def test_an_article_the_model_fails_on_is_quarantined_alone():
    from spacy.language import Language

    from flows.nlp import get_nlp

    if "_test_explode" not in Language.factories:
        @Language.component("_test_explode")
        def _explode(doc):
            if "EXPLODE" in doc.text:
                raise ValueError("the model failed on this text")
            return doc

    nlp = get_nlp()
    nlp.add_pipe("_test_explode", first=True)
    try:
        raws = [RawDoc(source_uri=f"/in/{i}.txt", batch_date="2026-11-20",
                       content=f"Report {i}\n\nOfficials said {i},500 troops stay in Iraq{' EXPLODE' * (i == 1)}.\n")
                for i in range(3)]
        rows = _rows(raws, Batching())
    finally:
        nlp.remove_pipe("_test_explode")
    assert [a["source_uri"] for a in rows["articles"]] == ["/in/0.txt", "/in/2.txt"]
    (q,) = rows["quarantine"]
    assert (q["source_uri"], q["stage"]) == ("/in/1.txt", "extract")
    assert q["reason"] == "extraction failed: ValueError: the model failed on this text"


def test_worker_heap_kept_between_batches_on_glibc():
    """Loading the model asks glibc's malloc for large arrays from the heap, kept when freed for the next batch."""
    import platform

    from flows.nlp import _keep_heap

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("mallopt's M_MMAP_THRESHOLD and M_TOP_PAD are glibc's")
    assert _keep_heap() is True


def test_an_article_with_a_value_no_column_holds_is_quarantined_and_the_chunk_written():
    """A string that is no Unicode text (a surrogate, from wherever it came) failed the chunk's write and so
    the whole run; now only its article goes to quarantine, with the writer's reason."""
    from flows.work import process_articles

    text = (SEEDS / "000_3ef350cdd4bc2bac.txt").read_text("utf-8")
    raws = [RawDoc(source_uri="/in/ok.txt", content=text, fmt="text", batch_date="2026-08-14"),
            RawDoc(source_uri="/in/bad\udcffname.txt", content=text.replace("troops", "soldiers"), fmt="text",
                   batch_date="2026-08-14")]
    tables = process_articles(raws, {}, "run").decoded().tables
    assert tables["articles"].column("source_uri").to_pylist() == ["/in/ok.txt"]
    (row,) = tables["quarantine"].to_pylist()
    assert row["source_uri"] == "/in/bad\ufffdname.txt" and row["stage"] == "extract"
    assert row["reason"].startswith("unwritable value: UnicodeEncodeError")
    assert "surrogates not allowed" in row["reason"]
    ok = tables["articles"].column("article_id")[0].as_py()
    assert set(tables["figures"].column("article_id").to_pylist()) == {ok}


def test_every_maxout_layer_predicts_the_same_values_with_numpy_and_still_trains():
    """The loaded pipeline's Maxout layers (the senter's, NER's and the parse's encoders) take their maximum with
    numpy when predicting: the values thinc's forward gives, a C-ordered array for the next layer's window; a
    training pass still runs thinc's own forward, with its backward pass."""
    import numpy as np
    from thinc.layers import maxout

    from flows.nlp import _maxout_predict, get_nlp

    nlp = get_nlp()
    parts = [proc for _, proc in nlp.components] + [proc for _, proc in nlp.get_pipe("selective_parse").parts]
    layers = [node for proc in parts if hasattr(getattr(proc, "model", None), "walk")
              for node in proc.model.walk() if node.name == "maxout"]
    assert len(layers) >= 10 and all(node._func is _maxout_predict for node in layers)
    rng = np.random.default_rng(0)
    for node in layers:
        X = rng.normal(size=(300, node.get_dim("nI"))).astype("float32")
        best, _ = node._func(node, X, False)
        assert np.array_equal(best, maxout.forward(node, X, False)[0]) and best.flags.c_contiguous
    first = layers[0]
    X = rng.normal(size=(300, first.get_dim("nI"))).astype("float32")
    trained, backprop = first._func(first, X, True)
    assert backprop(trained).shape == X.shape
    with pytest.raises(RuntimeError, match="predicts only"):
        first._func(first, X, False)[1](trained)
