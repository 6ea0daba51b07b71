"""Dense, lexical and hybrid rankings of one index kind for a query text or a stored node."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ikg.search.embedder import Embedder
from ikg.search.fusion import rrf
from ikg.search.index import IndexSet
from ikg.search.results import Mode

RRF_K = 60
# Dense and lexical agree on the obvious matches and fail on different ones; equal weights fuse best on
# the gold groups (bench/similar_issues.py prints the figures).
WEIGHTS = (1.0, 1.0)


@dataclass(frozen=True, slots=True)
class Ranked:
    id: str
    score: float
    cosine: float | None


def rank(
    index: IndexSet,
    kind: str,
    *,
    mode: Mode,
    depth: int,
    text: str | None = None,
    vector: np.ndarray | None = None,
    query_embedder: Callable[[], Embedder] | None = None,
) -> list[Ranked]:
    """Best-first ids of `kind` for a query `text` (embedded on demand) or a stored `vector` + its `text`."""
    cosines: dict[str, float] = {}
    dense: list[str] = []
    if mode != Mode.lexical:
        if vector is None:
            if text is None or query_embedder is None:
                raise ValueError("dense ranking needs a vector, or a text and an embedder")
            vector = query_embedder().embed_query(text)
        hits = index.search(kind, vector, depth)
        cosines = dict(hits)
        dense = [i for i, _ in hits]
        if mode == Mode.dense:
            return [Ranked(i, s, s) for i, s in hits]
    lexical_hits = index.lexical_search(kind, text, depth) if text else []
    if mode == Mode.lexical:
        return [Ranked(i, s, None) for i, s in lexical_hits]
    fused = rrf([dense, [i for i, _ in lexical_hits]], k=RRF_K, weights=WEIGHTS)
    best = sum(WEIGHTS) / (RRF_K + 1)
    return [Ranked(i, s / best, cosines.get(i)) for i, s in fused]
