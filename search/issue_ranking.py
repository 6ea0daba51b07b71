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

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property, partial

import numpy as np

from ikg.graph.errors import NotFoundError
from ikg.search.embedder import Embedder
from ikg.search.expansion import combine, expanded_search, expansion_terms
from ikg.search.fusion import DEFAULT_TEXT_FUSION, TextFusion, rrf_rows
from ikg.search.index import IndexKind, IndexSet
from ikg.search.problem_types import profiles
from ikg.search.ranking import RRF_K, Ranked
from ikg.search.results import Mode

VIEWS = (IndexKind.ISSUES, IndexKind.ISSUE_HEADS, IndexKind.ISSUE_TITLES)
# Candidates re-scored by their rank of the query. Recall@5 / MRR, same run (bf16), 30 -> 25: gold groups
# hybrid 0.820 / 0.857 both, dense 0.796 / 0.834 -> 0.796 / 0.832, lexical 0.669 -> 0.669; analyst pairs
# hybrid 0.800 -> 0.792, dense 0.742 -> 0.757, lexical 0.724 both (20: lexical gold 0.650). Each candidate
# costs a forward ranking: `similar --issue` at 100k issues p50 53 -> 45 ms (quiet, alternated).
MUTUAL_DEPTH = 25
CACHED_DEPTH = 100  # the part of each stored issue's forward ranking kept for reverse look-ups

# Issues are rows of the ISSUES vector index throughout (ids only at the edges): a pool of a few hundred
# candidates is then a few numpy calls instead of thousands of dict look-ups by id.
Rows = np.ndarray  # int64 rows of the ISSUES index
Hits = dict[IndexKind, Rows]  # per view: the query's nearest neighbours, best first
PREFETCH = 256  # stored issues whose nearest neighbours one batched FAISS search finds
# Weight of a stored issue's title synonyms in its BM25 query. Recall@5 (hybrid), gold groups: 0 0.811,
# 0.2 0.819, 0.4 0.822; analyst pairs: 0.815, 0.822, 0.822; paraphrase pairs: see bench/similar_issues.py
ISSUE_EXPANSION_WEIGHT = 0.4
Titles = Callable[[list[str]], Mapping[str, str]]  # issue ids -> their titles (those it knows)


