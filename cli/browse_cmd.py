"""`ikg stats`, `ikg units`, `ikg regs`, `ikg issue show`: browse the graph, regulations both ways."""

from __future__ import annotations

from typing import Any

import typer

from ikg.app.workspace import open_workspace
from ikg.cli import render
from ikg.cli.context import GRAPH_OPTION, settings_for
from ikg.cli.core import FORMAT_OPTION, OutputFormat, app, command, fail, guarded, with_store_options
from ikg.graph.errors import ExitCode
from ikg.search.query import check_given

regs_app = typer.Typer(
    help="Regulations with how many issues/measures/units cite them. Example: ikg regs --unit 清远",
    invoke_without_command=True,
    no_args_is_help=False,
)
issue_app = typer.Typer(
    help="Show one issue. Example: ikg issue show --unit 惠东县总工会 --number 5", no_args_is_help=True
)
app.add_typer(regs_app, name="regs")
app.add_typer(issue_app, name="issue")

UNIT_FILTER: Any = typer.Option(None, "--unit", "-u", help="Only units whose name contains this, e.g. 清远.")


@command(app, "stats")
def stats_cmd(
    ctx: typer.Context, graph: str | None = GRAPH_OPTION, fmt: OutputFormat = FORMAT_OPTION
) -> None:
    """Counts of nodes per label and edges per type.

    Example: ikg stats --format json
    """
    with open_workspace(settings_for(ctx, graph)) as ws:
        stats = ws.store.stats()
    render.stats(stats, fmt)


@command(app, "units")
def units_cmd(
    ctx: typer.Context, graph: str | None = GRAPH_OPTION, fmt: OutputFormat = FORMAT_OPTION
) -> None:
    """Inspected units with their reports, issues and open (not completed) issues.

    Example: ikg units
    """
    with open_workspace(settings_for(ctx, graph)) as ws:
        units = ws.store.units()
    render.units(units, fmt)


def regs_cmd(
    ctx: typer.Context,
    unit: str | None = UNIT_FILTER,
    graph: str | None = GRAPH_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Regulations with how many issues, measures and units cite them.

    Example: ikg regs --unit 清远    (then: ikg regs show 会计法)
    """
    if ctx.invoked_subcommand is not None:
        return  # the store flags given here are recorded for the subcommand
    with open_workspace(settings_for(ctx, graph)) as ws:
        regs = ws.store.regulations(unit)
    render.regulations(regs, fmt)


regs_app.callback()(guarded(with_store_options(regs_cmd)))


@command(regs_app, "show")
def regs_show_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Title, alias or part of it: 会计法, 《党章》, 三重一大."),
    graph: str | None = GRAPH_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Issues and measures linked to a regulation, grouped by unit, with file and line.

    Example: ikg regs show 《会计法》
    """
    check_given(name, "regs show NAME")
    with open_workspace(settings_for(ctx, graph)) as ws:
        links = ws.regulation_links(name)
    render.regulation_links(links, fmt)


@command(issue_app, "show")
def issue_show_cmd(
    ctx: typer.Context,
    issue_id: str | None = typer.Argument(None, help="Issue id (iss_…), as printed by other commands."),
    unit: str | None = typer.Option(None, "--unit", "-u", help="Unit name or part of it."),
    number: str | None = typer.Option(None, "--number", "-n", help="Issue number as printed."),
    graph: str | None = GRAPH_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """An issue with its category, report, unit, measures, regulations, status and provenance.

    Example: ikg issue show --unit 惠东县总工会 --number 5
    """
    if issue_id is None and not (unit and number):
        raise fail("give an issue id, or --unit and --number", ExitCode.BAD_INPUT)
    if issue_id is not None:
        check_given(issue_id, "issue show ID")
    with open_workspace(settings_for(ctx, graph)) as ws:
        details = ws.issue_details(issue_id, unit, number)
    render.issue_details(details, fmt)
