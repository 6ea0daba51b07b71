"""The `ikg` console command: global options, then one module of commands per area."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from typing import Any

import typer

from ikg.cli.core import STORE_OPTIONS, app, push_flags


@app.callback()
def main_callback(
    ctx: typer.Context,
    home: str | None = STORE_OPTIONS["home"],
    graph: str | None = STORE_OPTIONS["graph"],
    neo4j_uri: str | None = STORE_OPTIONS["neo4j_uri"],
    neo4j_user: str | None = STORE_OPTIONS["neo4j_user"],
    neo4j_password: str | None = STORE_OPTIONS["neo4j_password"],
    neo4j_database: str | None = STORE_OPTIONS["neo4j_database"],
    model: str | None = STORE_OPTIONS["model"],
) -> None:
    """Inspection knowledge graph for 巡视/巡察整改情况通报.

    Store flags (--home, --graph, --neo4j-*, --model) go before or after the command.
    Example: ikg ingest examples/reports && ikg similar 财务报销手续不全
    """
    push_flags(
        ctx,
        {
            "home": home,
            "graph": graph,
            "neo4j_uri": neo4j_uri,
            "neo4j_user": neo4j_user,
            "neo4j_password": neo4j_password,
            "neo4j_database": neo4j_database,
            "model": model,
        },
    )


def build_app() -> typer.Typer:
    """The app with every command registered (command modules register themselves on import)."""
    from ikg.cli import (  # noqa: F401
        admin_cmd,
        analysis_cmd,
        browse_cmd,
        export_cmd,
        ingest_cmd,
        search_cmd,
        serve_cmd,
    )

    return app


def _redeliver_interrupt(unraisable: Any) -> None:
    """LadybugDB asks Python for the SIGINT handler before each query; a Ctrl-C landing in that call is
    'ignored' with a traceback, and lost. Send it again once the hook has returned (a signal raised in the
    hook would be raised inside it, and ignored again), to be handled as any Ctrl-C."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        threading.Timer(0.01, os.kill, (os.getpid(), signal.SIGINT)).start()
    else:
        sys.__unraisablehook__(unraisable)


def main() -> None:
    build_app()
    sys.unraisablehook = _redeliver_interrupt
    # Third-party readers log recoverable oddities (a PDF xref repaired, an HTML block dropped); the
    # analyst sees ikg's own errors instead.
    logging.basicConfig(level=logging.ERROR, format="ikg: %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on itself at import
    for handler in logging.getLogger().handlers:  # ... after this line, so the handler filters too
        handler.setLevel(logging.ERROR)
    app()
