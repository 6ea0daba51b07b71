"""The 屡查屡犯 threshold chosen on data its tests do not use: the gold groups across the five examples.

`ikg recurrence` pairs each issue of a unit's later round with its most similar issue of an earlier round
(mutual best, centred cosine) and keeps the pair from a threshold on. The five examples are five different
units, so every ordered pair of reports stands in for "an earlier and a later round": a kept pair is right
when both issues are members of one gold group (tests/fixtures/gold/similar_issues.json) and wrong when both
are gold members of different groups; pairs with an issue outside the gold are not counted (the gold does
not say). Recall = right pairs / later gold members with a same-group issue in the earlier report.
The threshold is chosen by F2 (recall weighted twice): a repeat is a prompt an analyst checks at its
file:line, so a missed 屡查屡犯 costs more than a false prompt; F1 is printed beside it.
The synthetic second rounds of tests/fixtures/recurrence stay out of this: the tests check the chosen
threshold on them independently.

    .venv/bin/python bench/recurrence_threshold.py [--gold DIR] [--corpus DIR] [--home DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from itertools import permutations
from pathlib import Path

import numpy as np
from similar_issues import (  # bench/ is the script's folder
    default_gold,
    indexed,
    ingest_corpus,
    issue_ids_by_gold_key,
)

from ikg.analysis.recurrence import DEFAULT_THRESHOLD, mutual_best
from ikg.analysis.vectors import centred_vectors
from ikg.graph.ladybug_store import LadybugStore

REPO = Path(__file__).resolve().parents[1]
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.04, 0.42, 0.02))

Pair = tuple[str, str, float]  # later issue id, earlier issue id, centred cosine


def candidate_pairs(ids: list[str], reports: list[str], vectors: np.ndarray) -> list[Pair]:
    """Mutual-best pairs, with their cosine, for every ordered pair of reports taken as (earlier, later)."""
    out: list[Pair] = []
    for earlier, later in permutations(sorted(set(reports)), 2):
        rows = [n for n, r in enumerate(reports) if r in (earlier, later)]
        rank = [0 if reports[n] == earlier else 1 for n in rows]
        sims = vectors[rows] @ vectors[rows].T
        out.extend((ids[rows[a]], ids[rows[b]], score) for a, b, score in mutual_best(sims, rank))
    return out


def positives(ids: list[str], reports: list[str], groups: dict[str, set[int]]) -> int:
    """Later gold members with a same-group issue in the earlier report, over all ordered report pairs."""
    by_report: dict[str, list[str]] = {}
    for i, r in zip(ids, reports, strict=True):
        by_report.setdefault(r, []).append(i)
    count = 0
    for earlier, later in permutations(sorted(by_report), 2):
        for a in by_report[later]:
            if a in groups and any(groups[a] & groups.get(b, set()) for b in by_report[earlier]):
                count += 1
    return count


def f_beta(precision: float, recall: float, beta: float) -> float:
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall) if precision + recall else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=default_gold())
    ap.add_argument("--corpus", type=Path, default=REPO / "examples" / "reports")
    ap.add_argument("--home", type=Path, default=Path.home() / ".cache" / "ikg-bench", help="model cache")
    args = ap.parse_args()

    doc = json.loads((args.gold / "similar_issues.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "graph")
        keys = issue_ids_by_gold_key(ingest_corpus(args.corpus, store))
        started = time.perf_counter()
        index, _ = indexed(store, args.home, Path(tmp) / "index")
        facts = store.issue_facts()
        store.close()
    groups: dict[str, set[int]] = {}
    for g, group in enumerate(doc["groups"]):
        for m in group["members"]:
            key = (m["file"], int(m["category_index"]), str(m["number"]))
            groups.setdefault(keys[key], set()).add(g)
    ids = [f.issue.id for f in facts]
    reports = [f.report.report_id for f in facts]
    pairs = candidate_pairs(ids, reports, centred_vectors(index, ids))  # centred over every issue, as the CLI
    total = positives(ids, reports, groups)
    judged = [(score, bool(groups[a] & groups[b])) for a, b, score in pairs if a in groups and b in groups]
    print(
        f"{len(facts)} issues in {len(set(reports))} reports, {len(doc['groups'])} gold groups; "
        f"{len(pairs)} mutual-best pairs over the ordered report pairs, {len(judged)} between gold members, "
        f"{total} later gold members with a counterpart; model load + index "
        f"{time.perf_counter() - started:.1f} s\n"
    )
    print(
        f"{'threshold':>9} {'kept':>5} {'right':>6} {'wrong':>6} {'precision':>9} {'recall':>7} {'F1':>6} "
        f"{'F2':>6}"
    )
    best: tuple[float, float, float, float] = (-1.0, 0.0, 0.0, 0.0)  # F2, threshold, precision, recall
    for threshold in THRESHOLDS:
        kept = [right for score, right in judged if score >= threshold]
        right = sum(kept)
        precision = right / len(kept) if kept else 0.0
        recall = right / total if total else 0.0
        f1 = f_beta(precision, recall, 1.0)
        f2 = f_beta(precision, recall, 2.0)
        if f2 >= best[0]:  # ties go to the higher threshold: fewer false alarms for the same F2
            best = (f2, threshold, precision, recall)
        mark = "  <- default" if abs(threshold - DEFAULT_THRESHOLD) < 1e-9 else ""
        print(
            f"{threshold:>9.2f} {len(kept):>5} {right:>6} {len(kept) - right:>6} {precision:>9.3f} "
            f"{recall:>7.3f} {f1:>6.3f} {f2:>6.3f}{mark}"
        )
    print(
        f"\nbest F2 {best[0]:.3f} at threshold {best[1]:.2f}: precision {best[2]:.3f}, recall {best[3]:.3f} "
        f"(default {DEFAULT_THRESHOLD})"
    )


if __name__ == "__main__":
    main()
