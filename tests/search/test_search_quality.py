"""The default (hybrid) mode against each single signal on the held-out half of the analyst queries, with
the real e5 model over the five example reports. A real check: a fusion that loses to BM25 or to the
vectors on queries it was never tuned on fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from ikg.graph.ladybug_store import LadybugStore
from ikg.ingest.build import build_graph
from ikg.ingest.job import load_document
from ikg.search.embedder import SentenceTransformerEmbedder
from ikg.search.evaluation import Key, evaluate, graph_keys, load_queries, mean, mode_ranker
from ikg.search.index import IndexSet
from ikg.search.manifest import IndexConfig
from ikg.search.results import Mode
from ikg.search.sync import sync_index

pytestmark = pytest.mark.slow
QUERIES = Path(__file__).resolve().parents[1] / "fixtures" / "queries" / "analyst_queries.json"


@pytest.fixture(scope="module")
def example_index(
    corpus_dir: Path, e5_embedder: SentenceTransformerEmbedder, tmp_path_factory: pytest.TempPathFactory
) -> tuple[IndexSet, dict[Key, str]]:
    tmp = tmp_path_factory.mktemp("quality")
    store = LadybugStore(tmp / "graph")
    keys: dict[Key, str] = {}
    try:
        for path in sorted(corpus_dir.glob("*.txt")):
            graph = build_graph(load_document(path))
            store.write_report(graph)
            keys.update(graph_keys(graph, path.name))
        index = IndexSet(IndexConfig(e5_embedder.name, e5_embedder.dim))
        sync_index(store, index, lambda: e5_embedder, tmp / "index")
    finally:
        store.close()
    return index, keys


@pytest.mark.parametrize("kind", ["issues", "measures"])
def test_default_mode_is_at_least_as_good_as_each_signal_on_held_out_queries(
    kind: str,
    example_index: tuple[IndexSet, dict[Key, str]],
    e5_embedder: SentenceTransformerEmbedder,
) -> None:
    index, keys = example_index
    held_out = [q for q in load_queries(QUERIES) if q.kind == kind and q.split == "heldout"]
    ndcg = {
        mode: mean(evaluate(held_out, keys, mode_ranker(index, mode, lambda: e5_embedder))).ndcg
        for mode in Mode
    }
    best_single = max(ndcg[Mode.dense], ndcg[Mode.lexical])
    assert ndcg[Mode.hybrid] >= best_single, ndcg
