"""Settings resolved once, at the edge: flag > IKG_*/NEO4J_* environment variable > default."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ikg.graph.errors import ConfigError
from ikg.graph.store import StoreConfig
from ikg.search.precision import PRECISIONS

DEFAULT_MODEL = "multilingual-e5-small"
GRAPH_KINDS = ("embedded", "neo4j")


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path  # IKG_HOME: the embedded graph, the vector index and the converted model live here
    store: StoreConfig
    model: str  # a name ikg knows, a sentence-transformers directory, or a locally cached hub id
    hnsw_threshold: int  # above this many vectors an index kind switches from exact search to HNSW
    ivfpq_min: int = 200_000  # IKG_INDEX_IVFPQ_MIN: above this many vectors a kind switches to IVF-PQ
    ray: str | None = None  # `ikg ingest --ray ADDRESS`: embed passages on Ray actors ("local" starts one)
    precision: str = "auto"  # IKG_PRECISION: auto (bf16 where the CPU has it, else fp32), fp32, bf16, int8

    @property
    def index_dir(self) -> Path:
        """One index per graph: the embedded graph's, or one per Neo4j server and database."""
        if self.store.kind == "embedded":
            return self.home / "index" / "embedded"
        key = f"{self.store.uri}|{self.store.database or ''}"
        return self.home / "index" / f"neo4j-{hashlib.sha1(key.encode()).hexdigest()[:10]}"


def default_home(env: Mapping[str, str]) -> Path:
    """`$IKG_HOME`, else `$XDG_DATA_HOME/ikg`, else `~/.local/share/ikg`."""
    if env.get("IKG_HOME"):
        return Path(env["IKG_HOME"]).expanduser()
    base = (
        Path(env["XDG_DATA_HOME"]).expanduser() if env.get("XDG_DATA_HOME") else Path.home() / ".local/share"
    )
    return base / "ikg"


def resolve_settings(
    *,
    home: Path | None = None,
    graph: str | None = None,
    neo4j_uri: str | None = None,
    neo4j_user: str | None = None,
    neo4j_password: str | None = None,
    neo4j_database: str | None = None,
    model: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    env = os.environ if env is None else env
    home = (home or default_home(env)).expanduser()
    kind = graph or env.get("IKG_GRAPH") or "embedded"
    if kind not in GRAPH_KINDS:
        raise ConfigError(f"unknown graph store {kind!r}; expected 'embedded' or 'neo4j'")
    if kind == "neo4j":
        uri = neo4j_uri or env.get("NEO4J_URI")
        if not uri:
            raise ConfigError(
                "--graph neo4j needs a server: pass --neo4j-uri or set NEO4J_URI (bolt://host:7687)"
            )
        store = StoreConfig(
            kind="neo4j",
            uri=uri,
            user=neo4j_user or env.get("NEO4J_USER") or env.get("NEO4J_USERNAME") or "neo4j",
            password=neo4j_password or env.get("NEO4J_PASSWORD"),
            database=neo4j_database or env.get("NEO4J_DATABASE") or None,
        )
    else:
        store = StoreConfig(kind="embedded", path=home / "graph")
    threshold = env.get("IKG_HNSW_THRESHOLD", "100000")
    if not threshold.isdigit():
        raise ConfigError(f"IKG_HNSW_THRESHOLD must be a whole number, not {threshold!r}")
    precision = env.get("IKG_PRECISION", "auto").lower()
    if precision not in PRECISIONS:
        raise ConfigError(f"IKG_PRECISION must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    ivfpq_min = env.get("IKG_INDEX_IVFPQ_MIN", "200000")
    if not ivfpq_min.isdigit():
        raise ConfigError(f"IKG_INDEX_IVFPQ_MIN must be a whole number, not {ivfpq_min!r}")
    model = model or env.get("IKG_MODEL") or DEFAULT_MODEL
    return Settings(home, store, model, int(threshold), int(ivfpq_min), precision=precision)
