"""The bench's metrics on hand-made rankings, and the analyst query set's shape and keys."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from ikg.ingest.build import build_graph
from ikg.ingest.job import load_document
from ikg.search.evaluation import (
    graph_keys,
    load_queries,
    ndcg_at,
    recall_at,
    reciprocal_rank,
    score_ranking,
)

QUERIES = Path(__file__).resolve().parents[1] / "fixtures" / "queries" / "analyst_queries.json"
L2, L3 = math.log2(3), 2.0  # log2(rank + 1) at ranks 2 and 3


@pytest.mark.parametrize(
    "ranked, relevance, k, expected",
    [
        (["b", "d", "c"], {"b": 3, "c": 1, "d": 2}, 10, 1.0),  # the ideal order
        # gains 0, 7, 1 at ranks 1-3 over the ideal 7, 3, 1
        (["a", "b", "c"], {"b": 3, "c": 1, "d": 2}, 10, (7 / L2 + 1 / L3) / (7 + 3 / L2 + 1 / L3)),
        # cut at 2: 0, 7 over the ideal 7, 3
        (["a", "b", "c"], {"b": 3, "c": 1, "d": 2}, 2, (7 / L2) / (7 + 3 / L2)),
        (["x", "y"], {"b": 3}, 10, 0.0),  # nothing relevant ranked
        (["a"], {}, 10, 0.0),  # nothing relevant at all
        (["c", "b"], {"b": 3, "c": 3}, 10, 1.0),  # ties among equal grades
        ([], {"b": 1}, 10, 0.0),
    ],
)
def test_ndcg(ranked: list[str], relevance: dict[str, int], k: int, expected: float) -> None:
    assert ndcg_at(ranked, relevance, k) == pytest.approx(expected)


@pytest.mark.parametrize(
    "ranked, relevant, k, expected",
    [
        (["a", "b", "c"], {"b", "c", "d"}, 10, 2 / 3),
        (["a", "b", "c"], {"b", "c", "d"}, 1, 0.0),
        (["b", "a"], {"b"}, 1, 1.0),
        (["a"], set(), 10, 0.0),
    ],
)
def test_recall(ranked: list[str], relevant: set[str], k: int, expected: float) -> None:
    assert recall_at(ranked, relevant, k) == pytest.approx(expected)


@pytest.mark.parametrize(
    "ranked, relevant, expected",
    [
        (["a", "b", "c"], {"c"}, 1 / 3),
        (["a", "b", "c"], {"b", "c"}, 1 / 2),  # the first relevant hit counts
        (["a"], {"a"}, 1.0),
        (["a"], {"z"}, 0.0),
    ],
)
def test_reciprocal_rank(ranked: list[str], relevant: set[str], expected: float) -> None:
    assert reciprocal_rank(ranked, relevant) == pytest.approx(expected)


def test_score_ranking_counts_every_graded_target_as_relevant() -> None:
    s = score_ranking(["a", "c"], {"b": 3, "c": 1}, k=10)
    assert s.recall == pytest.approx(0.5)
    assert s.rr == pytest.approx(0.5)


def test_query_set_has_two_fixed_halves_of_enough_queries() -> None:
    queries = load_queries(QUERIES)
    issues = [q for q in queries if q.kind == "issues"]
    measures = [q for q in queries if q.kind == "measures"]
    assert len(issues) >= 40 and len(measures) >= 20
    for part in (issues, measures):
        held = sum(q.split == "heldout" for q in part)
        assert abs(2 * held - len(part)) <= 1  # half held out
        assert all(any(g == 3 for _, g in q.targets) for q in part)  # every query has an exact answer
    assert len({q.id for q in queries}) == len(queries)


def test_every_target_names_a_parsed_issue_or_measure(corpus_dir: Path) -> None:
    keys: dict[object, str] = {}
    for path in sorted(corpus_dir.glob("*.txt")):
        keys.update(graph_keys(build_graph(load_document(path)), path.name))
    missing = [(q.id, key) for q in load_queries(QUERIES) for key, _ in q.targets if key not in keys]
    assert missing == []


def test_a_bad_split_is_refused(tmp_path: Path) -> None:
    doc = {"issues": [{"id": "x", "split": "all", "query": "公车", "targets": []}], "measures": []}
    path = tmp_path / "q.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValueError, match="split"):
        load_queries(path)
