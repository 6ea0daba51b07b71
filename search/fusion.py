"""Reciprocal rank fusion: merge several best-first rankings of ids into one, and the weights of a text
query's signals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ikg.search.expansion import EXPANSION_WEIGHT


def _checked_weights(count: int, k: int, weights: Sequence[float] | None) -> Sequence[float]:
    """The rankings' weights (1 each unless given), after checking them and `k`."""
    if weights is None:
        weights = [1.0] * count
    if len(weights) != count:
        raise ValueError(f"{len(weights)} weights for {count} rankings")
    if k < 0:
        raise ValueError("k must be >= 0")
    return weights


def rrf(
    rankings: Sequence[Sequence[str]], k: int = 60, weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """Score each id by sum(weight / (k + rank)) over the rankings it appears in (rank 1 = best).

    Ties keep the order in which ids were first seen, so the result is deterministic. An id repeated within
    one ranking counts at its best rank only.
    """
    weights = _checked_weights(len(rankings), k, weights)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[str] = set()
        for rank, node_id in enumerate(ranking, start=1):
            if node_id in seen:
                continue
            seen.add(node_id)
            scores[node_id] = scores.get(node_id, 0.0) + weight / (k + rank)
    first_seen = {node_id: i for i, node_id in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], first_seen[item[0]]))


def rrf_rows(
    rankings: Sequence[np.ndarray], k: int = 60, weights: Sequence[float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`rrf` over rankings of integer rows, vectorised: the rows best-first and their scores (float64).

    Equal to `rrf` over the same rankings written as ids, to the last bit and in the order of ties: each
    score is summed over the rankings in their order, ties keep the order of first sight.
    """
    weights = _checked_weights(len(rankings), k, weights)
    parts = [np.asarray(r, dtype=np.int64) for r in rankings]
    if not sum(len(p) for p in parts):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    every = np.concatenate(parts)
    distinct, first, inverse = np.unique(every, return_index=True, return_inverse=True)
    seen = np.argsort(first, kind="stable")  # distinct rows in the order they were first seen
    slot = np.empty(len(distinct), dtype=np.int64)
    slot[seen] = np.arange(len(distinct))
    scores = np.zeros(len(distinct), dtype=np.float64)
    start = 0
    for part, weight in zip(parts, weights, strict=True):
        where = slot[inverse[start : start + len(part)]]
        start += len(part)
        where, rank = np.unique(where, return_index=True)  # a repeat counts at its best rank only
        scores[where] += weight / (k + rank + 1)
    order = np.argsort(-scores, kind="stable")
    return distinct[seen][order], scores[order]


# A text query's signal weights by its length in characters (tuned on the tune half of the analyst queries,
# bench/similar_issues.py): a short query (公车管理) is its key words, so BM25 leads; a longer one describes a
# problem in other words than the report, where the vectors and problem types catch what BM25 misses.
SHORT_QUERY_CHARS = 6
SHORT_WEIGHTS = (1.0, 0.5, 3.0)  # dense, problem types, lexical; measures use dense and lexical only
LONG_WEIGHTS = (1.0, 0.5, 2.0)  # tune half nDCG@10, issues: (1, 1, 1) 0.905, (1, .5, 1) 0.932, this 0.944


@dataclass(frozen=True, slots=True)
class TextFusion:
    """How a text query's signals are fused in hybrid mode: the weight of the synonym-expanded BM25 part
    and the RRF weights (dense, problem types, lexical) for short and for longer queries."""

    expansion_weight: float = EXPANSION_WEIGHT
    short_weights: tuple[float, float, float] = SHORT_WEIGHTS
    long_weights: tuple[float, float, float] = LONG_WEIGHTS
    short_chars: int = SHORT_QUERY_CHARS

    def weights(self, text: str) -> tuple[float, float, float]:
        """RRF weights (dense, problem types, lexical) for a text query, by its length without spaces."""
        return self.short_weights if len("".join(text.split())) <= self.short_chars else self.long_weights


DEFAULT_TEXT_FUSION = TextFusion()
# The fusion before issue 12 (equal weights, no expansion), kept so the bench compares both in one run
PLAIN_TEXT_FUSION = TextFusion(0.0, (1.0, 1.0, 1.0), (1.0, 1.0, 1.0))


def text_weights(text: str) -> tuple[float, float, float]:
    """The default RRF weights (dense, problem types, lexical) for a text query."""
    return DEFAULT_TEXT_FUSION.weights(text)
