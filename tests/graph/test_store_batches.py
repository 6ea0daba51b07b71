"""`write_reports`: a batch in one transaction, on every backend, leaves what one-by-one writes would leave.

Expected figures come from the ReportGraphs written (tests/graph/factory.py) or from the same reports
written one at a time into the same store, never typed in.
"""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType

import pytest

from ikg.graph.base import CypherStore
from ikg.graph.errors import StoreError
from ikg.graph.model import Edge, Rel, ReportGraph


def snapshot(store: CypherStore) -> tuple[object, ...]:
    """Everything the read side shows of a graph, to compare two ways of writing the same reports."""
    return (
        store.stats(),
        store.fingerprint(),
        store.units(),
        store.regulations(),
        store.issue_texts(),
        store.measure_texts(),
        store.reports(),
    )


def changed(factory: ModuleType, g: ReportGraph) -> ReportGraph:
    """Another version of `g` (same file, so the same report id): one issue fewer, another digest."""
    i = int(g.report.file.split("/")[-1].split(".")[0])
    return factory.synthetic(i, issues=len(g.issues) - 1)  # type: ignore[no-any-return]


def test_a_batch_leaves_what_one_by_one_writes_leave(store: CypherStore, factory: ModuleType) -> None:
    synthetic = [factory.synthetic(i, issues=4, measures=2) for i in range(5)]
    graphs = [factory.huidong(), factory.qingyuan(), *synthetic]
    summaries = store.write_reports(graphs)
    assert [s.status for s in summaries] == ["new"] * len(graphs)
    assert [(s.report_id, s.file) for s in summaries] == [(g.report.id, g.report.file) for g in graphs]
    assert [s.edges for s in summaries] == [len(g.edges) for g in graphs]
    assert store.stats() == factory.expected_stats(graphs)  # shared law and city union once
    batched = snapshot(store)
    for g in graphs:
        store.delete_report(g.report.id)
    assert store.stats() == factory.expected_stats([])
    one_by_one = [store.write_report(g) for g in graphs]
    assert one_by_one == summaries
    assert snapshot(store) == batched


def test_a_batch_mixes_unchanged_replaced_and_new(store: CypherStore, factory: ModuleType) -> None:
    a, b, c = factory.synthetic(1, issues=4), factory.synthetic(2, issues=4), factory.synthetic(3, issues=4)
    store.write_reports([a, b])
    b2 = changed(factory, b)
    summaries = store.write_reports([a, b2, c])
    assert [(s.report_id, s.status) for s in summaries] == [
        (a.report.id, "unchanged"), (b.report.id, "replaced"), (c.report.id, "new")
    ]  # fmt: skip
    assert (summaries[0].nodes, summaries[0].edges) == (0, 0)
    assert store.stats() == factory.expected_stats([a, b2, c])
    gone = {i.id for i in b.issues} - {i.id for i in b2.issues}
    assert gone and store.issue_refs(sorted(gone)) == {}
    assert [(r.id, r.digest) for r in store.reports()] == [(g.report.id, g.report.digest) for g in (a, b2, c)]


def test_writing_a_batch_again_changes_nothing(store: CypherStore, factory: ModuleType) -> None:
    graphs = [factory.huidong(), factory.qingyuan(), factory.synthetic(4, issues=3)]
    store.write_reports(graphs)
    before = snapshot(store)
    again = store.write_reports(graphs)
    assert {(s.status, s.nodes, s.edges) for s in again} == {("unchanged", 0, 0)}
    assert snapshot(store) == before
    assert store.write_reports([]) == []


