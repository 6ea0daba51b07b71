"""Issue vectors for analysis: the index's own vectors, centred on the graph's mean issue and re-normalized.

multilingual-e5 puts every text of one domain in a narrow cone (two unrelated 工会 problems: cosine ~0.9), so
raw cosines hardly separate "the same problem" from "another problem of a trade union". Subtracting the mean
issue vector (the common component) and re-normalizing spreads them: repeated problems ~0.15-0.6, unrelated
ones mostly below 0.1 (bench/common_issues.py, tests/analysis). The mean is over the issues given, so figures
move a little as the graph grows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ikg.search.index import IndexKind, IndexSet
from ikg.search.manifest import IndexConfig
from ikg.search.vector_index import VectorIndex

# The issue's whole text (title, problem, measures, results): on the gold groups and the synthetic second
# rounds it found the intended counterpart more often than the title or head views.
KIND = IndexKind.ISSUES


def centred_vectors(index: IndexSet, ids: Sequence[str]) -> np.ndarray:
    """(len(ids), dim) unit rows; raises `NotFoundError` for an id not indexed (run 'ikg reindex')."""
    if not ids:
        return np.zeros((0, index.config.dim), dtype=np.float32)
    raw = np.asarray(index.vectors(KIND, list(ids)), dtype=np.float32)
    centred = raw - raw.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: np.ndarray = np.ascontiguousarray(centred / norms, dtype=np.float32)
    return out


def neighbour_index(index: IndexSet, ids: Sequence[str], vectors: np.ndarray) -> VectorIndex:
    """A FAISS index (exact up to the index's flat_max, HNSW above) over the centred vectors."""
    config = index.config
    out = VectorIndex(IndexConfig(config.model, config.dim, True, config.flat_max))
    out.add(list(ids), vectors)
    return out
