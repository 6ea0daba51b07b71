"""Bolt routing URIs (`neo4j://`, as a Neo4j cluster is addressed) reach the server through the same store."""

from __future__ import annotations

from types import ModuleType

import pytest

from ikg.graph.open import open_store
from ikg.graph.store import StoreConfig


@pytest.mark.bolt
def test_routing_uri_writes_and_reads(bolt_server: object, factory: ModuleType) -> None:
    server = bolt_server
    uri = str(server.uri).replace("bolt://", "neo4j://", 1)  # type: ignore[attr-defined]
    cfg = StoreConfig("neo4j", None, uri, server.user, server.password, server.database)  # type: ignore[attr-defined]
    store = open_store(cfg)
    try:
        assert uri.startswith("neo4j://")
        store.write_report(factory.qingyuan())  # batched UNWIND writes in one transaction, through routing
        assert factory.qingyuan().report.id in {r.id for r in store.reports()}
        assert store.stats().issues > 0
    finally:
        store.close()
