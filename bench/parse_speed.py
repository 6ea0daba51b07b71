"""Parsing speed on one core: 1,000 synthetic reports of about 20 KB made from the example corpus.

    .venv/bin/python bench/parse_speed.py [--reports 1000] [--seed 7] [--profile]

The synthetic reports come from bench/synthetic_reports.py (units renamed, issues shuffled).
Prints reports/s and MB/s for the whole `parse_report` and for its structure stage alone (normalize +
outline). Target: >= 200 reports/s for `parse_report`.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable
from pathlib import Path

from synthetic_reports import synthetic_reports

from ikg.ingest.extract.claimed import extract_claimed
from ikg.ingest.extract.contact import extract_contact
from ikg.ingest.extract.header import extract_header
from ikg.ingest.extract.money import find_money
from ikg.ingest.extract.organizations import find_organizations
from ikg.ingest.extract.people import find_people
from ikg.ingest.extract.regulations import find_regulations
from ikg.ingest.extract.sections import build_outline
from ikg.ingest.normalize import NormalizedText, normalize
from ikg.ingest.parse import parse_report

REPO = Path(__file__).resolve().parent.parent


def _rate(texts: list[str], fn: Callable[[str, int], object]) -> float:
    start = time.perf_counter()
    for i, text in enumerate(texts):
        fn(text, i)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=REPO / "examples" / "reports")
    parser.add_argument("--profile", action="store_true", help="print the 25 most expensive functions")
    parser.add_argument("--stage-reports", type=int, default=200, help="reports timed per stage")
    args = parser.parse_args()
    texts = synthetic_reports(args.corpus, args.reports, args.seed)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts)} reports, {mb / len(texts) * 1000:.1f} KB on average (UTF-8), {mb:.1f} MB in all")

    per_mb = mb / len(texts)
    structure = _rate(texts, lambda text, i: build_outline(normalize(text).text))
    print(f"structure (normalize + outline): {structure:8.1f} reports/s  {structure * per_mb:6.2f} MB/s")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
    full = _rate(texts, lambda text, i: parse_report(text, file=f"synthetic_{i}.txt"))
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"parse_report (everything):       {full:8.1f} reports/s  {full * per_mb:6.2f} MB/s")
    print("target: >= 200 reports/s for parse_report")
    _stages(texts[: args.stage_reports])


def _stages(texts: list[str]) -> None:
    """Milliseconds per report for each stage of `parse_report`, to show where the time goes."""
    nts = [normalize(t) for t in texts]
    stages: list[tuple[str, Callable[[NormalizedText], object]]] = [
        ("normalize", lambda nt: normalize(nt.original)),
        ("outline (sections)", lambda nt: build_outline(nt.text)),
        ("header", extract_header),
        ("claimed", extract_claimed),
        ("contact", extract_contact),
        ("regulations", find_regulations),
        ("organizations", find_organizations),
        ("people", find_people),
        ("money", find_money),
    ]
    print(f"stages on {len(nts)} reports (ms per report):")
    for name, fn in stages:
        start = time.perf_counter()
        for nt in nts:
            fn(nt)
        print(f"  {name:<20}{(time.perf_counter() - start) / len(nts) * 1000:8.2f}")


if __name__ == "__main__":
    main()
