"""`ikg types`, `ikg common`, `ikg recurrence`, `ikg measures check`: what analysts ask of the graph."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ikg.app.workspace import open_workspace
from ikg.cli import analysis_render as render
from ikg.cli.context import GRAPH_OPTION, settings_for
from ikg.cli.core import FORMAT_OPTION, OutputFormat, app, command, fail
from ikg.cli.render import note
from ikg.cli.search_cmd import measures_app

UNIT_OPTION: Any = typer.Option(None, "--unit", "-u", help="Only units whose name contains this.")
TAXONOMY_OPTION: Any = typer.Option(
    None, "--taxonomy", help="A taxonomy JSON file instead of the bundled one (same shape, see README)."
)


class GroupBy(StrEnum):
    unit = "unit"
    region = "region"
    year = "year"


class CommonFormat(StrEnum):
    table = "table"
    json = "json"
    xlsx = "xlsx"


@command(app, "types")
def types_cmd(
    ctx: typer.Context,
    unit: str | None = UNIT_OPTION,
    framework: str | None = typer.Option(
        None, "--framework", help="三大问题, 六个方面, 四个落实, 三个聚焦 or 六项纪律 (or its id)."
    ),
    by: GroupBy | None = typer.Option(None, "--by", help="Counts per unit, region or year."),
    taxonomy_file: Path | None = TAXONOMY_OPTION,
    graph: str | None = GRAPH_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """How many issues of each problem type (key terms of the taxonomy in the issue's title and problem text).

    Examples:
      ikg types --framework 六个方面 --by unit
      ikg types --unit 总工会 --format json
    """
    from ikg.analysis.facts import issue_facts
    from ikg.analysis.problem_types import issue_types, type_distribution
    from ikg.analysis.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(taxonomy_file)
    chosen = taxonomy.framework(framework) if framework else None
    with open_workspace(settings_for(ctx, graph)) as ws:
        typed = issue_types(issue_facts(ws.store, unit), taxonomy, chosen)
    dist = type_distribution(typed, taxonomy, chosen, by.value if by else None)
    render.type_distribution(dist, typed, fmt)


@command(app, "common")
def common_cmd(
    ctx: typer.Context,
    min_units: int = typer.Option(3, "--min-units", min=2, help="Keep problems shared by this many units."),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Centred cosine two issues need to be linked (default: see README)."
    ),
    unit_filter: list[str] | None = typer.Option(
        None, "--unit-filter", help="Only units whose name contains this (repeatable)."
    ),
    taxonomy_file: Path | None = TAXONOMY_OPTION,
    out: Path | None = typer.Option(None, "--out", "-o", help="With --format xlsx: the workbook to write."),
    graph: str | None = GRAPH_OPTION,
    fmt: CommonFormat = typer.Option(
        CommonFormat.table, "--format", "-f", help="table, json, or xlsx (with --out FILE)."
    ),
) -> None:
    """共性问题: problems that issues of several units share, with every member's file:line.

    Examples:
      ikg common --min-units 3
      ikg common --format xlsx --out 共性问题清单.xlsx
    """
    from ikg.analysis.common import DEFAULT_THRESHOLD, common_problems
    from ikg.analysis.facts import issue_facts
    from ikg.analysis.taxonomy import load_taxonomy

    if fmt == CommonFormat.xlsx and out is None:
        raise fail("--format xlsx needs --out FILE", 2)
    level = DEFAULT_THRESHOLD if threshold is None else threshold
    taxonomy = load_taxonomy(taxonomy_file)
    with open_workspace(settings_for(ctx, graph)) as ws:
        problems = common_problems(
            issue_facts(ws.store),
            ws.index,
            taxonomy,
            threshold=level,
            min_units=min_units,
            unit_filter=tuple(unit_filter or ()),
        )
    if fmt == CommonFormat.xlsx:
        from ikg.analysis.export import write_common_xlsx

        assert out is not None
        rows = write_common_xlsx(problems, out)
        note(f"{out}: {len(problems)} 个共性问题，{rows} 行")
        return
    render.common(problems, OutputFormat(fmt.value), level)


@command(app, "recurrence")
def recurrence_cmd(
    ctx: typer.Context,
    unit: str | None = UNIT_OPTION,
    threshold: float | None = typer.Option(
        None, "--threshold", help="Centred cosine for a repeat (default: see README)."
    ),
    graph: str | None = GRAPH_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """屡查屡犯: issues of a unit's later round that repeat one of an earlier round; 强 when the earlier
    one was reported completed.

    Example: ikg recurrence --unit 惠东县
    """
    from ikg.analysis.facts import issue_facts
    from ikg.analysis.recurrence import DEFAULT_THRESHOLD, recurrences

    level = DEFAULT_THRESHOLD if threshold is None else threshold
    with open_workspace(settings_for(ctx, graph)) as ws:
        # every issue feeds the centring mean; the unit filter applies to the result
        found = recurrences(issue_facts(ws.store), ws.index, threshold=level)
    if unit:
        found = [u for u in found if unit in u.unit]
    render.recurrence(found, fmt, level)


@command(measures_app, "check")
def measures_check_cmd(
    ctx: typer.Context,
    unit: str | None = UNIT_OPTION,
    all_issues: bool = typer.Option(False, "--all", help="Also list issues whose rectification looks real."),
    graph: str | None = GRAPH_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Weak rectifications: no deadline, no one responsible, or only meetings/study/talks/new rules.

    Example: ikg measures check --unit 总工会
    """
    from ikg.analysis.facts import issue_facts
    from ikg.analysis.measure_check import check_measures

    with open_workspace(settings_for(ctx, graph)) as ws:
        checks = check_measures(issue_facts(ws.store, unit), include_ok=all_issues)
    render.measure_checks(checks, fmt)
