"""Read-side page records both front ends build on: overview, one unit, an issue's source lines, a node's
neighbourhood. Each is computed from the store's own queries and its `dump()`, never in a front end."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

from ikg.analysis.facts import issue_facts
from ikg.analysis.measure_check import MeasureCheck, check_measures
from ikg.analysis.problem_types import IssueTypes, TypeDistribution, issue_types, type_distribution
from ikg.analysis.taxonomy import default_taxonomy
from ikg.graph.errors import IkgError, NotFoundError
from ikg.graph.export_rows import GraphDump, NodeRecord
from ikg.graph.model import Label
from ikg.graph.store import GraphStore
from ikg.graph.views import (
    GraphStats,
    IssueDetail,
    IssueFacts,
    IssueRef,
    RegulationSummary,
    UnitSummary,
)

# Chinese names of node labels, for pages and the explorer legend.
LABEL_NAMES = {
    "Report": "报告",
    "Organization": "组织",
    "Inspection": "巡视巡察",
    "Category": "问题类别",
    "Issue": "问题",
    "Measure": "整改措施",
    "Regulation": "法规制度",
    "Person": "人员",
}
MAX_TOP = 100
MAX_QUERY_CHARS = 500
MAX_NEIGHBOURS = 2000


def to_jsonable(value: Any) -> Any:
    """Dataclasses, tuples and paths as JSON values: what `--format json` and `/api/…` both print."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


@dataclass(frozen=True, slots=True)
class Overview:
    stats: GraphStats
    units: tuple[UnitSummary, ...]
    categories: tuple[tuple[str, int], ...]  # category title, issues under it, most first
    regulations: tuple[RegulationSummary, ...]  # most-cited first
    types: TypeDistribution  # problem types of every issue, per framework of the bundled taxonomy


def overview(store: GraphStore, *, top_regulations: int = 15) -> Overview:
    facts = issue_facts(store)
    per_category = Counter(f.issue.category for f in facts)
    regs = sorted(store.regulations(), key=lambda r: (-r.issues, -r.measures, r.title))
    return Overview(
        store.stats(),
        tuple(store.units()),
        tuple(sorted(per_category.items(), key=lambda c: (-c[1], c[0]))),
        tuple(regs[:top_regulations]),
        type_distribution(issue_types(facts, default_taxonomy()), default_taxonomy()),
    )


def _unit_facts(store: GraphStore, unit_id: str | None) -> list[IssueFacts]:
    """Every issue's facts, or those of one inspected unit (its Organization id)."""
    return [f for f in issue_facts(store) if unit_id is None or f.report.organization_id == unit_id]


@dataclass(frozen=True, slots=True)
class TypedIssues:
    """The issues of one problem type, each with the key terms that typed it (what `/types` lists)."""

    framework: str
    type_id: str
    type: str
    description: str
    issues: tuple[IssueTypes, ...]  # each with only this type's match, best score first


def typed_issues(store: GraphStore, type_id: str, unit_id: str | None = None) -> TypedIssues:
    """The issues (of one unit, or all) that the bundled taxonomy gives type `type_id`."""
    taxonomy = default_taxonomy()
    found = next(((fw, t) for fw in taxonomy.frameworks for t in fw.types if t.id == type_id), None)
    if found is None:
        raise NotFoundError(f"no problem type with id {type_id}; 'ikg types' lists them")
    fw, ptype = found
    members = []
    for t in issue_types(_unit_facts(store, unit_id), taxonomy, fw):
        match = next((m for m in t.matches if m.type_id == type_id), None)
        if match is not None:
            members.append(IssueTypes(t.issue, t.unit, t.region, t.year, (match,)))
    members.sort(key=lambda t: (-t.matches[0].score, t.issue.file, t.issue.line))
    return TypedIssues(fw.name, ptype.id, ptype.name, ptype.description, tuple(members))


@dataclass(frozen=True, slots=True)
class ReportInfo:
    id: str
    file: str
    title: str | None
    publisher: str | None
    publish_date: str | None
    team: str | None  # the inspection team (巡视组/巡察组)
    kind: str | None  # 巡视 | 巡察
    start: str | None
    end: str | None
    feedback_date: str | None


@dataclass(frozen=True, slots=True)
class MeasureLine:
    id: str
    label: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class UnitIssue:
    issue: IssueRef
    measures: tuple[MeasureLine, ...]
    regulations: tuple[tuple[str, str], ...]  # (regulation id, title) cited or established


