"""One kind of vectors (issues or measures) in FAISS, addressed by string node ids.

FAISS wants int64 labels: each node id maps to a stable 63-bit hash, wrapped by `IndexIDMap2`. The vectors
are also kept as a float32 array, so removals and flat <-> HNSW switches rebuild exactly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ikg.graph.errors import IkgError, IndexMissingError, NotFoundError
from ikg.search.manifest import IndexConfig

FLAT = "flat"
HNSW = "hnsw"
IVFPQ = "ivfpq"
_NORM_TOLERANCE = 1e-3
_REFINE = 4  # IVF-PQ candidates per wanted hit, re-scored exactly


def node_label(node_id: str) -> int:
    """Stable non-negative int64 for a node id: the first 8 bytes of its SHA-1, top bit cleared."""
    digest = hashlib.sha1(node_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") & ((1 << 63) - 1)


class VectorIndex:
    """Exact inner-product search up to `config.flat_max` vectors, HNSW above, IVF-PQ above `ivfpq_min`."""

    def __init__(self, config: IndexConfig) -> None:
        self.config = config
        self._ids: list[str] = []  # row order of `_vectors`
        self._row: dict[str, int] = {}
        self._by_label: dict[int, str] = {}
        self._vectors = np.zeros((0, config.dim), dtype=np.float32)
        self._labels = np.zeros(0, dtype=np.int64)  # FAISS label of each row
        self._label_order: tuple[np.ndarray, np.ndarray] | None = None  # labels sorted, their rows
        self._faiss: Any = None  # built lazily: many edits in a row cost one (re)build
        self._faiss_type = FLAT

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def index_type(self) -> str:
        n = len(self._ids)
        if n > self.config.ivfpq_min:
            return IVFPQ
        return HNSW if n > self.config.flat_max else FLAT

    def ids(self) -> list[str]:
        return list(self._ids)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._row

    def vector(self, node_id: str) -> np.ndarray:
        row = self._row.get(node_id)
        if row is None:
            raise NotFoundError(
                f"{node_id} is not in the search index; run 'ikg reindex' if it is in the graph"
            )
        return np.array(self._vectors[row], dtype=np.float32)

    def rows(self, node_ids: Sequence[str]) -> np.ndarray:
        """Vectors of those ids in the given order, shape (n, dim); `NotFoundError` for a missing id."""
        missing = [i for i in node_ids if i not in self._row]
        if missing:
            raise NotFoundError(f"{missing[0]} is not in the search index; run 'ikg reindex'")
        rows = [self._row[i] for i in node_ids]
        return np.ascontiguousarray(self._vectors[rows], dtype=np.float32)

    def row_numbers(self, node_ids: Sequence[str]) -> np.ndarray:
        """Rows of those ids (int64), in the given order; `NotFoundError` for a missing id."""
        try:
            return np.fromiter((self._row[i] for i in node_ids), dtype=np.int64, count=len(node_ids))
        except KeyError as exc:
            raise NotFoundError(f"{exc.args[0]} is not in the search index; run 'ikg reindex'") from exc

    def ids_at(self, rows: Sequence[int] | np.ndarray) -> list[str]:
        """The ids of those rows, in that order."""
        ids = self._ids
        return [ids[r] for r in np.asarray(rows, dtype=np.int64).tolist()]

    def matrix(self) -> np.ndarray:
        """All vectors, one row per id in row order (`ids()`), read-only; no copy."""
        view = self._vectors.view(np.ndarray)
        view.flags.writeable = False
        return view

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Add or replace vectors; `vectors` is (len(ids), dim)."""
        matrix = self._check(ids, vectors)
        replaced = [i for i in ids if i in self._row]
        if replaced:
            self._drop(replaced)
        labels = [node_label(i) for i in ids]
        for node_id, label in zip(ids, labels, strict=True):
            other = self._by_label.get(label)
            if other is not None and other != node_id:
                raise IkgError(f"node ids {other!r} and {node_id!r} hash to the same index label")
            self._by_label[label] = node_id
            self._row[node_id] = len(self._ids)
            self._ids.append(node_id)
        self._vectors = np.concatenate([self._vectors, matrix]) if len(self._vectors) else matrix.copy()
        self._labels = np.concatenate([self._labels, np.array(labels, dtype=np.int64)])
        self._label_order = None
        if self._faiss is not None and self._faiss_type == self.index_type:
            self._faiss.add_with_ids(matrix, np.array(labels, dtype=np.int64))
        else:
            self._faiss = None

    def remove(self, ids: Sequence[str]) -> int:
        """Remove those present; returns how many were."""
        present = [i for i in dict.fromkeys(ids) if i in self._row]
        if present:
            self._drop(present)
        return len(present)

    def search(self, query: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The `k` nearest ids by inner product (cosine for normalized vectors), best first."""
        if k <= 0 or not self._ids:
            return []
        q = np.ascontiguousarray(np.asarray(query, dtype=np.float32).reshape(1, -1))
        if q.shape[1] != self.config.dim:
            raise ValueError(f"query has {q.shape[1]} dimensions, the index {self.config.dim}")
        with _one_faiss_thread():
            return self._search(self._index(), q, k)[0]

    def search_many(self, queries: np.ndarray, k: int) -> list[list[tuple[str, float]]]:
        """`search` for each row of `queries` (m, dim) in one FAISS call, which spreads over its threads."""
        q = np.ascontiguousarray(np.asarray(queries, dtype=np.float32).reshape(-1, self.config.dim))
        if k <= 0 or not self._ids or not len(q):
            return [[] for _ in range(len(q))]
        return self._search(self._index(), q, k)

    def search_rows(self, queries: np.ndarray, k: int) -> list[np.ndarray]:
        """`search_many` as rows (int64, best first): what ranking many queries works on, with no ids.

        On one FAISS thread: ranking runs beside other work on few cores, where OpenMP's hand-offs cost
        more than they gain. HNSW, 100k vectors, k=100, shared 2-core machine: 30 queries 11 ms on one
        thread, 28 ms on two; 256 queries 83 vs 102 ms; 1,000 queries 329 vs 350 ms.
        """
        q = np.ascontiguousarray(np.asarray(queries, dtype=np.float32).reshape(-1, self.config.dim))
        if k <= 0 or not self._ids or not len(q):
            return [np.zeros(0, dtype=np.int64) for _ in range(len(q))]
        with _one_faiss_thread():
            return [rows for rows, _ in self._search_rows(self._index(), q, k)]

    def _search(self, index: Any, q: np.ndarray, k: int) -> list[list[tuple[str, float]]]:
        ids = self._ids
        return [
            [(ids[r], s) for r, s in zip(rows.tolist(), scores.tolist(), strict=True)]
            for rows, scores in self._search_rows(index, q, k)
        ]

    def _search_rows(self, index: Any, q: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per query its hits' rows and scores, best first."""
        k = min(k, len(self._ids))
        if self._faiss_type != IVFPQ:
            scores, labels = index.search(q, k)
            rows = self._rows_of_labels(labels)
            return [(r[r >= 0], s[r >= 0]) for r, s in zip(rows, scores, strict=True)]
        # PQ scores are approximate: take _REFINE times as many candidates and score them exactly against
        # the float32 copy this class keeps anyway (no second copy inside FAISS).
        _, labels = index.search(q, min(k * _REFINE, len(self._ids)))
        out = []
        for qrow, rows in zip(q, self._rows_of_labels(labels), strict=True):
            found = rows[rows >= 0]
            exact = self._vectors[found] @ qrow
            order = np.argsort(-exact, kind="stable")[:k]
            out.append((found[order], np.asarray(exact[order])))
        return out

    def _rows_of_labels(self, labels: np.ndarray) -> np.ndarray:
        """The row of each FAISS label, -1 for FAISS's -1 (fewer hits than asked for)."""
        if self._label_order is None:
            order = np.argsort(self._labels, kind="stable")
            self._label_order = (self._labels[order], order)
        ordered, order = self._label_order
        rows = order[np.minimum(np.searchsorted(ordered, labels), len(order) - 1)]
        return np.where(labels >= 0, rows, -1)

    def memory_bytes(self) -> int:
        """Heap bytes for this kind: FAISS's own (flat: the vectors; HNSW: + links; IVF-PQ: codes) and the
        ids, plus the float32 copy unless it is memory-mapped from a saved generation (see `mapped_bytes`)."""
        n, d = self._vectors.shape
        kind = self.index_type
        if kind == IVFPQ:  # codes of `_pq_bytes` bytes plus a list id, and the centroids
            extra = n * (_pq_bytes(d) + 8) + _ivf_lists(n) * d * 4
        else:
            extra = n * d * 4 + (n * self.config.hnsw_m * 2 * 4 if kind == HNSW else 0)
        return int(extra + n * 8 + (0 if self.mapped_bytes() else self._vectors.nbytes))

    def mapped_bytes(self) -> int:
        """Bytes of the float32 copy that are mapped from disk (0 until loaded from a saved generation)."""
        return int(self._vectors.nbytes) if isinstance(self._vectors, np.memmap) else 0

    def write(self, directory: Path, kind: str) -> None:
        """Write `<kind>.faiss`, `<kind>.npy` and `<kind>.ids.json` into a directory being built."""
        import faiss

        np.save(directory / f"{kind}.npy", self._vectors, allow_pickle=False)
        sidecar = {"ids": self._ids, "labels": [node_label(i) for i in self._ids]}
        (directory / f"{kind}.ids.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
        faiss.write_index(self._index(), str(directory / f"{kind}.faiss"))

    @classmethod
    def read(cls, directory: Path, kind: str, config: IndexConfig, expected_count: int) -> VectorIndex:
        """Load one kind, checking that all three files agree; raises `IndexMissingError` if not."""
        import faiss

        try:
            # Memory-mapped: the float32 copy is read only where ranking touches it (a flat or HNSW index
            # holds its own copy; IVF-PQ re-scores a few candidates), so at a million reports it costs page
            # cache, not heap. A save writes a new generation directory, so the mapped file never changes.
            vectors = np.load(directory / f"{kind}.npy", mmap_mode="r", allow_pickle=False)
            sidecar = json.loads((directory / f"{kind}.ids.json").read_text(encoding="utf-8"))
            index: Any = faiss.read_index(str(directory / f"{kind}.faiss"))
        except (OSError, ValueError, RuntimeError) as exc:
            raise IndexMissingError(
                f"the {kind} index in {directory} is unreadable ({exc}); run 'ikg reindex'"
            ) from exc
        ids = [str(i) for i in sidecar["ids"]]
        counts = {len(ids), len(sidecar["labels"]), int(vectors.shape[0]), int(index.ntotal), expected_count}
        if len(counts) != 1 or vectors.ndim != 2 or vectors.shape[1] != config.dim or index.d != config.dim:
            raise IndexMissingError(f"the {kind} index in {directory} is inconsistent; run 'ikg reindex'")
        out = cls(config)
        out._ids = ids
        out._row = {node_id: row for row, node_id in enumerate(ids)}
        out._by_label = {int(label): node_id for label, node_id in zip(sidecar["labels"], ids, strict=True)}
        out._labels = np.array(sidecar["labels"], dtype=np.int64)
        mapped = vectors.dtype == np.float32 and vectors.flags.c_contiguous
        out._vectors = vectors if mapped else np.ascontiguousarray(vectors, dtype=np.float32)
        out._faiss = index
        base: Any = faiss.downcast_index(index.index)
        if isinstance(base, faiss.IndexHNSW):
            out._faiss_type = HNSW
            base.hnsw.efSearch = config.hnsw_ef_search
        elif isinstance(base, faiss.IndexIVF):
            out._faiss_type = IVFPQ
            base.nprobe = config.ivfpq_nprobe
        else:
            out._faiss_type = FLAT
        return out

    def _check(self, ids: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        matrix = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32))
        if matrix.ndim != 2 or matrix.shape != (len(ids), self.config.dim):
            raise ValueError(f"expected vectors of shape ({len(ids)}, {self.config.dim}), got {matrix.shape}")
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate ids in one add() call")
        if not np.isfinite(matrix).all():
            raise ValueError("vectors contain NaN or infinity")
        if self.config.normalized and len(matrix):
            norms = np.linalg.norm(matrix, axis=1)
            if np.abs(norms - 1.0).max() > _NORM_TOLERANCE:
                raise ValueError("vectors must be L2-normalized (the index config says normalized=True)")
        return matrix

    def _drop(self, ids: Sequence[str]) -> None:
        gone = {self._row[i] for i in ids}
        keep = np.array([row for row in range(len(self._ids)) if row not in gone], dtype=np.int64)
        for node_id in ids:
            del self._by_label[node_label(node_id)]
        self._ids = [self._ids[row] for row in keep]
        self._row = {node_id: row for row, node_id in enumerate(self._ids)}
        self._vectors = np.ascontiguousarray(self._vectors[keep])
        self._labels = self._labels[keep]
        self._label_order = None
        if self._faiss is not None and self._faiss_type == FLAT == self.index_type:
            self._faiss.remove_ids(np.array([node_label(i) for i in ids], dtype=np.int64))
        else:  # HNSW cannot remove: rebuild from the stored vectors on next use
            self._faiss = None

    def _index(self) -> Any:
        if self._faiss is None:
            self._faiss, self._faiss_type = self._build(), self.index_type
        return self._faiss

    def _build(self) -> Any:
        import faiss

        cfg = self.config
        base: Any
        if self.index_type == IVFPQ:
            return self._build_ivfpq()
        if self.index_type == HNSW:
            base = faiss.IndexHNSWFlat(cfg.dim, cfg.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            base.hnsw.efConstruction = cfg.hnsw_ef_construction
            base.hnsw.efSearch = cfg.hnsw_ef_search
        else:
            base = faiss.IndexFlatIP(cfg.dim)
        index = faiss.IndexIDMap2(base)
        if self._ids:
            index.add_with_ids(self._vectors, np.array([node_label(i) for i in self._ids], dtype=np.int64))
        return index

    def _build_ivfpq(self) -> Any:
        """IVF-PQ trained on an evenly spread sample, refined by exact re-scoring of its candidates."""
        import faiss

        cfg = self.config
        n, d = self._vectors.shape
        lists = _ivf_lists(n)
        quantizer = faiss.IndexFlatIP(d)
        base: Any = faiss.IndexIVFPQ(quantizer, d, lists, _pq_bytes(d), 8, faiss.METRIC_INNER_PRODUCT)
        step = max(1, n // max(cfg.ivfpq_sample, lists * 39))
        base.train(np.ascontiguousarray(self._vectors[::step]))
        base.nprobe = cfg.ivfpq_nprobe
        index = faiss.IndexIDMap2(base)
        index.add_with_ids(self._vectors, np.array([node_label(i) for i in self._ids], dtype=np.int64))
        return index


@contextmanager
def _one_faiss_thread() -> Iterator[None]:
    # One query gains nothing from OpenMP: on a busy 2-core machine the thread hand-offs cost more than
    # the scan, and a flat search that woke the pool left later HNSW searches ~8 ms slower (measured).
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(threads)


def _ivf_lists(n: int) -> int:
    """Inverted lists for n vectors: about 4·sqrt(n), at most n / 39 so each centroid has training points."""
    return int(max(1, min(4 * int(np.sqrt(n)), n // 39)))


def _pq_bytes(dim: int) -> int:
    """Sub-quantizers of the PQ code: dim / 4 (96 bytes for 384 dimensions), a divisor of dim."""
    m = max(1, dim // 4)
    while dim % m:
        m -= 1
    return m
