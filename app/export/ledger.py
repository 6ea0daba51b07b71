"""The 整改台账 as records: one row per issue, one per measure, one per regulation, from a `GraphDump`.

Pure: the xlsx writer only lays these out. Issues are in report-file order, then in their order in the
report; 序号 counts them from 1. Regulation counts are those of `ikg regs` (the same `count_links`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ikg.graph.export_rows import EdgeRecord, GraphDump, NodeRecord
from ikg.graph.model import Label, Rel
from ikg.graph.regulation_counts import LinkRow, count_links

# 《会计法》第二十一条第二款 -> 会计法: the article a citation names is not part of the regulation's name
_ARTICLE = re.compile(r"(第[0-9一二三四五六七八九十百千零〇两]+[条款项章节])+$")


def split_article(printed: str) -> tuple[str, str | None]:
    """《会计法》第二十一条 as stored (会计法第二十一条) -> (会计法, 第二十一条); no article -> None."""
    found = _ARTICLE.search(printed)
    if found is None or found.start() == 0:
        return printed, None
    return printed[: found.start()], found.group()


@dataclass(frozen=True, slots=True)
class LedgerMeasure:
    ordinal: int
    label: str  # 一是 / （1） as printed, "" when the report did not enumerate it
    text: str
    regulations: tuple[str, ...]  # canonical titles it cites or establishes, in order of citation
    source: str  # file:line


@dataclass(frozen=True, slots=True)
class LedgerIssue:
    number: int  # 序号, 1-based over the export
    issue_id: str
    unit: str | None  # 被巡视/巡察单位
    team: str | None  # 巡视/巡察组
    feedback_date: str | None  # 反馈日期 (ISO)
    category: str  # 问题类别
    title: str  # 问题
    printed_number: str  # the issue's number as printed in its report
    measures: tuple[LedgerMeasure, ...]  # 整改措施
    status: str | None  # 整改状态 as printed
    completed: bool | None  # derived at ingest: from the status, or the report's claim that all are done
    deadline: str | None  # 整改时限 as printed
    regulations: tuple[str, ...]  # 涉及制度: cited by the issue or its measures, in order of citation
    source: str  # 来源 file:line


@dataclass(frozen=True, slots=True)
class LedgerRegulation:
    title: str
    kind: str
    aliases: tuple[str, ...]  # the alias table's short names and the forms the reports printed
    issues: int
    measures: int
    units: int


@dataclass(frozen=True, slots=True)
class Ledger:
    unit: str | None  # the exported unit, None for the whole graph
    issues: tuple[LedgerIssue, ...]
    regulations: tuple[LedgerRegulation, ...]  # most-cited first, as `ikg regs`


def build_ledger(dump: GraphDump, aliases: Mapping[str, Sequence[str]]) -> Ledger:
    """`aliases`: canonical title -> its short names in the alias table (ingest/data)."""
    nodes = {n.id: n for n in dump.nodes}
    out_edges: dict[str, list[EdgeRecord]] = {}
    for e in dump.edges:
        out_edges.setdefault(e.src, []).append(e)

    def targets(node_id: str, *rels: Rel) -> list[NodeRecord]:
        return [nodes[e.dst] for e in out_edges.get(node_id, ()) if e.rel in rels and e.dst in nodes]

    def cited(node_id: str) -> list[tuple[int, str]]:
        return [
            (int(e.props["line"] or 0), nodes[e.dst].props["title"])
            for e in out_edges.get(node_id, ())
            if e.rel in (Rel.CITES, Rel.ESTABLISHES) and e.dst in nodes
        ]

    issues: list[LedgerIssue] = []
    for report in sorted(dump.of(Label.REPORT), key=lambda r: (r.props["file"], r.id)):
        inspection = next(iter(targets(report.id, Rel.ON)), None)
        insp = inspection.props if inspection else {}
        categories = sorted(targets(report.id, Rel.HAS_CATEGORY), key=lambda c: c.props["ordinal"])
        for category in categories:
            for issue in sorted(targets(category.id, Rel.HAS_ISSUE), key=lambda i: i.props["ordinal"]):
                measures = sorted(targets(issue.id, Rel.ADDRESSED_BY), key=lambda m: m.props["ordinal"])
                links = cited(issue.id)
                rows = []
                for m in measures:
                    own = cited(m.id)
                    links += own
                    rows.append(
                        LedgerMeasure(
                            int(m.props["ordinal"]),
                            m.props["label"] or "",
                            m.props["text"],
                            _distinct(own),
                            _source(m),
                        )
                    )
                p = issue.props
                issues.append(
                    LedgerIssue(
                        number=len(issues) + 1,
                        issue_id=issue.id,
                        unit=report.props["unit"],
                        team=insp.get("team"),
                        feedback_date=insp.get("feedback_date"),
                        category=category.props["title"],
                        title=p["title"],
                        printed_number=p["number"],
                        measures=tuple(rows),
                        status=p["status"],
                        completed=p["completed"],
                        deadline=p["deadline"],
                        regulations=_distinct(links),
                        source=_source(issue),
                    )
                )
    return Ledger(dump.unit, tuple(issues), tuple(_regulations(dump, nodes, aliases)))


def _regulations(
    dump: GraphDump, nodes: Mapping[str, NodeRecord], aliases: Mapping[str, Sequence[str]]
) -> list[LedgerRegulation]:
    """Counts as `ikg regs` gives them: issues citing (directly or via a measure), measures, units."""
    issue_of_measure = {e.dst: e.src for e in dump.edges if e.rel is Rel.ADDRESSED_BY}
    report_of_issue: dict[str, str] = {}
    for e in dump.edges:
        if e.rel is Rel.HAS_ISSUE:
            report_of_issue[e.dst] = nodes[e.dst].props["report_id"] if e.dst in nodes else ""
    unit_of_report = {r.id: r.props["unit"] for r in dump.of(Label.REPORT)}
    links: list[LinkRow] = []
    printed: dict[str, set[str]] = {}
    for e in dump.edges:
        if e.rel not in (Rel.CITES, Rel.ESTABLISHES):
            continue
        if e.props["as_printed"]:
            printed.setdefault(e.dst, set()).add(split_article(e.props["as_printed"])[0])
        if e.src_label is Label.REPORT:
            links.append(LinkRow(e.dst, None, None, unit_of_report.get(e.src)))
        elif e.src_label is Label.ISSUE and e.rel is Rel.CITES:
            unit = unit_of_report.get(report_of_issue.get(e.src, ""))
            links.append(LinkRow(e.dst, e.src, None, unit))
        elif e.src_label is Label.MEASURE and e.src in issue_of_measure:
            issue = issue_of_measure[e.src]
            unit = unit_of_report.get(report_of_issue.get(issue, ""))
            links.append(LinkRow(e.dst, issue, e.src, unit))
    regs = [(r.id, r.props["title"], r.props["kind"]) for r in dump.of(Label.REGULATION)]
    out = []
    for s in count_links(regs, links, None):
        names = {*aliases.get(s.title, ()), *printed.get(s.id, ())} - {s.title, ""}
        out.append(LedgerRegulation(s.title, s.kind, tuple(sorted(names)), s.issues, s.measures, s.units))
    return out


def _distinct(links: list[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(title for _, title in sorted(links)))


def _source(node: NodeRecord) -> str:
    return f"{node.props['file']}:{node.props['line']}"


def reverse_aliases(table: Mapping[str, str]) -> dict[str, list[str]]:
    """The alias table (short -> canonical) turned round: canonical -> its short names, sorted."""
    out: dict[str, list[str]] = {}
    for short, canonical in table.items():
        out.setdefault(canonical, []).append(short)
    return {k: sorted(v) for k, v in out.items()}
