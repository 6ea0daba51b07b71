"""Pure parts of batch writing: what a batch does given the stored digests, and how its rows are merged."""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType

import pytest

from ikg.graph.model import Label, Rel, ReportGraph
from ikg.graph.rows import ReportRows, report_rows, write_batch
from ikg.graph.write_plan import StoredReport, WritePlan, plan_writes


def _plan(reports: list[tuple[str, str]], stored: dict[str, str]) -> WritePlan:
    """Reports each in their own file (f-<id>): the plans of reports that never share a file."""
    return plan_writes(
        [(r, d, f"f-{r}") for r, d in reports],
        {r: StoredReport(d, f"f-{r}", (f"f-{r}",)) for r, d in stored.items()},
        {f"f-{r}": r for r in stored},
    )


@pytest.mark.parametrize(
    "reports, stored, plan",
    [
        ([], {}, WritePlan((), (), ())),
        ([("a", "1"), ("b", "1")], {}, WritePlan(("new", "new"), (), (0, 1))),
        ([("a", "1")], {"a": "1"}, WritePlan(("unchanged",), (), ())),
        ([("a", "2")], {"a": "1"}, WritePlan(("replaced",), ("a",), (0,))),
        # one of each, in input order
        (
            [("c", "1"), ("a", "1"), ("b", "2")],
            {"a": "1", "b": "1"},
            WritePlan(("new", "unchanged", "replaced"), ("b",), (0, 2)),
        ),
        # the same id twice: statuses as one-by-one writes would give them, the last version written
        ([("a", "1"), ("a", "2")], {}, WritePlan(("new", "replaced"), (), (1,))),
        ([("a", "1"), ("a", "1")], {}, WritePlan(("new", "unchanged"), (), (1,))),
        ([("a", "2"), ("a", "3")], {"a": "1"}, WritePlan(("replaced", "replaced"), ("a",), (1,))),
        # back to the stored version: nothing to delete or write
        ([("a", "2"), ("a", "1")], {"a": "1"}, WritePlan(("replaced", "replaced"), (), ())),
    ],
)
def test_plan_writes(reports: list[tuple[str, str]], stored: dict[str, str], plan: WritePlan) -> None:
    assert _plan(reports, stored) == plan


A = StoredReport("1", "/a.txt", ("/a.txt",))


@pytest.mark.parametrize(
    "reports, stored, owners, plan",
    [
        # the same text from another file: merged into the stored report, its file list grows
        (
            [("a", "9", "/b.pdf")],
            {"a": A},
            {"/a.txt": "a"},
            WritePlan(("merged",), (), (), (("a", ("/a.txt", "/b.pdf")),)),
        ),
        # a file the report lists already: nothing to do
        (
            [("a", "9", "/b.pdf")],
            {"a": StoredReport("1", "/a.txt", ("/a.txt", "/b.pdf"))},
            {"/a.txt": "a", "/b.pdf": "a"},
            WritePlan(("unchanged",), (), ()),
        ),
        # both copies new in one batch: the first is written, the second joins its file list
        (
            [("a", "1", "/a.txt"), ("a", "9", "/b.pdf")],
            {},
            {},
            WritePlan(("new", "merged"), (), (0,), (("a", ("/a.txt", "/b.pdf")),)),
        ),
        # the file was edited (new text, new id): the report it held is replaced
        ([("b", "2", "/a.txt")], {"a": A}, {"/a.txt": "a"}, WritePlan(("replaced",), ("a",), (0,))),
        # an edited second copy leaves its old report's list; the old report stays with its first file
        (
            [("b", "2", "/b.pdf")],
            {"a": StoredReport("1", "/a.txt", ("/a.txt", "/b.pdf"))},
            {"/a.txt": "a", "/b.pdf": "a"},
            WritePlan(("new",), (), (0,), (("a", ("/a.txt",)),)),
        ),
    ],
)
def test_plan_writes_one_report_per_text(
    reports: list[tuple[str, str, str]],
    stored: dict[str, StoredReport],
    owners: dict[str, str],
    plan: WritePlan,
) -> None:
    assert plan_writes(reports, stored, owners) == plan


def test_write_batch_merges_shared_nodes_and_keeps_own_rows(factory: ModuleType) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    batch = write_batch([report_rows(a), report_rows(b)])
    nodes = {n.label: n.columns for n in batch.nodes}
    shared_orgs = {o.id for o in a.organizations} | {o.id for o in b.organizations}
    assert sorted(nodes[Label.ORGANIZATION].keys["id"]) == sorted(shared_orgs)  # the city union once
    assert nodes[Label.ISSUE].keys["id"] == [i.id for i in (*a.issues, *b.issues)]
    assert [n.label for n in batch.nodes][-4:] == [Label.REPORT, Label.CATEGORY, Label.ISSUE, Label.MEASURE]
    edges = {(e.rel, e.src, e.dst): e.columns for e in batch.edges}
    assert sum(c.size for c in edges.values()) == len(a.edges) + len(b.edges)
    # both reports mention the city union: two MENTIONS edges, each tagged with its own report
    mentions = edges[(Rel.MENTIONS, Label.REPORT, Label.ORGANIZATION)]
    assert sorted(mentions.props["report_id"]) == sorted([a.report.id, b.report.id])


@pytest.mark.parametrize(
    "first, second, province",
    [
        ("广东省", None, "广东省"),  # a later null keeps the known value
        (None, "广东省", "广东省"),
        ("广东省", "海南省", "海南省"),  # a later value overrides, as MERGE ... SET would
    ],
)
def test_shared_rows_merge_non_null_wins(
    factory: ModuleType, first: str | None, second: str | None, province: str | None
) -> None:
    a, b = factory.huidong(), factory.qingyuan()
    union = next(o for o in a.organizations if o.name == factory.CITY_UNION)

    def with_province(g: ReportGraph, value: str | None) -> ReportRows:
        orgs = tuple(replace(o, province=value) if o.id == union.id else o for o in g.organizations)
        return report_rows(replace(g, organizations=orgs))

    own_a, own_b = with_province(a, first), with_province(b, second)
    batch = write_batch([own_a, own_b])
    orgs = next(n.columns for n in batch.nodes if n.label == Label.ORGANIZATION)
    assert orgs.props["province"][orgs.keys["id"].index(union.id)] == province
    # merging did not change the reports' own rows
    for own, value in ((own_a, first), (own_b, second)):
        assert [r["province"] for r in own.nodes[Label.ORGANIZATION] if r["id"] == union.id] == [value]
