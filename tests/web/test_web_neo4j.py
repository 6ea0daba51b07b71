"""Key pages over HTTP on the Neo4j store (a real ArcadeDB Bolt server): the same app, the same answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase
from typer.testing import CliRunner

from ikg.app.settings import resolve_settings
from ikg.cli.app import build_app
from ikg.web.app import create_app

pytestmark = pytest.mark.bolt


def test_pages_work_on_the_bolt_store(bolt_server: object, tmp_path: Path, corpus_dir: Path) -> None:
    s = bolt_server
    driver = GraphDatabase.driver(s.uri, auth=(s.user, s.password))  # type: ignore[attr-defined]
    with driver, driver.session(database=s.database) as session:  # type: ignore[attr-defined]
        session.run("MATCH (n) DETACH DELETE n").consume()
    env = {
        "IKG_HOME": str(tmp_path / "home"),
        "NEO4J_URI": s.uri,  # type: ignore[attr-defined]
        "NEO4J_USER": s.user,  # type: ignore[attr-defined]
        "NEO4J_PASSWORD": s.password,  # type: ignore[attr-defined]
        **({"NEO4J_DATABASE": s.database} if s.database else {}),  # type: ignore[attr-defined]
    }
    runner = CliRunner()
    app = build_app()
    result = runner.invoke(app, ["ingest", str(corpus_dir), "--graph", "neo4j", "--no-index"], env=env)
    assert result.exit_code == 0, result.stderr
    units_cli = json.loads(
        runner.invoke(app, ["units", "--graph", "neo4j", "--format", "json"], env=env).stdout
    )
    settings = resolve_settings(graph="neo4j", env=env)
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/units").json() == units_cli
        assert client.get("/").status_code == 200
        unit = client.get(f"/api/unit/{units_cli[0]['id']}").json()
        assert client.get(f"/unit/{units_cli[0]['id']}").status_code == 200
        issue = unit["categories"][0]["issues"][0]["issue"]
        page = client.get(f"/issue/{issue['id']}")
        assert page.status_code == 200 and issue["title"] in page.text and "<mark>" in page.text
        reg = client.get("/api/regs").json()[0]
        assert reg["title"] in client.get(f"/regulation/{reg['id']}").text
        hood = client.get("/api/graph/neighbours", params={"id": issue["id"]}).json()
        assert hood["total"] >= 1 and hood["center"]["id"] == issue["id"]
