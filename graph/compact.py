"""Reclaim the space deletes leave in the embedded graph file: copy every row into a fresh database.

LadybugDB 0.22 has no VACUUM, and freed pages are not given back to the file system, so a graph that had
reports deleted and re-ingested keeps growing (bench/store_space.py measures it). Its EXPORT DATABASE
refuses rel tables that join several label pairs (CITES does), so the copy is done here, table by table,
with the same write statements ingest uses; the new file replaces the old one only once it is complete.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ikg.graph import cypher
from ikg.graph.errors import StoreError
from ikg.graph.ladybug_store import DB_FILE, LadybugStore
from ikg.graph.rows import Columns
from ikg.graph.schema import EDGE_PROPS, NODES, RELS, PropType
from ikg.graph.seal import SEAL_FILE

CHUNK = 2000  # rows per write statement


@dataclass(frozen=True, slots=True)
class CompactResult:
    before: int  # bytes of the graph directory before
    after: int
    nodes: int
    edges: int


def store_bytes(path: Path) -> int:
    """Bytes of the graph database directory (the file and its write-ahead log)."""
    return sum(p.stat().st_size for p in Path(path).iterdir() if p.is_file()) if Path(path).is_dir() else 0


def _columns(rows: list[dict[str, object]], keys: tuple[str, ...], props: dict[str, PropType]) -> Columns:
    """Rows as the parallel lists write statements take; a column null (or empty) in every row is left out."""
    out: dict[str, list[object]] = {}
    for p, kind in props.items():
        values = [r[p] for r in rows]
        if kind is PropType.STRINGS:
            if all(not v for v in values):
                continue
            values = [v or [] for v in values]
        elif all(v is None for v in values):
            continue
        out[p] = values
    return Columns({k: [r[k] for r in rows] for k in keys}, out)


def copy_graph(src: LadybugStore, dst: LadybugStore) -> tuple[int, int]:
    """Copy every node and edge of `src` into the empty `dst` in one transaction; (nodes, edges) copied."""
    nodes = edges = 0
    with dst._transaction() as tx:
        for table in NODES:
            props = {p.name: p.type for p in table.props}
            rows = src._execute(cypher.all_nodes(table.label, tuple(props)))
            for start in range(0, len(rows), CHUNK):
                cols = _columns(rows[start : start + CHUNK], ("id",), props)
                tx.run(cypher.create_nodes(table.label, tuple(cols.props)), cypher.column_params(cols, 1))
            nodes += len(rows)
        edge_props = {p.name: p.type for p in EDGE_PROPS}
        for rel in RELS:
            for a, b in rel.pairs:
                rows = src._execute(cypher.all_edges(rel.rel, a, b, tuple(edge_props)))
                for start in range(0, len(rows), CHUNK):
                    cols = _columns(rows[start : start + CHUNK], ("src", "dst"), edge_props)
                    query = cypher.create_edges(rel.rel, a, b, tuple(cols.props))
                    written = tx.run(query, cypher.column_params(cols, 1))[0]["n"]
                    if written != cols.size:
                        raise StoreError(f"compaction: {rel.rel} edges: wrote {written} of {cols.size}")
                edges += len(rows)
    return nodes, edges


def measure(path: Path) -> CompactResult:
    """What `compact` would give, without touching the graph: a copy into a temporary folder, then gone.

    Opens the graph read-only, so it runs beside a writer."""
    path = Path(path)
    before = store_bytes(path)
    work = path.parent / f"{path.name}.measure.tmp"
    shutil.rmtree(work, ignore_errors=True)
    try:
        src = LadybugStore(path, read_only=True)
        try:
            dst = LadybugStore(work)
            try:
                nodes, edges = copy_graph(src, dst)
            finally:
                dst.close()
        finally:
            src.close()
        return CompactResult(before, store_bytes(work), nodes, edges)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compact(path: Path) -> CompactResult:
    """Rewrite the graph in directory `path` into a fresh file; the caller holds the writer lock.

    Readers that have the old file open keep reading it (the new file is renamed over it); a crash
    before the rename leaves the old graph untouched and a `compact.tmp` folder that the next run removes.
    """
    path = Path(path)
    before = store_bytes(path)
    work = path.parent / f"{path.name}.compact.tmp"
    shutil.rmtree(work, ignore_errors=True)
    src = LadybugStore(path)
    try:
        dst = LadybugStore(work)
        try:
            nodes, edges = copy_graph(src, dst)
            if src.fingerprint() != dst.fingerprint() or src.stats() != dst.stats():
                raise StoreError(f"{path}: compaction produced a different graph; the original is kept")
        finally:
            dst.close()
    finally:
        src.close()
    for leftover in path.iterdir():  # the old log was folded in on close
        if leftover.name != DB_FILE and leftover.is_file() and leftover.name.startswith(DB_FILE):
            leftover.unlink()
    os.replace(work / DB_FILE, path / DB_FILE)
    if (work / SEAL_FILE).exists():  # the new file's seal: a rename keeps its size and time
        os.replace(work / SEAL_FILE, path / SEAL_FILE)
    shutil.rmtree(work, ignore_errors=True)
    return CompactResult(before, store_bytes(path), nodes, edges)
