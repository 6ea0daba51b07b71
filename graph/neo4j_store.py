"""`Neo4jStore`: the production backend, any Bolt server speaking Neo4j 5 Cypher (Neo4j itself, ArcadeDB).

The caller builds and owns the configuration; `open_store` builds the driver. The store closes the driver.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import Driver, Transaction
from neo4j.exceptions import DriverError, Neo4jError

from ikg.graph.base import CypherStore, Params
from ikg.graph.errors import StoreError
from ikg.graph.rows import Row
from ikg.graph.schema import NEO4J_LIST_BASE, neo4j_ddl

_ERRORS = (Neo4jError, DriverError)


class _Tx:
    def __init__(self, tx: Transaction, where: str) -> None:
        self._tx = tx
        self._where = where

    def run(self, query: str, params: Params | None = None) -> list[Row]:
        try:
            return self._tx.run(query, dict(params) if params else {}).data()
        except _ERRORS as exc:
            raise StoreError(f"{self._where}: graph query failed: {exc}") from exc


class Neo4jStore(CypherStore):
    _list_base = NEO4J_LIST_BASE

    def __init__(self, driver: Driver, database: str | None = None) -> None:
        """Create the constraints if missing and check the schema version; StoreError if that fails."""
        self._driver = driver
        self._database = database
        self._where = f"neo4j database {database or '(default)'}"
        self._closed = False
        try:
            for ddl in neo4j_ddl():  # schema statements cannot share a transaction with writes
                self._run(ddl)
            self._check_schema_version(self._where)
        except BaseException:
            self.close()
            raise

    def _run(self, query: str, params: Params | None = None) -> list[Row]:
        try:
            with self._driver.session(database=self._database) as session:
                return session.run(query, dict(params) if params else {}).data()
        except _ERRORS as exc:
            raise StoreError(f"{self._where}: graph query failed: {exc}") from exc

    @contextmanager
    def _transaction(self) -> Iterator[_Tx]:
        try:
            with self._driver.session(database=self._database) as session, session.begin_transaction() as tx:
                # Leaving the `with` on an exception rolls back; on a clean exit we commit explicitly.
                yield _Tx(tx, self._where)
                tx.commit()
        except _ERRORS as exc:
            raise StoreError(f"{self._where}: transaction failed, rolled back: {exc}") from exc

    def checkpoint(self) -> None:
        """The server makes writes durable at commit and manages its own memory."""

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._driver.close()
