"""The worker-process path produces exactly the rows of the in-process path."""
from flows.work import MIN_PARALLEL, process_parallel, shutdown
from tests.conftest import SEEDS
from transforms.article import RawDoc


def _comparable(rows: dict) -> dict:
    return {t: sorted(sorted((k, str(v)) for k, v in r.items() if k != "ingested_at") for r in rs)
            for t, rs in rows.items()}


def test_two_worker_processes_match_one_process():
    pages = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    raws = [RawDoc(source_uri=f"/in/site-{i}/{j}.txt", content=page + f"\nFiled {i}.\n", batch_date="2026-11-20",
                   source_key=f"/in/site-{i}") for i in range(MIN_PARALLEL // len(pages) + 1) for j, page in enumerate(pages)]
    assert len(raws) >= MIN_PARALLEL
    try:
        parallel = process_parallel(raws, {}, "run", n_process=2, batch_size=8)
    finally:
        shutdown()
    serial = process_parallel(raws, {}, "run", n_process=0, batch_size=8)
    assert len(parallel["articles"]) == len(raws)
    assert _comparable(parallel) == _comparable(serial)
