"""`ikg similar` and `ikg measures search`: problems and measures by meaning, grouped by unit."""

from __future__ import annotations

from typing import Any

import typer

from ikg.app.workspace import open_workspace
from ikg.cli import render
from ikg.cli.context import GRAPH_OPTION, settings_for
from ikg.cli.core import FORMAT_OPTION, OutputFormat, app, command, fail
from ikg.graph.errors import ExitCode
from ikg.search.query import check_given, check_limits, check_query
from ikg.search.results import Mode

measures_app = typer.Typer(
    help="Measures by meaning. Example: ikg measures search 建立经费催缴台账", no_args_is_help=True
)
app.add_typer(measures_app, name="measures")

MODE_OPTION: Any = typer.Option(
    Mode.hybrid, "--mode", "-m", help="hybrid (dense + BM25, default), dense or lexical."
)
TOP_OPTION: Any = typer.Option(10, "--top", "-k", min=1, help="How many hits.")
MIN_SCORE_OPTION: Any = typer.Option(
    None, "--min-score", help="Drop hits scoring below this (score of the mode)."
)
UNIT_OPTION: Any = typer.Option(None, "--unit", "-u", help="Only units whose name contains this.")


@command(app, "similar")
def similar_cmd(
    ctx: typer.Context,
    text: str | None = typer.Argument(None, help="A problem described in words, e.g. 财务报销手续不全."),
    issue: str | None = typer.Option(None, "--issue", "-i", help="Start from a stored issue (iss_…)."),
    all_issues: bool = typer.Option(False, "--all", help="For every issue, its top matches (JSON Lines)."),
    write_edges: bool = typer.Option(False, "--write-edges", help="With --all: store SIMILAR_TO edges."),
    edge_min_score: float = typer.Option(
        0.5, "--edge-min-score", help="With --write-edges: keep pairs above this."
    ),
    top: int = TOP_OPTION,
    min_score: float | None = MIN_SCORE_OPTION,
    unit: str | None = UNIT_OPTION,
    mode: Mode = MODE_OPTION,
    graph: str | None = GRAPH_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Which units had problems like this one: similar issues grouped by unit.

    From an issue, only other reports are searched. Examples:
      ikg similar 财务报销手续不全
      ikg similar --issue iss_3fa85f6457174a2c --top 5
      ikg similar --all --top 5 --format json
    """
    if sum(x is not None and x is not False for x in (text, issue, all_issues or None)) != 1:
        raise fail("give exactly one of TEXT, --issue ID or --all", ExitCode.BAD_INPUT)
    # checked before the store, index or model is opened (similar_issues checks again)
    check_limits(top, min_score)
    if text is not None:
        check_query(text, "similar TEXT")
    if issue is not None:
        check_given(issue, "--issue")
    writes = "similar --write-edges" if write_edges and all_issues else None
    with open_workspace(settings_for(ctx, graph), write=writes) as ws:
        if all_issues:
            from ikg.search.similar import similar_all

            rows = list(similar_all(ws.store, ws.index, top=top, min_score=min_score, mode=mode))
            written = ws.store.write_similar(_pairs(rows, edge_min_score)) if write_edges else None
            render.similar_all(rows, fmt, written)
            return
        result = ws.similar(text=text, issue_id=issue, top=top, min_score=min_score, unit=unit, mode=mode)
    render.similar(result, fmt)


def _pairs(rows: list[Any], threshold: float) -> list[tuple[str, str, float]]:
    return [(r.issue.id, h.issue.id, h.score) for r in rows for h in r.similar if h.score >= threshold]


@command(measures_app, "search")
def measures_search_cmd(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="What the measure did, e.g. 建立工会经费催缴台账."),
    top: int = TOP_OPTION,
    min_score: float | None = MIN_SCORE_OPTION,
    unit: str | None = UNIT_OPTION,
    mode: Mode = MODE_OPTION,
    graph: str | None = GRAPH_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Measures, anywhere, that match a description by meaning, with their issue, unit and regulations.

    Example: ikg measures search 建立工会经费催缴台账 --top 5
    """
    check_query(text, "measures search TEXT")
    check_limits(top, min_score)
    with open_workspace(settings_for(ctx, graph)) as ws:
        hits = ws.measures(text, top=top, unit=unit, min_score=min_score, mode=mode)
    render.measure_hits(text, hits, fmt)
