"""What an index on disk was built with (`manifest.json`), and the check against what settings ask for."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from ikg.graph.errors import IndexMismatchError, IndexMissingError

MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1  # bump on any change to the files an index generation holds


@dataclass(frozen=True, slots=True)
class IndexConfig:
    """Settings for the vector index; `app/settings.py` builds it once."""

    model: str  # embedder name, e.g. "multilingual-e5-small"
    dim: int
    normalized: bool = True
    flat_max: int = 50_000  # exact inner-product search up to this many vectors per kind, HNSW above
    hnsw_m: int = 32
    hnsw_ef_search: int = 64
    hnsw_ef_construction: int = 80
    ivfpq_min: int = 200_000  # above this many vectors: IVF-PQ (compressed codes, trained on a sample)
    ivfpq_sample: int = 100_000  # vectors the coarse quantizer and the codebooks are trained on
    ivfpq_nprobe: int = 32  # inverted lists visited per query


@dataclass(frozen=True, slots=True)
class IndexManifest:
    model: str
    dim: int
    normalized: bool
    generation: str  # the sub-directory holding this index's files
    counts: dict[str, int] = field(default_factory=dict)  # kind -> vectors
    index_types: dict[str, str] = field(default_factory=dict)  # kind -> "flat" | "hnsw" | "ivfpq"
    lexical: list[str] = field(default_factory=list)  # kinds that also have a BM25 index
    graph_fingerprint: str = ""  # GraphStore.fingerprint() when the index was built
    ikg_version: str = ""
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> IndexManifest:
        raw = json.loads(text)
        return cls(
            model=str(raw["model"]),
            dim=int(raw["dim"]),
            normalized=bool(raw["normalized"]),
            generation=str(raw["generation"]),
            counts={str(k): int(v) for k, v in raw.get("counts", {}).items()},
            index_types={str(k): str(v) for k, v in raw.get("index_types", {}).items()},
            lexical=[str(k) for k in raw.get("lexical", [])],
            graph_fingerprint=str(raw.get("graph_fingerprint", "")),
            ikg_version=str(raw.get("ikg_version", "")),
            format_version=int(raw.get("format_version", 0)),
        )


def ikg_version() -> str:
    try:
        return metadata.version("ikg")
    except metadata.PackageNotFoundError:
        return "unknown"


def read_manifest(index_dir: Path) -> IndexManifest:
    """Raises `IndexMissingError` when there is no readable manifest."""
    path = index_dir / MANIFEST_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise IndexMissingError(
            f"no search index in {index_dir}; run 'ikg reindex' (or ingest reports) to build it"
        ) from exc
    except OSError as exc:
        raise IndexMissingError(f"cannot read {path}: {exc.strerror}; run 'ikg reindex'") from exc
    try:
        return IndexManifest.from_json(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexMissingError(f"{path} is damaged ({exc}); run 'ikg reindex'") from exc


def write_manifest(index_dir: Path, manifest: IndexManifest) -> None:
    """Atomic: a reader sees the old manifest or the new one, never a mix."""
    tmp = index_dir / (MANIFEST_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(manifest.to_json())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / MANIFEST_FILE)


def check_compatible(manifest: IndexManifest, expected: IndexConfig) -> None:
    """Raises `IndexMismatchError` if the index cannot serve vectors made by the configured model."""
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"index has format {manifest.format_version}, this ikg reads {FORMAT_VERSION}; run 'ikg reindex'"
        )
    if manifest.model != expected.model:
        raise IndexMismatchError(
            f"index built with {manifest.model!r}, settings ask for {expected.model!r}; run 'ikg reindex'"
        )
    if manifest.dim != expected.dim or manifest.normalized != expected.normalized:
        raise IndexMismatchError(
            f"index holds {manifest.dim}-d vectors (normalized={manifest.normalized}), settings ask for "
            f"{expected.dim}-d (normalized={expected.normalized}); run 'ikg reindex'"
        )
