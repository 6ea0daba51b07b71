"""Which measures, anywhere, match a description by meaning."""

from __future__ import annotations

from collections.abc import Callable

from ikg.graph.store import GraphStore
from ikg.search.embedder import Embedder
from ikg.search.index import IndexSet
from ikg.search.query import check_limits, check_query
from ikg.search.ranking import best_kept, rank_measures
from ikg.search.results import MeasureHit, Mode
from ikg.search.threads import one_blas_thread


def match_measures(
    store: GraphStore,
    index: IndexSet,
    text: str,
    *,
    top: int = 10,
    unit: str | None = None,
    min_score: float | None = None,
    mode: Mode = Mode.hybrid,
    query_embedder: Callable[[], Embedder],
) -> list[MeasureHit]:
    """Measures best-first, each with its issue, unit, linked regulations and provenance.

    Raises `QueryError` for an empty or blank `text` before the index is searched."""
    text = check_query(text, "measures search TEXT")
    check_limits(top, min_score)
    with one_blas_thread():
        ranked = rank_measures(
            index, mode=mode, depth=max(100, top * 5), text=text, query_embedder=query_embedder
        )
    refs = store.measure_refs([r.id for r in ranked])
    kept = best_kept(
        ranked, refs, lambda ref: not unit or unit in (ref.issue.unit or ""), top=top, min_score=min_score
    )
    return [MeasureHit(ref, r.score, r.cosine) for ref, r in kept]
