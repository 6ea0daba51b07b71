"""Turn a parsed `ReportDocument` into the `ReportGraph` a store writes: ids, provenance, links.

Links follow where a mention was printed: a regulation inside a measure's text is cited (or established) by
that measure, one elsewhere in an issue's text by the issue, one outside every issue by the report. The
items of the report's work-approach sections are measures the report TOOK, not measures of any issue. Short
organization names (市教育局, 县总工会) are qualified with the report's region so that bodies of different
places do not merge, while the same body named in two reports does.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from itertools import accumulate
from pathlib import Path

from ikg.graph.ids import make_id
from ikg.graph.model import (
    Category,
    Edge,
    Inspection,
    Issue,
    Label,
    Measure,
    Organization,
    Person,
    Regulation,
    Rel,
    Report,
    ReportGraph,
    SourceSpan,
)
from ikg.ingest.document import (
    Field,
    IssueItem,
    OrganizationMention,
    Region,
    RegulationMention,
    ReportDocument,
    Span,
)
from ikg.ingest.extract.regions import admin_code

_DONE_WORDS = ("已完成", "完成整改", "已整改", "整改完毕", "已办结")
_OPEN_WORDS = ("阶段性", "部分完成", "正在", "未完成", "持续推进", "推进中", "长期整改")


def report_key(file: str) -> str:
    """A file as the graph records it: its absolute path (the report's identity is its text)."""
    return str(Path(file).resolve())


def build_graph(doc: ReportDocument) -> ReportGraph:
    """Nodes and edges of one report, with content-derived ids and every span resolved to `doc.file`."""
    builder = _Builder(doc)
    return builder.build()


def status_completed(status: str | None) -> bool | None:
    """True for 已完成整改…, False for 阶段性完成/正在推进…, None when nothing was printed."""
    if not status:
        return None
    if any(w in status for w in _OPEN_WORDS):
        return False
    if any(w in status for w in _DONE_WORDS):
        return True
    return None


def qualify_organization(name: str, region: Region) -> str:
    """市教育局 -> 清远市教育局 when the report's city is 清远市; full names stay as they are."""
    for short, place in (
        ("省", region.province),
        ("市", region.city),
        ("县", region.county),
        ("区", region.county),
    ):
        if place and name.startswith(short) and place.endswith(short) and not name.startswith(place):
            return place + name[1:]
    return name


class _Builder:
    def __init__(self, doc: ReportDocument) -> None:
        self.doc = doc
        self.file = report_key(doc.file)
        # one report per text, wherever and in whatever format it was saved; a text-less document (tests
        # building graphs by hand) falls back to its path
        self.report_id = make_id(Label.REPORT, doc.text_key or self.file, fold=False)
        self.orgs: dict[str, Organization] = {}
        self.regulations: dict[str, Regulation] = {}
        self.people: dict[str, Person] = {}
        self.edges: dict[tuple[Rel, str, str], Edge] = {}
        # a report names the same bodies and regulations many times; their ids fold the name (NFKC)
        self.ids: dict[tuple[Label, str], str] = {}

    def node_id(self, label: Label, name: str) -> str:
        """`make_id(label, name)`, computed once per name in a report."""
        key = (label, name)
        if key not in self.ids:
            self.ids[key] = make_id(label, name)
        return self.ids[key]

    def src(self, span: Span) -> SourceSpan:
        return SourceSpan(self.file, span.start, span.end, span.line, self.doc.page_of(span.start))

    def build(self) -> ReportGraph:
        doc = self.doc
        unit_org = self.organization(doc.inspected_unit.value) if doc.inspected_unit else None
        inspection = self.inspection(unit_org)
        categories, issues, measures = self.problems()
        self.report_links(issues, measures)
        measures = [*self.approach(), *measures]
        if doc.publisher:
            self.edge(Rel.PUBLISHED_BY, self.report_id, self.organization(doc.publisher.value).id)
        self.person_links(unit_org)
        report = self.report(unit_org, issues)
        graph = ReportGraph(
            report=report,
            inspection=inspection,
            organizations=tuple(self.orgs.values()),
            categories=tuple(categories),
            issues=tuple(issues),
            measures=tuple(measures),
            regulations=tuple(self.regulations.values()),
            people=tuple(self.people.values()),
            edges=tuple(self.edges.values()),
        )
        return replace(graph, report=replace(report, digest=_digest(graph)))

    def report(self, unit_org: Organization | None, issues: list[Issue]) -> Report:
        doc = self.doc
        contact = {k: _value(getattr(doc.contact, k)) for k in ("phone", "email", "address", "postcode")}
        return Report(
            id=self.report_id,
            file=self.file,
            title=_value(doc.title),
            publisher=_value(doc.publisher),
            publish_date=_value(doc.publish_date),
            content_hash=doc.content_hash,
            digest="",
            encoding=doc.encoding,
            format=doc.format,
            unit=unit_org.name if unit_org else None,
            claimed_json=json.dumps({c.key: c.value for c in doc.claimed}, ensure_ascii=False),
            files=(self.file,),
            contact_json=json.dumps(contact, ensure_ascii=False),
        )

    def inspection(self, unit_org: Organization | None) -> Inspection | None:
        info = self.doc.inspection
        values = {
            k: _value(getattr(info, k))
            for k in ("kind", "level", "team", "start", "end", "feedback_date", "round")
        }
        if not any(values.values()):
            return None
        unit = unit_org.id if unit_org else self.report_id
        inspection = Inspection(
            make_id(Label.INSPECTION, unit, *values.values(), *info.modes), **values, modes=info.modes
        )
        self.edge(Rel.ON, self.report_id, inspection.id)
        if unit_org:
            self.edge(Rel.INSPECTED, inspection.id, unit_org.id)
        return inspection

    def problems(self) -> tuple[list[Category], list[Issue], list[Measure]]:
        categories: list[Category] = []
        issues: list[Issue] = []
        measures: list[Measure] = []
        completed_by_claim = self.claims_all_completed()
        for c_ord, cat in enumerate(self.doc.categories, start=1):
            category = Category(
                make_id(Label.CATEGORY, self.report_id, c_ord, cat.title, fold=False),
                self.report_id,
                c_ord,
                cat.title,
                cat.is_section,
                self.src(cat.span),
            )
            categories.append(category)
            self.edge(Rel.HAS_CATEGORY, self.report_id, category.id)
            for item in cat.issues:
                issue = self.issue(item, category, len(issues) + 1, completed_by_claim)
                issues.append(issue)
                self.edge(Rel.HAS_ISSUE, category.id, issue.id)
                measures.extend(self.measures(item, issue))
        return categories, issues, measures

    def approach(self) -> list[Measure]:
        """Report-level measures: what the unit did to organise the work ((一)提高政治站位…)."""
        out = []
        for m in self.doc.approach_measures:
            measure = Measure(
                make_id(Label.MEASURE, self.report_id, "approach", m.ordinal, m.text, fold=False),
                None,
                m.ordinal,
                m.label,
                m.text,
                self.src(m.span),
            )
            out.append(measure)
            self.edge(Rel.TOOK, self.report_id, measure.id)
        return out

    def issue(self, item: IssueItem, category: Category, ordinal: int, completed_by_claim: bool) -> Issue:
        completed = status_completed(item.status)
        if completed is None and completed_by_claim:
            completed = True
        return Issue(
            # the text is part of the id: a changed issue gets a new id, so its vector is re-embedded
            id=make_id(
                Label.ISSUE,
                *(self.report_id, category.title, ordinal, item.number, item.title, item.text),
                fold=False,
            ),
            report_id=self.report_id,
            category_id=category.id,
            ordinal=ordinal,
            number=item.number,
            title=item.title,
            short_title=item.short_title,
            status=item.status,
            completed=completed,
            deadline=item.deadline,
            text=item.text,
            result=_value(item.result),
            source=self.src(item.span),
        )

    def measures(self, item: IssueItem, issue: Issue) -> list[Measure]:
        out = []
        for m in item.measures:
            measure = Measure(
                make_id(Label.MEASURE, issue.id, m.ordinal, m.text, fold=False),
                issue.id,
                m.ordinal,
                m.label,
                m.text,
                self.src(m.span),
            )
            out.append(measure)
            self.edge(Rel.ADDRESSED_BY, issue.id, measure.id)
            for reg in m.regulations:
                self.cite(measure.id, reg)
            for org in m.organizations:
                self.mention(Rel.INVOLVES, measure.id, org)
        inside_measure = [m.span for m in item.measures]
        for reg in item.regulations:
            if not _inside(reg.span, inside_measure):
                self.cite(issue.id, reg)
        return out

    def report_links(self, issues: list[Issue], measures: list[Measure]) -> None:
        in_issue = _Containers([Span(i.source.start, i.source.end, i.source.line) for i in issues])
        in_measure = _Containers([Span(m.source.start, m.source.end, m.source.line) for m in measures])
        for reg in self.doc.regulations:
            if not in_issue.hold(reg.span):
                self.cite(self.report_id, reg)
        for org in self.doc.organizations:
            if not in_measure.hold(org.span):
                self.mention(Rel.MENTIONS, self.report_id, org)

    def person_links(self, unit_org: Organization | None) -> None:
        by_length = sorted(self.doc.organizations, key=lambda o: len(o.name), reverse=True)
        for p in self.doc.people:
            org = next((o for o in by_length if p.role and p.role.startswith(o.name)), None)
            target = self.organization(org.name) if org else unit_org
            if target is None:
                continue
            person = Person(make_id(Label.PERSON, p.name, target.id), p.name)
            self.people.setdefault(person.id, person)
            self.edge(Rel.ROLE_IN, person.id, target.id, role=p.role, source=self.src(p.span))

    def claims_all_completed(self) -> bool:
        """Reports that print no per-issue status but claim a 100% rectification rate."""
        claimed = {c.key: c.value for c in self.doc.claimed}
        rate = str(claimed.get("completion_rate", ""))
        return rate.startswith("100") or (
            isinstance(claimed.get("issues"), int) and claimed.get("issues") == claimed.get("completed")
        )

    def organization(self, name: str) -> Organization:
        region = self.doc.region
        unit = self.doc.inspected_unit
        # a short form the report itself gives its unit (县自然资源局 for 某某县自然资源局) is the unit, even
        # where the region is unknown or anonymised (XX县) and so cannot qualify it
        if unit is not None and name in self.doc.unit_aliases:
            name = unit.value
        full = qualify_organization(name, region)
        org_id = self.node_id(Label.ORGANIZATION, full)
        if org_id not in self.orgs:
            is_unit = unit is not None and full == unit.value
            self.orgs[org_id] = (
                Organization(
                    org_id,
                    full,
                    region.province,
                    region.city,
                    region.county,
                    aliases=self.doc.unit_aliases,
                    admin_code=admin_code(region),
                )
                if is_unit
                else Organization(org_id, full)
            )
        return self.orgs[org_id]

    def cite(self, src: str, reg: RegulationMention) -> None:
        regulation = Regulation(self.node_id(Label.REGULATION, reg.canonical), reg.canonical, reg.kind)
        self.regulations.setdefault(regulation.id, regulation)
        rel = Rel.ESTABLISHES if reg.relation == "establishes" and src.startswith("mea_") else Rel.CITES
        printed = reg.title + (reg.article or "")
        self.edge(rel, src, regulation.id, as_printed=printed, source=self.src(reg.span))

    def mention(self, rel: Rel, src: str, org: OrganizationMention) -> None:
        target = self.organization(org.name)
        self.edge(rel, src, target.id, source=self.src(org.span))

    def edge(self, rel: Rel, src: str, dst: str, **props: object) -> None:
        self.edges.setdefault((rel, src, dst), Edge(rel, src, dst, **props))  # type: ignore[arg-type]


def _inside(span: Span, containers: Iterable[Span]) -> bool:
    return any(c.start <= span.start and span.end <= c.end for c in containers)


class _Containers:
    """`_inside(span, spans)` for many spans against the same many containers (a report's mentions
    against all its measures) by one bisection each: among the containers starting at or before the
    span, the one reaching furthest holds it if any does."""

    def __init__(self, containers: Iterable[Span]) -> None:
        ordered = sorted(containers, key=lambda c: c.start)
        self._starts = [c.start for c in ordered]
        self._reach = list(accumulate((c.end for c in ordered), max))

    def hold(self, span: Span) -> bool:
        i = bisect.bisect_right(self._starts, span.start)
        return i > 0 and self._reach[i - 1] >= span.end


def _value(field: Field | None) -> str | None:
    return field.value if field else None


def _digest(graph: ReportGraph) -> str:
    # The dataclass repr lists every field of every node and edge in a fixed order: a stable fingerprint of
    # the whole graph that costs a tenth of json.dumps(asdict(...)).
    return hashlib.sha256(repr(graph).encode("utf-8")).hexdigest()
