"""Issue ranking on a real IndexSet: three views summed, mutual re-ranking, scores in 0..1."""

from __future__ import annotations

import numpy as np
import pytest

from ikg.search.index import IndexKind, IndexSet
from ikg.search.issue_ranking import VIEWS, IssueRanker
from ikg.search.manifest import IndexConfig
from ikg.search.results import Mode

DIM = 16


def _unit(v: np.ndarray) -> np.ndarray:
    return np.asarray(v / np.linalg.norm(v, axis=-1, keepdims=True), dtype=np.float32)


def _index(vectors: dict[str, np.ndarray], texts: dict[str, str] | None = None) -> IndexSet:
    """Every view of an issue gets the same vector; `texts` adds BM25 over the whole texts."""
    index = IndexSet(IndexConfig("test-model", DIM))
    ids = list(vectors)
    matrix = np.stack([vectors[i] for i in ids])
    for kind in VIEWS:
        text_list = [texts[i] for i in ids] if texts is not None and kind == IndexKind.ISSUES else None
        index.add(kind, ids, matrix, text_list)
    return index


def test_a_hub_loses_to_a_mutual_neighbour() -> None:
    """`hub` is the nearest issue to `a` but has closer neighbours of its own; `b` and `a` are each
    other's nearest. Plain cosine ranks the hub first for `a`; mutual ranking ranks `b` first."""
    e = np.eye(DIM, dtype=np.float32)
    vectors = {
        "a": _unit(e[0]),
        "b": _unit(e[0] + 0.3 * e[1]),
        "hub": _unit(e[0] + 0.25 * e[2]),
        **{f"c{n}": _unit(e[0] + 0.5 * e[2] + 0.05 * e[3 + n]) for n in range(5)},
        **{f"far{n}": _unit(e[8 + n]) for n in range(5)},
    }
    a = vectors["a"]
    by_cosine = sorted((i for i in vectors if i != "a"), key=lambda i: -float(vectors[i] @ a))
    assert by_cosine[:2] == ["hub", "b"]  # the premise: the hub is a's nearest by cosine, then b
    ranked = IssueRanker(_index(vectors), mode=Mode.dense, depth=20).for_issue("a")
    assert ranked[0].id == "b"
    assert [r.id for r in ranked].index("hub") > 0
    assert "a" not in [r.id for r in ranked]


@pytest.mark.parametrize("mode", [Mode.dense, Mode.lexical, Mode.hybrid])
def test_mutual_scores_are_symmetric_and_scaled(mode: Mode) -> None:
    rng = np.random.default_rng(7)
    centers = rng.standard_normal((4, DIM))
    ids = [f"issue:{n:02d}" for n in range(24)]
    vectors = {i: _unit(centers[n % 4] + 0.7 * rng.standard_normal(DIM)) for n, i in enumerate(ids)}
    words = ["采购", "考勤", "劳模", "党费", "经费", "干部", "审计", "档案"]
    texts = {i: "管理不规范，" + "，".join(rng.choice(words, 3)) for i in ids}
    ranker = IssueRanker(_index(vectors, texts), mode=mode, depth=50)
    rankings = {i: {r.id: r.score for r in ranker.for_issue(i)} for i in ids}
    heads = {i: list(rankings[i])[:5] for i in ids}
    pairs = [(x, y) for x in ids for y in heads[x] if x in heads[y]]
    assert pairs, "no issue pair is in each other's top 5"
    for x, y in pairs:
        assert rankings[x][y] == pytest.approx(rankings[y][x])
    for scores in rankings.values():
        values = list(scores.values())
        assert values == sorted(values, reverse=True)
        assert all(0 < s <= 1 for s in values)


def test_issues_first_for_each_other_in_every_signal_score_one() -> None:
    e = np.eye(DIM, dtype=np.float32)
    vectors = {"a": _unit(e[0]), "b": _unit(e[0] + 0.1 * e[1]), "c": _unit(e[2]), "d": _unit(e[3])}
    texts = {"a": "采购管理不规范", "b": "物资采购不规范", "c": "考勤不严", "d": "党费收缴"}
    index = _index(vectors, texts)
    index.add(IndexKind.PROBLEM_TYPES, ["type:buy", "type:time"], np.stack([e[0], e[2]]))
    ranked = IssueRanker(index, mode=Mode.hybrid, depth=10).for_issue("a")
    assert [r.id for r in ranked][:1] == ["b"] and "a" not in [r.id for r in ranked]
    assert ranked[0].score == pytest.approx(1.0)
    assert ranked[0].cosine == pytest.approx(float(vectors["a"] @ vectors["b"]), abs=1e-6)
    assert all(r.score < 1.0 for r in ranked[1:])


def test_issue_12_a_stored_issue_finds_its_title_synonyms_in_hybrid_mode() -> None:
    """The query issue says 编外人员, the answer only 合同工 (one synonym group): with titles to expand,
    hybrid BM25 finds it and ranks it higher than without; no vector prefers it (all orthogonal)."""
    e = np.eye(DIM, dtype=np.float32)
    texts = {
        "q": "编外人员管理不到位。绩效考核制度不健全",
        "answer": "合同工薪酬高于标准。按照标准重新核定",
        **{f"other{n}": f"物资采购管理不严格。第{n}批合同签订手续不全" for n in range(6)},
    }
    vectors = {i: e[n] for n, i in enumerate(texts)}
    titles = {i: t.split("。")[0] for i, t in texts.items()}
    index = _index(vectors, texts)

    def rank_of_answer(with_titles: bool) -> int:
        lookup = (lambda ids: {i: titles[i] for i in ids}) if with_titles else None
        ranked = IssueRanker(index, mode=Mode.hybrid, depth=20, titles=lookup).for_issue("q")
        return [r.id for r in ranked].index("answer")

    assert rank_of_answer(True) < rank_of_answer(False)


@pytest.mark.parametrize("mode", [Mode.dense, Mode.hybrid])
def test_views_indexed_in_another_order_rank_the_same(mode: Mode) -> None:
    """The ranker works on rows of the issues view; a view whose rows are in another order (indexed
    separately) is mapped onto them, and the rankings do not change."""
    rng = np.random.default_rng(3)
    ids = [f"issue:{n:02d}" for n in range(30)]
    vectors = {i: _unit(rng.standard_normal(DIM)) for i in ids}
    texts = {i: "管理不规范，" + "，".join(rng.choice(["采购", "考勤", "党费", "审计"], 2)) for i in ids}
    aligned = _index(vectors, texts)
    shuffled = IndexSet(IndexConfig("test-model", DIM))
    shuffled.add(IndexKind.ISSUES, ids, np.stack([vectors[i] for i in ids]), [texts[i] for i in ids])
    for kind in VIEWS[1:]:
        order = list(rng.permutation(ids))
        shuffled.add(kind, order, np.stack([vectors[i] for i in order]))
    for index in (aligned, shuffled):
        index.add(
            IndexKind.PROBLEM_TYPES, ["type:a", "type:b"], np.stack([_unit(np.ones(DIM)), vectors[ids[0]]])
        )
    for i in ids[:6]:
        a = IssueRanker(aligned, mode=mode, depth=20).for_issue(i)
        b = IssueRanker(shuffled, mode=mode, depth=20).for_issue(i)
        assert a == b
