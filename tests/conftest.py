"""Shared by every test folder: the example reports, the in-repo copy of the gold, the Bolt server and an
empty store of each kind."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from neo4j import GraphDatabase

from ikg.graph.base import CypherStore
from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.neo4j_store import Neo4jStore

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "reports"
GOLD = REPO / "tests" / "fixtures" / "gold"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD


def _bolt_module() -> ModuleType:
    name = "ikg_tests_graph_bolt_server"  # the name tests/graph/conftest.py loads it under: one copy
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "graph" / "bolt_server.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The Neo4j of IKG_TEST_NEO4J_URI (+ _USER, _PASSWORD, _DATABASE), else an ArcadeDB Bolt server.

    If the server cannot start the tests fail; they never skip. Every Bolt test wipes its database.
    """
    bolt = _bolt_module()
    uri = os.environ.get("IKG_TEST_NEO4J_URI")
    if uri:
        yield bolt.BoltServer(
            uri=uri,
            user=os.environ.get("IKG_TEST_NEO4J_USER", "neo4j"),
            password=os.environ.get("IKG_TEST_NEO4J_PASSWORD", ""),
            database=os.environ.get("IKG_TEST_NEO4J_DATABASE") or None,
            process=None,
            log=None,
        )
        return
    server = bolt.start_bolt_server(tmp_path_factory.mktemp("arcadedb"))  # raises, so the tests fail loudly
    try:
        yield server
    finally:
        server.stop()


def wiped_neo4j_store(server: object) -> Neo4jStore:
    """A Neo4jStore on an emptied database (the schema constraints stay; they are idempotent)."""
    driver = GraphDatabase.driver(server.uri, auth=(server.user, server.password))  # type: ignore[attr-defined]
    with driver.session(database=server.database) as session:  # type: ignore[attr-defined]
        session.run("MATCH (n) DETACH DELETE n").consume()
    return Neo4jStore(driver, database=server.database)  # type: ignore[attr-defined]


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.bolt)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CypherStore]:
    """An empty store of each kind: the embedded LadybugDB and the Bolt server (the contract's two)."""
    if request.param == "embedded":
        s: CypherStore = LadybugStore(tmp_path / "graph")
    else:
        s = wiped_neo4j_store(request.getfixturevalue("bolt_server"))
    try:
        yield s
    finally:
        s.close()


HomeMaker = Callable[[Path, str], tuple[Path, Path]]


@pytest.fixture(scope="session")
def home_beside_reports(tmp_path_factory: pytest.TempPathFactory) -> HomeMaker:
    """`make(corpus, name) -> (home, reports)`: an empty IKG_HOME whose default model links to the converted
    e5 of the test cache (built at most once per machine), and beside it `reports`, a copy of `corpus`, in a
    folder of its own (`name`), so that modules copying reports never meet."""
    from ikg.search.e5_convert import default_model_dir, ensure_e5_model
    from ikg.search.passage_model import derived_dir
    from ikg.search.precision import store_choice

    def make(corpus: Path, name: str) -> tuple[Path, Path]:
        cache = Path(os.environ.get("IKG_TEST_CACHE", Path.home() / ".cache" / "ikg-test"))
        home = tmp_path_factory.mktemp(name) / "home"
        target = default_model_dir(home)
        target.parent.mkdir(parents=True)
        target.symlink_to(ensure_e5_model(default_model_dir(cache)), target_is_directory=True)
        # `auto` is fixed to int8 here (onnxruntime: deterministic, and what the timing chose when the CLI
        # tests' expectations were written): timed per home, it chose whichever precision the loaded machine
        # ran fastest at that moment, and borderline rankings then differed between runs of the same test.
        store_choice(derived_dir(target, home), {"int8": 1.0})
        reports = home.parent / "reports"
        shutil.copytree(corpus, reports)
        return home, reports

    return make


@pytest.fixture
def neo4j_env(bolt_server: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The NEO4J_* settings of the Bolt server, on an emptied database, for CLI runs with --graph neo4j."""
    server = bolt_server
    driver = GraphDatabase.driver(server.uri, auth=(server.user, server.password))  # type: ignore[attr-defined]
    with driver, driver.session(database=server.database) as session:  # type: ignore[attr-defined]
        session.run("MATCH (n) DETACH DELETE n").consume()
    monkeypatch.setenv("NEO4J_URI", server.uri)  # type: ignore[attr-defined]
    monkeypatch.setenv("NEO4J_USER", server.user)  # type: ignore[attr-defined]
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)  # type: ignore[attr-defined]
    if server.database:  # type: ignore[attr-defined]
        monkeypatch.setenv("NEO4J_DATABASE", server.database)  # type: ignore[attr-defined]
