"""Dense, lexical and hybrid rankings: several signals fused by reciprocal rank.

Issues are ranked by five signals: their whole-text, head and title vectors, their problem-type profile
(dense), and BM25 over their whole text (lexical). Measures by their vector and BM25. No single signal is
reliable on its own: a generic title (党建工作有待加强) hides what the measures say, a long text blurs the
title, and BM25 needs shared words; bench/similar_issues.py prints what each mode achieves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from ikg.search.embedder import Embedder
from ikg.search.fusion import rrf
from ikg.search.index import IndexKind, IndexSet
from ikg.search.problem_types import profiles
from ikg.search.results import Mode

T = TypeVar("T")
RRF_K = 30  # 10-60 all work; 30 ranked best on the gold groups
ISSUE_VECTOR_KINDS = (IndexKind.ISSUES, IndexKind.ISSUE_HEADS, IndexKind.ISSUE_TITLES)


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


def _fused(rankings: Sequence[Sequence[str]], cosines: dict[str, float]) -> list[Ranked]:
    best = len(rankings) / (RRF_K + 1)  # an id ranked first by every signal scores 1.0
    return [Ranked(i, s / best, cosines.get(i)) for i, s in rrf(rankings, k=RRF_K)]


def _type_ranking(index: IndexSet, query: np.ndarray, pool: list[str]) -> list[str]:
    """The pool re-ranked by problem-type profile; empty when the index holds no problem types."""
    types = index.vectors(IndexKind.PROBLEM_TYPES, index.ids(IndexKind.PROBLEM_TYPES))
    if not pool or not len(types):
        return []
    candidates = profiles(index.vectors(IndexKind.ISSUES, pool), types)
    scores = candidates @ profiles(query.reshape(1, -1), types)[0]
    return [pool[j] for j in np.argsort(-scores, kind="stable")]


def rank_issues(
    index: IndexSet,
    *,
    mode: Mode,
    depth: int,
    text: str,
    issue_id: str | None = None,
    query_embedder: Callable[[], Embedder] | None = None,
) -> list[Ranked]:
    """Issues best-first for a query `text`, or for a stored issue (`issue_id`, with its text for BM25)."""
    rankings: list[list[str]] = []
    cosines: dict[str, float] = {}
    if mode != Mode.lexical:
        if issue_id is not None:
            queries = {kind: index.vector(kind, issue_id) for kind in ISSUE_VECTOR_KINDS}
        else:
            if query_embedder is None:
                raise ValueError("a text query in dense or hybrid mode needs an embedder")
            vector = query_embedder().embed_query(text)
            queries = dict.fromkeys(ISSUE_VECTOR_KINDS, vector)
        for kind, query in queries.items():
            hits = index.search(kind, query, depth)
            rankings.append([i for i, _ in hits])
            if kind == IndexKind.ISSUES:
                cosines = dict(hits)
        pool = list(dict.fromkeys(i for ranking in rankings for i in ranking))
        rankings.append(_type_ranking(index, queries[IndexKind.ISSUES], pool))
    if mode != Mode.dense:
        lexical = index.lexical_search(IndexKind.ISSUES, text, depth)
        if mode == Mode.lexical:
            return [Ranked(i, s, None) for i, s in lexical]
        rankings.append([i for i, _ in lexical])
    return _fused([r for r in rankings if r], cosines)


def rank_measures(
    index: IndexSet,
    *,
    mode: Mode,
    depth: int,
    text: str,
    query_embedder: Callable[[], Embedder],
) -> list[Ranked]:
    """Measures best-first for a query text: cosine (dense), BM25 (lexical) or both fused (hybrid)."""
    dense: list[tuple[str, float]] = []
    if mode != Mode.lexical:
        dense = index.search(IndexKind.MEASURES, query_embedder().embed_query(text), depth)
        if mode == Mode.dense:
            return [Ranked(i, s, s) for i, s in dense]
    lexical = index.lexical_search(IndexKind.MEASURES, text, depth)
    if mode == Mode.lexical:
        return [Ranked(i, s, None) for i, s in lexical]
    return _fused([[i for i, _ in dense], [i for i, _ in lexical]], dict(dense))
