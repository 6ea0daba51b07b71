"""Run quick versions of the speed benches and print one JSON object (with --json) of the issue's figures.

    .venv/bin/python bench/summary.py --json [--home DIR] [--issues 100000] [--reports 50]

Keys: parse_reports_per_s, pipeline_reports_per_s, embed_long_per_s (precision -> passages/s, with
"default"), ingest_reports_per_s_with_embeddings, ingest_peak_rss_mb, similar_issue_p50_ms_100k,
similar_text_p50_ms_100k, measures_p50_ms_300k, similar_all_100k_s, cold_similar_s. A figure this quick run
does not measure is null. The pipeline figure is a timed `ikg ingest --no-index` (process start included), the
ingest figures a timed `ikg ingest` with embeddings in a fresh home warmed by one report (quick: 20 reports;
`--ingest-reports 200` for the issue's figure), peak RSS that of the ingest process and its workers.
similar_all_100k_s is the in-process pass of `similar --all` over all `--issues` (dense; the forward ranking
of every issue, batched as `similar_all` batches it, then the mutual step of each; no store, no output),
and similar_all_method says how it was measured. With `--all-sample N` it is extrapolated from the first N
issues instead, counting what a full pass repeats: each forward ranking is computed once in a full pass (a
sample also computes its head candidates'), so the estimate is (forward time / forward rankings computed)
x issues + (mutual-step time / N) x issues. The in-process `similar --issue` and `--all` figures run with
numpy's BLAS on one thread, as `similar_issues` and `similar_all` do.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from embed_speed import measure as measure_embedding
from search_speed import synthetic_issue_index, synthetic_issue_vectors
from synthetic_reports import synthetic_reports

from ikg.app.settings import default_home
from ikg.ingest.parse import parse_report
from ikg.search.index import IndexKind, IndexSet
from ikg.search.issue_ranking import PREFETCH, VIEWS, IssueRanker
from ikg.search.manifest import IndexConfig
from ikg.search.results import Mode
from ikg.search.threads import one_blas_thread

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "reports"


def parse_rate(count: int) -> float:
    texts = synthetic_reports(CORPUS, count)
    start = time.perf_counter()
    for i, text in enumerate(texts):
        parse_report(text, file=f"r{i}.txt")
    return count / (time.perf_counter() - start)


class _FixedQuery:
    """A query already embedded: the in-process figure is the ranking, not the model."""

    name, dim = "bench", 384

    def __init__(self, vector: np.ndarray) -> None:
        self.vector = vector

    def embed_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return np.stack([self.vector] * len(texts))

    def embed_query(self, text: str) -> np.ndarray:
        return self.vector


def p50_ms(samples: list[float]) -> float:
    return round(float(np.median(samples)) * 1000, 2)


def all_figures(index: IndexSet, ids: list[str], sample: int) -> dict[str, Any]:
    """`similar --all` in process over `ids` (all of them unless `sample`), timed in its two phases."""
    ranker = IssueRanker(index, mode=Mode.dense, depth=100)
    todo = ids[:sample] if 0 < sample < len(ids) else ids
    forward_s = mutual_s = 0.0
    computed: set[str] = set()
    for s in range(0, len(todo), PREFETCH):
        chunk = todo[s : s + PREFETCH]
        start = time.perf_counter()
        with one_blas_thread():
            ranker.prefetch(chunk, heads=True)
        forward_s += time.perf_counter() - start
        if len(todo) < len(ids):
            computed.update(chunk, (c for i in chunk for c in ranker.head(i)))
        start = time.perf_counter()
        with one_blas_thread():
            for issue_id in chunk:
                ranker.for_issue(issue_id)
        mutual_s += time.perf_counter() - start
    if len(todo) == len(ids):
        total = forward_s + mutual_s
        method = f"full pass over {len(ids):,} issues"
    else:
        total = forward_s / len(computed) * len(ids) + mutual_s / len(todo) * len(ids)
        method = (
            f"extrapolated from {len(todo):,} issues: {len(computed):,} forward rankings in "
            f"{forward_s:.1f} s, mutual steps {mutual_s:.1f} s"
        )
    return {
        "similar_all_100k_s": round(total, 1),
        "similar_all_method": method,
        "similar_all_forward_ms_per_issue": round(forward_s / max(len(computed), len(todo)) * 1000, 3),
        "similar_all_mutual_ms_per_issue": round(mutual_s / len(todo) * 1000, 3),
    }


def query_figures(n: int, all_sample: int) -> dict[str, Any]:
    rng = np.random.default_rng(1)
    # production thresholds: HNSW above 50,000 vectors
    index, ids = synthetic_issue_index(IndexConfig("bench", 384), n, rng)
    measures = 3 * n
    index.add(IndexKind.MEASURES, [f"m:{i}" for i in range(measures)], synthetic_issue_vectors(measures, rng))
    queries = synthetic_issue_vectors(20, rng)
    for kind in (*VIEWS, IndexKind.MEASURES):
        index.search(kind, queries[0], 10)  # builds each FAISS index
    issue, text, meas = [], [], []
    for i in range(20):
        ranker = IssueRanker(index, mode=Mode.dense, depth=100)
        start = time.perf_counter()
        with one_blas_thread():
            ranker.for_issue(ids[i * 97])
        issue.append(time.perf_counter() - start)

        fixed = _FixedQuery(queries[i])
        start = time.perf_counter()
        IssueRanker(index, mode=Mode.dense, depth=100, query_embedder=lambda q=fixed: q).for_text("q")  # type: ignore[misc]
        text.append(time.perf_counter() - start)
        start = time.perf_counter()
        index.search(IndexKind.MEASURES, queries[i], 100)
        meas.append(time.perf_counter() - start)
    memory = index.memory_bytes()
    return {
        "similar_issue_p50_ms_100k": p50_ms(issue),
        "similar_text_p50_ms_100k": p50_ms(text),
        "measures_p50_ms_300k": p50_ms(meas),
        **all_figures(index, ids, all_sample),
        "index_memory_mb": {k: round(v / 2**20, 1) for k, v in memory.items() if v},
    }


def _ikg(home: Path, *args: str) -> float:
    """Seconds one `ikg` process takes in a given home; raises if it fails."""
    return _ikg_measured(home, *args)[0]


# Runs one command and prints its seconds and peak RSS (KB). A small process of its own, because a child's
# ru_maxrss counts the memory of the process it was forked from (the kernel keeps the old image's high-water
# mark at exec): forked from this bench, with models loaded, an ingest would "peak" at the bench's size.
_MEASURE = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _ikg_measured(home: Path, *args: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `ikg` process and its workers, measured by a small parent
    (`_MEASURE`), never counting the bench's own memory or an earlier run's."""
    env = {**os.environ, "IKG_HOME": str(home)}
    ikg = str(Path(sys.executable).with_name("ikg"))
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, ikg, *args], env=env, capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"ikg {' '.join(args[:2])} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}"
        )
    seconds, peak_kb = proc.stdout.split()
    return float(seconds), int(peak_kb) / 1024


