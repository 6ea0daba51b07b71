"""CLI fixtures: the real app, an empty IKG_HOME per test, and gold figures to compare with."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from ikg.cli.app import build_app


@pytest.fixture(scope="session")
def app() -> typer.Typer:
    return build_app()


@pytest.fixture(scope="session")
def gold_docs(gold_dir: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """Gold JSON per corpus file name."""
    return {
        p.stem + ".txt": json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("0*.json"))
    }


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "ikg-home"


@pytest.fixture
def ikg(app: typer.Typer, home: Path) -> Callable[..., Result]:
    """Run `ikg ARGS...` in-process against an empty IKG_HOME; returns click's Result (stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str, home_dir: Path | None = None) -> Result:
        env = {"IKG_HOME": str(home_dir or home), "COLUMNS": "250"}
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run
