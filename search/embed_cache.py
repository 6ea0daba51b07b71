"""Passage vectors kept on disk by the hash of their text, so an unchanged passage is never embedded twice.

One SQLite file per model name and precision under `IKG_HOME/cache/embeddings/`: `reindex`, a report
ingested again, and titles or measures that recur across reports (党建工作有待加强) reuse the vectors.
Texts repeated inside one call are embedded once as well. A damaged or unwritable cache is skipped, never
fatal: it only costs time.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ikg.search.embedder import Embedder

_SAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


class EmbeddingCache:
    """sha1(passage) -> float32 vector, for one model and precision."""

    def __init__(self, directory: Path, model: str, precision: str) -> None:
        self.path = directory / f"{_SAFE.sub('_', model)}.{precision}.sqlite"
        self._db: sqlite3.Connection | None = None
        try:
            directory.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30)
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
            db.commit()
            self._db = db
        except (OSError, sqlite3.Error):
            self._db = None

    def get(self, keys: Sequence[bytes], dim: int) -> dict[bytes, np.ndarray]:
        if self._db is None or not keys:
            return {}
        found: dict[bytes, np.ndarray] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk)
                for key, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape == (dim,):
                        found[bytes(key)] = vector
        except sqlite3.Error:
            return {}
        return found

    def put(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        if self._db is None or not keys:
            return
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in zip(keys, vectors, strict=True)]
        try:
            self._db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)
            self._db.commit()
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class CachedEmbedder:
    """An `Embedder` whose passages go through an `EmbeddingCache`; queries are not cached."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.dim = inner.dim
        self.precision: str = getattr(inner, "precision", "")
        self.embedded = 0  # passages that missed the cache and were embedded (for benchmarks)

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        found = self.cache.get(list(dict.fromkeys(keys)), self.dim)
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if missing:
            vectors = self.inner.embed_passages(list(missing.values()), batch_size=batch_size)
            self.cache.put(list(missing), vectors)
            found.update(zip(missing, vectors, strict=True))
            self.embedded += len(missing)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = found[key]
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)
