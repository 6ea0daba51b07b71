"""Issues ranked for a text or for a stored issue: three signals fused by reciprocal rank, then, for a stored
issue, re-ranked by how the candidates rank it in turn.

Signals (bench/similar_issues.py prints what each mode achieves on the gold groups):
- dense: the sum of the cosines of an issue's three views, its whole text, its head (title and opening) and
  its title; a generic title (党建工作有待加强) hides what the text says, a long text blurs the title, so
  one vector per view and one signal for all three (ranking the views separately over-weights them);
- types: the cosine of problem-type profiles (`problem_types.py`), which catches the same kind of problem
  in different words;
- lexical: BM25 over the whole text.

Synonyms: in hybrid mode a stored issue's BM25 query (its own tokens) also gets the inspection-language
synonyms of its title (`expansion.py`) at `ISSUE_EXPANSION_WEIGHT`, as a text query does: 编外人员 in one
report finds 合同工 and 聘用 in another. The title only: a whole text touches so many synonym groups that
the added words stop saying what the problem is.

Mutual ranking: two issues are alike when each ranks the other highly. For a stored issue the best
`MUTUAL_DEPTH` candidates score the sum of both directions' fused scores. This damps "hub" issues that are
near everything, and is symmetric, so `similar --all` never says A is like B while B ignores A.
Measured on the gold groups, it raised Recall@5 in every mode (hybrid 0.800 -> 0.812 fp32, 0.800 -> 0.804
bf16; dense 0.75 -> 0.79; lexical 0.64 -> 0.67). A text query has no ranking of its own to compare with,
so it gets the forward ranking only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property, partial

import numpy as np

from ikg.search.embedder import Embedder
from ikg.search.expansion import combine, expanded_search, expansion_terms
from ikg.search.fusion import DEFAULT_TEXT_FUSION, TextFusion, rrf
from ikg.search.index import IndexKind, IndexSet
from ikg.search.problem_types import profiles
from ikg.search.ranking import RRF_K, Ranked
from ikg.search.results import Mode

VIEWS = (IndexKind.ISSUES, IndexKind.ISSUE_HEADS, IndexKind.ISSUE_TITLES)
MUTUAL_DEPTH = 30  # candidates re-scored by their rank of the query; the gold results are equal from 20 up
CACHED_DEPTH = 100  # the part of each stored issue's forward ranking kept for reverse look-ups

Scores = dict[str, float]  # raw RRF scores, best first
Hits = dict[IndexKind, list[tuple[str, float]]]  # per view: nearest neighbours of the query's vector
PREFETCH = 256  # stored issues whose nearest neighbours one batched FAISS search finds
# Weight of a stored issue's title synonyms in its BM25 query. Recall@5 (hybrid), gold groups: 0 0.811,
# 0.2 0.819, 0.4 0.822; analyst pairs: 0.815, 0.822, 0.822; paraphrase pairs: see bench/similar_issues.py
ISSUE_EXPANSION_WEIGHT = 0.4
Titles = Callable[[list[str]], Mapping[str, str]]  # issue ids -> their titles (those it knows)


class _Forward:
    """A stored issue's forward ranking cut to `CACHED_DEPTH`, compact: `similar --all` keeps one each."""

    __slots__ = ("cosines", "ids", "scores")

    def __init__(self, scores: Scores, cosines: dict[str, float]) -> None:
        top = list(scores.items())[:CACHED_DEPTH]
        self.ids = tuple(i for i, _ in top)
        self.scores = np.array([s for _, s in top], dtype=np.float64)
        self.cosines = np.array([cosines.get(i, np.nan) for i in self.ids], dtype=np.float32)

    def score_of(self, issue_id: str) -> float:
        try:
            return float(self.scores[self.ids.index(issue_id)])
        except ValueError:
            return 0.0

    def cosine(self, row: int) -> float | None:
        value = float(self.cosines[row])
        return None if np.isnan(value) else value


