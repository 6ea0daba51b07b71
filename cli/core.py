"""The typer app, shared options, and the one place that maps `IkgError` to `ikg: error: …` + exit code."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import typer

from ikg.graph.errors import IkgError

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


def fail(message: str, code: int = 1) -> typer.Exit:
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

    return wrapper  # type: ignore[return-value]


def command(group: typer.Typer, name: str, **kwargs: Any) -> Callable[[F], F]:
    """Register a guarded command on `group`."""

    def decorate(func: F) -> F:
        group.command(name, **kwargs)(guarded(func))
        return func

    return decorate
