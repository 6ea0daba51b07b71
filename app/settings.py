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


BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def check_bolt_uri(uri: str) -> str:
    """The URI stripped, or `ConfigError` if the Neo4j driver could not speak Bolt to it (checked before the
    driver is imported: its http:// support needs packages ikg does not ship)."""
    uri = uri.strip()
    expected = "expected " + ", ".join(f"{s}://" for s in BOLT_SCHEMES) + " (e.g. bolt://localhost:7687)"
    scheme, sep, rest = uri.partition("://")
    if not sep or scheme.lower() not in BOLT_SCHEMES:
        hint = "; 7474 is Neo4j's browser (HTTP) port, Bolt listens on 7687" if "7474" in uri else ""
        raise ConfigError(f"Neo4j URI {uri!r}: not a Bolt URI; {expected}{hint}")
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(uri)
        ok = bool(rest and parts.hostname) and (parts.port is None or parts.port > 0)
    except ValueError:  # a port that is not a number or out of range, a broken [IPv6] host
        ok = False
    if not ok:
        raise ConfigError(f"Neo4j URI {uri!r}: no host or a bad port; {expected}")
    return uri


def resolve_home(home: str | Path | None, env: Mapping[str, str]) -> Path:
    """`--home`, else `$IKG_HOME`, else the default; an empty or blank value is refused, not taken as the
    current folder, and so is a folder of ikg's own source (its `graph/` package would get a database)."""
    if home is None:
        if "IKG_HOME" in env and not env["IKG_HOME"].strip():
            raise ConfigError("IKG_HOME is set but empty; set it to a folder, or unset it for the default")
        path = default_home(env)
    else:
        if not str(home).strip():
            raise ConfigError("--home is empty; give a folder, e.g. --home ~/ikg-data")
        path = Path(home).expanduser()
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        where = "is a file" if existing == path else f"is inside {existing}, a file"
        raise ConfigError(f"--home {path}: {where}; give a folder")
    source = _source_root()
    resolved = path.resolve()
    if resolved == source or any(resolved.is_relative_to(source / pkg) for pkg in _PACKAGES):
        raise ConfigError(f"--home {path}: is ikg's own source folder; choose a data folder outside it")
    return path


_PACKAGES = ("graph", "ingest", "search", "cli", "app")


def _source_root() -> Path:
    """The folder holding ikg's packages (the repository root of an editable install)."""
    import ikg.graph

    return Path(ikg.graph.__file__).resolve().parents[1]


def resolve_settings(
    *,
    home: str | Path | None = None,
    graph: str | None = None,
    neo4j_uri: str | None = None,
    neo4j_user: str | None = None,
    neo4j_password: str | None = None,
    neo4j_database: str | None = None,
    model: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Flags (None: not given) over environment over defaults; `ConfigError` for anything that cannot
    work, before any store, driver or model is touched."""
    env = os.environ if env is None else env
    home_dir = resolve_home(home, env)
    kind = graph or env.get("IKG_GRAPH") or "embedded"
    if kind not in GRAPH_KINDS:
        raise ConfigError(f"unknown graph store {kind!r}; expected 'embedded' or 'neo4j'")
    if kind == "neo4j":
        uri = neo4j_uri or env.get("NEO4J_URI")
        if not uri or not uri.strip():
            raise ConfigError(
                "--graph neo4j needs a server: pass --neo4j-uri or set NEO4J_URI (bolt://host:7687)"
            )
        store = StoreConfig(
            kind="neo4j",
            uri=check_bolt_uri(uri),
            user=neo4j_user or env.get("NEO4J_USER") or env.get("NEO4J_USERNAME") or "neo4j",
            password=neo4j_password or env.get("NEO4J_PASSWORD"),
            database=neo4j_database or env.get("NEO4J_DATABASE") or None,
        )
    else:
        store = StoreConfig(kind="embedded", path=home_dir / "graph")
    threshold = env.get("IKG_HNSW_THRESHOLD", "100000")
    if not threshold.isdigit():
        raise ConfigError(f"IKG_HNSW_THRESHOLD must be a whole number, not {threshold!r}")
    precision = env.get("IKG_PRECISION", "auto").lower()
    if precision not in PRECISIONS:
        raise ConfigError(f"IKG_PRECISION must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    model = model or env.get("IKG_MODEL") or DEFAULT_MODEL
    from ikg.search.embedder import check_model, hub_cache_dir

    check_model(model, hub_cache_dir(env))
    return Settings(home_dir, store, model, int(threshold), precision)
