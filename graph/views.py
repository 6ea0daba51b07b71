"""Read-side records that `GraphStore` queries return: what the CLI renders and search joins with."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class WriteSummary:
    report_id: str
    file: str
    status: str  # new | unchanged | replaced
    nodes: int  # nodes written (0 when unchanged)
    edges: int


@dataclass(frozen=True, slots=True)
class DeleteSummary:
    report_id: str
    file: str
    nodes: int  # nodes removed, shared nodes only this report referenced included
    issue_ids: tuple[str, ...]  # so the vector index can drop them
    measure_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportRef:
    id: str
    file: str
    title: str | None
    unit: str | None
    digest: str


@dataclass(frozen=True, slots=True)
class GraphStats:
    reports: int
    organizations: int
    inspections: int
    categories: int
    issues: int
    measures: int  # the issues' measures (ADDRESSED_BY)
    regulations: int
    people: int
    edges: dict[str, int]  # per relationship type
    report_measures: int = 0  # Measure nodes the reports TOOK themselves (work approach); not in `measures`


@dataclass(frozen=True, slots=True)
class UnitSummary:
    id: str
    name: str
    reports: int
    issues: int
    open_issues: int  # issues the report says are not (or only partly) completed
    unknown_issues: int  # issues with no printed status, in reports that do not claim all were completed


@dataclass(frozen=True, slots=True)
class RegulationSummary:
    id: str
    title: str
    kind: str
    issues: int  # issues citing it, directly or through their measures
    measures: int  # measures citing or establishing it
    units: int


@dataclass(frozen=True, slots=True)
class IssueRef:
    id: str
    number: str
    title: str
    status: str | None
    category: str
    unit: str | None
    report_id: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class MeasureRef:
    id: str
    label: str
    text: str
    issue: IssueRef
    line: int
    regulations: tuple[str, ...] = ()  # canonical titles it cites or establishes


@dataclass(frozen=True, slots=True)
class RegulationRef:
    id: str
    title: str
    kind: str
    relation: str  # cites | establishes
    via: str  # issue | measure: which node carries the link
    as_printed: str | None


@dataclass(frozen=True, slots=True)
class RegulationLinks:
    regulation_id: str
    title: str
    kind: str
    issues: tuple[IssueRef, ...]  # citing directly or through a measure
    measures: tuple[MeasureRef, ...]


@dataclass(frozen=True, slots=True)
class IssueDetail:
    issue: IssueRef
    short_title: str | None
    deadline: str | None
    text: str
    result: str | None
    span_start: int
    span_end: int
    measures: tuple[MeasureRef, ...]
    regulations: tuple[RegulationRef, ...]
    similar: tuple[tuple[IssueRef, float], ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class IssueText:
    """What the search index embeds for one issue."""

    id: str
    report_id: str
    unit: str | None
    category: str
    title: str
    text: str  # the issue's whole text
    measures: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeasureText:
    id: str
    issue_id: str
    report_id: str
    text: str


@dataclass(frozen=True, slots=True)
class ReportContext:
    """Where and when a report's issues were found: what the analysis layer groups and orders them by."""

    report_id: str
    file: str
    unit: str | None  # the report's inspected unit, canonical name
    publish_date: str | None  # ISO
    organization_id: str | None  # the inspected Organization (aliases resolved at ingest)
    organization: str | None
    province: str | None
    city: str | None
    county: str | None
    inspection_id: str | None
    kind: str | None  # 巡视 | 巡察
    round: str | None
    start: str | None  # ISO dates of the inspection
    end: str | None
    feedback_date: str | None


@dataclass(frozen=True, slots=True)
class MeasureFact:
    id: str
    label: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class IssueFacts:
    """One issue with everything the analysis verbs read: its text, status, deadline, measures, report."""

    issue: IssueRef
    ordinal: int
    completed: bool | None
    deadline: str | None
    text: str
    result: str | None
    span_start: int
    span_end: int
    measures: tuple[MeasureFact, ...]
    report: ReportContext
