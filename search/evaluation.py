"""Search quality against graded text queries: nDCG@k, Recall@k and MRR, and the query sets they run on.

A query set (tests/fixtures/queries/analyst_queries.json) names its targets by stable keys, not node ids:
an issue by (file name, 1-based category index, printed number), a measure by that plus its 1-based
ordinal, so the set survives a re-ingest. `graph_keys` maps those keys to the ids of one built report.
Each query carries a fixed `split` ("tune" or "heldout"): tune on the first, report the second untouched.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ikg.graph.model import Rel, ReportGraph
from ikg.search.embedder import Embedder
from ikg.search.expansion import expanded_search
from ikg.search.fusion import DEFAULT_TEXT_FUSION, TextFusion
from ikg.search.index import IndexKind, IndexSet
from ikg.search.issue_ranking import IssueRanker
from ikg.search.ranking import rank_measures
from ikg.search.results import Mode

Key = tuple[str, int, str, int | None]  # file, category index, issue number, measure ordinal (None: issue)
SPLITS = ("tune", "heldout")
KINDS = ("issues", "measures")
DEPTH = 100  # candidates each signal contributes before fusion, as `ikg search` uses for small `top`


@dataclass(frozen=True, slots=True)
class TextQuery:
    id: str
    kind: str  # "issues" or "measures"
    split: str  # "tune" or "heldout"
    text: str
    targets: tuple[tuple[Key, int], ...]  # (key, graded relevance 1..3); anything unlisted is 0


@dataclass(frozen=True, slots=True)
class Scores:
    ndcg: float
    recall: float
    rr: float  # reciprocal rank of the first relevant hit, 0 when none is ranked


def load_queries(path: Path) -> list[TextQuery]:
    """Every query of a query-set file; raises ValueError on an unknown split or relevance."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    out: list[TextQuery] = []
    for kind in KINDS:
        for q in doc[kind]:
            if q["split"] not in SPLITS:
                raise ValueError(f"{path}: query {q['id']}: split {q['split']!r} is not one of {SPLITS}")
            targets = []
            for t in q["targets"]:
                if t["relevance"] not in (1, 2, 3):
                    raise ValueError(f"{path}: query {q['id']}: relevance must be 1, 2 or 3")
                measure = int(t["measure"]) if kind == "measures" else None
                key: Key = (t["file"], int(t["category_index"]), str(t["number"]), measure)
                targets.append((key, int(t["relevance"])))
            out.append(TextQuery(q["id"], kind, q["split"], q["query"], tuple(targets)))
    return out


def graph_keys(graph: ReportGraph, file: str) -> dict[Key, str]:
    """Stable key -> node id for the issues and (issue-level) measures of one built report."""
    ordinal = {c.id: c.ordinal for c in graph.categories}
    category = {e.dst: ordinal[e.src] for e in graph.edges if e.rel == Rel.HAS_ISSUE}
    issue_key: dict[str, Key] = {
        i.id: (file, category[i.id], i.number, None) for i in graph.issues if i.id in category
    }
    keys: dict[Key, str] = {key: issue_id for issue_id, key in issue_key.items()}
    for m in graph.measures:
        if m.issue_id in issue_key:
            f, c, n, _ = issue_key[m.issue_id]
            keys[(f, c, n, m.ordinal)] = m.id
    return keys


def dcg(gains: Sequence[int]) -> float:
    """Discounted cumulative gain with exponential gain: sum((2^rel - 1) / log2(rank + 1))."""
    return float(sum((2.0**g - 1) / math.log2(rank + 1) for rank, g in enumerate(gains, start=1)))


def ndcg_at(ranked: Sequence[str], relevance: Mapping[str, int], k: int) -> float:
    """DCG of the first `k` ranked ids over the DCG of the ideal order; 0 when nothing is relevant."""
    ideal = dcg(sorted(relevance.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([relevance.get(i, 0) for i in ranked[:k]]) / ideal


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """Share of the relevant ids among the first `k` ranked; 0 when nothing is relevant."""
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    """1 / rank of the first relevant id (rank 1 = best); 0 when none is ranked."""
    return next((1 / n for n, i in enumerate(ranked, start=1) if i in relevant), 0.0)


def score_ranking(ranked: Sequence[str], relevance: Mapping[str, int], k: int = 10) -> Scores:
    relevant = {i for i, g in relevance.items() if g > 0}
    return Scores(
        ndcg_at(ranked, relevance, k), recall_at(ranked, relevant, k), reciprocal_rank(ranked, relevant)
    )


Ranker = Callable[[TextQuery], list[str]]  # a query -> node ids best first


def mode_ranker(
    index: IndexSet,
    mode: Mode,
    query_embedder: Callable[[], Embedder],
    text_fusion: TextFusion = DEFAULT_TEXT_FUSION,
) -> Ranker:
    """Node ids best-first for a query's text in `mode`, as `ikg search` / `ikg measures match` rank them."""

    def rank(query: TextQuery) -> list[str]:
        if query.kind == "issues":
            ranker = IssueRanker(
                index, mode=mode, depth=DEPTH, query_embedder=query_embedder, text_fusion=text_fusion
            )
            return [r.id for r in ranker.for_text(query.text)]
        ranked = rank_measures(
            index,
            mode=mode,
            depth=DEPTH,
            text=query.text,
            query_embedder=query_embedder,
            text_fusion=text_fusion,
        )
        return [r.id for r in ranked]

    return rank


def expanded_lexical_ranker(index: IndexSet) -> Ranker:
    """BM25 alone with the synonym expansion of hybrid mode: what the expansion achieves without fusion."""

    def rank(query: TextQuery) -> list[str]:
        kind = IndexKind.ISSUES if query.kind == "issues" else IndexKind.MEASURES
        return [i for i, _ in expanded_search(partial(index.lexical_search, kind), query.text, DEPTH)]

    return rank


def evaluate(
    queries: Sequence[TextQuery], keys: Mapping[Key, str], rank: Ranker, k: int = 10
) -> list[Scores]:
    """Per query, in order: nDCG@k, Recall@k and reciprocal rank; raises KeyError for an unknown target."""
    out = []
    for q in queries:
        missing = [key for key, _ in q.targets if key not in keys]
        if missing:
            raise KeyError(f"query {q.id}: targets {missing} are not among the parsed reports")
        relevance = {keys[key]: g for key, g in q.targets}
        out.append(score_ranking(rank(q), relevance, k))
    return out


def mean(scores: Sequence[Scores]) -> Scores:
    n = max(len(scores), 1)
    return Scores(
        sum(s.ndcg for s in scores) / n, sum(s.recall for s in scores) / n, sum(s.rr for s in scores) / n
    )