@dataclass(frozen=True, slots=True)
class CategoryIssues:
    id: str
    title: str
    report_id: str
    issues: tuple[UnitIssue, ...]


@dataclass(frozen=True, slots=True)
class UnitPage:
    unit: UnitSummary
    reports: tuple[ReportInfo, ...]
    categories: tuple[CategoryIssues, ...]
    types: TypeDistribution  # the unit's issues by problem type
    weak_measures: tuple[MeasureCheck, ...]  # `ikg measures check` for this unit: weak rectifications only


def _text(node: NodeRecord | None, key: str) -> str | None:
    if node is None:
        return None
    value = node.props.get(key)
    return None if value is None else str(value)


def unit_page(store: GraphStore, unit_id: str) -> UnitPage:
    """One inspected unit (by its Organization id, as `ikg units --format json` prints it)."""
    summary = next((u for u in store.units() if u.id == unit_id), None)
    if summary is None:
        raise NotFoundError(f"no inspected unit with id {unit_id}; 'ikg units' lists them")
    dump = store.dump(summary.name)
    nodes = {n.id: n for n in dump.nodes}
    inspections = {n.id: n for n in dump.of(Label.INSPECTION)}
    reports = []
    for r in dump.of(Label.REPORT):
        insp = inspections.get(str(r.props.get("inspection_id")))
        reports.append(
            ReportInfo(
                r.id,
                str(r.props.get("file")),
                _text(r, "title"),
                _text(r, "publisher"),
                _text(r, "publish_date"),
                _text(insp, "team"),
                _text(insp, "kind"),
                _text(insp, "start"),
                _text(insp, "end"),
                _text(insp, "feedback_date"),
            )
        )
    measures: dict[str, list[MeasureLine]] = {}
    regs: dict[str, set[str]] = {}
    measure_issue: dict[str, str] = {}
    for e in dump.edges:
        if e.rel.value == "ADDRESSED_BY":
            m = nodes[e.dst]
            measure_issue[e.dst] = e.src
            measures.setdefault(e.src, []).append(
                MeasureLine(m.id, str(m.props.get("label") or ""), str(m.props.get("text") or ""), _line(m))
            )
    for e in dump.edges:
        if e.rel.value in ("CITES", "ESTABLISHES") and e.dst_label is Label.REGULATION:
            owner = measure_issue.get(e.src, e.src)
            regs.setdefault(owner, set()).add(e.dst)
    refs = store.issue_refs([n.id for n in dump.of(Label.ISSUE)])
    by_category: dict[str, list[UnitIssue]] = {}
    for n in dump.of(Label.ISSUE):
        ms = sorted(measures.get(n.id, []), key=lambda m: (m.line, m.id))
        titles = sorted((r, str(nodes[r].props.get("title"))) for r in regs.get(n.id, set()))
        by_category.setdefault(str(n.props.get("category_id")), []).append(
            UnitIssue(refs[n.id], tuple(ms), tuple(sorted(titles, key=lambda t: t[1])))
        )
    categories = []
    for c in sorted(dump.of(Label.CATEGORY), key=lambda c: (str(c.props.get("file")), _line(c))):
        issues = sorted(by_category.get(c.id, []), key=lambda i: (i.issue.line, i.issue.id))
        categories.append(
            CategoryIssues(c.id, str(c.props.get("title")), str(c.props.get("report_id")), tuple(issues))
        )
    facts = _unit_facts(store, unit_id)
    return UnitPage(
        summary,
        tuple(reports),
        tuple(c for c in categories if c.issues),
        type_distribution(issue_types(facts, default_taxonomy()), default_taxonomy()),
        tuple(check_measures(facts)),
    )


def _line(node: NodeRecord) -> int:
    value = node.props.get("line")
    return int(value) if isinstance(value, int) else 0


@dataclass(frozen=True, slots=True)
class SourceLine:
    number: int
    before: str  # text before the marked span on this line
    marked: str  # the part of the span on this line
    after: str


@dataclass(frozen=True, slots=True)
class SourceExcerpt:
    file: str
    first_line: int
    lines: tuple[SourceLine, ...]
    note: str | None = None  # why the file could not be shown (moved, changed since ingest)


