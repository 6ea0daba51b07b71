"""Ranked hits and what issue and measure search share: reciprocal-rank fusion and keeping the best hits.

Measures are ranked here, by their vector (dense), BM25 (lexical) or both fused (hybrid); issues, which
have more signals, in `issue_ranking.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from ikg.search.embedder import Embedder
from ikg.search.expansion import expanded_search
from ikg.search.fusion import DEFAULT_TEXT_FUSION, TextFusion, rrf
from ikg.search.index import IndexKind, IndexSet
from ikg.search.results import Mode

T = TypeVar("T")
RRF_K = 30  # 10-60 all work within 0.01 Recall@5 on the gold groups


@dataclass(frozen=True, slots=True)
class Ranked:
    id: str
    score: float  # cosine (dense measures), BM25 (lexical), or RRF scaled to 0..1 (fused)
    cosine: float | None  # whole-text cosine to the query, when computed


def best_kept(
    ranked: Sequence[Ranked],
    refs: Mapping[str, T],
    keep: Callable[[T], bool],
    *,
    top: int,
    min_score: float | None,
) -> list[tuple[T, Ranked]]:
    """The first `top` ranked nodes that have a ref and pass `keep`, stopping below `min_score`."""
    out: list[tuple[T, Ranked]] = []
    for r in ranked:
        ref = refs.get(r.id)
        if ref is None or not keep(ref):
            continue
        if min_score is not None and r.score < min_score:
            break  # ranked best-first
        out.append((ref, r))
        if len(out) == top:
            break
    return out


def _fused(
    rankings: Sequence[Sequence[str]], cosines: dict[str, float], weights: Sequence[float] | None = None
) -> list[Ranked]:
    total = sum(weights) if weights is not None else len(rankings)
    best = total / (RRF_K + 1)  # an id ranked first by every signal scores 1.0
    return [Ranked(i, s / best, cosines.get(i)) for i, s in rrf(rankings, k=RRF_K, weights=weights)]


def rank_measures(
    index: IndexSet,
    *,
    mode: Mode,
    depth: int,
    text: str,
    query_embedder: Callable[[], Embedder],
    text_fusion: TextFusion = DEFAULT_TEXT_FUSION,
) -> list[Ranked]:
    """Measures best-first for a query text: cosine (dense), BM25 (lexical) or both fused (hybrid).

    Hybrid expands the BM25 query with synonyms and weights the two by the query's length, as for issues.
    """
    dense: list[tuple[str, float]] = []
    if mode != Mode.lexical:
        dense = index.search(IndexKind.MEASURES, query_embedder().embed_query(text), depth)
        if mode == Mode.dense:
            return [Ranked(i, s, s) for i, s in dense]
    if mode == Mode.lexical:
        lexical = index.lexical_search(IndexKind.MEASURES, text, depth)
        return [Ranked(i, s, None) for i, s in lexical]
    plain = partial(index.lexical_search, IndexKind.MEASURES)
    lexical = expanded_search(plain, text, depth, weight=text_fusion.expansion_weight)
    w_dense, _, w_lexical = text_fusion.weights(text)
    return _fused([[i for i, _ in dense], [i for i, _ in lexical]], dict(dense), (w_dense, w_lexical))
