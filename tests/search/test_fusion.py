"""Reciprocal rank fusion: ordering and scores."""

from __future__ import annotations

import pytest

from ikg.search.fusion import rrf


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


def test_weights_must_match_rankings() -> None:
    with pytest.raises(ValueError):
        rrf([["a"], ["b"]], weights=[1.0])
