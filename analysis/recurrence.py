"""屡查屡犯: issues of a unit's later inspection round that repeat an issue of an earlier round.

A unit is its canonical Organization (aliases resolved at ingest). Its reports are ordered by the date of the
round they report on (inspection start, else feedback, else publication); each issue of a later report is
compared with every issue of the unit's earlier reports by the cosine of their centred index vectors
(vectors.py). A pair counts when each is the other's best match across the two rounds (mutual best) and the
cosine reaches the threshold: a new problem's nearest old one is usually nearer to some other new problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ikg.analysis.facts import report_date, unit_key, unit_name
from ikg.analysis.vectors import centred_vectors
from ikg.graph.views import IssueFacts, IssueRef
from ikg.search.index import IndexSet

# Centred cosine (vectors.py) from which a mutual best match is a repeat. Chosen on the gold groups of the
# five example reports, each ordered pair of reports taken as two rounds (bench/recurrence_threshold.py):
# best F2 at 0.12-0.14 (precision 0.56, recall 0.35 of what the mutual-best rule can find); F1 peaks at 0.20
# (0.74 / 0.32), which drops a repeat of the synthetic second rounds (tests/fixtures/recurrence), the
# independent check. Few data: a user's --threshold wins.
DEFAULT_THRESHOLD = 0.14


@dataclass(frozen=True, slots=True)
class Recurrence:
    unit: str
    later: IssueRef
    later_date: str
    earlier: IssueRef
    earlier_date: str
    earlier_status: str | None
    earlier_completed: bool | None
    score: float  # cosine of the two issues
    strong: bool  # the earlier issue was reported completed, yet found again


@dataclass(frozen=True, slots=True)
class UnitRounds:
    unit: str
    reports: tuple[tuple[str, str], ...]  # (file, date) per report, oldest first
    recurrences: tuple[Recurrence, ...]  # strongest first, then by file and line


def mutual_best(sims: np.ndarray, rank: Sequence[int]) -> list[tuple[int, int, float]]:
    """(later, earlier, cosine) for each issue with an earlier-round issue: its most similar earlier issue,
    kept when the later issue is in turn that one's best match within the later issue's round.

    `sims` is the (n, n) cosine matrix of one unit's issues, `rank[i]` the round of issue i (0 = oldest)."""
    out = []
    for a in range(len(rank)):
        earlier = [b for b in range(len(rank)) if rank[b] < rank[a]]
        if not earlier:
            continue
        b = max(earlier, key=lambda j: float(sims[a, j]))
        same_round = [j for j in range(len(rank)) if rank[j] == rank[a]]
        if max(same_round, key=lambda j: float(sims[b, j])) == a:
            out.append((a, b, float(sims[a, b])))
    return out


def recurrences(
    facts: Sequence[IssueFacts], index: IndexSet, *, threshold: float = DEFAULT_THRESHOLD
) -> list[UnitRounds]:
    """Units with at least two reports, each with the later issues that repeat an earlier one.

    Each later issue is reported once, with its most similar earlier issue. The centring mean is over all
    `facts`, so pass every issue (not one unit's) for stable scores. Raises `NotFoundError` when an
    issue is not indexed (run 'ikg reindex')."""
    centred = centred_vectors(index, [f.issue.id for f in facts])
    by_unit: dict[str, list[int]] = {}
    for n, fact in enumerate(facts):
        by_unit.setdefault(unit_key(fact.report), []).append(n)
    out = []
    for positions in by_unit.values():
        members = [facts[n] for n in positions]
        reports = sorted({(report_date(f.report), f.report.file, f.report.report_id) for f in members})
        if len(reports) < 2:
            continue
        order = {rid: n for n, (_, _, rid) in enumerate(reports)}
        vectors = centred[positions]
        sims = vectors @ vectors.T
        rank = [order[f.report.report_id] for f in members]
        found = []
        for a, b, score in mutual_best(sims, rank):
            if score < threshold:
                continue
            later, prior = members[a], members[b]
            found.append(
                Recurrence(
                    unit_name(later.report),
                    later.issue,
                    report_date(later.report),
                    prior.issue,
                    report_date(prior.report),
                    prior.issue.status,
                    prior.completed,
                    round(score, 4),
                    prior.completed is True,
                )
            )
        found.sort(key=lambda r: (not r.strong, r.later.file, r.later.line))
        out.append(
            UnitRounds(
                unit_name(members[0].report),
                tuple((file, date) for date, file, _ in reports),
                tuple(found),
            )
        )
    return sorted(out, key=lambda u: u.unit)
