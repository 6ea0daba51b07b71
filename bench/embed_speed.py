"""Print passage-embedding throughput per precision, interleaved, and each precision's agreement with fp32.

    .venv/bin/python bench/embed_speed.py [--home DIR] [--passages 96] [--rounds 3] [--json]

Target: >= 60 long (~200-character) passages/s for the default precision, mean cosine >= 0.995 to fp32.
The default (`auto`) is what the one-off timing stored beside the model chose on this machine. Beside the
wall-clock rate it prints passages per CPU-second (all threads), which moves less when other jobs share
the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
from search_speed import texts_of_length

from ikg.app.settings import default_home
from ikg.search.e5_convert import default_model_dir, ensure_e5_model
from ikg.search.embedder import Embedder, SentenceTransformerEmbedder
from ikg.search.passage_model import derived_dir, load_passage_embedder
from ikg.search.precision import resolve_precision

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "reports"


def long_passages(count: int, length: int = 200, seed: int = 0) -> list[str]:
    """`count` texts of about `length` characters made of real report clauses, each different."""
    clauses: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        clauses += [s.strip() for s in re.split(r"[。；\n]", path.read_text(encoding="utf-8")) if s.strip()]
    return texts_of_length(clauses, length, count, seed)


def measure(home: Path, passages: int, rounds: int) -> dict[str, Any]:
    model = ensure_e5_model(default_model_dir(home))
    default = load_passage_embedder(model, precision="auto", home=home, cache=False)  # times once if needed
    chosen = resolve_precision("auto", derived_dir(model, home))
    embedders: dict[str, Embedder] = {"fp32": SentenceTransformerEmbedder(model, precision="fp32")}
    embedders["bf16"] = SentenceTransformerEmbedder(model, precision="bf16")
    embedders["int8"] = (
        default
        if chosen == "int8"
        else load_passage_embedder(model, precision="int8", home=home, cache=False)
    )
    texts = long_passages(passages)
    for embedder in embedders.values():
        embedder.embed_passages(texts[:16])  # warm-up
    rates: dict[str, list[float]] = {p: [] for p in embedders}
    cpu_rates: dict[str, list[float]] = {p: [] for p in embedders}
    vectors: dict[str, np.ndarray] = {}
    for r in range(rounds):
        batch = long_passages(passages, seed=r + 1)
        for precision, embedder in embedders.items():
            start, cpu = time.perf_counter(), time.process_time()
            vectors[precision] = embedder.embed_passages(batch)
            rates[precision].append(passages / (time.perf_counter() - start))
            cpu_rates[precision].append(passages / max(time.process_time() - cpu, 1e-9))
    median = {p: float(np.median(v)) for p, v in rates.items()}
    cosine = {p: float(np.mean(np.sum(vectors[p] * vectors["fp32"], axis=1))) for p in embedders}
    return {
        "embed_long_per_s": {
            **{p: round(v, 1) for p, v in median.items()},
            "default": round(median[chosen], 1),
        },
        "embed_long_per_cpu_s": {p: round(float(np.median(v)), 1) for p, v in cpu_rates.items()},
        "default_precision": chosen,
        "cosine_to_fp32": {p: round(v, 5) for p, v in cosine.items()},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=default_home(os.environ))
    ap.add_argument("--passages", type=int, default=96)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    figures = measure(args.home, args.passages, args.rounds)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    print(f"default precision here: {figures['default_precision']} (stored timing beside the model)")
    for precision, rate in figures["embed_long_per_s"].items():
        cosine = figures["cosine_to_fp32"].get(
            precision, figures["cosine_to_fp32"][figures["default_precision"]]
        )
        per_cpu = figures["embed_long_per_cpu_s"].get(
            precision, figures["embed_long_per_cpu_s"][figures["default_precision"]]
        )
        print(
            f"  {precision:8s} {rate:7.1f} long passages/s ({per_cpu:6.1f} per CPU-second)"
            f"   mean cosine to fp32 {cosine:.5f}"
        )


if __name__ == "__main__":
    main()
