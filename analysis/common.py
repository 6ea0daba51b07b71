"""共性问题: clusters of issues from different units that describe the same problem.

Two issues are linked when each is among the other's `neighbours` nearest issues (mutual neighbours, one
batched FAISS search over the centred issue vectors of vectors.py), their cosine reaches the threshold,
and they come from
different units; clusters are the connected components of those links with at least `min_units` units.
Mutual neighbours keep a hub issue (a vague title close to everything) from chaining unrelated clusters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ikg.analysis.facts import unit_key, unit_matches, unit_name
from ikg.analysis.problem_types import find_terms
from ikg.analysis.taxonomy import Taxonomy
from ikg.analysis.vectors import centred_vectors, neighbour_index
from ikg.graph.views import IssueFacts, IssueRef
from ikg.search.index import IndexSet
from ikg.search.vector_index import VectorIndex

NEIGHBOURS = 10
# Picked with bench/common_issues.py on the gold groups (README, 共性问题): best ARI of the thresholds tried.
DEFAULT_THRESHOLD = 0.3


@dataclass(frozen=True, slots=True)
class CommonMember:
    issue: IssueRef
    unit: str
    centrality: float  # mean cosine to the other members


@dataclass(frozen=True, slots=True)
class CommonProblem:
    label: str  # the most central member's title
    terms: tuple[str, ...]  # taxonomy key terms found in the titles of members of at least two units
    units: tuple[str, ...]
    members: tuple[CommonMember, ...]  # most central first
    cohesion: float  # mean pairwise cosine


class _Components:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def cluster_ids(
    ids: Sequence[str],
    units: Sequence[str],
    vectors: np.ndarray,
    neighbours_of: VectorIndex,
    *,
    threshold: float,
    neighbours: int = NEIGHBOURS,
) -> list[list[int]]:
    """Positions of `ids` grouped into components of mutual-neighbour links across units (singletons too).

    `vectors` are the ids' centred vectors and `neighbours_of` a FAISS index over exactly them."""
    position = {node: n for n, node in enumerate(ids)}
    k = min(len(ids), neighbours + 1)
    near: list[dict[int, float]] = (
        [{position[node]: score for node, score in row} for row in neighbours_of.search_many(vectors, k)]
        if ids
        else []
    )
    comps = _Components(len(ids))
    for a in range(len(ids)):
        for b, score in near[a].items():
            if b > a and a in near[b] and units[a] != units[b] and score >= threshold:
                comps.union(a, b)
    groups: dict[int, list[int]] = {}
    for a in range(len(ids)):
        groups.setdefault(comps.find(a), []).append(a)
    return list(groups.values())


def common_problems(
    facts: Sequence[IssueFacts],
    index: IndexSet,
    taxonomy: Taxonomy,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_units: int = 3,
    unit_filter: Sequence[str] = (),
) -> list[CommonProblem]:
    """Clusters shared by at least `min_units` units, most units first. Raises `NotFoundError` when an issue
    is not indexed (run 'ikg reindex')."""
    if unit_filter:
        facts = [f for f in facts if any(unit_matches(f.report, u) for u in unit_filter)]
    ids = [f.issue.id for f in facts]
    keys = [unit_key(f.report) for f in facts]
    vectors = centred_vectors(index, ids)
    groups = cluster_ids(ids, keys, vectors, neighbour_index(index, ids, vectors), threshold=threshold)
    terms = sorted({t for fw in taxonomy.frameworks for pt in fw.types for t in pt.terms})
    out = []
    for group in groups:
        if len({keys[g] for g in group}) < max(min_units, 2):
            continue
        sims = vectors[group] @ vectors[group].T
        n = len(group)
        central = (sims.sum(axis=1) - 1.0) / (n - 1)
        order = sorted(
            range(n), key=lambda j: (-central[j], facts[group[j]].issue.file, facts[group[j]].issue.line)
        )
        members = tuple(
            CommonMember(
                facts[group[j]].issue, unit_name(facts[group[j]].report), round(float(central[j]), 4)
            )
            for j in order
        )
        term_units: dict[str, set[str]] = {}
        for g in group:
            for term, _, _ in find_terms(facts[g].issue.title, terms):
                term_units.setdefault(term, set()).add(keys[g])
        shared = tuple(
            sorted((t for t, u in term_units.items() if len(u) >= 2), key=lambda t: -len(term_units[t]))
        )
        out.append(
            CommonProblem(
                members[0].issue.title,
                shared,
                tuple(sorted({m.unit for m in members})),
                members,
                round(float((sims.sum() - n) / (n * (n - 1))), 4),
            )
        )
    return sorted(out, key=lambda c: (-len(c.units), -c.cohesion, c.label))
