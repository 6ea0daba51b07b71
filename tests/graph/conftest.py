"""Fixtures for the graph store tests: a real Bolt server for the session, and a fresh store per test.

`bolt_server` is the Neo4j named by IKG_TEST_NEO4J_URI (+ _USER, _PASSWORD, _DATABASE) when set, else an
ArcadeDB server with its Bolt plugin started from the installed `arcadedb-embedded` package. If that cannot
start the tests fail; they never skip. WARNING: every Bolt test wipes the database it is given.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from neo4j import GraphDatabase

from ikg.graph.base import CypherStore
from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.neo4j_store import Neo4jStore


def load_helper(name: str) -> ModuleType:
    """Import a helper module of this folder by path (test folders are not packages)."""
    module_name = f"ikg_tests_graph_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


bolt = load_helper("bolt_server")


@pytest.fixture(scope="session")
def factory() -> ModuleType:
    return load_helper("factory")


@pytest.fixture(scope="session")
def crash_writer() -> ModuleType:
    return load_helper("crash_writer")


def wiped_neo4j_store(server: object) -> Neo4jStore:
    """A Neo4jStore on an emptied database (the schema constraints stay; they are idempotent)."""
    driver = GraphDatabase.driver(server.uri, auth=(server.user, server.password))  # type: ignore[attr-defined]
    with driver.session(database=server.database) as session:  # type: ignore[attr-defined]
        session.run("MATCH (n) DETACH DELETE n").consume()
    return Neo4jStore(driver, database=server.database)  # type: ignore[attr-defined]


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.bolt)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CypherStore]:
    if request.param == "embedded":
        s: CypherStore = LadybugStore(tmp_path / "graph")
    else:
        s = wiped_neo4j_store(request.getfixturevalue("bolt_server"))
    try:
        yield s
    finally:
        s.close()
