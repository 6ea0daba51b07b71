"""The typer app, shared options, and the one place that maps `IkgError` to `ikg: error: …` + exit code."""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import typer

from ikg.graph.errors import ExitCode, IkgError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="ikg",
    help=(
        "Inspection knowledge graph: parse 巡视/巡察整改情况通报, build a graph, search similar problems.\n\n"
        "Example: ikg ingest examples/reports && ikg similar 财务报销不规范"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


FORMAT_OPTION: Any = typer.Option(
    OutputFormat.table, "--format", "-f", help="table for people, json for scripts."
)


def fail(message: str, code: int = ExitCode.FAILED) -> typer.Exit:
    """Print `ikg: error: message` to stderr and return the Exit to raise."""
    print(f"ikg: error: {message}", file=sys.stderr)
    return typer.Exit(code)


def guarded(func: F) -> F:
    """Wrap a command so its `IkgError`s become `ikg: error: <message>` with the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kw: Any) -> Any:
        try:
            return func(*args, **kw)
        except IkgError as exc:
            raise fail(str(exc), exc.exit_code) from exc
        except KeyboardInterrupt as exc:
            # graph writes are whole reports per transaction; what else to do is `ikg doctor`'s to say
            message = "interrupted; run 'ikg doctor' to check graph and index"
            raise fail(message, ExitCode.INTERRUPTED) from exc

    return wrapper  # type: ignore[return-value]


# Store and model flags: accepted by the app (before the subcommand) and by every command (after it);
# values given after the subcommand win. `settings_for` merges the layers.
STORE_OPTIONS: dict[str, Any] = {
    # IKG_HOME is read by resolve_settings, not here: an option's envvar would fill the command's layer
    # and beat a --home given before the subcommand.
    "home": typer.Option(
        None, "--home", help="Data folder: graph, index, model (or IKG_HOME). Default ~/.local/share/ikg."
    ),
    "graph": typer.Option(
        None, "--graph", "-g", help="Graph store: embedded (default, under IKG_HOME) or neo4j (NEO4J_URI…)."
    ),
    "neo4j_uri": typer.Option(None, "--neo4j-uri", help="bolt://host:7687 (or NEO4J_URI)."),
    "neo4j_user": typer.Option(None, "--neo4j-user", help="Or NEO4J_USER."),
    "neo4j_password": typer.Option(None, "--neo4j-password", help="Or NEO4J_PASSWORD."),
    "neo4j_database": typer.Option(None, "--neo4j-database", help="Or NEO4J_DATABASE."),
    "model": typer.Option(None, "--model", help="Embedding model name or local path (or IKG_MODEL)."),
}
FLAG_LAYERS = "ikg_flag_layers"  # ctx.meta key (meta is shared by every context of one invocation)


def push_flags(ctx: typer.Context, flags: dict[str, Any]) -> None:
    """Record one layer of store flags (app callback, group callback, command); later layers win."""
    ctx.meta.setdefault(FLAG_LAYERS, []).append(flags)


def with_store_options(func: F) -> F:
    """`func` with every store flag it does not declare itself added as an option; they are recorded with
    `push_flags` and not passed on. A `graph` parameter the command declares is recorded too, and passed."""
    signature = inspect.signature(func)
    own = signature.parameters
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=str | None)
        for name, default in STORE_OPTIONS.items()
        if name not in own
    ]
    ctx_name = next((n for n, p in own.items() if p.annotation in (typer.Context, "typer.Context")), None)
    params = list(own.values())
    if ctx_name is None:
        ctx_param = inspect.Parameter(
            "_ikg_ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
        )
        params.insert(0, ctx_param)
    params += extra

    @functools.wraps(func)
    def wrapper(*args: Any, **kw: Any) -> Any:
        ctx = kw.pop("_ikg_ctx") if ctx_name is None else kw[ctx_name]
        flags = {name: kw.pop(name) for name in STORE_OPTIONS if name not in own}
        if "graph" in own:
            flags["graph"] = kw["graph"]
        push_flags(ctx, flags)
        return func(*args, **kw)

    wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def command(group: typer.Typer, name: str, **kwargs: Any) -> Callable[[F], F]:
    """Register a guarded command on `group`, with the shared store options."""

    def decorate(func: F) -> F:
        group.command(name, **kwargs)(guarded(with_store_options(func)))
        return func

    return decorate
