"""numpy's BLAS on one thread while a query is ranked.

Ranking multiplies small matrices (a few hundred candidate rows by 384 dimensions). After FAISS's OpenMP pool
has run, numpy's OpenBLAS threads wake and contend with it on a 2-core machine: a 300×384 by 384×37 product
took 6–14 ms instead of 0.4 ms, and `similar --issue` at 30k issues 1.2 s instead of 0.66 s (measured
side by side). Only numpy's own OpenBLAS is limited; the BLAS inside FAISS (batched searches) keeps its
threads.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cache
from typing import Any


@cache
def _numpy_blas() -> Any:
    import numpy  # noqa: F401  (loaded first, so the controller sees its BLAS)
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().select(prefix="libscipy_openblas")


def one_blas_thread() -> AbstractContextManager[Any]:
    """numpy's BLAS limited to one thread inside the `with` (entering costs ~15 µs)."""
    limit: AbstractContextManager[Any] = _numpy_blas().limit(limits=1)
    return limit
