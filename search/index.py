"""The search index of one ikg home: vectors (and optional BM25) per kind, saved as one atomic generation.

Layout of the index directory:

    manifest.json      written last; names the generation that is current
    gen-000007/        issues.faiss issues.npy issues.ids.json
                       [issues.lexical.json issues.tokens.txt issues.bm25/] measures.*

`save()` builds `gen-N.tmp/`, renames it to `gen-N/`, then replaces `manifest.json`. A crash at any point
leaves the old manifest pointing at the old, complete generation; `load()` also checks every file's count
against the manifest, so a damaged generation is reported, never half used.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import numpy as np

from ikg.graph.errors import IndexMissingError
from ikg.search.lexical import LexicalIndex
from ikg.search.manifest import (
    IndexConfig,
    IndexManifest,
    check_compatible,
    ikg_version,
    read_manifest,
    write_manifest,
)
from ikg.search.problem_types import profiles
from ikg.search.vector_index import VectorIndex

PROFILE_BLOCK = 4096  # rows whose type profiles are computed together
_GENERATION = re.compile(r"^gen-(\d{6})(\.tmp)?$")


class IndexKind(StrEnum):
    ISSUES = "issues"  # an issue's whole text (title, category, problem, measures, results); with BM25
    ISSUE_HEADS = "issue_heads"  # its title and the start of its text
    ISSUE_TITLES = "issue_titles"  # its title alone
    MEASURES = "measures"  # a measure's text; with BM25
    PROBLEM_TYPES = "problem_types"  # the kinds of problems of search/data/problem_types.json, as queries


class IndexSet:
    """Vectors per kind (plus BM25 when texts are given), addressed by graph node id."""

    def __init__(self, config: IndexConfig) -> None:
        self.config = config
        self._vectors = {kind: VectorIndex(config) for kind in IndexKind}
        self._lexical: dict[IndexKind, LexicalIndex] = {}
        self._row_maps: dict[tuple[IndexKind, IndexKind], np.ndarray | None] = {}
        self._profiles: dict[IndexKind, np.ndarray] = {}
        self.manifest: IndexManifest | None = None  # the one last loaded or saved

    def add(
        self, kind: str, ids: Sequence[str], vectors: np.ndarray, texts: Sequence[str] | None = None
    ) -> None:
        """Add or replace vectors; with `texts`, the kind's BM25 index is updated too."""
        k = IndexKind(kind)
        if texts is not None and len(texts) != len(ids):
            raise ValueError(f"{len(ids)} ids but {len(texts)} texts")
        self._vectors[k].add(ids, vectors)
        self._derived_changed()
        if texts is not None:
            self._lexical.setdefault(k, LexicalIndex()).add(ids, texts)

    def remove(self, kind: str, ids: Sequence[str]) -> int:
        """Remove ids from the kind's vectors and BM25 index; returns how many vectors were removed."""
        k = IndexKind(kind)
        if k in self._lexical:
            self._lexical[k].remove(ids)
        self._derived_changed()
        return self._vectors[k].remove(ids)

    def search(self, kind: str, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        return self._vectors[IndexKind(kind)].search(vector, k)

    def search_many(self, kind: str, vectors: np.ndarray, k: int) -> list[list[tuple[str, float]]]:
        """`search` for each row of `vectors`, in one batched FAISS call."""
        return self._vectors[IndexKind(kind)].search_many(vectors, k)

    def search_rows(self, kind: str, vectors: np.ndarray, k: int) -> list[np.ndarray]:
        """`search_many` as the kind's row numbers (int64, best first; see `row_numbers`)."""
        return self._vectors[IndexKind(kind)].search_rows(vectors, k)

    def row_numbers(self, kind: str, node_ids: Sequence[str]) -> np.ndarray:
        """The rows of those ids in the kind's `matrix`; raises `NotFoundError` for one not indexed."""
        return self._vectors[IndexKind(kind)].row_numbers(node_ids)

    def ids_at(self, kind: str, rows: Sequence[int] | np.ndarray) -> list[str]:
        """The ids of those rows of the kind."""
        return self._vectors[IndexKind(kind)].ids_at(rows)

    def matrix(self, kind: str) -> np.ndarray:
        """All the kind's vectors, read-only and not copied; row r belongs to `ids_at(kind, [r])`."""
        return self._vectors[IndexKind(kind)].matrix()

    def row_map(self, kind: str, onto: str) -> np.ndarray | None:
        """For each row of `kind`, the row of the same id in `onto` (-1 where `onto` lacks it); None when
        both hold the same ids in the same order, as the issue views do when indexed together. Cached."""
        key = (IndexKind(kind), IndexKind(onto))
        if key not in self._row_maps:
            source, target = (self._vectors[k] for k in key)
            ids = source.ids()
            if ids == target.ids():
                self._row_maps[key] = None
            else:
                rows = [target.row_numbers([i])[0] if i in target else -1 for i in ids]
                self._row_maps[key] = np.array(rows, dtype=np.int64)
        return self._row_maps[key]

    def type_profiles(self, kind: str) -> np.ndarray:
        """The problem-type profiles (`problem_types.profiles`) of all the kind's vectors, row for row.

        Computed on first use in fixed blocks of rows, so a row's profile is the same whichever rows are
        ranked with it, and cached until the index changes: a stored issue's candidates then cost a look-up
        instead of a product with every type (~0.1 ms a ranking; the whole of 100k issues ~60 ms once).
        """
        k = IndexKind(kind)
        if k not in self._profiles:
            matrix = self.matrix(k)
            types = self.matrix(IndexKind.PROBLEM_TYPES)
            blocks = [
                profiles(matrix[i : i + PROFILE_BLOCK], types) for i in range(0, len(matrix), PROFILE_BLOCK)
            ]
            self._profiles[k] = np.concatenate(blocks) if blocks else np.zeros((0, len(types)), np.float32)
        return self._profiles[k]

    def memory_bytes(self) -> dict[str, int]:
        """Bytes each kind's vectors hold in memory (BM25 not included)."""
        return {kind.value: v.memory_bytes() for kind, v in self._vectors.items()}

    def mapped_bytes(self) -> dict[str, int]:
        """Per kind, bytes of float32 vectors memory-mapped from the loaded generation (not on the heap)."""
        return {kind.value: v.mapped_bytes() for kind, v in self._vectors.items()}

    def lexical_search(self, kind: str, query: str, k: int) -> list[tuple[str, float]]:
        """BM25 hits; empty when the kind was indexed without texts."""
        lexical = self._lexical.get(IndexKind(kind))
        return lexical.search(query, k) if lexical is not None else []

    def lexical_search_like(self, kind: str, node_id: str, k: int) -> list[tuple[str, float]]:
        """BM25 hits for an indexed node's own text as the query; empty when it has no BM25 entry."""
        lexical = self._lexical.get(IndexKind(kind))
        return lexical.search_like(node_id, k) if lexical is not None else []

    def vectors(self, kind: str, node_ids: Sequence[str]) -> np.ndarray:
        """The stored vectors of those ids, in that order; raises `NotFoundError` for one not indexed."""
        return self._vectors[IndexKind(kind)].rows(node_ids)

    def vector(self, kind: str, node_id: str) -> np.ndarray:
        """Raises `NotFoundError` if the id is not indexed."""
        return self._vectors[IndexKind(kind)].vector(node_id)

    def ids(self, kind: str) -> list[str]:
        return self._vectors[IndexKind(kind)].ids()

    def count(self, kind: str) -> int:
        return len(self._vectors[IndexKind(kind)])

    def index_type(self, kind: str) -> str:
        return self._vectors[IndexKind(kind)].index_type

    def _derived_changed(self) -> None:
        self._row_maps.clear()
        self._profiles.clear()

    def save(self, directory: Path, graph_fingerprint: str = "") -> IndexManifest:
        """Write a new generation, then point `manifest.json` at it; keeps only it and the previous one."""
        directory.mkdir(parents=True, exist_ok=True)
        existing = [int(m.group(1)) for p in directory.iterdir() if (m := _GENERATION.match(p.name))]
        generation = f"gen-{max(existing, default=0) + 1:06d}"
        building = directory / f"{generation}.tmp"
        building.mkdir()
        for kind, vectors in self._vectors.items():
            vectors.write(building, kind.value)
        for kind, lexical in self._lexical.items():
            lexical.write(building, kind.value)
        building.rename(directory / generation)
        manifest = IndexManifest(
            model=self.config.model,
            dim=self.config.dim,
            normalized=self.config.normalized,
            generation=generation,
            counts={kind.value: len(v) for kind, v in self._vectors.items()},
            index_types={kind.value: v.index_type for kind, v in self._vectors.items()},
            lexical=sorted(kind.value for kind in self._lexical),
            graph_fingerprint=graph_fingerprint,
            ikg_version=ikg_version(),
        )
        previous = _current_generation(directory)
        write_manifest(directory, manifest)
        self.manifest = manifest
        _remove_old_generations(directory, keep={generation, previous or generation})
        return manifest

    @classmethod
    def load(cls, directory: Path, expected: IndexConfig) -> IndexSet:
        """Raises `IndexMissingError` (nothing usable there) or `IndexMismatchError` (another model)."""
        manifest = read_manifest(directory)
        check_compatible(manifest, expected)
        generation = directory / manifest.generation
        if not generation.is_dir():
            raise IndexMissingError(f"index generation {generation} is missing; run 'ikg reindex'")
        out = cls(expected)
        for name, count in manifest.counts.items():
            kind = _kind(name, directory)
            out._vectors[kind] = VectorIndex.read(generation, kind.value, expected, count)
        for name in manifest.lexical:
            kind = _kind(name, directory)
            lexical = LexicalIndex.read(generation, kind.value)
            if lexical.ids() != out._vectors[kind].ids():
                raise IndexMissingError(
                    f"the {kind} BM25 and vector indexes in {generation} disagree; run 'ikg reindex'"
                )
            out._lexical[kind] = lexical
        out.manifest = manifest
        return out

    @classmethod
    def load_or_create(cls, directory: Path, config: IndexConfig) -> IndexSet:
        """The saved index, or an empty one if none was ever saved; a mismatch still raises."""
        if not (directory / "manifest.json").exists():
            return cls(config)
        return cls.load(directory, config)


def _kind(name: str, directory: Path) -> IndexKind:
    try:
        return IndexKind(name)
    except ValueError as exc:
        raise IndexMissingError(
            f"{directory}/manifest.json names an unknown kind {name!r}; run 'ikg reindex'"
        ) from exc


def _current_generation(directory: Path) -> str | None:
    try:
        return read_manifest(directory).generation
    except IndexMissingError:
        return None


def _remove_old_generations(directory: Path, keep: set[str]) -> None:
    # Leftovers of crashed saves and superseded generations. The previous one stays for readers that read the
    # old manifest a moment ago. Failing to delete garbage must not fail a save that already succeeded.
    for path in directory.iterdir():
        if _GENERATION.match(path.name) and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
