"""Which measures, anywhere, match a description by meaning."""

from __future__ import annotations

from collections.abc import Callable

from ikg.graph.store import GraphStore
from ikg.search.embedder import Embedder
from ikg.search.index import IndexSet
from ikg.search.ranking import rank_measures
from ikg.search.results import MeasureHit, Mode


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
    """Measures best-first, each with its issue, unit, linked regulations and provenance."""
    ranked = rank_measures(
        index, mode=mode, depth=max(100, top * 5), text=text, query_embedder=query_embedder
    )
    refs = store.measure_refs([r.id for r in ranked])
    hits: list[MeasureHit] = []
    for r in ranked:
        ref = refs.get(r.id)
        if ref is None or (unit and unit not in (ref.issue.unit or "")):
            continue
        if min_score is not None and r.score < min_score:
            break
        hits.append(MeasureHit(ref, r.score, r.cosine))
        if len(hits) == top:
            break
    return hits
