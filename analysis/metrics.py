"""Agreement of a clustering with gold groups: adjusted Rand index and purity (scikit-learn is not a
dependency, and these are a few lines)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def _pairs(n: int) -> float:
    return n * (n - 1) / 2


def adjusted_rand_index(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Hubert-Arabie ARI of two labelings of the same items: 1 identical, ~0 chance, can be negative."""
    if len(gold) != len(predicted):
        raise ValueError("labelings of different lengths")
    n = len(gold)
    if n < 2:
        return 1.0
    index = sum(_pairs(c) for c in Counter(zip(gold, predicted, strict=True)).values())
    a = sum(_pairs(c) for c in Counter(gold).values())
    b = sum(_pairs(c) for c in Counter(predicted).values())
    expected = a * b / _pairs(n)
    top = (a + b) / 2
    if top == expected:  # both labelings all-singletons or all-one-cluster
        return 1.0
    return (index - expected) / (top - expected)


def purity(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Share of items whose predicted cluster's majority gold group is their own."""
    if not gold:
        return 1.0
    clusters: dict[Hashable, Counter[Hashable]] = {}
    for g, p in zip(gold, predicted, strict=True):
        clusters.setdefault(p, Counter())[g] += 1
    return sum(c.most_common(1)[0][1] for c in clusters.values()) / len(gold)
