"""`ikg reindex` and `ikg doctor`: rebuild the derived index, check that graph and index agree."""

from __future__ import annotations

import typer

from ikg.app.workspace import open_workspace
from ikg.cli import render
from ikg.cli.context import GRAPH_OPTION, settings_for
from ikg.cli.core import FORMAT_OPTION, OutputFormat, app, command


@command(app, "reindex")
def reindex_cmd(
    ctx: typer.Context, graph: str | None = GRAPH_OPTION, fmt: OutputFormat = FORMAT_OPTION
) -> None:
    """Rebuild the vector and BM25 index from the graph (after changing --model, or if doctor says so).

    Example: ikg reindex
    """
    with open_workspace(settings_for(ctx, graph)) as ws:
        result = ws.sync(rebuild=True)
    render.index_sync(result, fmt)


@command(app, "doctor")
def doctor_cmd(
    ctx: typer.Context, graph: str | None = GRAPH_OPTION, fmt: OutputFormat = FORMAT_OPTION
) -> None:
    """Check that the graph and the index agree; exit 1 if they do not.

    Example: ikg doctor
    """
    with open_workspace(settings_for(ctx, graph)) as ws:
        check = ws.check()
    render.index_check(check, fmt)
    if not check.ok:
        raise typer.Exit(1)
