"""Open the graph store (and, on demand, the vector index and the model) that the settings name."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ikg.cli.settings import Settings
from ikg.graph.store import GraphStore


@contextmanager
def open_graph(settings: Settings) -> Iterator[GraphStore]:
    from ikg.graph.open import open_store

    store = open_store(settings.store)
    try:
        yield store
    finally:
        store.close()