def test_the_same_report_twice_in_a_batch_the_last_wins(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.synthetic(1, issues=4), factory.synthetic(2, issues=4)
    a2 = changed(factory, a)
    # Statuses as if written one by one: a new, then replaced by a2 in the same batch.
    assert [s.status for s in store.write_reports([a, b, a2])] == ["new", "new", "replaced"]
    assert store.stats() == factory.expected_stats([a2, b])
    fingerprint = store.fingerprint()
    # Back and forth ends where it started: each step reports 'replaced', nothing changes.
    assert [s.status for s in store.write_reports([a, a2])] == ["replaced", "replaced"]
    assert store.fingerprint() == fingerprint
    assert store.stats() == factory.expected_stats([a2, b])


def test_a_shared_node_in_several_reports_is_merged_once(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.synthetic(1, issues=3), factory.synthetic(9, issues=3)  # 9 % 8 == 1: same mentioned union
    mentioned = next(o for o in a.organizations if o.name == factory._ORG_POOL[1])
    assert mentioned in b.organizations
    # a knows the province, b does not: whichever comes last, the known value stays (not null).
    known = replace(mentioned, province="广东省")
    a = replace(a, organizations=tuple(known if o.id == mentioned.id else o for o in a.organizations))
    store.write_reports([a, b])
    assert store.stats() == factory.expected_stats([a, b])
    rows = store._run("MATCH (o:Organization {id: $id}) RETURN o.province AS province", {"id": mentioned.id})
    assert rows == [{"province": "广东省"}]


def _clash(g: ReportGraph, issue_id: str) -> ReportGraph:
    """`g` with its last issue renamed to `issue_id` everywhere: valid alone, refused by a store owning it."""
    old = g.issues[-1].id
    issues = tuple(replace(i, id=issue_id) if i.id == old else i for i in g.issues)
    measures = tuple(replace(m, issue_id=issue_id) if m.issue_id == old else m for m in g.measures)
    edges = tuple(
        replace(e, src=issue_id if e.src == old else e.src, dst=issue_id if e.dst == old else e.dst)
        for e in g.edges
    )
    return replace(g, issues=issues, measures=measures, edges=edges)


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_failing_batch_leaves_no_trace(store: CypherStore, factory: ModuleType, where: str) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    store.write_reports([a, b])
    before = snapshot(store)
    new = factory.synthetic(5, issues=3)
    replacing = factory.huidong(version="2")  # would replace a (deleting its subgraph first)
    clash = _clash(factory.synthetic(6, issues=3), b.issues[0].id)  # refused by the database
    batch = [clash, new, replacing] if where == "first" else [new, replacing, clash]
    with pytest.raises(StoreError, match="writing a batch of 3 reports"):
        store.write_reports(batch)
    assert snapshot(store) == before
    assert store.stats() == factory.expected_stats([a, b])
    assert store.find_reports(new.report.file) == []


def test_an_invalid_report_fails_the_batch_before_writing(store: CypherStore, factory: ModuleType) -> None:
    good, bad = factory.huidong(), factory.qingyuan()
    bad = replace(bad, edges=(*bad.edges, Edge(Rel.CITES, bad.issues[0].id, "reg_0000000000000000")))
    with pytest.raises(StoreError, match=f"{bad.report.file}: CITES edge names reg_0000000000000000"):
        store.write_reports([good, bad])
    assert store.stats() == factory.expected_stats([])


def test_two_reports_claiming_one_own_node_fail_together(store: CypherStore, factory: ModuleType) -> None:
    a = factory.synthetic(1, issues=3)
    b = _clash(factory.synthetic(2, issues=3), a.issues[0].id)
    with pytest.raises(StoreError, match="nothing written"):
        store.write_reports([a, b])
    assert store.stats() == factory.expected_stats([])


def test_issue_11_a_batch_reads_only_the_stored_reports_it_meets(
    store: CypherStore, factory: ModuleType
) -> None:
    """The lookup before a batch write returns the stored reports with the batch's ids or files, not all."""
    from ikg.graph.base import _stored_reports
    from ikg.graph.rows import report_rows

    stored = [factory.synthetic(i, issues=2, measures=1) for i in range(8)]
    store.write_reports(stored)
    first, second, third = stored[:3]
    copy = replace(third, report=replace(third.report, file="/archive/copy.docx"))
    assert store.write_report(copy).status == "merged"  # third now lists two files

    def moved(i: int, file: str) -> ReportGraph:
        g = factory.synthetic(i, issues=2, measures=1)
        return replace(g, report=replace(g.report, file=file))  # type: ignore[no-any-return]

    batch = [
        first,  # by id
        moved(100, second.report.file),  # another text in second's (first) file
        moved(101, "/archive/copy.docx"),  # another text in third's second file
        factory.synthetic(102, issues=2, measures=1),  # new: meets nothing stored
    ]
    with store._transaction() as tx:
        found, owners = _stored_reports(tx, [report_rows(g) for g in batch])
    assert set(found) == {first.report.id, second.report.id, third.report.id}
    assert found[third.report.id].files == (third.report.file, "/archive/copy.docx")
    assert owners == {
        first.report.file: first.report.id,
        second.report.file: second.report.id,
        third.report.file: third.report.id,
        "/archive/copy.docx": third.report.id,
    }
    statuses = [s.status for s in store.write_reports(batch)]
    assert statuses == ["unchanged", "replaced", "new", "new"]
