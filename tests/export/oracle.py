"""Expected figures from the store's own answers, never from the export under test."""

from __future__ import annotations

from pathlib import Path

from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.store import GraphStore
from ikg.graph.views import GraphStats
from ikg.ingest.job import ingest_files


def node_counts(stats: GraphStats) -> dict[str, int]:
    """`ikg stats` per label; Measure counts the issues' and the reports' own measures together."""
    return {
        "Report": stats.reports,
        "Organization": stats.organizations,
        "Inspection": stats.inspections,
        "Category": stats.categories,
        "Issue": stats.issues,
        "Measure": stats.measures + stats.report_measures,
        "Regulation": stats.regulations,
        "Person": stats.people,
    }


def unit_expectation(store: GraphStore, report_files: list[Path], where: Path) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """Node and edge counts of a graph holding only `report_files`, ingested afresh into an embedded
    store; SIMILAR_TO edges are global, so those `store` holds between two of its issues are added."""
    fresh = LadybugStore(where)
    try:
        assert not ingest_files(report_files, fresh).failures
        stats = fresh.stats()
        ids = {t.id for t in fresh.issue_texts()}
    finally:
        fresh.close()
    similar = {
        frozenset((i, ref.id)) for i in ids for ref, _ in store.issue_detail(i).similar if ref.id in ids
    }
    edges = dict(stats.edges)
    edges["SIMILAR_TO"] = len(similar)
    return node_counts(stats), edges
