"""The `ikg` console command: global options, then one module of commands per area."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import typer

from ikg.cli.core import app

HOME_OPTION: Any = typer.Option(
    None, "--home", envvar="IKG_HOME", help="Data folder (graph, index, model). Default ~/.local/share/ikg."
)


@app.callback()
def main_callback(
    ctx: typer.Context,
    home: Path | None = HOME_OPTION,
    graph: str | None = typer.Option(None, "--graph", "-g", help="embedded (default) or neo4j."),
    neo4j_uri: str | None = typer.Option(None, "--neo4j-uri", help="bolt://host:7687 (or NEO4J_URI)."),
    neo4j_user: str | None = typer.Option(None, "--neo4j-user", help="Or NEO4J_USER."),
    neo4j_password: str | None = typer.Option(None, "--neo4j-password", help="Or NEO4J_PASSWORD."),
    neo4j_database: str | None = typer.Option(None, "--neo4j-database", help="Or NEO4J_DATABASE."),
    model: str | None = typer.Option(
        None, "--model", help="Embedding model name or local path (or IKG_MODEL)."
    ),
) -> None:
    """Inspection knowledge graph for 巡视/巡察整改情况通报.

    Example: ikg ingest examples/reports && ikg similar 财务报销手续不全
    """
    ctx.meta["ikg_flags"] = {
        "home": home,
        "graph": graph,
        "neo4j_uri": neo4j_uri,
        "neo4j_user": neo4j_user,
        "neo4j_password": neo4j_password,
        "neo4j_database": neo4j_database,
        "model": model,
    }


def build_app() -> typer.Typer:
    """The app with every command registered (command modules register themselves on import)."""
    from ikg.cli import admin_cmd, browse_cmd, export_cmd, ingest_cmd, search_cmd, serve_cmd  # noqa: F401

    return app


def main() -> None:
    build_app()
    # Third-party readers log recoverable oddities (a PDF xref repaired, an HTML block dropped); the
    # analyst sees ikg's own errors instead.
    logging.basicConfig(level=logging.ERROR, format="ikg: %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on itself at import
    app()
