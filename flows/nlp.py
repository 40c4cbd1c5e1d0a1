"""The spaCy model, loaded once per process behind an importable function (safe for Dask workers).

The model computes with numpy's BLAS (OpenBLAS in numpy's wheels) instead of thinc's default BLIS:
the same matrix products, about 4x faster a core on this project's machines (an x86-64 AMD EPYC: 65
against 16 GFLOP/s: the `blis` wheel knows AMD's cores up to Zen 2, so on a Zen 4 it runs its
generic kernels, `BLIS_ARCH_DEBUG=1` says), so the tok2vec, tagger and parser layers cost a third
less and the NER a quarter less, with the same entities, tags and trees
(tests/transforms/test_golden.py). The greedy transition loops inside the parser and NER still call
BLIS through thinc's CBlas, which has no Python hook; their products are small (with BLIS's AVX2
kernels forced there, NER and parse took the same CPU over 342 bodies). Loading also limits
the process's BLAS to one thread: parallelism comes from the worker processes, and OpenBLAS's extra
threads would compete with them for the cores. And it asks glibc's malloc to serve arrays up to
64 MB from the heap (M_MMAP_THRESHOLD) and to keep 16 MB of it when freed (M_TOP_PAD): by default
each batch's large arrays are fresh mappings whose pages the kernel must zero again (numpy asks for
huge pages: clear_page, ~7-9% of NER's samples in `perf`). The heap itself is what counts: keeping
128 MB instead of 16 saved 9 in 10 page faults (65,000 against 580,000 over 400 articles, about half
a second) but no CPU that seven interleaved runs could see, and cost each worker 67 MB (331 -> 264).
"""
from __future__ import annotations

import ctypes
import threading
from functools import lru_cache

from flows.settings import SPACY_MODEL

_LOCK = threading.Lock()
_BLAS_THREADS = None  # the process's BLAS thread limit, kept while the model lives
# mallopt's parameters (glibc's malloc.h): the largest allocation served from the heap, the heap kept when freed
HEAP_OPTIONS = {-3: 64 << 20, -2: 16 << 20}  # M_MMAP_THRESHOLD, M_TOP_PAD


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
    """Large arrays from the heap, and freed heap kept for the next batch (glibc only; True if set)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
        return all([mallopt(option, value) == 1 for option, value in HEAP_OPTIONS.items()])
    except (OSError, AttributeError):  # no mallopt (macOS): the allocator as it is
        return False


def get_nlp():
    """The English pipeline, loaded on first use: NER and sentences over every body, tags, parse and lemmas
    over the sentences extraction reads (transforms/extract/parse.py)."""
    with _LOCK:
        return _load()
