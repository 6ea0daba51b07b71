"""The CLI on the Neo4j store (a real Bolt server): the same answers as on the embedded store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

pytestmark = pytest.mark.bolt

Ikg = Callable[..., Result]


def _json(result: Result) -> object:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_neo4j_store_answers_like_the_embedded_one(neo4j_env: None, ikg: Ikg, corpus_dir: Path) -> None:
    for graph in ("embedded", "neo4j"):
        summary = _json(ikg("ingest", str(corpus_dir), "--graph", graph, "--no-index", "--format", "json"))
        assert summary["reports"]["new"] == 5  # type: ignore[index]
    again = _json(ikg("ingest", str(corpus_dir), "--graph", "neo4j", "--no-index", "--format", "json"))
    assert again["reports"]["unchanged"] == 5  # type: ignore[index]
    for command in (["stats"], ["units"], ["regs"], ["regs", "show", "三重一大"]):
        embedded = _json(ikg(*command, "--graph", "embedded", "--format", "json"))
        neo4j = _json(ikg(*command, "--graph", "neo4j", "--format", "json"))
        assert neo4j == embedded, command
    result = ikg("delete", "003_230e05e8743505ae.txt", "--graph", "neo4j", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert _json(ikg("stats", "--graph", "neo4j", "--format", "json"))["reports"] == 4  # type: ignore[index]


def test_unreachable_neo4j_is_a_clear_error(ikg: Ikg, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    result = ikg("stats", "--graph", "neo4j")
    assert result.exit_code == 3  # README: store unreachable
    assert "bolt://127.0.0.1:9" in result.stderr and result.stderr.startswith("ikg: error:")


def test_doctor_and_repair_on_neo4j(neo4j_env: None, tmp_path: Path, corpus_dir: Path) -> None:
    """Graph/index agreement, the pending marker and --repair are the same on a Bolt server."""
    import os
    import subprocess
    import sys

    from ikg.search.embedder import bundled_minilm_path

    env = {**os.environ, "IKG_HOME": str(tmp_path / "home"), "IKG_MODEL": str(bundled_minilm_path())}

    def ikg(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(Path(sys.executable).with_name("ikg")), "--graph", "neo4j", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    assert ikg("ingest", str(corpus_dir), "--no-index").returncode == 0
    doctor = ikg("doctor", "--format", "json")
    assert doctor.returncode == 1 and len(json.loads(doctor.stdout)["unindexed_reports"]) == 5
    assert "Traceback" not in doctor.stderr
    repaired = ikg("doctor", "--repair", "--format", "json")
    assert repaired.returncode == 0, repaired.stderr
    assert json.loads(repaired.stdout)["ok"] and json.loads(repaired.stdout)["graph_bytes"] is None
