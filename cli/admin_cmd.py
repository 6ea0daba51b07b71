"""`ikg reindex`, `ikg doctor`, `ikg rebuild`: rebuild the derived index, check and repair graph and index."""

from __future__ import annotations

from typing import Any

import typer

from ikg.app.workspace import Diagnosis, open_workspace, rebuild
from ikg.cli import render
from ikg.cli.context import GRAPH_OPTION, settings_for
from ikg.cli.core import FORMAT_OPTION, OutputFormat, app, command
from ikg.cli.ingest_cmd import progress

MIB = 1 << 20


@command(app, "reindex")
def reindex_cmd(
    ctx: typer.Context, graph: str | None = GRAPH_OPTION, fmt: OutputFormat = FORMAT_OPTION
) -> None:
    """Rebuild the vector and BM25 index from the graph (after changing --model, or if doctor says so).

    Example: ikg reindex
    """
    from ikg.app import guard

    settings = settings_for(ctx, graph)
    with open_workspace(settings, write="reindex") as ws:
        result = ws.sync(rebuild=True)
        guard.clear_pending(settings.home)
    render.index_sync(result, fmt)


@command(app, "doctor")
def doctor_cmd(
    ctx: typer.Context,
    graph: str | None = GRAPH_OPTION,
    repair: bool = typer.Option(
        False,
        "--repair",
        help="Embed what the index lacks, drop entries with no node; exit 0 if clean after.",
    ),
    compact: bool = typer.Option(
        False, "--compact", help="Reclaim the space deletes left in the embedded graph file."
    ),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Check that the graph and the index agree and name what is missing; exit 1 if they do not.

    Example: ikg doctor; ikg doctor --repair; ikg doctor --compact
    """
    settings = settings_for(ctx, graph)
    if compact and settings.store.kind == "embedded" and settings.store.path is not None:
        from ikg.app import guard
        from ikg.graph.compact import compact as compact_store

        with guard.writer_lock(settings.home, "doctor --compact"):
            done = compact_store(settings.store.path)
        render.err_console.print(
            f"压缩图数据库: {done.before / MIB:.1f} MiB -> {done.after / MIB:.1f} MiB "
            f"({done.nodes} nodes, {done.edges} edges)"
        )
    if repair:
        with open_workspace(settings, write="doctor --repair") as ws, progress(fmt) as bar:
            task = bar.add_task("修复索引", total=None)
            ws.repair(on_progress=lambda done, total: bar.update(task, completed=done, total=total))
    with open_workspace(settings) as ws:
        found = ws.diagnose(space=not compact)
    _render(found, fmt)
    if not found.ok:
        raise typer.Exit(1)


def _render(d: Diagnosis, fmt: OutputFormat) -> None:
    payload: dict[str, Any] = {
        "ok": d.ok,
        "index": render.to_jsonable(d.index) if d.index else None,
        "index_problem": d.index_problem,
        "unindexed_reports": list(d.unindexed_reports),
        "pending": render.to_jsonable(d.pending) if d.pending else None,
        "writer": d.writer,
        "graph_bytes": d.graph_bytes,
        "reclaimable_bytes": d.reclaimable if d.graph_bytes is not None else None,
    }

    def draw() -> None:
        rows: list[tuple[str, Any]] = []
        if d.index is not None:
            rows += [(f"missing from index ({k})", v) for k, v in d.index.missing.items()]
            rows += [(f"stale in index ({k})", v) for k, v in d.index.stale.items()]
            rows += [
                ("graph fingerprint matches", "yes" if d.index.fingerprint_matches else "no"),
                ("model", d.index.model),
            ]
        else:
            rows.append(("index", d.index_problem))
        if d.pending is not None:
            rows.append(("interrupted write", f"{d.pending.command} (PID {d.pending.pid})"))
        if d.writer is not None:
            rows.append(("running now", d.writer))
        if d.graph_bytes is not None:
            rows.append(("graph size", f"{d.graph_bytes / MIB:.1f} MiB"))
            rows.append(("reclaimable", f"{d.reclaimable / MIB:.1f} MiB"))
        render.table("doctor", ["check", "result"], rows)
        for file in d.unindexed_reports:
            render.console.print(f"not in the index: {render.short_path(file)}")
        if d.worth_compacting:
            render.console.print("the graph file holds space left by deletes: run 'ikg doctor --compact'")
        render.console.print("ok" if d.ok else "graph and index disagree: run 'ikg doctor --repair'")

    render.emit(fmt, payload, draw)


@command(app, "rebuild")
def rebuild_cmd(
    ctx: typer.Context,
    no_index: bool = typer.Option(
        False, "--no-index", help="Rebuild the graph only; run 'ikg reindex' later."
    ),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Move a damaged embedded graph aside and re-ingest its reports from their recorded files.

    The old graph and index go to IKG_HOME/broken-<time>/; files that no longer exist are listed.
    Example: ikg rebuild
    """
    settings = settings_for(ctx)
    with progress(fmt) as bar:
        task = bar.add_task("rebuild", total=None)
        result = rebuild(
            settings,
            index=not no_index,
            on_start=lambda n: bar.update(task, total=n),
            on_file=lambda p: bar.update(task, advance=1, description=p.name),
            on_embed=lambda done, total: bar.update(task, completed=done, total=total, description="嵌入"),
        )
    payload = {
        "moved_to": str(result.moved_to),
        "reingested": len(result.reingested.graph.written) if result.reingested else 0,
        "failed": [render.to_jsonable(f) for f in result.reingested.graph.failures]
        if result.reingested
        else [],
        "lost": list(result.lost),
    }

    def draw() -> None:
        render.console.print(f"旧数据已移至 {result.moved_to}")
        if result.reingested is not None:
            render.ingest_result(result.reingested, fmt)
        for file in result.lost:
            render.console.print(f"文件已不存在, 未能重建: {file}")

    render.emit(fmt, payload, draw)
    if result.lost or (result.reingested and result.reingested.graph.failures):
        raise typer.Exit(1)
