"""Settings for a command: built once in the app callback, re-resolved when a command passes `--graph`."""

from __future__ import annotations

from typing import Any

import typer

from ikg.app.settings import Settings, resolve_settings

GRAPH_OPTION: Any = typer.Option(
    None, "--graph", "-g", help="Graph store: embedded (default, under IKG_HOME) or neo4j (NEO4J_URI…)."
)


def settings_for(ctx: typer.Context, graph: str | None = None) -> Settings:
    """The callback's settings, with the command's own `--graph` taking precedence."""
    root = ctx.find_root()
    flags: dict[str, Any] = root.meta["ikg_flags"]
    if graph is None:
        cached: Settings | None = root.meta.get("ikg_settings")
        if cached is None:
            cached = root.meta["ikg_settings"] = resolve_settings(**flags)
        return cached
    return resolve_settings(**{**flags, "graph": graph})
