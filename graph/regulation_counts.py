"""Count, per regulation, the issues, measures and units linked to it, from one row per graph link.

Done in Python rather than Cypher: the counts need a union of three link paths with DISTINCT per column,
which the three engines do not express the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from ikg.graph.views import RegulationSummary


@dataclass(frozen=True, slots=True)
class LinkRow:
    regulation: str
    issue: str | None  # the issue citing it, directly or through `measure`
    measure: str | None  # the measure citing or establishing it
    unit: str | None  # the inspected unit of the report the link is in


def count_links(
    regulations: list[tuple[str, str, str]], links: list[LinkRow], unit: str | None
) -> list[RegulationSummary]:
    """Summaries for `regulations` (id, title, kind), most-cited first; `unit` keeps only links in units
    whose name contains it, and only regulations with such a link."""
    issues: dict[str, set[str]] = {}
    measures: dict[str, set[str]] = {}
    units: dict[str, set[str]] = {}
    for link in links:
        if unit is not None and (link.unit is None or unit not in link.unit):
            continue
        units.setdefault(link.regulation, set())
        if link.unit:
            units[link.regulation].add(link.unit)
        if link.issue:
            issues.setdefault(link.regulation, set()).add(link.issue)
        if link.measure:
            measures.setdefault(link.regulation, set()).add(link.measure)
    out = [
        RegulationSummary(
            id=reg_id,
            title=title,
            kind=kind,
            issues=len(issues.get(reg_id, ())),
            measures=len(measures.get(reg_id, ())),
            units=len(units.get(reg_id, ())),
        )
        for reg_id, title, kind in regulations
        if unit is None or reg_id in units
    ]
    return sorted(out, key=lambda s: (-s.issues, -s.measures, s.title, s.id))
