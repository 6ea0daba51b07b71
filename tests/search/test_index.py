"""IndexSet / VectorIndex on real FAISS: add, search, remove, save/load, mismatch, crash safety."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import pytest

from ikg.graph.errors import IndexMismatchError, IndexMissingError, NotFoundError
from ikg.search.index import IndexSet
from ikg.search.manifest import IndexConfig, read_manifest
from ikg.search.problem_types import profiles
from ikg.search.vector_index import FLAT, HNSW, node_label

DIM = 32
N = 300
# HNSW is forced by a threshold below the vector count
MODES = {FLAT: IndexConfig("test-model", DIM), HNSW: IndexConfig("test-model", DIM, flat_max=50)}


def _vectors(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, DIM)).astype(np.float32)
    return np.asarray(v / np.linalg.norm(v, axis=1, keepdims=True), dtype=np.float32)


def _ids(n: int, start: int = 0) -> list[str]:
    return [f"issue:{i:05d}" for i in range(start, start + n)]


@pytest.fixture(params=sorted(MODES))
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def filled(mode: str) -> tuple[IndexSet, list[str], np.ndarray]:
    index = IndexSet(MODES[mode])
    ids, vectors = _ids(N), _vectors(N, seed=1)
    index.add("issues", ids, vectors)
    return index, ids, vectors


def _exact_top(vectors: np.ndarray, ids: list[str], query: np.ndarray, k: int) -> list[str]:
    order = np.argsort(-(vectors @ query), kind="stable")[:k]
    return [ids[i] for i in order]


def test_each_vector_finds_itself_first(mode: str, filled: tuple[IndexSet, list[str], np.ndarray]) -> None:
    index, ids, vectors = filled
    assert index.index_type("issues") == mode
    for i in range(0, N, 7):
        (top_id, score), *_ = index.search("issues", vectors[i], k=5)
        assert top_id == ids[i]
        assert score == pytest.approx(1.0, abs=1e-5)


def test_search_matches_brute_force(mode: str, filled: tuple[IndexSet, list[str], np.ndarray]) -> None:
    index, ids, vectors = filled
    queries = _vectors(20, seed=2)
    recall = np.mean(
        [
            len({h for h, _ in index.search("issues", q, 10)} & set(_exact_top(vectors, ids, q, 10))) / 10
            for q in queries
        ]
    )
    assert recall == 1.0 if mode == FLAT else recall >= 0.95


def test_scores_are_inner_products_best_first(filled: tuple[IndexSet, list[str], np.ndarray]) -> None:
    index, ids, vectors = filled
    q = _vectors(1, seed=3)[0]
    hits = index.search("issues", q, 8)
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)
    for node_id, score in hits:
        assert score == pytest.approx(float(vectors[ids.index(node_id)] @ q), abs=1e-5)


def test_remove_drops_ids_everywhere(mode: str, filled: tuple[IndexSet, list[str], np.ndarray]) -> None:
    index, ids, vectors = filled
    gone = ids[:260:2]  # 170 stay: HNSW mode stays HNSW, rebuilt from the kept vectors
    assert index.remove("issues", [*gone, "issue:unknown"]) == len(gone)
    assert index.count("issues") == N - len(gone)
    assert set(index.ids("issues")) == set(ids) - set(gone)
    for i in range(0, 260, 2):
        assert ids[i] not in {h for h, _ in index.search("issues", vectors[i], 20)}
    with pytest.raises(NotFoundError):
        index.vector("issues", gone[0])
    kept = ids[1]
    assert index.search("issues", vectors[1], 1)[0][0] == kept


def test_dropping_below_threshold_switches_hnsw_to_flat() -> None:
    index = IndexSet(MODES[HNSW])
    ids, vectors = _ids(80), _vectors(80, seed=4)
    index.add("issues", ids, vectors)
    assert index.index_type("issues") == HNSW
    index.remove("issues", ids[:40])
    assert index.index_type("issues") == FLAT
    q = _vectors(1, seed=5)[0]
    assert [h for h, _ in index.search("issues", q, 5)] == _exact_top(vectors[40:], ids[40:], q, 5)


def test_adding_an_existing_id_replaces_its_vector(filled: tuple[IndexSet, list[str], np.ndarray]) -> None:
    index, ids, _ = filled
    new = _vectors(1, seed=6)
    index.add("issues", [ids[3]], new)
    assert index.count("issues") == N
    np.testing.assert_array_equal(index.vector("issues", ids[3]), new[0])
    assert index.search("issues", new[0], 1)[0][0] == ids[3]


def test_search_rows_name_the_hits_of_search_many(mode: str, tmp_path: Path) -> None:
    """Rows are what ranking works on: after removals, a replacement and a save/load they still name the
    ids `search_many` finds, in its order, and `matrix` holds their vectors."""
    index = IndexSet(MODES[mode])
    ids, vectors = _ids(N), _vectors(N, seed=11)
    index.add("issues", ids, vectors)
    index.remove("issues", ids[5:40:3])
    index.add("issues", [ids[50]], _vectors(1, seed=12))
    index.save(tmp_path)
    queries = _vectors(6, seed=13)
    for each in (index, IndexSet.load(tmp_path, MODES[mode])):
        rows = each.search_rows("issues", queries, 15)
        assert [each.ids_at("issues", r) for r in rows] == [
            [i for i, _ in hits] for hits in each.search_many("issues", queries, 15)
        ]
        np.testing.assert_array_equal(
            each.matrix("issues")[rows[0]], each.vectors("issues", each.ids_at("issues", rows[0]))
        )
        assert each.row_numbers("issues", each.ids_at("issues", rows[1])).tolist() == rows[1].tolist()
    with pytest.raises(NotFoundError):
        index.row_numbers("issues", [ids[5]])


def test_row_map_between_kinds_indexed_in_another_order() -> None:
    index = IndexSet(MODES[FLAT])
    ids, vectors = _ids(5), _vectors(5, seed=14)
    index.add("issues", ids, vectors)
    index.add("issue_heads", ids, vectors)
    assert index.row_map("issue_heads", "issues") is None  # same ids in the same order
    index.add("issue_titles", ids[::-1][:4], vectors[::-1][:4])  # reversed, without ids[0]
    assert index.row_map("issue_titles", "issues").tolist() == [4, 3, 2, 1]  # type: ignore[union-attr]
    assert index.row_map("issues", "issue_titles").tolist() == [-1, 3, 2, 1, 0]  # type: ignore[union-attr]
    index.add("issue_titles", ids[:1], vectors[:1])
    assert index.row_map("issues", "issue_titles").tolist() == [4, 3, 2, 1, 0]  # type: ignore[union-attr]


def test_type_profiles_are_those_of_every_row_and_follow_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ikg.search.index.PROFILE_BLOCK", 64)  # several blocks for 300 rows
    index = IndexSet(MODES[FLAT])
    types = _vectors(7, seed=3)
    index.add("problem_types", _ids(7), types)
    index.add("issues", _ids(N), _vectors(N, seed=1))
    cached = index.type_profiles("issues")
    assert cached.shape == (N, 7)
    # equal up to the last bits of the products, which the sharp softmax (temperature 0.01) magnifies
    np.testing.assert_allclose(cached, profiles(index.matrix("issues"), types), rtol=0, atol=1e-5)
    assert index.type_profiles("issues") is cached  # computed once
    index.add("issues", _ids(5, start=N), _vectors(5, seed=2))
    grown = index.type_profiles("issues")
    assert grown.shape == (N + 5, 7)
    np.testing.assert_allclose(grown[N:], profiles(_vectors(5, seed=2), types), rtol=0, atol=1e-5)
    index.remove("problem_types", _ids(2))
    assert index.type_profiles("issues").shape == (N + 5, 5)


def test_kinds_are_separate(filled: tuple[IndexSet, list[str], np.ndarray]) -> None:
    index, _, vectors = filled
    index.add("measures", ["measure:1"], vectors[:1])
    assert index.search("measures", vectors[0], 5) == [("measure:1", pytest.approx(1.0, abs=1e-5))]
    assert index.count("measures") == 1
    with pytest.raises(ValueError):
        index.add("regulations", ["r"], vectors[:1])


@pytest.mark.parametrize(
    "vectors, message",
    [
        (np.ones((2, DIM), dtype=np.float32), "normalized"),
        (np.zeros((2, DIM + 1), dtype=np.float32), "shape"),
        (np.full((2, DIM), np.nan, dtype=np.float32), "NaN"),
    ],
)
def test_bad_vectors_are_rejected(vectors: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        IndexSet(MODES[FLAT]).add("issues", ["a", "b"], vectors)


def test_save_load_round_trip(
    mode: str, filled: tuple[IndexSet, list[str], np.ndarray], tmp_path: Path
) -> None:
    index, ids, vectors = filled
    index.add("measures", _ids(5, start=900), _vectors(5, seed=7))
    manifest = index.save(tmp_path, graph_fingerprint="graph-abc")
    loaded = IndexSet.load(tmp_path, MODES[mode])
    assert loaded.ids("issues") == ids
    assert loaded.index_type("issues") == mode
    assert loaded.manifest == manifest
    assert (manifest.counts, manifest.graph_fingerprint, manifest.index_types["issues"]) == (
        {"issues": N, "issue_heads": 0, "issue_titles": 0, "measures": 5, "problem_types": 0},
        "graph-abc",
        mode,
    )
    for i in (0, 17, N - 1):
        np.testing.assert_array_equal(loaded.vector("issues", ids[i]), vectors[i])
    for q in _vectors(5, seed=8):
        assert loaded.search("issues", q, 10) == index.search("issues", q, 10)


def test_loaded_vectors_are_memory_mapped_and_stay_usable(
    mode: str, filled: tuple[IndexSet, list[str], np.ndarray], tmp_path: Path
) -> None:
    index, ids, vectors = filled
    in_memory = index.memory_bytes()["issues"]
    index.save(tmp_path)
    loaded = IndexSet.load(tmp_path, MODES[mode])
    assert loaded.mapped_bytes()["issues"] == vectors.nbytes  # the float32 copy stays on disk
    assert loaded.memory_bytes()["issues"] == in_memory - vectors.nbytes
    np.testing.assert_array_equal(loaded.vectors("issues", ids[:7]), vectors[:7])
    # changing a loaded index copies what it keeps; the saved generation it was mapped from is untouched
    loaded.remove("issues", ids[:10])
    loaded.add("issues", ["issue:new"], _vectors(1, seed=9))
    assert loaded.search("issues", _vectors(1, seed=9)[0], 1)[0][0] == "issue:new"
    loaded.save(tmp_path)
    again = IndexSet.load(tmp_path, MODES[mode])
    assert again.ids("issues") == [*ids[10:], "issue:new"]
    np.testing.assert_array_equal(again.vector("issues", ids[10]), vectors[10])


def test_int64_labels_are_stable_across_save_and_load(
    filled: tuple[IndexSet, list[str], np.ndarray], tmp_path: Path
) -> None:
    index, ids, _ = filled
    index.save(tmp_path)
    generation = tmp_path / read_manifest(tmp_path).generation
    stored: Any = faiss.read_index(str(generation / "issues.faiss"))
    labels = faiss.vector_to_array(stored.id_map).tolist()
    assert sorted(labels) == sorted(node_label(i) for i in ids)
    sidecar = json.loads((generation / "issues.ids.json").read_text(encoding="utf-8"))
    assert sidecar["labels"] == [node_label(i) for i in sidecar["ids"]]
    assert all(0 <= label < 2**63 for label in labels)


def test_saving_again_keeps_only_two_generations(
    filled: tuple[IndexSet, list[str], np.ndarray], tmp_path: Path
) -> None:
    index, _, _ = filled
    names = [index.save(tmp_path).generation for _ in range(4)]
    assert len(set(names)) == 4
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == names[-2:]


def test_loading_with_another_model_says_to_reindex(
    filled: tuple[IndexSet, list[str], np.ndarray], tmp_path: Path
) -> None:
    index, _, _ = filled
    index.save(tmp_path)
    message = "index built with 'test-model', settings ask for 'all-MiniLM-L6-v2'; run 'ikg reindex'"
    with pytest.raises(IndexMismatchError, match=message):
        IndexSet.load(tmp_path, IndexConfig("all-MiniLM-L6-v2", DIM))
    with pytest.raises(IndexMismatchError, match="32-d"):
        IndexSet.load(tmp_path, IndexConfig("test-model", 384))


def test_missing_index_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="ikg reindex"):
        IndexSet.load(tmp_path / "nowhere", MODES[FLAT])
    assert IndexSet.load_or_create(tmp_path / "nowhere", MODES[FLAT]).count("issues") == 0


def test_crash_before_the_manifest_switch_keeps_the_previous_index(
    filled: tuple[IndexSet, list[str], np.ndarray], tmp_path: Path
) -> None:
    index, ids, vectors = filled
    index.save(tmp_path)
    index.add("issues", _ids(10, start=5000), _vectors(10, seed=9))
    # A real write failure after every data file is written: the manifest's temp path is a directory.
    obstacle = tmp_path / "manifest.json.tmp"
    obstacle.mkdir()
    (obstacle / "x").write_text("in the way", encoding="utf-8")
    with pytest.raises(IsADirectoryError):
        index.save(tmp_path)
    survivor = IndexSet.load(tmp_path, MODES[FLAT])
    assert survivor.ids("issues") == ids
    assert survivor.search("issues", vectors[5], 1)[0][0] == ids[5]

    shutil.rmtree(obstacle)
    index.save(tmp_path)
    assert IndexSet.load(tmp_path, MODES[FLAT]).count("issues") == N + 10


@pytest.mark.parametrize("damage", ["delete_vectors", "truncate_ids", "delete_generation"])
def test_damaged_generation_is_reported_not_used(
    damage: str, filled: tuple[IndexSet, list[str], np.ndarray], tmp_path: Path
) -> None:
    index, _, _ = filled
    generation = tmp_path / index.save(tmp_path).generation
    if damage == "delete_vectors":
        (generation / "issues.npy").unlink()
    elif damage == "truncate_ids":
        sidecar = json.loads((generation / "issues.ids.json").read_text(encoding="utf-8"))
        sidecar["ids"], sidecar["labels"] = sidecar["ids"][:-1], sidecar["labels"][:-1]
        (generation / "issues.ids.json").write_text(json.dumps(sidecar), encoding="utf-8")
    else:
        shutil.rmtree(generation)
    with pytest.raises(IndexMissingError, match="ikg reindex"):
        IndexSet.load(tmp_path, MODES[FLAT])


def test_texts_get_a_bm25_index_saved_with_the_vectors(tmp_path: Path) -> None:
    index = IndexSet(MODES[FLAT])
    texts = ["财务制度执行不到位", "物资采购管理不严格", "考勤管理不够严格"]
    index.add("issues", ["a", "b", "c"], _vectors(3, seed=10), texts=texts)
    index.save(tmp_path)
    loaded = IndexSet.load(tmp_path, MODES[FLAT])
    assert loaded.lexical_search("issues", "采购", 3)[0][0] == "b"
    loaded.remove("issues", ["b"])
    assert loaded.lexical_search("issues", "采购", 3) == []
    assert loaded.lexical_search("measures", "采购", 3) == []
