"""Problem types of each issue: key terms of the taxonomy found in its title and problem statement.

Computed on demand from the graph instead of stored as edges: the taxonomy is a versioned data file an
analyst may edit, and matching ~100 terms against a few thousand issues takes milliseconds, so a stored copy
would only go stale (and would need a schema change on both stores) without saving time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ikg.analysis.facts import inspection_year, problem_text, region, unit_name
from ikg.analysis.taxonomy import Framework, ProblemType, Taxonomy
from ikg.graph.views import IssueFacts, IssueRef

# A term in the title weighs more than one in the problem text: the title is what the inspection named.
TITLE_WEIGHT = 1.0
TEXT_WEIGHT = 0.5
# score = 1 - 0.5 ** (sum of weights): one title term 0.5, two 0.75; one text-only term 0.29
MIN_SCORE = 0.25


@dataclass(frozen=True, slots=True)
class Evidence:
    term: str  # the key term as found
    start: int  # offsets into the issue's text (the title's own offsets when the text does not hold it)
    end: int
    in_title: bool


@dataclass(frozen=True, slots=True)
class TypeMatch:
    framework_id: str
    framework: str
    type_id: str
    type: str
    score: float
    evidence: tuple[Evidence, ...]
    in_period: bool  # the framework was the one of the inspection's year


@dataclass(frozen=True, slots=True)
class IssueTypes:
    issue: IssueRef
    unit: str
    region: str
    year: int | None
    matches: tuple[TypeMatch, ...]  # best first


def find_terms(text: str, terms: Sequence[str]) -> list[tuple[str, int, int]]:
    """Non-overlapping occurrences of `terms` in `text`, longer terms first (支部 inside 党支部 is one)."""
    found: list[tuple[str, int, int]] = []
    taken = [False] * len(text)
    for term in _longest_first(tuple(terms)):
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            if not any(taken[start:end]):
                found.append((term, start, end))
                taken[start:end] = [True] * len(term)
            start = text.find(term, end)
    return sorted(found, key=lambda f: f[1])


@lru_cache(maxsize=256)
def _longest_first(terms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(terms), key=lambda t: (-len(t), t)))


def match_type(fact: IssueFacts, ptype: ProblemType) -> tuple[float, tuple[Evidence, ...]]:
    title = fact.issue.title
    statement, _ = problem_text(fact)
    at = fact.text.find(title) if title else -1
    evidence: list[Evidence] = []
    weights: dict[str, float] = {}
    for term, start, end in find_terms(title, ptype.terms):
        offset = at if at >= 0 else 0
        evidence.append(Evidence(term, start + offset, end + offset, True))
        weights[term] = TITLE_WEIGHT
    title_span = range(at, at + len(title)) if at >= 0 else range(0)
    for term, start, end in find_terms(statement, ptype.terms):
        if start in title_span:
            continue
        evidence.append(Evidence(term, start, end, False))
        weights[term] = max(weights.get(term, 0.0), TEXT_WEIGHT)
    score = 1.0 - 0.5 ** sum(weights.values())
    return round(score, 3), tuple(sorted(evidence, key=lambda e: (not e.in_title, e.start)))


def issue_types(
    facts: Sequence[IssueFacts], taxonomy: Taxonomy, framework: Framework | None = None
) -> list[IssueTypes]:
    """Every issue with its types (multi-label, best first); an issue no term matches has none."""
    frameworks = (framework,) if framework is not None else taxonomy.frameworks
    out = []
    for fact in facts:
        year = inspection_year(fact.report)
        matches = []
        for fw in frameworks:
            for ptype in fw.types:
                score, evidence = match_type(fact, ptype)
                if score >= MIN_SCORE:
                    matches.append(
                        TypeMatch(fw.id, fw.name, ptype.id, ptype.name, score, evidence, fw.applies_to(year))
                    )
        matches.sort(key=lambda m: -m.score)
        out.append(IssueTypes(fact.issue, unit_name(fact.report), region(fact.report), year, tuple(matches)))
    return out


@dataclass(frozen=True, slots=True)
class DistributionRow:
    framework: str
    type_id: str
    type: str
    counts: tuple[int, ...]  # issues per group, in `TypeDistribution.groups` order
    total: int
    issues: tuple[IssueRef, ...]  # every issue counted, in file order


@dataclass(frozen=True, slots=True)
class TypeDistribution:
    taxonomy_version: str
    by: str | None  # unit | region | year, or None for totals only
    groups: tuple[str, ...]
    issues: int  # issues looked at
    rows: tuple[DistributionRow, ...]
    untyped: tuple[IssueRef, ...]  # issues no type matched


GROUPINGS = ("unit", "region", "year")


def type_distribution(
    typed: Sequence[IssueTypes], taxonomy: Taxonomy, framework: Framework | None = None, by: str | None = None
) -> TypeDistribution:
    """How many issues of each type, overall or per unit/region/year; an issue counts once per type."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")

    def group(t: IssueTypes) -> str:
        if by == "unit":
            return t.unit
        if by == "region":
            return t.region
        if by == "year":
            return str(t.year) if t.year is not None else "（未知年份）"
        return "合计"

    groups = tuple(sorted({group(t) for t in typed}))
    frameworks = (framework,) if framework is not None else taxonomy.frameworks
    rows = []
    for fw in frameworks:
        for ptype in fw.types:
            members = [t for t in typed if any(m.type_id == ptype.id for m in t.matches)]
            counts = tuple(sum(1 for t in members if group(t) == g) for g in groups)
            rows.append(
                DistributionRow(
                    fw.name, ptype.id, ptype.name, counts, len(members), tuple(t.issue for t in members)
                )
            )
    untyped = tuple(t.issue for t in typed if not t.matches)
    return TypeDistribution(taxonomy.version, by, groups, len(typed), tuple(rows), untyped)


def distribution_json(dist: TypeDistribution, typed: Sequence[IssueTypes]) -> dict[str, Any]:
    """What `ikg types --format json` and `/api/types` print: counts per group, every issue with file:line."""

    def ref(i: IssueRef) -> dict[str, Any]:
        return {"id": i.id, "title": i.title, "file": i.file, "line": i.line}

    return {
        "taxonomy_version": dist.taxonomy_version,
        "by": dist.by,
        "groups": dist.groups,
        "issues": dist.issues,
        "rows": [
            {
                "framework": r.framework,
                "type_id": r.type_id,
                "type": r.type,
                "counts": dict(zip(dist.groups, r.counts, strict=True)),
                "total": r.total,
                "issues": [ref(i) for i in r.issues],
            }
            for r in dist.rows
        ],
        "untyped": [ref(i) for i in dist.untyped],
        "issue_types": list(typed),
    }
