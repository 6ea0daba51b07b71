"""The Chinese HTML pages: each route reads its parameters, makes one library call, renders a template."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ikg.app import queries
from ikg.app.queries import LABEL_NAMES
from ikg.graph.errors import IndexMismatchError, ModelError
from ikg.web import params
from ikg.web.app import served, templates
from ikg.web.search import measure_hits, similar

router = APIRouter()

STATUS = {None: "未写明"}
RELATION = {"cites": "引用", "establishes": "制定"}
VIA = {"issue": "问题", "measure": "整改措施"}
MODES = (("hybrid", "综合（语义＋关键词）"), ("dense", "语义"), ("lexical", "关键词"))


def _page(request: Request, name: str, **context: Any) -> HTMLResponse:
    base = {"labels": LABEL_NAMES, "relation": RELATION, "via": VIA, "modes": MODES}
    response: HTMLResponse = templates.TemplateResponse(request, name, {**base, **context})
    return response


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request) -> HTMLResponse:
    with served(request).use() as ws:
        view = queries.overview(ws.store)
    top = max((u.issues for u in view.units), default=1) or 1
    return _page(request, "overview.html", view=view, bar_max=top, nav="overview")


@router.get("/unit/{unit_id}", response_class=HTMLResponse)
def unit_page(request: Request, unit_id: str) -> HTMLResponse:
    with served(request).use() as ws:
        view = queries.unit_page(ws.store, params.node_id(unit_id))
    return _page(request, "unit.html", view=view, nav="units")


@router.get("/units", response_class=HTMLResponse)
def units_page(request: Request) -> HTMLResponse:
    with served(request).use() as ws:
        units = ws.store.units()
    return _page(request, "units.html", units=units, nav="units")


@router.get("/issue/{issue_id}", response_class=HTMLResponse)
def issue_page(request: Request, issue_id: str) -> HTMLResponse:
    issue_id = params.node_id(issue_id)
    with served(request).use() as ws:
        view = queries.issue_page(ws.store, issue_id)
        hits: list[tuple[Any, float]] = list(view.detail.similar)  # stored SIMILAR_TO edges, if any
        similar_note: str | None = "尚无向量索引（运行 ikg reindex），只显示已写入的相似关系"
        if queries.has_index(ws.settings.index_dir):
            try:
                found = similar(ws, text=None, issue=issue_id, top=10, unit=None, mode="hybrid")
                hits = [(h.issue, h.score) for g in found.groups for h in g.hits]
                similar_note = None
            except (IndexMismatchError, ModelError) as exc:
                similar_note = f"未使用向量索引：{exc}"
    return _page(request, "issue.html", view=view, hits=hits, similar_note=similar_note, nav="units")


@router.get("/types/{type_id}", response_class=HTMLResponse)
def type_page(request: Request, type_id: str, unit: str | None = None) -> HTMLResponse:
    unit_id = params.node_id(unit) if unit else None
    with served(request).use() as ws:
        found = queries.typed_issues(ws.store, params.type_id(type_id), unit_id)
        summary = next((u for u in ws.store.units() if u.id == unit_id), None) if unit_id else None
    return _page(request, "types.html", found=found, unit=summary, nav="overview")


@router.get("/regs", response_class=HTMLResponse)
def regs_page(request: Request, unit: str | None = None) -> HTMLResponse:
    unit = params.text(unit, "单位")
    with served(request).use() as ws:
        regs = ws.store.regulations(unit)
    return _page(request, "regs.html", regs=regs, unit=unit or "", nav="regs")


@router.get("/regulation/{regulation_id}", response_class=HTMLResponse)
def regulation_page(request: Request, regulation_id: str) -> HTMLResponse:
    with served(request).use() as ws:
        links = ws.store.regulation_links(params.node_id(regulation_id))
    aliases = queries.regulation_aliases(links.title)
    by_unit: dict[str, dict[str, list[Any]]] = {}
    for i in links.issues:
        by_unit.setdefault(i.unit or "（单位不详）", {"issues": [], "measures": []})["issues"].append(i)
    for m in links.measures:
        by_unit.setdefault(m.issue.unit or "（单位不详）", {"issues": [], "measures": []})["measures"].append(
            m
        )
    return _page(request, "regulation.html", links=links, aliases=aliases, by_unit=by_unit, nav="regs")


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str | None = None,
    kind: str = "issues",
    mode: str = "hybrid",
    unit: str | None = None,
    top: int = 10,
) -> HTMLResponse:
    query = params.text(q)
    found = measures = None
    if query:
        with served(request).use() as ws:
            if kind == "measures":
                measures = measure_hits(ws, text=query, top=top, unit=unit, mode=mode)
            else:
                found = similar(ws, text=query, issue=None, top=top, unit=unit, mode=mode)
    return _page(
        request,
        "search.html",
        q=query or "",
        kind=kind,
        mode=mode,
        unit=unit or "",
        top=top,
        found=found,
        measures=measures,
        nav="search",
    )


@router.get("/explore", response_class=HTMLResponse)
def explore_page(request: Request, id: str | None = None) -> HTMLResponse:
    start = params.node_id(id) if id else None
    if start is None:
        with served(request).use() as ws:
            units = ws.store.units()
        start = units[0].id if units else None
    return _page(request, "explore.html", start=start or "", nav="explore")
