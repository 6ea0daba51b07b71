"""`ikg export` and `ikg import-csv`: the graph as files analysts open in Excel, Gephi or Neo4j, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ikg.app.export.job import export_graph, import_folder
from ikg.app.workspace import open_workspace
from ikg.cli import render
from ikg.cli.context import GRAPH_OPTION, settings_for
from ikg.cli.core import FORMAT_OPTION, OutputFormat, app, command

EXPORT_FORMAT: Any = typer.Option(
    ..., "--format", "-f", help="xlsx (整改台账), graphml, gexf, neo4j-csv (a folder) or jsonl."
)
EXPORT_UNIT: Any = typer.Option(None, "--unit", "-u", help="Only this inspected unit (name or alias).")
FORCE: Any = typer.Option(False, "--force", help="Replace OUT if it exists.")
SUMMARY_FORMAT: Any = typer.Option(OutputFormat.table, "--summary", help="table or json: how to report.")


@command(app, "export", no_args_is_help=True)
def export_cmd(
    ctx: typer.Context,
    out: Path = typer.Argument(..., metavar="OUT", help="File to write (neo4j-csv: a folder)."),
    fmt: str = EXPORT_FORMAT,
    unit: str | None = EXPORT_UNIT,
    force: bool = FORCE,
    graph: str | None = GRAPH_OPTION,
    summary: OutputFormat = SUMMARY_FORMAT,
) -> None:
    """Export the graph, or one unit's part, for Excel, Gephi, Neo4j or scripts.

    Example: ikg export --format xlsx 整改台账.xlsx --unit 惠东县总工会
    """
    with open_workspace(settings_for(ctx, graph)) as ws, _phases() as bar:
        task = bar.add_task("导出", total=None)
        result = export_graph(
            ws.store,
            fmt,
            out,
            unit=unit,
            force=force,
            on_phase=lambda text: bar.update(task, description=text),
        )
    render.export_summary(result, summary)


@command(app, "import-csv", no_args_is_help=True)
def import_csv_cmd(
    ctx: typer.Context,
    folder: Path = typer.Argument(
        ..., metavar="FOLDER", help="A folder ikg export --format neo4j-csv wrote."
    ),
    graph: str | None = GRAPH_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Load a neo4j-csv export into an empty graph (all or nothing); then run ikg reindex.

    Example: IKG_HOME=/tmp/copy ikg import-csv graph-csv/
    """
    with open_workspace(settings_for(ctx, graph), write="import-csv") as ws:
        dump = import_folder(ws.store, folder)
    render.import_summary(folder, len(dump.nodes), len(dump.edges), fmt)


def _phases() -> Progress:
    """A spinner with the phase and elapsed time on stderr (nothing when stderr is not a terminal)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=render.err_console,
        transient=True,
        disable=not render.err_console.is_terminal,
    )