class IssueRanker:
    """Ranks issues in one mode over one index. Keeps the forward scores of every stored issue it ranked,
    so ranking all issues (`similar --all`) computes each issue's forward ranking once; the forward
    rankings that one call needs are found with one batched FAISS search per view (`prefetch`)."""

    def __init__(
        self,
        index: IndexSet,
        *,
        mode: Mode,
        depth: int,
        query_embedder: Callable[[], Embedder] | None = None,
        text_fusion: TextFusion = DEFAULT_TEXT_FUSION,
        titles: Titles | None = None,
    ) -> None:
        """`titles` looks up stored issues' titles for the synonym expansion of hybrid mode (none: no
        expansion for stored issues)."""
        self._index = index
        self._titles = titles
        self._text_fusion = text_fusion
        self._mode = mode
        self._depth = depth
        self._query_embedder = query_embedder
        self._signals = {Mode.dense: 2, Mode.lexical: 1, Mode.hybrid: 3}[mode]
        self._forward: dict[str, _Forward] = {}

    def for_text(self, text: str) -> list[Ranked]:
        """Issues best-first for a query text; scores in 0..1 (1: first in every signal).

        In hybrid mode the BM25 query is expanded with inspection-language synonyms and the signals are
        weighted by the query's length (`TextFusion`): a short query is mostly its key words.
        """
        hits: Hits = {}
        views: dict[IndexKind, np.ndarray] = {}
        if self._mode != Mode.lexical:
            if self._query_embedder is None:
                raise ValueError("a text query in dense or hybrid mode needs an embedder")
            views = dict.fromkeys(VIEWS, self._query_embedder().embed_query(text))
            hits = {kind: self._index.search(kind, views[kind], self._depth) for kind in VIEWS}
        weights: tuple[float, ...] | None = None
        plain = partial(self._index.lexical_search, IndexKind.ISSUES)

        def lexical(k: int) -> list[tuple[str, float]]:
            if self._mode != Mode.hybrid:
                return plain(text, k)
            return expanded_search(plain, text, k, weight=self._text_fusion.expansion_weight)

        if self._mode == Mode.hybrid:
            weights = self._text_fusion.weights(text)
        scores, cosines = self._fuse(views, hits, lexical, weights=weights)
        best = (sum(weights) if weights else self._signals) / (RRF_K + 1)
        return [Ranked(i, s / best, cosines.get(i)) for i, s in scores.items()]

    def for_issue(self, issue_id: str) -> list[Ranked]:
        """Other issues best-first for a stored issue, mutually re-ranked; scores in 0..1."""
        self.prefetch([issue_id])
        forward = self._forward[issue_id]
        head = self.head(issue_id)
        self.prefetch(head)
        scores = {c: float(s) for c, s in zip(forward.ids, forward.scores, strict=True)}
        for c in head:
            scores[c] += self._forward[c].score_of(issue_id)
        # a candidate past the head scores below every head candidate, so one sort keeps the head first
        best = 2 * self._signals / (RRF_K + 1)
        row = {c: j for j, c in enumerate(forward.ids)}
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        return [Ranked(i, s / best, forward.cosine(row[i])) for i, s in ranked]

    def head(self, issue_id: str) -> list[str]:
        """The candidates whose rankings the mutual step of `for_issue(issue_id)` reads (after `prefetch`)."""
        return list(self._forward[issue_id].ids[:MUTUAL_DEPTH])

    def prefetch(self, issue_ids: list[str]) -> None:
        """Compute the forward rankings of those stored issues not ranked yet, FAISS searches batched."""
        todo = [i for i in dict.fromkeys(issue_ids) if i not in self._forward]
        for start in range(0, len(todo), PREFETCH):
            chunk = todo[start : start + PREFETCH]
            vectors: dict[IndexKind, np.ndarray] = {}
            found: dict[IndexKind, list[list[tuple[str, float]]]] = {}
            if self._mode != Mode.lexical:
                vectors = {kind: self._index.vectors(kind, chunk) for kind in VIEWS}
                found = {kind: self._index.search_many(kind, vectors[kind], self._depth) for kind in VIEWS}
            titles = self._titles(chunk) if self._titles and self._mode == Mode.hybrid else {}
            for row, issue_id in enumerate(chunk):
                views = {kind: vectors[kind][row] for kind in vectors}
                hits = {kind: found[kind][row] for kind in found}
                lexical = partial(self._stored_lexical, issue_id, titles.get(issue_id, ""))
                scores, cosines = self._fuse(views, hits, lexical, issue_id)
                self._forward[issue_id] = _Forward(scores, cosines)

    def _stored_lexical(self, issue_id: str, title: str, k: int) -> list[tuple[str, float]]:
        """BM25 hits for a stored issue's own text, plus its title's synonyms when `title` is given."""
        base = self._index.lexical_search_like(IndexKind.ISSUES, issue_id, k)
        terms = expansion_terms(title) if title else []
        if not terms:
            return base
        extra = self._index.lexical_search(IndexKind.ISSUES, " ".join(terms), k)
        return combine(base, extra, ISSUE_EXPANSION_WEIGHT)[:k]

    def _fuse(
        self,
        views: dict[IndexKind, np.ndarray],
        hits: Hits,
        lexical: Callable[[int], list[tuple[str, float]]],
        query_id: str | None = None,
        weights: tuple[float, ...] | None = None,
    ) -> tuple[Scores, dict[str, float]]:
        """Raw RRF scores of the mode's signals, and the whole-text cosines of the dense candidates.
        A stored query issue is left out of every ranking, so its best match can rank first."""
        rankings: list[list[str]] = []
        cosines: dict[str, float] = {}
        if self._mode != Mode.lexical:
            dense, whole, cosines = self._dense(views, hits)
            rankings += [dense, self._type_ranking(views[IndexKind.ISSUES], dense, whole)]
        if self._mode != Mode.dense:
            rankings.append([i for i, _ in lexical(self._depth)])
        rankings = [[i for i in r if i != query_id] for r in rankings]
        return dict(rrf(rankings, k=RRF_K, weights=weights)), cosines

    def _dense(
        self, views: dict[IndexKind, np.ndarray], hits: Hits
    ) -> tuple[list[str], np.ndarray, dict[str, float]]:
        """Candidates from every view's nearest neighbours, ranked by the sum of their views' cosines; with
        their whole-text vectors in that order, and their whole-text cosines."""
        pool = list(dict.fromkeys(i for kind in VIEWS for i, _ in hits[kind]))
        if not pool:
            return [], np.zeros((0, 0), dtype=np.float32), {}
        vectors = {kind: self._index.vectors(kind, pool) for kind in VIEWS}
        per_view = {kind: vectors[kind] @ views[kind] for kind in VIEWS}
        order = np.argsort(-np.asarray(sum(per_view.values())), kind="stable")
        whole = per_view[IndexKind.ISSUES]
        cosines = {i: float(c) for i, c in zip(pool, whole, strict=True)}
        return [pool[j] for j in order], vectors[IndexKind.ISSUES][order], cosines

    @cached_property
    def _types(self) -> np.ndarray:
        """The problem types' vectors; none when the index holds no problem types."""
        return self._index.vectors(IndexKind.PROBLEM_TYPES, self._index.ids(IndexKind.PROBLEM_TYPES))

    def _type_ranking(self, query: np.ndarray, pool: list[str], pool_vectors: np.ndarray) -> list[str]:
        """The pool (whole-text vectors `pool_vectors`) re-ranked by problem-type profile."""
        if not pool or not len(self._types):
            return []
        scores = profiles(pool_vectors, self._types) @ profiles(query.reshape(1, -1), self._types)[0]
        return [pool[j] for j in np.argsort(-scores, kind="stable")]
