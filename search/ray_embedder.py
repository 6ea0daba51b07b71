"""The embedding stage on Ray (`ikg[ray]`): passages embedded by actors, vectors returned to the driver.

Each actor loads the passage model once from the local model folder (the same IKG_HOME path must exist on
every node: convert the model there first, e.g. by one `ikg reindex`) and embeds batches of passages; the
driver keeps the passage cache and writes the graph and the index, so a cluster adds throughput, never a
second writer. `ray.init` attaches to ADDRESS (`ray://host:10001`, `host:6379`, `auto`) or, for `local`,
starts a one-machine Ray.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ikg.graph.errors import ConfigError

if TYPE_CHECKING:
    from ikg.search.embed_cache import CachedEmbedder

BATCH = 64  # passages per Ray task: large enough that the round trip is small beside the model's time


def import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("--ray needs Ray: install with pip install 'ikg[ray]'") from exc
    return ray


class _EmbedActor:
    def __init__(self, model: str, precision: str, home: str, threads: int | None) -> None:
        from ikg.search.passage_model import load_passage_embedder

        self._embedder = load_passage_embedder(
            model, precision=precision, home=Path(home), threads=threads, cache=False
        )

    def describe(self) -> tuple[str, int, str]:
        return self._embedder.name, self._embedder.dim, str(getattr(self._embedder, "precision", ""))

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._embedder.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embedder.embed_query(text)


class RayEmbedder:
    """An `Embedder` whose passages are embedded by `actors` Ray actors, `BATCH` passages per call."""

    def __init__(
        self,
        address: str,
        model: Path | str,
        *,
        precision: str,
        home: Path,
        actors: int = 2,
        cpus_per_actor: float = 1,
        threads: int | None = 1,
    ) -> None:
        ray = import_ray()
        self._ray = ray
        if not ray.is_initialized():
            try:
                if address == "local":
                    ray.init(include_dashboard=False, log_to_driver=False)
                else:
                    ray.init(address=address, log_to_driver=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ConfigError(f"cannot reach Ray at {address!r}: {exc}") from exc
        actor = ray.remote(num_cpus=cpus_per_actor)(_EmbedActor)
        self._actors = [
            actor.remote(str(model), precision, str(home), threads) for _ in range(max(1, actors))
        ]
        self.name, self.dim, self.precision = ray.get(self._actors[0].describe.remote())

    def embed_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        batches = [list(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
        futures = [self._actors[i % len(self._actors)].embed.remote(b) for i, b in enumerate(batches)]
        return np.ascontiguousarray(np.concatenate(self._ray.get(futures)), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._ray.get(self._actors[0].embed_query.remote(text)), dtype=np.float32)

    def close(self) -> None:
        for a in self._actors:
            self._ray.kill(a)
        self._actors = []


def load_ray_embedder(address: str, model: Path | str, *, precision: str, home: Path) -> CachedEmbedder:
    """The driver's embedder for `ikg ingest --ray`: Ray actors behind the driver's passage cache."""
    from ikg.search.embed_cache import CachedEmbedder, EmbeddingCache
    from ikg.search.passage_model import derived_dir, time_precisions
    from ikg.search.precision import resolve_precision, store_choice, stored_choice

    import_ray()  # fail before any timing when the extra is missing
    folder = derived_dir(model, home)
    if precision == "auto" and stored_choice(folder) is None:
        store_choice(folder, time_precisions(model, home))
    concrete = resolve_precision(precision, folder)
    inner = RayEmbedder(address, model, precision=concrete, home=home)
    return CachedEmbedder(inner, EmbeddingCache(home / "cache" / "embeddings", inner.name, concrete))