class _Forward:
    """A stored issue's forward ranking cut to `CACHED_DEPTH`, compact: `similar --all` keeps one each."""

    __slots__ = ("cosines", "rows", "scores")

    def __init__(self, rows: Rows, scores: np.ndarray, cosines: np.ndarray) -> None:
        self.rows = rows[:CACHED_DEPTH].copy()  # best first
        self.scores = scores[:CACHED_DEPTH].copy()  # raw RRF scores, float64
        self.cosines = cosines[:CACHED_DEPTH].copy()  # whole-text cosines, NaN where not compared

    def score_of(self, row: int) -> float:
        where = np.flatnonzero(self.rows == row)
        return float(self.scores[where[0]]) if len(where) else 0.0


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
        self._forward: dict[int, _Forward] = {}

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
            hits = {kind: self._search(kind, views[kind].reshape(1, -1))[0] for kind in VIEWS}
        weights: tuple[float, ...] | None = None
        plain = partial(self._index.lexical_search, IndexKind.ISSUES)

        def lexical(k: int) -> list[tuple[str, float]]:
            if self._mode != Mode.hybrid:
                return plain(text, k)
            return expanded_search(plain, text, k, weight=self._text_fusion.expansion_weight)

        if self._mode == Mode.hybrid:
            weights = self._text_fusion.weights(text)
        rows, scores, cosines = self._fuse(views, hits, lexical, weights=weights)
        best = (sum(weights) if weights else self._signals) / (RRF_K + 1)
        return self._ranked(rows, scores / best, cosines)

    def for_issue(self, issue_id: str) -> list[Ranked]:
        """Other issues best-first for a stored issue, mutually re-ranked; scores in 0..1."""
        row = int(self._rows([issue_id])[0])
        self._prefetch(np.array([row]), heads=True)
        forward = self._forward[row]
        scores = forward.scores.copy()
        for j, c in enumerate(forward.rows[:MUTUAL_DEPTH].tolist()):
            scores[j] += self._forward[c].score_of(row)
        # a candidate past the head scores below every head candidate, so one sort keeps the head first
        order = np.argsort(-scores, kind="stable")
        best = 2 * self._signals / (RRF_K + 1)
        return self._ranked(forward.rows[order], scores[order] / best, forward.cosines[order])

    def head(self, issue_id: str) -> list[str]:
        """The candidates whose rankings the mutual step of `for_issue(issue_id)` reads (after `prefetch`)."""
        forward = self._forward[int(self._rows([issue_id])[0])]
        return self._index.ids_at(IndexKind.ISSUES, forward.rows[:MUTUAL_DEPTH])

    def prefetch(self, issue_ids: Sequence[str], *, heads: bool = False) -> None:
        """Compute the forward rankings of those stored issues not ranked yet, FAISS searches batched; with
        `heads`, then also those of their head candidates (what `for_issue` of each reads)."""
        self._prefetch(self._rows(issue_ids), heads=heads)

    def _prefetch(self, rows: Rows, *, heads: bool) -> None:
        todo = [r for r in dict.fromkeys(rows.tolist()) if r not in self._forward]
        for start in range(0, len(todo), PREFETCH):
            self._rank_stored(todo[start : start + PREFETCH])
        if heads and len(rows):
            self._prefetch(
                np.concatenate([self._forward[r].rows[:MUTUAL_DEPTH] for r in rows.tolist()]), heads=False
            )

    def _rank_stored(self, chunk: list[int]) -> None:
        """The forward rankings of a chunk of stored issues: one FAISS search per view for all of them."""
        vectors: dict[IndexKind, np.ndarray] = {}
        found: dict[IndexKind, list[Rows]] = {}
        if self._mode != Mode.lexical:
            vectors = {kind: self._gather(kind, np.array(chunk)) for kind in VIEWS}
            found = {kind: self._search(kind, vectors[kind]) for kind in VIEWS}
        ids = self._index.ids_at(IndexKind.ISSUES, chunk)
        titles = self._titles(ids) if self._titles and self._mode == Mode.hybrid else {}
        for n, (row, issue_id) in enumerate(zip(chunk, ids, strict=True)):
            views = {kind: vectors[kind][n] for kind in vectors}
            hits = {kind: found[kind][n] for kind in found}
            lexical = partial(self._stored_lexical, issue_id, titles.get(issue_id, ""))
            self._forward[row] = _Forward(*self._fuse(views, hits, lexical, row))

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
        query_row: int | None = None,
        weights: tuple[float, ...] | None = None,
    ) -> tuple[Rows, np.ndarray, np.ndarray]:
        """Rows best-first by the raw RRF scores of the mode's signals, those scores, and the rows'
        whole-text cosines (NaN for one no dense signal found). A stored query issue is left out of every
        ranking, so its best match can rank first."""
        rankings: list[Rows] = []
        pool = np.zeros(0, dtype=np.int64)
        cosines = np.zeros(0, dtype=np.float32)
        if self._mode != Mode.lexical:
            dense, pool, pool_vectors, cosines, order = self._dense(views, hits)
            if query_row is None:
                types = self._type_ranking(views[IndexKind.ISSUES], dense, pool_vectors[order])
            else:
                types = self._stored_type_ranking(query_row, dense)
            rankings += [dense, types]
        if self._mode != Mode.dense:
            rankings.append(self._rows([i for i, _ in lexical(self._depth)]))
        if query_row is not None:
            rankings = [r[r != query_row] for r in rankings]
        rows, scores = rrf_rows(rankings, k=RRF_K, weights=weights)
        return rows, scores, _lookup(pool, cosines, rows)

    def _dense(
        self, views: dict[IndexKind, np.ndarray], hits: Hits
    ) -> tuple[Rows, Rows, np.ndarray, np.ndarray, Rows]:
        """Candidates from every view's nearest neighbours ranked by the sum of their views' cosines; the
        candidates in pool order, with their whole-text vectors and cosines; and the ranking as positions in
        the pool (so `pool_vectors[order]` are the ranked candidates' vectors)."""
        every = np.concatenate([hits[kind] for kind in VIEWS])
        _, first = np.unique(every, return_index=True)
        pool = every[np.sort(first)]  # in the order first found
        if not len(pool):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.float32), empty
        vectors = {kind: self._gather(kind, pool) for kind in VIEWS}
        per_view = [vectors[kind] @ views[kind] for kind in VIEWS]
        order = np.argsort(-(per_view[0] + per_view[1] + per_view[2]), kind="stable")
        return pool[order], pool, vectors[IndexKind.ISSUES], per_view[0], order

    @cached_property
    def _types(self) -> np.ndarray:
        """The problem types' vectors; none when the index holds no problem types."""
        return self._index.vectors(IndexKind.PROBLEM_TYPES, self._index.ids(IndexKind.PROBLEM_TYPES))

    def _type_ranking(self, query: np.ndarray, pool: Rows, pool_vectors: np.ndarray) -> Rows:
        """The pool (whole-text vectors `pool_vectors`) re-ranked by problem-type profile."""
        if not len(pool) or not len(self._types):
            return np.zeros(0, dtype=np.int64)
        scores = profiles(pool_vectors, self._types) @ profiles(query.reshape(1, -1), self._types)[0]
        return pool[np.argsort(-scores, kind="stable")]

    def _stored_type_ranking(self, query_row: int, pool: Rows) -> Rows:
        """`_type_ranking` for a stored issue, from the index's cached profiles of every issue."""
        cached = self._index.type_profiles(IndexKind.ISSUES)
        if not len(pool) or not cached.shape[1]:  # no candidates, or no problem types indexed
            return np.zeros(0, dtype=np.int64)
        scores = cached[pool] @ cached[query_row]
        return pool[np.argsort(-scores, kind="stable")]

    def _search(self, kind: IndexKind, vectors: np.ndarray) -> list[Rows]:
        """Per query vector, its nearest neighbours in one view as ISSUES rows."""
        found = self._index.search_rows(kind, vectors, self._depth)
        onto = self._index.row_map(kind, IndexKind.ISSUES)
        if onto is None:
            return found
        mapped = [onto[rows] for rows in found]
        if any((rows < 0).any() for rows in mapped):
            raise NotFoundError(f"the {kind} index holds issues the issues index lacks; run 'ikg reindex'")
        return mapped

    def _gather(self, kind: IndexKind, rows: Rows) -> np.ndarray:
        """The vectors of those ISSUES rows in one view, as a new contiguous array."""
        onto = self._index.row_map(IndexKind.ISSUES, kind)
        if onto is not None:
            rows = onto[rows]
            if (rows < 0).any():
                raise NotFoundError(f"an issue is missing from the {kind} index; run 'ikg reindex'")
        out: np.ndarray = self._index.matrix(kind)[rows]
        return out

    def _rows(self, issue_ids: Sequence[str]) -> Rows:
        return self._index.row_numbers(IndexKind.ISSUES, issue_ids)

    def _ranked(self, rows: Rows, scores: np.ndarray, cosines: np.ndarray) -> list[Ranked]:
        ids = self._index.ids_at(IndexKind.ISSUES, rows)
        return [
            Ranked(i, s, None if c != c else c)  # NaN: not compared
            for i, s, c in zip(ids, scores.tolist(), cosines.tolist(), strict=True)
        ]


def _lookup(keys: Rows, values: np.ndarray, rows: Rows) -> np.ndarray:
    """`values` of `rows` by their position in `keys` (distinct), NaN for rows not among them."""
    out = np.full(len(rows), np.nan, dtype=np.float32)
    if not len(keys) or not len(rows):
        return out
    order = np.argsort(keys)
    at = np.minimum(np.searchsorted(keys, rows, sorter=order), len(keys) - 1)
    found = keys[order[at]] == rows
    out[found] = values[order[at[found]]]
    return out
