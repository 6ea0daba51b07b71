"""`LadybugStore`: the embedded default, a LadybugDB (Kùzu fork) database in one directory.

LadybugDB is ACID with a write-ahead log, so a report's transaction either survives a killed process whole
or not at all; nothing here re-implements that. One process may open a database at a time (a file lock).
It keeps no page checksums, and some damage makes it wait forever: a file that changed since ikg's writer
last closed it (graph/seal.py) is tried in a child process first (graph/probe.py).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ladybug

from ikg.graph import cypher
from ikg.graph.base import CypherStore, Params
from ikg.graph.errors import StoreError, StoreUnavailableError
from ikg.graph.model import Label
from ikg.graph.probe import ProbeFailed, probe, probe_seconds
from ikg.graph.rows import Row
from ikg.graph.schema import LADYBUG_LIST_BASE, META_LABEL, ladybug_ddl
from ikg.graph.seal import Seal, file_mark, read_seal, write_seal

DB_FILE = "graph.lbdb"  # inside the configured directory, beside LadybugDB's .wal

# LadybugDB folds the write-ahead log into the database file (a checkpoint) when the log passes this size.
# A checkpoint costs far more than the log it folds in (~2 s for a 16 MiB log once the graph holds 1,000
# synthetic reports), so at the engine's default of 16 MiB checkpoints took half the ingest time. The log
# grows ~110 KB per report: 256 MiB means a checkpoint per ~2,000 reports (and one on close), and at most
# 256 MiB of log to replay when a killed process's database is reopened. Memory use did not change.
CHECKPOINT_THRESHOLD = 256 << 20

# How a read-only open learns that a writer is busy: LadybugDB refuses while a checkpoint is being folded in
# (or one was left pending by a killed writer). Anything else failing on open means a damaged file.
_BUSY = ("checkpoint recovery is pending", "Could not set lock")
READ_RETRY_SECONDS = 0.2


def damaged_message(path: Path, exc: BaseException | str) -> str:
    return (
        f"{path}: the graph database is damaged ({' '.join(str(exc).split())}); restore {path} from a "
        "backup, or run 'ikg rebuild' to move it aside and re-ingest the reports from their files"
    )


def damaged(path: Path, exc: BaseException | str) -> StoreUnavailableError:
    """The error for a damaged graph: the store cannot be used until it is restored or rebuilt."""
    return StoreUnavailableError(damaged_message(path, exc))


def _is_damage(exc: BaseException) -> bool:
    """A query failed because of what the file holds, not the query: a damaged page."""
    text = str(exc)
    return "corrupt" in text.lower() or "Storage exception" in text


def _is_busy(exc: BaseException) -> bool:
    return any(marker in str(exc) for marker in _BUSY)


# LadybugDB types a parameter when the statement is prepared, and a Python int by its value (INT8 for 3,
# INT16 for 300): a prepared statement may be reused only for values of the same types and int widths.
_INT_WIDTHS = ((-(2**7), 2**7 - 1), (0, 2**8 - 1), (-(2**15), 2**15 - 1), (0, 2**16 - 1))


def _int_width(value: int) -> int:
    return next((i for i, (low, high) in enumerate(_INT_WIDTHS) if low <= value <= high), len(_INT_WIDTHS))


def _value_key(value: object) -> object:
    """What LadybugDB's type for this parameter value can depend on: its type, the widths of its ints,
    and for a list the same of its elements (lists of lists: of theirs, and whether some are empty)."""
    if isinstance(value, bool) or not isinstance(value, int | list):
        return type(value)
    if isinstance(value, int):
        return int, _int_width(value)
    types = frozenset(map(type, value))
    key: list[object] = [list, types]
    if int in types:
        ints = [v for v in value if type(v) is int]
        key.append((_int_width(min(ints)), _int_width(max(ints))))
    if list in types:
        lists = [v for v in value if isinstance(v, list)]
        key += [_value_key([x for v in lists for x in v]), any(not v for v in lists)]
    return tuple(key)


def _params_key(params: Mapping[str, object]) -> tuple[object, ...]:
    """The cache key of a prepared statement's parameters: a write's columns hold thousands of values, so
    the key is built from sets of types (in C) rather than a Python call per value, which ladybug's own
    statement cache (`execute(str, params)`) makes: ~0.9 ms of the ~6 ms a report's write costs."""
    return tuple((name, _value_key(value)) for name, value in params.items())


class _Tx:
    def __init__(self, store: LadybugStore) -> None:
        self._store = store

    def run(self, query: str, params: Params | None = None) -> list[Row]:
        return self._store._execute(query, params)


