"""`ikg serve`: the local web app over the same store and index as the other commands."""

from __future__ import annotations

import sys

import typer

from ikg.cli.context import GRAPH_OPTION, settings_for
from ikg.cli.core import app, command

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@command(app, "serve")
def serve_cmd(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; keep 127.0.0.1 unless you must."),
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="TCP port."),
    graph: str | None = GRAPH_OPTION,
) -> None:
    """A read-only web app in Chinese: overview, units, issues, regulations, search, graph explorer.

    Example: ikg serve --port 8765    (then open http://127.0.0.1:8765/)
    """
    import uvicorn

    from ikg.web.app import create_app

    settings = settings_for(ctx, graph)
    if host not in LOOPBACK:
        print(
            f"ikg: warning: serving on {host}: anyone who can reach this address can read the graph",
            file=sys.stderr,
        )
    print(f"ikg: serving http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
