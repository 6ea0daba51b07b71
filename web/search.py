"""The two searches pages and `/api/…` share: parameters checked, then the CLI's own library calls."""

from __future__ import annotations

from ikg.app.workspace import Workspace
from ikg.search.results import MeasureHit, SimilarIssues
from ikg.web import params
from ikg.web.app import BadRequest


def similar(
    ws: Workspace, *, text: str | None, issue: str | None, top: int, unit: str | None, mode: str
) -> SimilarIssues:
    query = params.text(text)
    issue_id = params.node_id(issue) if issue else None
    if (query is None) == (issue_id is None):
        raise BadRequest("请给出问题描述，或一个问题编号（二者选一）")
    k, where, how = params.top(top), params.text(unit, "单位"), params.mode(mode)
    return ws.similar(text=query, issue_id=issue_id, top=k, unit=where, mode=how)


def measure_hits(
    ws: Workspace, *, text: str | None, top: int, unit: str | None, mode: str
) -> list[MeasureHit]:
    query = params.text(text)
    if query is None:
        raise BadRequest("请给出整改措施的描述")
    k, where, how = params.top(top), params.text(unit, "单位"), params.mode(mode)
    return ws.measures(query, top=k, unit=where, mode=how)
