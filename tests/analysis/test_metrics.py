"""ARI and purity against values worked out by hand (and published for scikit-learn's adjusted_rand_score)."""

from __future__ import annotations

import pytest

from ikg.analysis.metrics import adjusted_rand_index, purity


@pytest.mark.parametrize(
    "gold, predicted, ari",
    [
        ([0, 0, 1, 1], [0, 0, 1, 1], 1.0),
        ([0, 0, 1, 1], [1, 1, 0, 0], 1.0),  # names of clusters do not matter
        ([0, 0, 1, 2], [0, 0, 1, 1], 0.5714285714),  # scikit-learn's documented example
        ([0, 0, 0, 0], [0, 1, 2, 3], 0.0),
        ([0, 0, 1, 1], [0, 1, 0, 1], -0.5),
    ],
)
def test_adjusted_rand_index(gold: list[int], predicted: list[int], ari: float) -> None:
    assert adjusted_rand_index(gold, predicted) == pytest.approx(ari)


def test_purity_counts_each_clusters_majority() -> None:
    assert purity(["a", "a", "b", "b", "b"], [1, 1, 1, 2, 2]) == pytest.approx(4 / 5)
    assert purity(["a", "b"], [1, 2]) == 1.0


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError):
        adjusted_rand_index([0, 1], [0])
