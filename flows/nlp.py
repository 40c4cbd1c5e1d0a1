"""The spaCy model, loaded once per process behind an importable function (safe for Dask workers).

The model computes with numpy's BLAS (OpenBLAS in numpy's wheels) instead of thinc's default BLIS:
the same matrix products, about 4x faster a core on this project's machines (an x86-64 AMD EPYC: 65
against 16 GFLOP/s; the `blis` wheel's kernels run far below the core's AVX2 peak), so the
tok2vec, tagger and parser layers cost a third less and the NER a quarter less, with the same
entities, tags and trees (tests/transforms/test_golden.py). The greedy transition loops inside the
parser and NER still call BLIS through thinc's CBlas, which has no Python hook. Loading also limits
the process's BLAS to one thread: parallelism comes from the worker processes, and OpenBLAS's extra
threads would compete with them for the cores. And it asks glibc's malloc to keep 128 MB of freed
heap in the process (M_TOP_PAD): by default the heap is trimmed after every batch and the next
batch's arrays land on fresh pages the kernel must zero (clear_page in `perf`), ~14% of NER's CPU.
"""
from __future__ import annotations

import ctypes
import threading
from functools import lru_cache

from flows.settings import SPACY_MODEL

_LOCK = threading.Lock()
_BLAS_THREADS = None  # the process's BLAS thread limit, kept while the model lives
M_TOP_PAD, HEAP_PAD = -2, 128 << 20  # mallopt's parameter (glibc's malloc.h) and the heap kept beyond use


@lru_cache(maxsize=1)
def _load():
    global _BLAS_THREADS
    import spacy
    from thinc.api import use_ops
    from threadpoolctl import threadpool_limits

    from transforms.extract.parse import selective
    from transforms.extract.tokenize import customize

    _BLAS_THREADS = threadpool_limits(limits=1, user_api="blas")
    _keep_heap()
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(SPACY_MODEL)
    return selective(customize(nlp))


def _keep_heap() -> bool:
    """Keep HEAP_PAD bytes of freed heap instead of returning them after each batch (glibc only; True if set)."""
    try:
        return ctypes.CDLL(None).mallopt(M_TOP_PAD, HEAP_PAD) == 1
    except (OSError, AttributeError):  # no mallopt (macOS): the allocator as it is
        return False


def get_nlp():
    """The English pipeline, loaded on first use: NER and sentences over every body, tags, parse and lemmas
    over the sentences extraction reads (transforms/extract/parse.py)."""
    with _LOCK:
        return _load()
