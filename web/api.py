"""`/api/…`: the JSON the matching CLI command prints with `--format json`, from the same library calls."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ikg.analysis.facts import issue_facts
from ikg.analysis.measure_check import check_measures, checks_json
from ikg.analysis.problem_types import GROUPINGS, distribution_json, issue_types, type_distribution
from ikg.analysis.taxonomy import default_taxonomy
from ikg.app import queries
from ikg.app.queries import to_jsonable
from ikg.graph.errors import ConfigError
from ikg.web import params
from ikg.web.app import BadRequest, served
from ikg.web.search import measure_hits, similar

router = APIRouter(prefix="/api")


def _json(value: Any) -> JSONResponse:
    return JSONResponse(to_jsonable(value))


@router.get("/units")
def units(request: Request) -> JSONResponse:
    """= ikg units --format json"""
    with served(request).use() as ws:
        return _json(ws.store.units())


@router.get("/regs")
def regs(request: Request, unit: str | None = None) -> JSONResponse:
    """= ikg regs [--unit U] --format json"""
    unit = params.text(unit, "单位")
    with served(request).use() as ws:
        return _json(ws.store.regulations(unit))


@router.get("/regs/show")
def regs_show(request: Request, name: str) -> JSONResponse:
    """= ikg regs show NAME --format json"""
    name = params.text(name, "法规制度名称") or ""
    with served(request).use() as ws:
        return _json(ws.regulation_links(name))


@router.get("/regulation/{regulation_id}")
def regulation(request: Request, regulation_id: str) -> JSONResponse:
    with served(request).use() as ws:
        return _json(ws.store.regulation_links(params.node_id(regulation_id)))


@router.get("/issue/{issue_id}")
def issue(request: Request, issue_id: str) -> JSONResponse:
    """= ikg issue show ID --format json (a list of one)"""
    with served(request).use() as ws:
        return _json(ws.issue_details(params.node_id(issue_id), None, None))


@router.get("/unit/{unit_id}")
def unit(request: Request, unit_id: str) -> JSONResponse:
    with served(request).use() as ws:
        return _json(queries.unit_page(ws.store, params.node_id(unit_id)))


@router.get("/overview")
def overview(request: Request) -> JSONResponse:
    with served(request).use() as ws:
        return _json(queries.overview(ws.store))


@router.get("/types")
def types_api(
    request: Request, unit: str | None = None, framework: str | None = None, by: str | None = None
) -> JSONResponse:
    """= ikg types [--unit U] [--framework F] [--by unit|region|year] --format json"""
    unit = params.text(unit, "单位")
    if by is not None and by not in GROUPINGS:
        raise BadRequest("分组方式 by 须为 unit、region 或 year 之一")
    taxonomy = default_taxonomy()
    try:
        chosen = taxonomy.framework(framework) if framework else None
    except ConfigError as exc:
        raise BadRequest(str(exc)) from None
    with served(request).use() as ws:
        typed = issue_types(issue_facts(ws.store, unit), taxonomy, chosen)
    return _json(distribution_json(type_distribution(typed, taxonomy, chosen, by), typed))


@router.get("/measures/check")
def measures_check_api(request: Request, unit: str | None = None, all: bool = False) -> JSONResponse:
    """= ikg measures check [--unit U] [--all] --format json"""
    unit = params.text(unit, "单位")
    with served(request).use() as ws:
        return _json(checks_json(check_measures(issue_facts(ws.store, unit), include_ok=all)))


@router.get("/similar")
def similar_api(
    request: Request,
    text: str | None = None,
    issue: str | None = None,
    top: int = 10,
    unit: str | None = None,
    mode: str = "hybrid",
) -> JSONResponse:
    """= ikg similar TEXT|--issue ID [--top K] [--unit U] [--mode M] --format json"""
    with served(request).use() as ws:
        return _json(similar(ws, text=text, issue=issue, top=top, unit=unit, mode=mode))


@router.get("/measures")
def measures_api(
    request: Request, text: str, top: int = 10, unit: str | None = None, mode: str = "hybrid"
) -> JSONResponse:
    """= ikg measures search TEXT [--top K] [--unit U] [--mode M] --format json"""
    with served(request).use() as ws:
        return _json(measure_hits(ws, text=text, top=top, unit=unit, mode=mode))


@router.get("/graph/neighbours")
def neighbours(request: Request, id: str, limit: int = 30, offset: int = 0) -> JSONResponse:
    """A node and a page of its neighbours, for the explorer; `more` says whether another page exists."""
    node = params.node_id(id)
    with served(request).use() as ws:
        found = queries.neighbourhood(
            ws.store.dump(), node, limit=params.limit(limit), offset=params.offset(offset)
        )
    payload = to_jsonable(found)
    for n in [payload["center"], *payload["nodes"]]:
        n["label_name"] = queries.LABEL_NAMES.get(n["label"], n["label"])
    return JSONResponse(payload)
