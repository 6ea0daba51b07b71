"""The CLI on the Neo4j store (a real Bolt server): the same answers as on the embedded store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from typer.testing import Result

pytestmark = pytest.mark.bolt

Ikg = Callable[..., Result]


@pytest.fixture
def neo4j_env(bolt_server: object, monkeypatch: pytest.MonkeyPatch) -> None:
    server = bolt_server
    driver = GraphDatabase.driver(server.uri, auth=(server.user, server.password))  # type: ignore[attr-defined]
    with driver, driver.session(database=server.database) as session:  # type: ignore[attr-defined]
        session.run("MATCH (n) DETACH DELETE n").consume()
    monkeypatch.setenv("NEO4J_URI", server.uri)  # type: ignore[attr-defined]
    monkeypatch.setenv("NEO4J_USER", server.user)  # type: ignore[attr-defined]
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)  # type: ignore[attr-defined]
    if server.database:  # type: ignore[attr-defined]
        monkeypatch.setenv("NEO4J_DATABASE", server.database)  # type: ignore[attr-defined]


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
