"""`ikg parse`, `ikg ingest`, `ikg delete`: from report files to the graph and back."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ikg.app.workspace import open_workspace
from ikg.cli import render
from ikg.cli.context import GRAPH_OPTION, settings_for
from ikg.cli.core import FORMAT_OPTION, OutputFormat, app, command
from ikg.ingest.job import parse_paths
from ikg.search.query import check_given

PATHS_ARG: Any = typer.Argument(
    ..., help="Report files or folders (txt, md, html, pdf, docx), walked recursively."
)


class ParseFormat(StrEnum):
    json = "json"
    text = "text"


@command(app, "parse")
def parse_cmd(
    paths: list[Path] = PATHS_ARG,
    fmt: ParseFormat = typer.Option(
        ParseFormat.json, "--format", "-f", help="json: one object per line; text: outline."
    ),
) -> None:
    """Parse reports and print what was extracted; nothing is written.

    Example: ikg parse examples/reports/000_07052eb1f8f2edde.txt --format text
    """
    failed = 0
    for outcome in parse_paths(paths):
        if outcome.error is not None:
            failed += 1
            render.error(outcome.error)
        elif outcome.note is not None:
            render.note(outcome.note)
        elif outcome.document is not None:
            render.document(outcome.document, fmt.value)
    if failed:
        raise typer.Exit(1)


@command(app, "ingest")
def ingest_cmd(
    ctx: typer.Context,
    paths: list[Path] = PATHS_ARG,
    graph: str | None = GRAPH_OPTION,
    no_index: bool = typer.Option(False, "--no-index", help="Write the graph only; run 'ikg reindex' later."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Parse reports and write them into the graph and the search index.

    Re-ingesting an unchanged file changes nothing; a changed file replaces its report atomically.
    Example: ikg ingest examples/reports
    """
    settings = settings_for(ctx, graph)
    with open_workspace(settings) as ws, _progress(fmt) as bar:
        task = bar.add_task("ingest", total=None)
        result = ws.ingest(
            paths,
            on_start=lambda n: bar.update(task, total=n),
            on_file=lambda p: bar.update(task, advance=1, description=p.name),
            index=not no_index,
            on_embed=lambda done, total: bar.update(task, completed=done, total=total, description="嵌入"),
            on_ocr_page=lambda path, done, total: bar.update(
                task, description=f"{path.name} OCR 第 {done}/{total} 页"
            ),
        )
    render.ingest_result(result, fmt)
    if result.graph.failures:
        raise typer.Exit(1)


@command(app, "delete")
def delete_cmd(
    ctx: typer.Context,
    report: str = typer.Argument(..., help="Report id (rep_…), file path or file name."),
    graph: str | None = GRAPH_OPTION,
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Remove a report and what only it referenced, from the graph and the index.

    Example: ikg delete 000_07052eb1f8f2edde.txt
    """
    check_given(report, "delete REPORT")
    with open_workspace(settings_for(ctx, graph)) as ws:
        summary = ws.delete(report)
    render.delete_summary(summary, fmt)


def _progress(fmt: OutputFormat) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=render.err_console,
        transient=True,
        disable=fmt == OutputFormat.json or not render.err_console.is_terminal,
    )
