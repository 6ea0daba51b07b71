"""The `GraphStore` contract, run against every backend: embedded LadybugDB and a real Bolt server.

Expected figures are derived from the ReportGraphs the tests write (tests/graph/factory.py), never typed in.
"""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType

import pytest

from ikg.graph.base import CypherStore
from ikg.graph.errors import NotFoundError, StoreError
from ikg.graph.ids import make_id
from ikg.graph.model import Edge, Issue, Label, Rel, ReportGraph


def reg_id(title: str) -> str:
    return make_id(Label.REGULATION, title)


def linked_issues(graphs: list[ReportGraph], regulation: str) -> set[str]:
    """Issues citing `regulation` directly or through one of their measures (any link kind), per the edges."""
    measure_issue = {m.id: m.issue_id for g in graphs for m in g.measures}
    issue_ids = {i.id for g in graphs for i in g.issues}
    out = set()
    for e in (e for g in graphs for e in g.edges if e.dst == regulation):
        if e.src in issue_ids:
            out.add(e.src)
        elif e.src in measure_issue:
            out.add(measure_issue[e.src])
    return out


def linked_measures(graphs: list[ReportGraph], regulation: str) -> set[str]:
    measure_ids = {m.id for g in graphs for m in g.measures}
    return {e.src for g in graphs for e in g.edges if e.dst == regulation and e.src in measure_ids}