def source_excerpt(file: str, start: int, end: int, *, context: int = 2) -> SourceExcerpt:
    """The lines of `file` holding chars [start, end) plus `context` lines around, the span split out.

    Offsets are into the text `ikg ingest` read; a file moved or changed since gives a note instead."""
    from ikg.ingest.reader import read_source

    try:
        text = read_source(Path(file)).text
    except IkgError as exc:
        return SourceExcerpt(file, 0, (), note=f"原文件无法读取：{exc}")
    if end > len(text) or start >= end:
        return SourceExcerpt(file, 0, (), note="原文件已改动，位置对不上；请重新入库")
    first = text.count("\n", 0, start) + 1
    line_start = text.rfind("\n", 0, start) + 1
    for _ in range(context):
        if line_start == 0:
            break
        line_start = text.rfind("\n", 0, line_start - 1) + 1
        first -= 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for _ in range(context):
        nxt = text.find("\n", line_end + 1)
        if line_end >= len(text):
            break
        line_end = len(text) if nxt < 0 else nxt
    lines = []
    pos = line_start
    for number, raw in enumerate(text[line_start:line_end].split("\n"), start=first):
        a, b = pos, pos + len(raw)
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            lines.append(SourceLine(number, text[a:lo], text[lo:hi], text[hi:b]))
        else:
            lines.append(SourceLine(number, raw, "", ""))
        pos = b + 1
    return SourceExcerpt(file, first, tuple(lines))


@dataclass(frozen=True, slots=True)
class IssuePage:
    detail: IssueDetail
    source: SourceExcerpt


def issue_page(store: GraphStore, issue_id: str) -> IssuePage:
    detail = store.issue_detail(issue_id)
    return IssuePage(detail, source_excerpt(detail.issue.file, detail.span_start, detail.span_end))


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str
    label: str
    name: str  # Chinese caption: a title, a name, a measure's opening words
    props: dict[str, Any]
    degree: int


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    rel: str


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    center: GraphNode
    nodes: tuple[GraphNode, ...]  # neighbours on this page, without the centre
    edges: tuple[GraphEdge, ...]  # centre ↔ those neighbours
    total: int  # all neighbours of the centre
    offset: int
    more: bool = field(default=False)


def _caption(node: NodeRecord) -> str:
    for key in ("title", "name", "team", "text", "file"):
        value = node.props.get(key)
        if value:
            text = str(value).rsplit("/", 1)[-1] if key == "file" else str(value)
            return text if len(text) <= 24 else text[:23] + "…"
    return node.id


def _public_props(node: NodeRecord) -> dict[str, Any]:
    hidden = {"organization_ids", "regulation_ids", "person_ids", "content_hash", "digest"}
    return {k: v for k, v in node.props.items() if v is not None and k not in hidden}


def neighbourhood(dump: GraphDump, node_id: str, *, limit: int = 30, offset: int = 0) -> Neighbourhood:
    """The node and a page of its neighbours (any relationship, either direction), most connected first."""
    nodes = {n.id: n for n in dump.nodes}
    if node_id not in nodes:
        raise NotFoundError(f"no node with id {node_id}")
    degree: Counter[str] = Counter()
    links: dict[str, list[GraphEdge]] = {}
    for e in dump.edges:
        degree[e.src] += 1
        degree[e.dst] += 1
        if node_id in (e.src, e.dst):
            other = e.dst if e.src == node_id else e.src
            links.setdefault(other, []).append(GraphEdge(e.src, e.dst, e.rel.value))

    def node(n: NodeRecord) -> GraphNode:
        return GraphNode(n.id, n.label.value, _caption(n), _public_props(n), degree[n.id])

    order = sorted(links, key=lambda i: (nodes[i].label.value, -degree[i], i))
    page = order[offset : offset + limit]
    edges = [edge for other in page for edge in links[other]]
    return Neighbourhood(
        node(nodes[node_id]),
        tuple(node(nodes[i]) for i in page),
        tuple(edges),
        len(order),
        offset,
        offset + limit < len(order),
    )


def regulation_aliases(title: str) -> list[str]:
    """The short names the ingest alias table maps to this canonical title (党章 → 中国共产党章程)."""
    from ikg.ingest.extract.vocab import load

    aliases: dict[str, str] = load("regulation_aliases.json")["aliases"]
    return sorted(a for a, canonical in aliases.items() if canonical == title and a != title)


def has_index(index_dir: Path) -> bool:
    """Whether `ikg ingest`/`reindex` saved an index there (checked before loading any model)."""
    return (index_dir / "manifest.json").exists()
