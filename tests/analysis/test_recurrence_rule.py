"""The mutual-best rule of `ikg recurrence` on cosine matrices written by hand."""

from __future__ import annotations

import numpy as np

from ikg.analysis.recurrence import mutual_best


def test_a_later_issue_pairs_with_its_best_earlier_one_when_that_one_picks_it_back() -> None:
    # rounds: issues 0, 1 earlier; 2, 3 later. 2 and 0 pick each other; 3's best earlier issue is 0 too,
    # but 0 prefers 2 among the later round, so 3 gets no pair.
    sims = np.array(
        [
            [1.0, 0.1, 0.6, 0.4],
            [0.1, 1.0, 0.2, 0.3],
            [0.6, 0.2, 1.0, 0.1],
            [0.4, 0.3, 0.1, 1.0],
        ]
    )
    assert mutual_best(sims, [0, 0, 1, 1]) == [(2, 0, 0.6)]


def test_only_later_rounds_are_matched_and_each_against_all_earlier_rounds() -> None:
    sims = np.array(
        [
            [1.0, 0.5, 0.1],
            [0.5, 1.0, 0.7],
            [0.1, 0.7, 1.0],
        ]
    )
    # round 0: issue 0; round 1: issue 1; round 2: issue 2, whose best earlier issue is 1 (round 1)
    assert mutual_best(sims, [0, 1, 2]) == [(1, 0, 0.5), (2, 1, 0.7)]
