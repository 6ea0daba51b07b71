"""Decide what a batch of report writes does, given the reports already stored. Pure: no database here.

The outcome is the one writing the reports one by one, in order, would have: each gets the status a lone
`write_report` would have reported at its turn (so a report id occurring twice in a batch is allowed, and
the last occurrence wins), while the database only sees the final state.

A report's id comes from its text, so one report may have several files (the same text as .txt and .pdf,
or in two folders). Per input report (id, digest, file):
- its id is stored and `file` is its first file: `unchanged` (same digest) or `replaced`;
- its id is stored under other files: `merged`, the file is added to the report's file list (nothing
  else changes: provenance stays with the first file), or `unchanged` if the file is listed already;
- its id is new, but `file` held another text before (the file was edited): that report is `replaced` when
  this was its first file, else the file leaves its list; either way the new text is written;
- otherwise `new`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class StoredReport:
    digest: str
    file: str  # the first file: the spans point into it
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WritePlan:
    statuses: tuple[str, ...]  # per input report: new | unchanged | replaced | merged
    delete: tuple[str, ...]  # stored report ids whose subgraph goes, in input order
    write: tuple[int, ...]  # positions of the input reports whose rows are written, in input order
    files: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (report id, its file list) to set after the writes


def plan_writes(
    reports: Sequence[tuple[str, str, str]],
    stored: Mapping[str, StoredReport],
    owners: Mapping[str, str] | None = None,
) -> WritePlan:
    """`reports`: (report id, digest, file) per input report; `stored`: the stored reports among those ids
    and those owning the input files; `owners`: file -> id of the stored report listing it."""
    current = dict(stored)
    owner = dict(owners or {})
    statuses: list[str] = []
    last: dict[str, int] = {}  # report id -> position of the version to write
    for position, (report_id, digest, file) in enumerate(reports):
        cur = current.get(report_id)
        if cur is not None and cur.file != file:
            if file in cur.files:
                statuses.append("unchanged")
            else:
                statuses.append("merged")
                current[report_id] = replace(cur, files=(*cur.files, file))
                _move_file(file, report_id, owner, current)
            continue
        if cur is not None:
            statuses.append("unchanged" if cur.digest == digest else "replaced")
        else:
            previous = owner.get(file)
            taken = previous is not None and previous in current and current[previous].file == file
            statuses.append("replaced" if taken else "new")
        if cur is None or cur.digest != digest or report_id in last:
            last[report_id] = position  # the last occurrence of a version this batch writes
        current[report_id] = StoredReport(digest, file, cur.files if cur else (file,))
        _move_file(file, report_id, owner, current)
    write = tuple(sorted(p for r, p in last.items() if r not in stored or stored[r].digest != reports[p][1]))
    written = {reports[p][0] for p in write}
    gone = [r for r in stored if r not in current]  # first file re-used by another text
    delete = tuple(dict.fromkeys([*(r for r in (reports[p][0] for p in write) if r in stored), *gone]))
    files = tuple(
        (r, s.files)
        for r, s in current.items()
        if (r in stored and s.files != stored[r].files) or (r in written and s.files != (s.file,))
    )
    return WritePlan(tuple(statuses), delete, write, files)


def _move_file(file: str, report_id: str, owner: dict[str, str], current: dict[str, StoredReport]) -> None:
    """`file` now belongs to `report_id`: the report that listed it before loses it, or goes entirely when
    it was that report's first file (its spans point into a file that now holds another text)."""
    previous = owner.get(file)
    owner[file] = report_id
    if previous is None or previous == report_id or previous not in current:
        return
    old = current[previous]
    if old.file == file:
        del current[previous]
        for f in old.files:
            if owner.get(f) == previous:
                del owner[f]
    else:
        current[previous] = replace(old, files=tuple(f for f in old.files if f != file))
