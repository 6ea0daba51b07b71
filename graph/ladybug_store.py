"""`LadybugStore`: the embedded default, a LadybugDB (Kùzu fork) database in one directory.

LadybugDB is ACID with a write-ahead log, so a report's transaction either survives a killed process whole
or not at all; nothing here re-implements that. One process may open a database at a time (a file lock).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ladybug

from ikg.graph.base import CypherStore, Params
from ikg.graph.errors import StoreError
from ikg.graph.rows import Row
from ikg.graph.schema import LADYBUG_LIST_BASE, META_LABEL, ladybug_ddl

DB_FILE = "graph.lbdb"  # inside the configured directory, beside LadybugDB's .wal

# LadybugDB folds the write-ahead log into the database file (a checkpoint) when the log passes this size.
# A checkpoint costs far more than the log it folds in (~2 s for a 16 MiB log once the graph holds 1,000
# synthetic reports), so at the engine's default of 16 MiB checkpoints took half the ingest time. The log
# grows ~110 KB per report: 256 MiB means a checkpoint per ~2,000 reports (and one on close), and at most
# 256 MiB of log to replay when a killed process's database is reopened. Memory use did not change.
CHECKPOINT_THRESHOLD = 256 << 20


class _Tx:
    def __init__(self, store: LadybugStore) -> None:
        self._store = store

    def run(self, query: str, params: Params | None = None) -> list[Row]:
        return self._store._execute(query, params)


class LadybugStore(CypherStore):
    _list_base = LADYBUG_LIST_BASE

    def __init__(self, path: Path) -> None:
        """Open (creating on first use) the graph in directory `path`; StoreError if it cannot be used."""
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._db = ladybug.Database(str(self.path / DB_FILE), checkpoint_threshold=CHECKPOINT_THRESHOLD)
            self._conn = ladybug.Connection(self._db)
        except (OSError, RuntimeError) as exc:
            raise StoreError(
                f"{self.path}: cannot open the graph database ({exc}); check the directory is writable "
                "and that no other ikg process has it open"
            ) from exc
        self._closed = False
        try:
            self._ensure_schema()
        except BaseException:
            self.close()
            raise

    def _ensure_schema(self) -> None:
        tables = {row["name"] for row in self._execute("CALL show_tables() RETURN name")}
        if tables and META_LABEL not in tables:
            raise StoreError(f"{self.path}: this database was not written by ikg; point the graph elsewhere")
        if not tables:
            with self._transaction() as tx:  # a killed first open leaves no half-made schema
                for ddl in ladybug_ddl():
                    tx.run(ddl)
        self._check_schema_version(str(self.path))

    # --- hooks -----------------------------------------------------------------------------------------

    def _execute(self, query: str, params: Params | None = None) -> list[Row]:
        try:
            result: Any = self._conn.execute(query, dict(params) if params else {})
            columns = result.get_column_names()
            rows = []
            while result.has_next():
                rows.append(dict(zip(columns, result.get_next(), strict=True)))
            return rows
        except RuntimeError as exc:
            raise StoreError(f"{self.path}: graph query failed: {exc}") from exc

    def _run(self, query: str, params: Params | None = None) -> list[Row]:
        return self._execute(query, params)

    @contextmanager
    def _transaction(self) -> Iterator[_Tx]:
        self._execute("BEGIN TRANSACTION")
        try:
            yield _Tx(self)
        except BaseException:
            self._rollback()
            raise
        self._execute("COMMIT")

    def _rollback(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except RuntimeError as exc:
            # LadybugDB already rolled back when a statement inside the transaction failed.
            if "No active transaction" not in str(exc):
                raise StoreError(f"{self.path}: rollback failed: {exc}") from exc

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._conn.close()
        self._db.close()
