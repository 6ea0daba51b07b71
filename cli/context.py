"""Settings for a command: the store flags given before and after the subcommand, resolved once."""

from __future__ import annotations

from typing import Any

import typer

from ikg.app.settings import Settings, resolve_settings
from ikg.cli.core import FLAG_LAYERS, STORE_OPTIONS

GRAPH_OPTION: Any = STORE_OPTIONS["graph"]


def settings_for(ctx: typer.Context, graph: str | None = None) -> Settings:
    """Settings from every layer of flags (app, group, command: the last given wins), `graph` over all."""
    flags: dict[str, Any] = dict.fromkeys(STORE_OPTIONS)
    for layer in ctx.meta.get(FLAG_LAYERS, []):
        flags.update({k: v for k, v in layer.items() if v is not None})
    if graph is not None:
        flags["graph"] = graph
    key = tuple(sorted(flags.items()))
    cache: dict[Any, Settings] = ctx.meta.setdefault("ikg_settings", {})
    if key not in cache:
        cache[key] = resolve_settings(**flags)
    return cache[key]
