"""Opening stores: configuration errors, unreachable servers, bad credentials, foreign or newer databases."""

from __future__ import annotations

import socket
from dataclasses import fields
from pathlib import Path
from types import ModuleType

import ladybug
import pytest
from neo4j import GraphDatabase

from ikg.graph.errors import ConfigError, StoreError
from ikg.graph.ladybug_store import DB_FILE, LadybugStore
from ikg.graph.model import Edge, Label, Rel, SourceSpan
from ikg.graph.neo4j_store import Neo4jStore
from ikg.graph.open import open_store
from ikg.graph.rows import edge_row, record_row, report_rows
from ikg.graph.schema import EDGE_PROPS, META_LABEL, NODE_TABLES, SCHEMA_VERSION, ladybug_ddl, neo4j_ddl
from ikg.graph.store import StoreConfig


@pytest.mark.parametrize(
    "cfg, message",
    [
        (StoreConfig(kind="sqlite"), "expected 'embedded' or 'neo4j'"),
        (StoreConfig(kind="embedded"), "needs a directory"),
        (StoreConfig(kind="neo4j"), "needs a URI"),
        (StoreConfig(kind="neo4j", uri="bolt://127.0.0.1:7687"), "needs a user and password"),
        (StoreConfig(kind="neo4j", uri="ftp://127.0.0.1:7687", user="neo4j", password="x"), "bad Neo4j URI"),
    ],
)
def test_bad_settings_raise_config_error(cfg: StoreConfig, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        open_store(cfg)


def test_unreachable_neo4j_names_the_uri() -> None:
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uri = f"bolt://127.0.0.1:{port}"
    with pytest.raises(StoreError, match=f"cannot reach Neo4j at {uri}.*check the server is running"):
        open_store(StoreConfig(kind="neo4j", uri=uri, user="neo4j", password="secret"))


@pytest.mark.bolt
def test_wrong_password_says_what_to_check(bolt_server: object) -> None:
    cfg = StoreConfig(kind="neo4j", uri=bolt_server.uri, user=bolt_server.user, password="wrong-password")  # type: ignore[attr-defined]
    with pytest.raises(StoreError, match="NEO4J_PASSWORD"):
        open_store(cfg)


@pytest.mark.bolt
def test_open_store_reaches_the_bolt_server(bolt_server: object, factory: ModuleType) -> None:
    server = bolt_server
    cfg = StoreConfig("neo4j", None, server.uri, server.user, server.password, server.database)  # type: ignore[attr-defined]
    store = open_store(cfg)
    try:
        store.write_report(factory.qingyuan())
        assert factory.qingyuan().report.id in {r.id for r in store.reports()}
    finally:
        store.close()


def test_embedded_store_reopens_with_its_data(tmp_path: Path, factory: ModuleType) -> None:
    cfg = StoreConfig(kind="embedded", path=tmp_path / "nested" / "graph")
    store = open_store(cfg)
    store.write_report(factory.huidong())
    stats = store.stats()
    store.close()
    again = open_store(cfg)
    try:
        assert again.stats() == stats
    finally:
        again.close()


def test_embedded_checkpoint_folds_the_log_into_the_file(tmp_path: Path, factory: ModuleType) -> None:
    store = LadybugStore(tmp_path / "graph")
    try:
        store.write_report(factory.huidong())
        log = tmp_path / "graph" / f"{DB_FILE}.wal"
        assert log.stat().st_size > 0  # below the checkpoint threshold the writes wait in the log
        store.checkpoint()
        assert not log.exists() or log.stat().st_size == 0
    finally:
        store.close()


def test_second_process_lock_is_a_store_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = LadybugStore(tmp_path / "graph")
    try:
        code = "from ikg.graph.ladybug_store import LadybugStore; LadybugStore('graph')"
        out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
        assert out.returncode != 0 and "StoreError" in out.stderr and "no other ikg process" in out.stderr
    finally:
        store.close()


def test_embedded_store_refuses_another_schema_version(tmp_path: Path) -> None:
    LadybugStore(tmp_path / "graph").close()
    db = ladybug.Database(str(tmp_path / "graph" / DB_FILE))
    conn = ladybug.Connection(db)
    conn.execute(f"MATCH (m:{META_LABEL}) SET m.version = $v", {"v": SCHEMA_VERSION + 1})
    conn.close()
    db.close()
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}.*re-ingest"):
        LadybugStore(tmp_path / "graph")


