"""`open_store`: build the configured `GraphStore`."""

from __future__ import annotations

from collections.abc import Callable

from ikg.graph.errors import ConfigError, StoreUnavailableError
from ikg.graph.store import GraphStore, StoreConfig


def open_store(
    cfg: StoreConfig,
    *,
    read_only: bool = False,
    on_wait: Callable[[], None] | None = None,
    claimed_reports: int = 0,
    writer_running: bool = False,
) -> GraphStore:
    """The embedded LadybugDB store or a Neo4j store; ConfigError for bad settings, StoreError if down.

    `read_only` (commands that only read) opens the embedded graph beside a running writer; `on_wait()` is
    called once if the open has to wait for that writer. Neo4j serves readers and writers itself.
    `claimed_reports` and `writer_running` are what the embedded store checks its file against (see
    `LadybugStore`).
    """
    if cfg.kind in ("embedded", "ladybug"):
        if cfg.path is None:
            raise ConfigError("the embedded graph store needs a directory (--graph-path or IKG_GRAPH_PATH)")
        from ikg.graph.ladybug_store import LadybugStore

        return LadybugStore(
            cfg.path,
            read_only=read_only,
            on_wait=on_wait,
            claimed_reports=claimed_reports,
            writer_running=writer_running,
        )
    if cfg.kind == "neo4j":
        return _open_neo4j(cfg)
    raise ConfigError(f"unknown graph store {cfg.kind!r}; expected 'embedded' or 'neo4j'")


def _open_neo4j(cfg: StoreConfig) -> GraphStore:
    if not cfg.uri:
        raise ConfigError("the neo4j graph store needs a URI, e.g. bolt://localhost:7687 (NEO4J_URI)")
    if cfg.user is None or cfg.password is None:
        raise ConfigError(
            f"the neo4j graph store at {cfg.uri} needs a user and password (NEO4J_USER, NEO4J_PASSWORD)"
        )
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

    from ikg.graph.neo4j_store import Neo4jStore

    try:
        driver = GraphDatabase.driver(cfg.uri, auth=(cfg.user, cfg.password))
    except (ValueError, DriverError) as exc:
        raise ConfigError(
            f"bad Neo4j URI {cfg.uri!r}: {exc}; expected bolt://host:7687 or neo4j://host:7687"
        ) from exc
    try:
        driver.verify_connectivity()
    except AuthError as exc:
        driver.close()
        raise StoreUnavailableError(
            f"Neo4j at {cfg.uri} refused user {cfg.user!r}: check NEO4J_USER and NEO4J_PASSWORD"
        ) from exc
    except (ServiceUnavailable, DriverError, Neo4jError, OSError) as exc:
        driver.close()
        raise StoreUnavailableError(
            f"cannot reach Neo4j at {cfg.uri} ({' '.join(str(exc).split())}); check the server is running "
            "(docker compose ps), "
            "the host and port, and that it listens for Bolt"
        ) from exc
    return Neo4jStore(driver, database=cfg.database)
