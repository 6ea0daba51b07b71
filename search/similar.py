"""Which units had problems like this one: similar issues from other reports, grouped by unit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ikg.graph.errors import NotFoundError
from ikg.graph.store import GraphStore
from ikg.graph.views import IssueRef
from ikg.search.embedder import Embedder
from ikg.search.index import IndexKind, IndexSet
from ikg.search.issue_ranking import PREFETCH, IssueRanker
from ikg.search.query import check_given, check_limits, check_query
from ikg.search.ranking import Ranked, best_kept
from ikg.search.results import IssueHit, Mode, SimilarIssues, UnitGroup
from ikg.search.threads import one_blas_thread

UNKNOWN_UNIT = "(unit unknown)"


@dataclass(frozen=True, slots=True)
class IssueNeighbours:
    """One line of `ikg similar --all`: an issue and its best matches in other reports."""

    issue: IssueRef
    similar: tuple[IssueHit, ...]


def _depth(top: int) -> int:
    # hits from the query's own report are dropped after ranking, so look deeper than `top`
    return max(100, top * 5 + 60)


def _hits(
    ranked: list[Ranked],
    refs: dict[str, IssueRef],
    *,
    exclude_report: str | None,
    top: int,
    min_score: float | None,
    unit: str | None,
) -> tuple[IssueHit, ...]:
    def keep(ref: IssueRef) -> bool:
        return ref.report_id != exclude_report and (not unit or unit in (ref.unit or ""))

    kept = best_kept(ranked, refs, keep, top=top, min_score=min_score)
    return tuple(IssueHit(ref, r.score, r.cosine) for ref, r in kept)


def _titles(store: GraphStore) -> Callable[[list[str]], dict[str, str]]:
    """Issue ids -> titles, one store query per batch the ranker asks for."""
    return lambda ids: {i: r.title for i, r in store.issue_refs(ids).items()}


def group_by_unit(hits: tuple[IssueHit, ...]) -> tuple[UnitGroup, ...]:
    """Units in the order of their best hit; within a unit, hits best-first."""
    groups: dict[str, list[IssueHit]] = {}
    for hit in hits:
        groups.setdefault(hit.issue.unit or UNKNOWN_UNIT, []).append(hit)
    return tuple(UnitGroup(u, hs[0].score, tuple(hs)) for u, hs in groups.items())


def similar_issues(
    store: GraphStore,
    index: IndexSet,
    *,
    text: str | None = None,
    issue_id: str | None = None,
    top: int = 10,
    min_score: float | None = None,
    unit: str | None = None,
    mode: Mode = Mode.hybrid,
    query_embedder: Callable[[], Embedder] | None = None,
) -> SimilarIssues:
    """Issues like a query `text` (all reports) or like a stored issue (other reports only).

    Raises `NotFoundError` for an unknown issue id; embeds `text` with `query_embedder()` unless lexical.
    """
    check_limits(top, min_score)
    query = check_query(text, "similar TEXT") if issue_id is None else None
    source: IssueRef | None = None
    ranker = IssueRanker(
        index, mode=mode, depth=_depth(top), query_embedder=query_embedder, titles=_titles(store)
    )
    if issue_id is not None:
        issue_id = check_given(issue_id, "--issue")
        source = store.issue_refs([issue_id]).get(issue_id)
        if source is None:
            raise NotFoundError(f"no issue {issue_id!r}; find ids with 'ikg issue show --unit U --number N'")
        with one_blas_thread():
            ranked = ranker.for_issue(issue_id)
    else:
        assert query is not None
        with one_blas_thread():
            ranked = ranker.for_text(query)
    refs = store.issue_refs([r.id for r in ranked])
    hits = _hits(
        ranked,
        refs,
        exclude_report=source.report_id if source else None,
        top=top,
        min_score=min_score,
        unit=unit,
    )
    return SimilarIssues(query, source, mode, group_by_unit(hits))


def similar_all(
    store: GraphStore,
    index: IndexSet,
    *,
    top: int = 5,
    min_score: float | None = None,
    mode: Mode = Mode.hybrid,
) -> Iterator[IssueNeighbours]:
    """For every issue, its `top` most similar issues from other reports, best first. Needs no model."""
    refs = store.issue_refs(index.ids(IndexKind.ISSUES))
    titles = {i: r.title for i, r in refs.items()}
    ranker = IssueRanker(index, mode=mode, depth=_depth(top), titles=lambda ids: titles)
    ordered = sorted(refs, key=lambda i: (refs[i].file, refs[i].line))
    for start in range(0, len(ordered), PREFETCH):
        chunk = ordered[start : start + PREFETCH]
        with one_blas_thread():  # the forward rankings multiply small matrices too
            ranker.prefetch(chunk, heads=True)  # one batched FAISS search per view: the chunk, then heads
        for issue_id in chunk:
            source = refs[issue_id]
            with one_blas_thread():
                ranked = ranker.for_issue(issue_id)
            hits = _hits(
                ranked, refs, exclude_report=source.report_id, top=top, min_score=min_score, unit=None
            )
            yield IssueNeighbours(source, hits)