def cli_figures(reports: int, ingest_reports: int, model_home: Path) -> dict[str, Any]:
    """Whole pipeline without embeddings, ingest with embeddings (and its peak RSS), cold `ikg similar`.

    Each in fresh homes on written synthetic reports (~20k characters). The embedding home is warmed with one
    report first, so the one-off model conversion and precision timing are not counted.
    """
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "reports"
        folder.mkdir()
        texts = synthetic_reports(CORPUS, max(reports, ingest_reports + 1))
        for i, text in enumerate(texts):
            (folder / f"r{i:05d}.txt").write_text(text, encoding="utf-8")
        files = sorted(folder.iterdir())
        plain = root / "plain"
        out["pipeline_reports_per_s"] = round(
            reports / _ikg(plain, "ingest", "--no-index", *map(str, files[:reports])), 1
        )
        home = root / "embed"
        if (model_home / "models").is_dir():  # a converted model from an earlier run saves its conversion
            shutil.copytree(model_home / "models", home / "models", dirs_exist_ok=True)
        _ikg(home, "ingest", str(files[-1]))  # converts / times the model once
        seconds, peak_mb = _ikg_measured(home, "ingest", *map(str, files[:ingest_reports]))
        out["ingest_reports_per_s_with_embeddings"] = round(ingest_reports / seconds, 3)
        out["ingest_reports_measured"] = ingest_reports
        out["ingest_peak_rss_mb"] = round(peak_mb, 0)
        try:
            out["cold_similar_s"] = round(
                _ikg(home, "similar", "干部选拔任用工作不规范", "--format", "json"), 2
            )
        except RuntimeError as exc:  # reported, not fatal: the other figures stand
            out["cold_similar_s"], out["cold_similar_error"] = None, str(exc)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=default_home(os.environ))
    ap.add_argument("--issues", type=int, default=100_000)
    ap.add_argument("--reports", type=int, default=50)
    ap.add_argument(
        "--all-sample", type=int, default=0, help="extrapolate `similar --all` from this many issues (0: all)"
    )
    ap.add_argument("--skip-embed", action="store_true")
    ap.add_argument(
        "--pipeline-reports", type=int, default=200, help="reports of the timed `ikg ingest --no-index`"
    )
    ap.add_argument(
        "--ingest-reports",
        type=int,
        default=20,
        help="reports of the timed ingest with embeddings (issue: 200)",
    )
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    figures: dict[str, Any] = {
        "parse_reports_per_s": round(parse_rate(args.reports), 1),
        "pipeline_reports_per_s": None,
        "embed_long_per_s": None,
        "ingest_reports_per_s_with_embeddings": None,
        "ingest_peak_rss_mb": None,
        "cold_similar_s": None,
    }
    if not args.skip_embed:
        figures["embed_long_per_s"] = measure_embedding(args.home, 48, 2)["embed_long_per_s"]
    if not args.skip_cli:
        figures.update(cli_figures(args.pipeline_reports, args.ingest_reports, args.home))
        if args.ingest_reports < 200:
            figures["note"] = f"quick run: ingest with embeddings on {args.ingest_reports} reports, not 200"
    figures.update(query_figures(args.issues, args.all_sample))
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for key, value in figures.items():
            print(f"{key:40s} {value}")


if __name__ == "__main__":
    main()
