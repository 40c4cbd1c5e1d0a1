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

Every Maxout layer (the tok2vec encoders of the senter, NER and parse) takes its maximum over the pieces
with numpy (`_maxout_predict`) when predicting: thinc's own kernel also writes which piece won, for a
backward pass that prediction never runs, and reads the pieces one element at a time (19 against 2.4 ms
over 23,000 tokens; a seventh of NER's CPU). The maximum is exact, so the values are the same.
"""
from __future__ import annotations

import ctypes
import threading
from functools import lru_cache

import numpy as np

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
    predict_maxout(nlp)
    return selective(customize(nlp))


def predict_maxout(nlp) -> int:
    """Give every Maxout layer of the pipeline's components `_maxout_predict`; returns how many."""
    from thinc.layers import maxout

    models = [getattr(proc, "model", None) for _, proc in nlp.components]
    layers = [node for m in models if hasattr(m, "walk") for node in m.walk() if node._func is maxout.forward]
    for node in layers:
        node._func = _maxout_predict
    return len(layers)


def _maxout_predict(model, X, is_train: bool):
    """thinc's Maxout forward (`thinc.layers.maxout.forward`, which training still runs), its maximum over the
    pieces taken by numpy over each piece's strided view: the same values, no argmax and no backward pass."""
    from thinc.layers import maxout

    if is_train:
        return maxout.forward(model, X, is_train)
    n_out, pieces = model.get_dim("nO"), model.get_dim("nP")
    W = model.ops.reshape2f(model.get_param("W"), n_out * pieces, model.get_dim("nI"))
    Y = model.ops.gemm(X, W, trans2=True)
    Y += model.ops.reshape1f(model.get_param("b"), n_out * pieces)
    Z = Y.reshape(len(Y), n_out, pieces)
    best = np.maximum(Z[:, :, 0], Z[:, :, 1]) if pieces > 1 else Z[:, :, 0].copy()
    for p in range(2, pieces):
        np.maximum(best, Z[:, :, p], out=best)
    return best, _no_backward


def _no_backward(_):
    raise RuntimeError("this Maxout layer predicts only (flows/nlp.py: predict_maxout)")


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
