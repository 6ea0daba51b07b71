"""Decide what a batch of report writes does, given the digests already stored. Pure: no database here.

The outcome is the one writing the reports one by one, in order, would have: each gets the status a lone
`write_report` would have reported at its turn (so a report id occurring twice in a batch is allowed, and
the last occurrence wins), while the database only sees the final state: stored subgraphs whose digest
changes are deleted, and each report id's last version is written if it differs from the stored one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WritePlan:
    statuses: tuple[str, ...]  # per input report: new | unchanged | replaced
    delete: tuple[str, ...]  # stored report ids whose subgraph goes, in input order
    write: tuple[int, ...]  # positions of the input reports whose rows are written, in input order


def plan_writes(reports: Sequence[tuple[str, str]], stored: Mapping[str, str]) -> WritePlan:
    """`reports`: (report id, digest) per input report; `stored`: digest per report id in the database."""
    current = dict(stored)
    statuses = []
    last: dict[str, int] = {}
    for position, (report_id, digest) in enumerate(reports):
        before = current.get(report_id)
        statuses.append("unchanged" if before == digest else "new" if before is None else "replaced")
        current[report_id] = digest
        last[report_id] = position
    write = tuple(sorted(p for r, p in last.items() if stored.get(r) != reports[p][1]))
    delete = tuple(reports[p][0] for p in write if reports[p][0] in stored)
    return WritePlan(tuple(statuses), delete, write)
