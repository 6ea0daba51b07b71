"""Reciprocal rank fusion: ordering and scores."""

from __future__ import annotations

import numpy as np
import pytest

from ikg.search.fusion import (
    DEFAULT_TEXT_FUSION,
    LONG_WEIGHTS,
    PLAIN_TEXT_FUSION,
    SHORT_WEIGHTS,
    TextFusion,
    rrf,
    rrf_rows,
    text_weights,
)


@pytest.mark.parametrize(
    "rankings, k, weights, expected",
    [
        # a and b tie (1/61 + 1/62 each): first seen wins; c and d tie at 1/63
        ([["a", "b", "c"], ["b", "a", "d"]], 60, None, ["a", "b", "c", "d"]),
        # agreement beats a single first place: b = 1/62 + 1/61 > a = 1/61
        ([["a", "b"], ["b", "c"]], 60, None, ["b", "a", "c"]),
        # a near-zero weight on the second ranking: a = 1/61 beats b = 1/62 + 0.01/61
        ([["a", "b"], ["b", "c"]], 60, [1.0, 0.01], ["a", "b", "c"]),
        # k = 0: a = 1 + 1/4; b = 1/2 + 1/2 ties c = 1 (b seen first); x ties d at 1/3; y = 1/4
        ([["a", "b", "x", "y"], ["c", "b", "d", "a"]], 0, None, ["a", "b", "c", "x", "d", "y"]),
        ([["a"], []], 60, None, ["a"]),
        ([], 60, None, []),
    ],
)
def test_rrf_ordering(
    rankings: list[list[str]], k: int, weights: list[float] | None, expected: list[str]
) -> None:
    assert [node_id for node_id, _ in rrf(rankings, k=k, weights=weights)] == expected


def test_rrf_scores_follow_the_formula() -> None:
    fused = dict(rrf([["a", "b"], ["b"]], k=10, weights=[1.0, 2.0]))
    assert fused["a"] == pytest.approx(1 / 11)
    assert fused["b"] == pytest.approx(1 / 12 + 2 / 11)


def test_repeated_id_counts_once_at_its_best_rank() -> None:
    assert dict(rrf([["a", "b", "a"]], k=0)) == {"a": 1.0, "b": 0.5}


@pytest.mark.parametrize("seed", range(40))
def test_rrf_rows_equals_rrf_to_the_last_bit(seed: int) -> None:
    """Rankings over few ids, so ties and repeats are common: the vectorised fusion must give the same
    order (ties included) and bit-identical scores."""
    rng = np.random.default_rng(seed)
    rankings = [rng.integers(0, 12, int(rng.integers(0, 15))) for _ in range(int(rng.integers(1, 4)))]
    weights = None if seed % 2 else [float(w) for w in rng.choice([0.5, 1.0, 2.0, 3.0], len(rankings))]
    k = int(rng.choice([0, 30, 60]))
    rows, scores = rrf_rows(rankings, k=k, weights=weights)
    expected = rrf([[str(r) for r in ranking] for ranking in rankings], k=k, weights=weights)
    assert [str(r) for r in rows.tolist()] == [i for i, _ in expected]
    assert scores.tolist() == [s for _, s in expected]


def test_weights_must_match_rankings() -> None:
    with pytest.raises(ValueError):
        rrf([["a"], ["b"]], weights=[1.0])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("公车管理", SHORT_WEIGHTS),
        ("滥发 奖金", SHORT_WEIGHTS),  # spaces do not count
        ("三公经费超范围", LONG_WEIGHTS),  # 7 characters
        ("干部私人出境证照管理松懈", LONG_WEIGHTS),
        ("", SHORT_WEIGHTS),
    ],
)
def test_text_weights_by_query_length(text: str, expected: tuple[float, float, float]) -> None:
    assert text_weights(text) == expected


def test_short_queries_lean_on_bm25_more_than_long_ones() -> None:
    dense, _, lexical = SHORT_WEIGHTS
    long_dense, _, long_lexical = LONG_WEIGHTS
    assert lexical / dense > long_lexical / long_dense


@pytest.mark.parametrize(
    "rankings, weights, expected",
    [
        # dense says a, types say b, BM25 says c. BM25 at 2: a = 1/31 + .5/32 + 2/32 = .1104 just beats
        # c = 1/33 + .5/33 + 2/31 = .1100; at 3 (a short query) c = .1422 beats a = .1416
        ([["a", "b", "c"], ["b", "a", "c"], ["c", "a", "b"]], [1.0, 0.5, 2.0], ["a", "c", "b"]),
        ([["a", "b", "c"], ["b", "a", "c"], ["c", "a", "b"]], [1.0, 0.5, 3.0], ["c", "a", "b"]),
        # equal weights: a is first once and second twice, the best agreement
        ([["a", "b", "c"], ["b", "a", "c"], ["c", "a", "b"]], [1.0, 1.0, 1.0], ["a", "b", "c"]),
        # a zero weight removes a signal: only dense and BM25 count
        ([["a", "b"], ["b", "a"], ["b", "a"]], [1.0, 0.0, 0.0], ["a", "b"]),
    ],
)
def test_weighted_rrf_orders_like_a_weighted_vote(
    rankings: list[list[str]], weights: list[float], expected: list[str]
) -> None:
    assert [i for i, _ in rrf(rankings, k=30, weights=weights)] == expected


@pytest.mark.parametrize(
    "fusion, text, expected",
    [
        (TextFusion(short_chars=2), "公车", (1.0, 0.5, 3.0)),
        (TextFusion(short_chars=2), "公车管理", (1.0, 0.5, 2.0)),
        (PLAIN_TEXT_FUSION, "公车", (1.0, 1.0, 1.0)),  # the equal weights used before issue 12
        (PLAIN_TEXT_FUSION, "干部私人出境证照管理松懈", (1.0, 1.0, 1.0)),
    ],
)
def test_text_fusion_weights(fusion: TextFusion, text: str, expected: tuple[float, float, float]) -> None:
    assert fusion.weights(text) == expected


def test_the_old_fusion_does_not_expand() -> None:
    assert PLAIN_TEXT_FUSION.expansion_weight == 0.0
    assert DEFAULT_TEXT_FUSION.expansion_weight > 0.0
