"""A batch of reports' subgraphs written or deleted inside an open transaction, in a fixed number of
statements however many reports the batch holds (a statement per label, per edge group, per lookup)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from ikg.graph import cypher
from ikg.graph.errors import NotFoundError, StoreError
from ikg.graph.model import Label, Rel
from ikg.graph.rows import Row, WriteBatch
from ikg.graph.schema import NODE_TABLES
from ikg.graph.views import DeleteSummary

Params = Mapping[str, Any]

# Inspection first: dropping it frees the organizations only its INSPECTED edge still touched.
_SHARED_DELETE_ORDER = (Label.INSPECTION, Label.PERSON, Label.ORGANIZATION, Label.REGULATION)


class Tx(Protocol):
    def run(self, query: str, params: Params | None = None) -> list[Row]: ...


def write_rows(tx: Tx, batch: WriteBatch, list_base: int) -> None:
    """Send a batch's rows: a statement per label and per edge group, however many reports it holds."""
    for n in batch.nodes:
        make = cypher.merge_nodes if NODE_TABLES[n.label].shared else cypher.create_nodes
        tx.run(make(n.label, tuple(n.columns.props)), cypher.column_params(n.columns, list_base))
    for e in batch.edges:
        query = cypher.create_edges(e.rel, e.src, e.dst, tuple(e.columns.props))
        written = tx.run(query, cypher.column_params(e.columns, list_base))
        if written[0]["n"] != e.columns.size:
            raise StoreError(f"{e.rel} edges: wrote {written[0]['n']} of {e.columns.size}")


def delete_subgraphs(tx: Tx, report_ids: Sequence[str]) -> tuple[list[DeleteSummary], int]:
    """Delete these reports' subgraphs with a fixed number of statements, however many reports.

    Returns one summary per report counting its own nodes, and how many shared nodes went because
    nothing referenced them any more."""
    ids = {"ids": list(report_ids)}
    refs = {r["id"]: r for r in tx.run(cypher.REPORT_REFS, ids)}
    missing = [r for r in report_ids if r not in refs]
    if missing:
        raise NotFoundError(f"no report with id {missing[0]}; 'ikg stats' and 'ikg units' show what is there")
    categories = tx.run(cypher.REPORT_CATEGORY_IDS, ids)
    issues = sorted(tx.run(cypher.REPORT_ISSUE_IDS, ids), key=lambda r: (r["report"], r["ordinal"]))
    measures = sorted(
        tx.run(cypher.REPORT_TOOK_MEASURE_IDS, ids) + tx.run(cypher.REPORT_MEASURE_IDS, ids),
        key=lambda r: (r["report"], r["issue"], r["ordinal"]),
    )
    shared: dict[Label, set[str]] = {label: set() for label in _SHARED_DELETE_ORDER}
    for ref in refs.values():
        if ref["inspection_id"]:
            shared[Label.INSPECTION].add(ref["inspection_id"])
        shared[Label.ORGANIZATION].update(ref["organization_ids"] or ())
        shared[Label.REGULATION].update(ref["regulation_ids"] or ())
        shared[Label.PERSON].update(ref["person_ids"] or ())
    # Facts these reports stated between shared nodes; other reports keep their own copies.
    for rel, label in ((Rel.ROLE_IN, Label.PERSON), (Rel.INSPECTED, Label.INSPECTION)):
        if shared[label]:
            query = cypher.delete_report_edges(rel, label)
            tx.run(query, {"ids": sorted(shared[label]), "report_ids": list(report_ids)})
    for label, owned in (
        (Label.MEASURE, [r["id"] for r in measures]),
        (Label.ISSUE, [r["id"] for r in issues]),
        (Label.CATEGORY, [r["id"] for r in categories]),
        (Label.REPORT, list(report_ids)),
    ):
        if owned:
            tx.run(cypher.delete_nodes(label), {"ids": owned})
    orphans = 0
    for label in _SHARED_DELETE_ORDER:
        if not shared[label]:
            continue
        gone = [r["id"] for r in tx.run(cypher.unreferenced(label), {"ids": sorted(shared[label])})]
        if gone:
            tx.run(cypher.delete_nodes(label), {"ids": gone})
            orphans += len(gone)
    owned_by: dict[str, tuple[list[str], list[str], list[str]]] = {r: ([], [], []) for r in report_ids}
    for position, rows in enumerate((categories, issues, measures)):
        for r in rows:
            owned_by[r["report"]][position].append(r["id"])
    summaries = []
    for report_id, (own_categories, own_issues, own_measures) in owned_by.items():
        nodes = 1 + len(own_categories) + len(own_issues) + len(own_measures)
        summaries.append(
            DeleteSummary(report_id, refs[report_id]["file"], nodes, tuple(own_issues), tuple(own_measures))
        )
    return summaries, orphans