def test_write_counts_every_node_and_edge(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    first, second = store.write_report(a), store.write_report(b)
    assert (first.status, second.status) == ("new", "new")
    assert first.edges == len(a.edges)
    assert store.stats() == factory.expected_stats([a, b])


def test_writing_the_same_report_twice_is_unchanged(store: CypherStore, factory: ModuleType) -> None:
    a = factory.huidong()
    store.write_report(a)
    stats, fingerprint = store.stats(), store.fingerprint()
    again = store.write_report(a)
    assert (again.status, again.nodes, again.edges) == ("unchanged", 0, 0)
    assert store.stats() == stats
    assert store.fingerprint() == fingerprint


def test_changed_digest_replaces_the_subgraph(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    store.write_report(a)
    store.write_report(b)
    # The second version drops huidong's last category (and its issue, measure, regulation).
    a2 = factory.report(
        a.report.file, "惠东县总工会", (factory.huidong_categories()[0],), team="中共惠东县委第一巡察组",
        publisher="中共惠东县总工会党组", mentions=(factory.CITY_UNION,), version="2",
    )  # fmt: skip
    dropped = {i.id for i in a.issues} - {i.id for i in a2.issues}
    assert dropped and a2.report.id == a.report.id and a2.report.digest != a.report.digest
    summary = store.write_report(a2)
    assert summary.status == "replaced"
    assert store.issue_refs(sorted(dropped)) == {}
    assert set(store.issue_refs([i.id for i in a2.issues])) == {i.id for i in a2.issues}
    assert store.stats() == factory.expected_stats([a2, b])  # shared law and city union counted once
    assert [r.title for r in store.find_regulations(factory.ACCOUNTING_LAW)] == [factory.ACCOUNTING_LAW]


def test_delete_removes_only_what_only_that_report_referenced(
    store: CypherStore, factory: ModuleType
) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    store.write_report(a)
    store.write_report(b)
    summary = store.delete_report(a.report.id)
    assert set(summary.issue_ids) == {i.id for i in a.issues}
    assert set(summary.measure_ids) == {m.id for m in a.measures}
    assert store.stats() == factory.expected_stats([b])
    only_a = {g.title for g in a.regulations} - {g.title for g in b.regulations}
    assert only_a and all(store.find_regulations(t) == [] for t in only_a)
    law = store.regulation_links(reg_id(factory.ACCOUNTING_LAW))
    assert {i.id for i in law.issues} == linked_issues([b], reg_id(factory.ACCOUNTING_LAW))
    store.delete_report(b.report.id)
    assert store.stats() == factory.expected_stats([])
    with pytest.raises(NotFoundError):
        store.delete_report(b.report.id)


def test_regulations_browse_both_ways(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    store.write_report(a)
    store.write_report(b)
    law = reg_id(factory.ACCOUNTING_LAW)
    assert {i.id for i in store.issues_citing(law)} == linked_issues([a, b], law)
    # qingyuan's issue cites the law only through its measure
    via_measure = next(i for i in b.issues if i.title == "会计基础工作薄弱")
    refs = store.regulations_for(via_measure.id)
    assert ("中华人民共和国会计法", "cites", "measure") in {(r.title, r.relation, r.via) for r in refs}
    assert "issue" not in {r.via for r in refs if r.id == law}
    # an established rule shows up as such
    established = next(i for i in a.issues if i.number == "1" and i.completed)
    assert {(r.relation, r.via) for r in store.regulations_for(established.id)} == {
        ("establishes", "measure")
    }
    measure = next(m for m in a.measures if "严格执行" in m.text)
    assert [(r.title, r.as_printed) for r in store.regulations_for(measure.id)] == [
        (factory.ACCOUNTING_LAW, "《中华人民共和国会计法》")
    ]
    with pytest.raises(NotFoundError):
        store.regulations_for("iss_0000000000000000")


def test_units_count_reports_issues_and_open_issues(store: CypherStore, factory: ModuleType) -> None:
    graphs = [factory.huidong(), factory.qingyuan()]
    for g in graphs:
        store.write_report(g)
    expected = {
        g.report.unit: (
            1,
            len(g.issues),
            sum(1 for i in g.issues if i.completed is False),
            sum(1 for i in g.issues if i.completed is None),
        )
        for g in graphs
    }
    assert any(e[2] for e in expected.values()) and any(e[3] for e in expected.values())
    assert {u.name: (u.reports, u.issues, u.open_issues, u.unknown_issues) for u in store.units()} == expected
    assert [u.name for u in store.units()] == sorted(expected)


def test_regulation_counts_and_unit_filter(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    store.write_report(a)
    store.write_report(b)
    by_title = {s.title: s for s in store.regulations()}
    assert set(by_title) == {g.title for g in (*a.regulations, *b.regulations)}
    for title, s in by_title.items():
        assert s.id == reg_id(title)
        assert s.issues == len(linked_issues([a, b], s.id))
        assert s.measures == len(linked_measures([a, b], s.id))
        assert s.units == sum(1 for g in (a, b) if s.id in {r.id for r in g.regulations})
    law = by_title[factory.ACCOUNTING_LAW]
    assert (law.issues, law.units) == (2, 2)
    filtered = store.regulations("清远")
    assert {s.title for s in filtered} == {g.title for g in b.regulations}
    assert all(s.units == 1 for s in filtered)
    assert next(s for s in filtered if s.id == law.id).issues == len(linked_issues([b], law.id))


@pytest.mark.parametrize(
    "name, titles",
    [
        ("中华人民共和国会计法", ["中华人民共和国会计法"]),
        (" 中华人民共和国 会计法 ", ["中华人民共和国会计法"]),  # normalized equality
        ("会计法", ["中华人民共和国会计法"]),  # else substring
        ("三重一大", ["三重一大"]),  # equality wins over the longer title containing it
        ("条例", ["中国共产党巡视工作条例", "中国共产党纪律处分条例"]),
        ("公司法", []),
    ],
)
def test_find_regulations(store: CypherStore, factory: ModuleType, name: str, titles: list[str]) -> None:
    store.write_report(factory.huidong())
    store.write_report(factory.qingyuan())
    assert sorted(s.title for s in store.find_regulations(name)) == titles


def test_regulation_links_carry_unit_file_and_line(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    store.write_report(a)
    store.write_report(b)
    law = reg_id(factory.ACCOUNTING_LAW)
    links = store.regulation_links(law)
    assert links.title == factory.ACCOUNTING_LAW
    issues = {i.id: i for g in (a, b) for i in g.issues}
    units = {i.id: g.report.unit for g in (a, b) for i in g.issues}
    assert {i.id for i in links.issues} == linked_issues([a, b], law)
    for ref in links.issues:
        source = issues[ref.id]
        assert (ref.title, ref.number, ref.file, ref.line, ref.unit) == (
            source.title, source.number, source.source.file, source.source.line, units[ref.id]
        )  # fmt: skip
    measures = {m.id: m for g in (a, b) for m in g.measures}
    assert {m.id for m in links.measures} == linked_measures([a, b], law)
    for m in links.measures:
        assert (m.text, m.line, m.issue.id) == (
            measures[m.id].text,
            measures[m.id].source.line,
            measures[m.id].issue_id,
        )
        assert factory.ACCOUNTING_LAW in m.regulations
    with pytest.raises(NotFoundError):
        store.regulation_links("reg_0000000000000000")


def test_issue_detail_and_refs(store: CypherStore, factory: ModuleType) -> None:
    a = factory.huidong()
    store.write_report(a)
    issue: Issue = next(i for i in a.issues if i.title == "财务管理不规范")
    detail = store.issue_detail(issue.id)
    assert (detail.text, detail.span_start, detail.span_end) == (
        issue.text,
        issue.source.start,
        issue.source.end,
    )
    assert detail.issue.category == next(c.title for c in a.categories if c.id == issue.category_id)
    own = sorted((m for m in a.measures if m.issue_id == issue.id), key=lambda m: m.ordinal)
    assert [m.id for m in detail.measures] == [m.id for m in own]
    assert [m.label for m in detail.measures] == ["一是", "二是"]
    assert {(r.title, r.via) for r in detail.regulations} == {
        (factory.ACCOUNTING_LAW, "issue"), (factory.ACCOUNTING_LAW, "measure")
    }  # fmt: skip
    assert detail.similar == ()
    refs = store.issue_refs([issue.id, "iss_0000000000000000"])
    assert list(refs) == [issue.id] and refs[issue.id] == detail.issue
    mrefs = store.measure_refs([own[0].id])
    assert mrefs[own[0].id].regulations == (factory.ACCOUNTING_LAW,)
    assert store.issue_refs([]) == {} and store.measure_refs([]) == {}
    with pytest.raises(NotFoundError):
        store.issue_detail("iss_0000000000000000")


@pytest.mark.parametrize(
    "unit, number, titles",
    [
        ("惠东", "1", ["落实“第一议题”制度不到位", "违规发放津补贴"]),  # numbers restart per category
        ("清远市总工会", "2", ["会计基础工作薄弱"]),
        ("总工会", "2", ["财务管理不规范", "会计基础工作薄弱"]),
        ("虎林", "1", []),
    ],
)
def test_find_issues(
    store: CypherStore, factory: ModuleType, unit: str, number: str, titles: list[str]
) -> None:
    store.write_report(factory.huidong())
    store.write_report(factory.qingyuan())
    assert [i.title for i in store.find_issues(unit, number)] == titles


def test_issue_and_measure_texts_feed_the_index(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    store.write_report(b)
    store.write_report(a)
    texts = store.issue_texts()
    assert [t.id for t in texts] == [i.id for g in (a, b) for i in g.issues]  # file order, then ordinal
    for t in texts:
        g = a if t.report_id == a.report.id else b
        issue = next(i for i in g.issues if i.id == t.id)
        assert (t.title, t.text, t.unit) == (issue.title, issue.text, g.report.unit)
        assert t.measures == tuple(
            m.text for m in sorted(g.measures, key=lambda m: m.ordinal) if m.issue_id == t.id
        )
    # the report's own work-approach measures (TOOK) belong to no issue and are not indexed
    assert {(m.id, m.issue_id, m.text) for m in store.measure_texts()} == {
        (m.id, m.issue_id, m.text) for g in (a, b) for m in g.measures if m.issue_id is not None
    }


def test_write_similar_replaces_all_similarity_edges(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    store.write_report(a)
    store.write_report(b)
    x, y, z = a.issues[1].id, b.issues[1].id, b.issues[0].id
    assert store.write_similar([(x, y, 0.91), (x, z, 0.62)]) == 2
    assert [(ref.id, score) for ref, score in store.issue_detail(x).similar] == [(y, 0.91), (z, 0.62)]
    assert [(ref.id, score) for ref, score in store.issue_detail(y).similar] == [(x, 0.91)]  # read both ways
    assert store.write_similar([(y, z, 0.7), (x, "iss_0000000000000000", 0.9)]) == 1  # unknown ids skipped
    assert store.stats().edges[Rel.SIMILAR_TO] == 1
    assert store.issue_detail(x).similar == ()
    assert store.write_similar([]) == 0
    assert store.stats().edges[Rel.SIMILAR_TO] == 0


def test_fingerprint_follows_report_content(store: CypherStore, factory: ModuleType) -> None:
    empty = store.fingerprint()
    store.write_report(factory.huidong())
    one = store.fingerprint()
    store.write_report(factory.huidong(version="2"))
    two = store.fingerprint()
    assert len({empty, one, two}) == 3
    store.delete_report(factory.huidong().report.id)
    assert store.fingerprint() == empty


def test_checkpoint_keeps_the_graph_and_later_writes(store: CypherStore, factory: ModuleType) -> None:
    store.write_report(factory.huidong())
    before = (store.fingerprint(), store.stats())
    store.checkpoint()
    assert (store.fingerprint(), store.stats()) == before
    store.write_report(factory.qingyuan())  # the store stays writable
    assert store.fingerprint() != before[0]


def test_reports_and_find_reports(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    store.write_report(b)
    store.write_report(a)
    assert [(r.id, r.file, r.unit, r.digest) for r in store.reports()] == [
        (g.report.id, g.report.file, g.report.unit, g.report.digest) for g in (a, b)
    ]
    for ref in (a.report.id, a.report.file, "000_huidong.txt"):
        assert [r.id for r in store.find_reports(ref)] == [a.report.id]
    assert store.find_reports("huidong.txt") == []  # a file name matches whole, not as a suffix
    assert store.find_reports("reports/nothing.txt") == []


def test_failed_write_leaves_no_trace(store: CypherStore, factory: ModuleType) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    store.write_report(a)
    store.write_report(b)
    before, fingerprint = store.stats(), store.fingerprint()
    # Valid on its own, but its last issue reuses an id huidong already owns: the database refuses it
    # after the report, its categories and other issues were written in the same transaction.
    other = factory.synthetic(7, issues=3, measures=2)
    clash = _with_issue_id(other, other.issues[-1].id, a.issues[0].id)
    with pytest.raises(StoreError, match=other.report.file):
        store.write_report(clash)
    assert store.find_reports(other.report.file) == []
    # A replacement that fails after deleting the old subgraph leaves the old one whole.
    a2 = _with_issue_id(factory.huidong(version="2"), a.issues[-1].id, b.issues[0].id)
    with pytest.raises(StoreError, match=a.report.file):
        store.write_report(a2)
    assert store.stats() == before and store.fingerprint() == fingerprint
    assert store.stats() == factory.expected_stats([a, b])
    assert {i.id for i in store.issue_texts()} == {i.id for g in (a, b) for i in g.issues}


def _with_issue_id(g: ReportGraph, old: str, new: str) -> ReportGraph:
    """`g` with one issue's id changed everywhere it appears."""
    issues = tuple(replace(i, id=new) if i.id == old else i for i in g.issues)
    measures = tuple(replace(m, issue_id=new) if m.issue_id == old else m for m in g.measures)
    edges = tuple(
        replace(e, src=new if e.src == old else e.src, dst=new if e.dst == old else e.dst) for e in g.edges
    )
    return replace(g, issues=issues, measures=measures, edges=edges)


@pytest.mark.parametrize(
    "edge, reason",
    [
        (Edge(Rel.CITES, "iss_0000000000000000", "reg_0000000000000000"), "not in the report"),
        (
            Edge(Rel.HAS_ISSUE, "PLACEHOLDER_REPORT", "PLACEHOLDER_ISSUE"),
            "no HAS_ISSUE edge from Report to Issue",
        ),
    ],
)
def test_invalid_edges_are_refused_before_writing(
    store: CypherStore, factory: ModuleType, edge: Edge, reason: str
) -> None:
    g = factory.qingyuan()
    edge = replace(
        edge,
        src=g.report.id if edge.src == "PLACEHOLDER_REPORT" else edge.src,
        dst=g.issues[0].id if edge.dst == "PLACEHOLDER_ISSUE" else edge.dst,
    )
    with pytest.raises(StoreError, match=reason):
        store.write_report(replace(g, edges=(*g.edges, edge)))
    assert store.stats() == factory.expected_stats([])


def test_unit_aliases_admin_code_and_inspection_forms_round_trip(
    store: CypherStore, factory: ModuleType
) -> None:
    a = factory.huidong()
    assert a.inspection is not None
    unit = next(o for o in a.organizations if o.name == a.report.unit)
    named = replace(unit, aliases=("县总工会", "我会"), admin_code="441323")
    inspection = replace(a.inspection, round="十四届第五轮", modes=("专项", "回头看"))
    a = replace(
        a,
        organizations=tuple(named if o.id == unit.id else o for o in a.organizations),
        inspection=inspection,
    )
    store.write_report(a)
    org = store._run(
        "MATCH (o:Organization {id: $id}) RETURN o.aliases AS aliases, o.admin_code AS code", {"id": unit.id}
    )
    assert [(sorted(r["aliases"]), r["code"]) for r in org] == [(sorted(["县总工会", "我会"]), "441323")]
    other = next(o for o in a.organizations if o.id != unit.id)
    rows = store._run("MATCH (o:Organization {id: $id}) RETURN o.aliases AS aliases", {"id": other.id})
    assert rows[0]["aliases"] in (None, [])
    insp = store._run(
        "MATCH (i:Inspection {id: $id}) RETURN i.round AS round, i.modes AS modes", {"id": inspection.id}
    )
    assert [(r["round"], list(r["modes"])) for r in insp] == [("十四届第五轮", ["专项", "回头看"])]


SEED = sorted(
    (__import__("pathlib").Path(__file__).resolve().parents[2] / "examples" / "reports").glob("*.txt")
)[0]


def _parsed(text: str, file: str, fmt: str = "txt") -> ReportGraph:
    from ikg.ingest.build import build_graph
    from ikg.ingest.parse import parse_report

    return build_graph(parse_report(text, file=file, format=fmt))


def test_same_text_from_another_file_is_one_report_with_two_files(store: CypherStore) -> None:
    text = SEED.read_text(encoding="utf-8")
    first = _parsed(text, "/reports/a.txt")
    # the same words as a Word copy in another folder: other paragraphs breaks, same report
    copy = _parsed(text.replace("\n\n", "\n"), "/archive/a.docx", "docx")
    assert store.write_report(first).status == "new"
    stats = store.stats()
    assert store.write_report(copy).status == "merged"
    assert store.stats() == stats  # nothing duplicated
    (ref,) = store.find_reports("/archive/a.docx")
    assert ref.id == first.report.id
    rows = store._run("MATCH (r:Report) RETURN r.files AS files")
    assert [list(r["files"]) for r in rows] == [["/reports/a.txt", "/archive/a.docx"]]
    assert store.write_report(copy).status == "unchanged"  # a listed file is known


def test_edited_file_replaces_the_report_it_held(store: CypherStore) -> None:
    text = SEED.read_text(encoding="utf-8")
    old = _parsed(text, "/reports/a.txt")
    store.write_report(old)
    edited = _parsed(text.replace("整改", "整 改", 1) + "\n补充说明。", "/reports/a.txt")
    assert edited.report.id != old.report.id
    assert store.write_report(edited).status == "replaced"
    assert [r.id for r in store.find_reports("/reports/a.txt")] == [edited.report.id]
    assert store.issue_refs([i.id for i in old.issues if i.id not in {e.id for e in edited.issues}]) == {}
    assert store.stats().reports == 1
