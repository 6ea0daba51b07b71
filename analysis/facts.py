"""The issues an analysis reads, with the helpers that place them in a unit, a region and a year."""

from __future__ import annotations

import re

from ikg.graph.store import GraphStore
from ikg.graph.views import IssueFacts, ReportContext

_YEAR = re.compile(r"^(\d{4})")
# the measures part of an issue's text starts with one of these headings (整改情况：一是…)
_MEASURE_HEADINGS = re.compile(r"整改(?:情况|措施|进展|落实情况|举措)[:：]")


def issue_facts(store: GraphStore, unit: str | None = None) -> list[IssueFacts]:
    """Every issue in file order; `unit` keeps those whose unit name (canonical or as printed) contains it."""
    facts = store.issue_facts()
    if unit:
        facts = [f for f in facts if unit_matches(f.report, unit)]
    return facts


def unit_matches(report: ReportContext, unit: str) -> bool:
    return any(unit in name for name in (report.organization, report.unit) if name)


def unit_name(report: ReportContext) -> str:
    return report.organization or report.unit or "（未识别单位）"


def unit_key(report: ReportContext) -> str:
    """The canonical organization (aliases were resolved at ingest), else the report's unit name."""
    return report.organization_id or report.unit or report.report_id


def region(report: ReportContext) -> str:
    return report.city or report.province or "（未识别地区）"


def inspection_year(report: ReportContext) -> int | None:
    """The year the inspection started, else of its feedback, else of the report."""
    for date in (report.start, report.feedback_date, report.end, report.publish_date):
        if date and (m := _YEAR.match(date)):
            return int(m.group(1))
    return None


def report_date(report: ReportContext) -> str:
    """A sortable date of the round the report is about: inspection start, feedback, report, else ''."""
    return report.start or report.feedback_date or report.end or report.publish_date or ""


def problem_text(fact: IssueFacts) -> tuple[str, int]:
    """The part of the issue text that states the problem (before its measures), and where it ends."""
    text = fact.text
    cut = len(text)
    if (m := _MEASURE_HEADINGS.search(text)) is not None:
        cut = m.start()
    if fact.measures:
        first = text.find(fact.measures[0].text[:20])
        if 0 <= first < cut:
            cut = first
    return text[:cut], cut