class LadybugStore(CypherStore):
    _list_base = LADYBUG_LIST_BASE

    def __init__(
        self,
        path: Path,
        *,
        read_only: bool = False,
        on_wait: Callable[[], None] | None = None,
        claimed_reports: int = 0,
        writer_running: bool = False,
        probe: bool = True,
        probe_seconds: float | None = None,
    ) -> None:
        """Open (creating on first use) the graph in directory `path`; StoreError if it cannot be used.

        `read_only` opens beside a running writer (readers are never locked out); while the writer folds
        its log into the file the open is retried, calling `on_wait()` once (to say whom we wait for). A
        read-only open of a graph that does not exist yet creates it read-write. A damaged or truncated
        file is a StoreError that says how to recover.

        A file that changed since ikg's writer last closed it (graph/seal.py) is first read whole in a child
        process bounded by `probe_seconds` (default: by its size), since some damage hangs the engine;
        `writer_running` (another process holds the writer lock, so changes are expected) or `probe=False`
        skips that. A missing or empty file is damaged, not a new graph, when the seal or
        `claimed_reports` (what records outside the graph, e.g. IKG_HOME/sources.json, list) say it held
        reports.
        """
        self.path = Path(path)
        self.probed = False  # whether this open had to read a changed file in a child first
        self._failed = False
        self._expected = self._check_file(claimed_reports, writer_running, probe, probe_seconds, read_only)
        self.read_only = read_only and (self.path / DB_FILE).exists()
        self._db, self._conn = self._open(on_wait)
        self._prepared: dict[tuple[str, tuple[object, ...]], Any] = {}
        self._prepared_lock = threading.Lock()  # a prepared statement holds its bound values while it runs
        self._closed = False
        try:
            self._ensure_schema()
        except StoreError:
            self._failed = True
            self.close()
            raise
        except (RuntimeError, ValueError) as exc:
            self._failed = True
            self.close()
            raise damaged(self.path, exc) from exc
        except BaseException:
            self._failed = True
            self.close()
            raise

    def _check_file(
        self, claimed: int, writer_running: bool, check: bool, seconds: float | None, read_only: bool
    ) -> int:
        """How many reports records say the graph holds; raises if the file cannot be what they describe."""
        seal = read_seal(self.path)
        expected = max(claimed, seal.reports if seal else 0)
        mark = file_mark(self.path, DB_FILE)
        if mark is None or mark.size == 0:
            if expected:
                what = "missing" if mark is None else "empty (0 bytes)"
                raise damaged(self.path, f"{DB_FILE} is {what}, but ikg recorded {expected} report(s) in it")
            return expected
        trusted = seal is not None and seal.mark == mark and (read_only or seal.writes_checked)
        if not check or writer_running or trusted:
            return expected
        self.probed = True
        write = not read_only
        try:
            result = probe(self.path, DB_FILE, seconds or probe_seconds(mark.size, write=write), write=write)
        except ProbeFailed as exc:
            raise (
                StoreUnavailableError(exc.message) if exc.message else damaged(self.path, exc.reason)
            ) from exc
        if result.mark is not None and result.mark == file_mark(self.path, DB_FILE):
            write_seal(self.path, Seal(result.mark, result.reports, writes_checked=write))  # vouched for
        return max(expected, result.reports)

    def _open(self, on_wait: Callable[[], None] | None) -> tuple[Any, Any]:
        db_file = self.path / DB_FILE
        waited = False
        while True:
            try:
                if self.read_only:
                    db = ladybug.Database(str(db_file), read_only=True)
                else:
                    self.path.mkdir(parents=True, exist_ok=True)
                    db = ladybug.Database(str(db_file), checkpoint_threshold=CHECKPOINT_THRESHOLD)
                return db, ladybug.Connection(db)
            except OSError as exc:
                raise StoreError(
                    f"{self.path}: cannot open the graph database ({exc.strerror or exc}); "
                    "check the directory exists and is writable"
                ) from exc
            except (RuntimeError, ValueError) as exc:
                if not _is_busy(exc):
                    if not os.access(self.path, os.W_OK) and not self.read_only:
                        raise StoreError(
                            f"{self.path}: cannot open the graph database ({exc}); check the directory "
                            "is writable"
                        ) from exc
                    raise damaged(self.path, exc) from exc
                if self.read_only and "recovery is pending" in str(exc) and _replay_if_free(db_file):
                    continue  # a killed writer left its log: folded in now, open again
                if not self.read_only and "Could not set lock" in str(exc) and on_wait is None:
                    raise StoreError(
                        f"{self.path}: another process has the graph database open for writing ({exc}); "
                        "wait for it to end: no other ikg process may write it at the same time"
                    ) from exc
                if not waited and on_wait is not None:
                    on_wait()
                waited = True
                time.sleep(READ_RETRY_SECONDS)

    def _ensure_schema(self) -> None:
        tables = {row["name"] for row in self._execute("CALL show_tables() RETURN name")}
        if tables and META_LABEL not in tables:
            raise StoreError(f"{self.path}: this database was not written by ikg; point the graph elsewhere")
        if not tables and (self.read_only or self._expected):
            raise damaged(self.path, "no tables")
        if not tables:
            with self._transaction() as tx:  # a killed first open leaves no half-made schema
                for ddl in ladybug_ddl():
                    tx.run(ddl)
        self._check_schema_version(str(self.path))

    # --- hooks -----------------------------------------------------------------------------------------

    def _execute(self, query: str, params: Params | None = None) -> list[Row]:
        try:
            if params:
                result: Any = self._execute_prepared(query, dict(params))
            else:
                result = self._conn.execute(query, {})
            columns = result.get_column_names()
            rows = []
            while result.has_next():
                rows.append(dict(zip(columns, result.get_next(), strict=True)))
            return rows
        except RuntimeError as exc:
            self._failed = True
            if _is_damage(exc):
                raise damaged(self.path, exc) from exc
            raise StoreError(f"{self.path}: graph query failed: {exc}") from exc
        except ValueError as exc:  # a damaged page decodes to garbage (e.g. basic_string::_M_replace_aux)
            self._failed = True
            raise damaged(self.path, exc) from exc

    def _execute_prepared(self, query: str, params: dict[str, Any]) -> Any:
        """`execute(query, params)` through a statement prepared once per query and parameter types."""
        key = (query, _params_key(params))
        with self._prepared_lock:
            statement = self._prepared.get(key)
            if statement is None:
                statement = ladybug.PreparedStatement(self._conn, query, params)
                if statement.is_success():  # else execute() raises its error, as for an unprepared query
                    self._prepared[key] = statement
            return self._conn.execute(statement, params)

    def _run(self, query: str, params: Params | None = None) -> list[Row]:
        return self._execute(query, params)

    @contextmanager
    def _transaction(self) -> Iterator[_Tx]:
        self._execute("BEGIN TRANSACTION READ ONLY" if self.read_only else "BEGIN TRANSACTION")
        try:
            yield _Tx(self)
        except BaseException as exc:
            try:
                self._rollback()
            except StoreError:
                if isinstance(exc, Exception):
                    raise
                # Ctrl-C is what to report; the open transaction is discarded with the connection.
            raise
        self._execute("COMMIT")

    def _rollback(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except RuntimeError as exc:
            # LadybugDB already rolled back when a statement inside the transaction failed.
            if "No active transaction" not in str(exc):
                raise StoreError(f"{self.path}: rollback failed: {exc}") from exc

    def checkpoint(self) -> None:
        """Fold the log into the file now: committed writes otherwise stay in memory until the log reaches
        `CHECKPOINT_THRESHOLD` or the store closes. After writing 200 generated reports: 386 MB resident,
        238 MB after this (and malloc_trim), 355 MB with malloc_trim alone."""
        if not self.read_only:
            self._execute(cypher.CHECKPOINT)

    def close(self) -> None:
        """Close; a writer that met no error seals the file (graph/seal.py) so the next open trusts it."""
        if self._closed:
            return
        self._closed = True
        reports = None
        if not self.read_only and not self._failed:
            try:
                reports = int(self._execute(cypher.count_nodes(Label.REPORT))[0]["n"])
            except StoreError:
                reports = None
        self._prepared.clear()
        self._conn.close()
        self._db.close()
        mark = file_mark(self.path, DB_FILE) if reports is not None else None
        if mark is not None and reports is not None:
            write_seal(self.path, Seal(mark, reports))


def _replay_if_free(db_file: Path) -> bool:
    """Fold in the log a killed writer left, if no writer holds the file now; True if done."""
    try:
        db = ladybug.Database(str(db_file), checkpoint_threshold=CHECKPOINT_THRESHOLD)
    except (RuntimeError, ValueError):
        return False
    db.close()
    print(f"ikg: {db_file}: recovered the log of an interrupted write", file=sys.stderr)
    return True