def test_embedded_store_refuses_a_foreign_database(tmp_path: Path) -> None:
    (tmp_path / "graph").mkdir()
    db = ladybug.Database(str(tmp_path / "graph" / DB_FILE))
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE Thing(id STRING, PRIMARY KEY (id))")
    conn.close()
    db.close()
    with pytest.raises(StoreError, match="not written by ikg"):
        LadybugStore(tmp_path / "graph")


@pytest.mark.bolt
def test_neo4j_store_refuses_another_schema_version(bolt_server: object) -> None:
    server = bolt_server
    driver = GraphDatabase.driver(server.uri, auth=(server.user, server.password))  # type: ignore[attr-defined]
    with driver.session(database=server.database) as session:  # type: ignore[attr-defined]
        session.run("MATCH (n) DETACH DELETE n").consume()
        session.run(f"CREATE (:{META_LABEL} {{key: 'schema', version: $v}})", v=SCHEMA_VERSION + 1).consume()
    try:
        with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}"):
            Neo4jStore(driver, database=server.database)  # type: ignore[attr-defined]
    finally:
        cleanup = GraphDatabase.driver(server.uri, auth=(server.user, server.password))  # type: ignore[attr-defined]
        with cleanup.session(database=server.database) as session:  # type: ignore[attr-defined]
            session.run("MATCH (n) DETACH DELETE n").consume()
        cleanup.close()


# --- the schema and the rows written into it move together -------------------------------------------------


def test_node_rows_have_exactly_the_schema_properties(factory: ModuleType) -> None:
    g = factory.huidong()
    records = {
        Label.REPORT: g.report, Label.ORGANIZATION: g.organizations[0], Label.INSPECTION: g.inspection,
        Label.CATEGORY: g.categories[0], Label.ISSUE: g.issues[0], Label.MEASURE: g.measures[0],
        Label.REGULATION: g.regulations[0], Label.PERSON: g.people[0],
    }  # fmt: skip
    bookkeeping = {"inspection_id", "organization_ids", "regulation_ids", "person_ids"}
    for label, record in records.items():
        schema = {p.name for p in NODE_TABLES[label].props} | {"id"}
        if label == Label.REPORT:
            schema -= bookkeeping
        assert set(record_row(record)) == schema, label
        has_source = any(f.name == "source" for f in fields(record))
        assert has_source == ({"span_start", "span_end", "line"} <= schema), label
    report_row = report_rows(g).nodes[Label.REPORT][0]
    assert bookkeeping <= set(report_row)


def test_edge_rows_have_exactly_the_schema_properties() -> None:
    row = edge_row(
        Edge(Rel.CITES, "iss_1", "reg_1", as_printed="《会计法》", source=SourceSpan("a.txt", 1, 5, 2)), "rep"
    )
    assert set(row) == {p.name for p in EDGE_PROPS} | {"src", "dst"}
    assert (row["file"], row["span_start"], row["span_end"], row["line"]) == ("a.txt", 1, 5, 2)


def test_ddl_covers_every_label_and_relationship() -> None:
    lady = "\n".join(ladybug_ddl())
    neo = "\n".join(neo4j_ddl())
    for label in Label:
        assert f"NODE TABLE IF NOT EXISTS {label}(" in lady and f"FOR (n:{label})" in neo
    for rel in Rel:
        assert f"REL TABLE IF NOT EXISTS `{rel}`(" in lady
    assert "FROM Report TO Regulation, FROM Issue TO Regulation, FROM Measure TO Regulation" in lady
