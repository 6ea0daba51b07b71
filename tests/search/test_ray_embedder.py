"""`ikg ingest --ray`: the embedding stage on Ray actors gives the vectors of the in-process embedder."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from ikg.graph.errors import ConfigError
from ikg.search.embedder import bundled_minilm_path
from ikg.search.passage_model import load_passage_embedder
from ikg.search.ray_embedder import BATCH, RayEmbedder, import_ray

TEXTS = [
    f"第{i}条：针对{topic}问题，制定整改措施{i}项，建立长效机制。"
    for i, topic in enumerate(["选人用人", "落实中央八项规定精神", "意识形态工作", "基层党组织建设"] * 40)
]


def test_missing_extra_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what an environment without ikg[ray] looks like
    with pytest.raises(ConfigError, match=r"pip install 'ikg\[ray\]'"):
        import_ray()


@pytest.fixture(scope="module")
def local_ray() -> Iterator[object]:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield ray
    finally:
        ray.shutdown()


@pytest.mark.slow
def test_ray_actors_match_the_in_process_embedder(local_ray: object, tmp_path: Path) -> None:
    assert len(TEXTS) > 2 * BATCH  # several batches over both actors, reassembled in order
    local = load_passage_embedder(bundled_minilm_path(), precision="fp32", home=tmp_path, cache=False)
    remote = RayEmbedder("local", bundled_minilm_path(), precision="fp32", home=tmp_path, actors=2)
    try:
        assert (remote.name, remote.dim) == (local.name, local.dim)
        a, b = local.embed_passages(TEXTS), remote.embed_passages(TEXTS)
        assert a.shape == b.shape == (len(TEXTS), local.dim)
        cosines = np.sum(a * b, axis=1)
        assert cosines.min() >= 0.9999, cosines.min()
        assert float(remote.embed_query(TEXTS[0]) @ local.embed_query(TEXTS[0])) >= 0.9999
        assert remote.embed_passages([]).shape == (0, local.dim)
    finally:
        remote.close()
