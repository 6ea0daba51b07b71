"""Parsing speed on one core: 1,000 synthetic reports of about 20 KB made from the example corpus.

    .venv/bin/python bench/parse_speed.py [--reports 1000] [--seed 7] [--profile]
    .venv/bin/python bench/parse_speed.py --against main [--rounds 3] [--reports 300]

The synthetic reports come from bench/synthetic_reports.py (units renamed, issues shuffled).
Prints reports/s and MB/s for the whole `parse_report` and for its structure stage alone (normalize +
outline). Target (issue 11): >= 400 reports/s for `parse_report` on one core.

`--against REF` compares this tree with the code at git REF in one run: the two take turns, one process
per round each, on the same reports (the machine is shared, so only interleaved figures compare).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tarfile
import tempfile
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
    parser.add_argument("--against", metavar="REF", help="also time the code at this git ref, interleaved")
    parser.add_argument("--rounds", type=int, default=3, help="turns each with --against")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.against:
        _compare(args)
        return
    texts = synthetic_reports(args.corpus, args.reports, args.seed)
    if args.worker:
        print(_rate(texts, lambda text, i: parse_report(text, file=f"synthetic_{i}.txt")))
        return
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
    print("target: >= 400 reports/s for parse_report (issue 11)")
    _stages(texts[: args.stage_reports])


_PACKAGES = ("graph", "ingest", "search", "cli", "app")


def _checkout(ref: str, into: Path) -> Path:
    """The packages at `ref` as an importable `ikg` package under `into` (ahead of the editable install)."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", ref, *_PACKAGES], check=True, capture_output=True
    ).stdout
    package = into / "ikg"
    package.mkdir()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(package, filter="data")
    (package / "__init__.py").write_text("")
    return into


def _compare(args: argparse.Namespace) -> None:
    command = [sys.executable, __file__, "--worker", "--reports", str(args.reports), "--seed", str(args.seed)]
    command += ["--corpus", str(args.corpus)]
    rates: dict[str, list[float]] = {"this tree": [], args.against: []}
    with tempfile.TemporaryDirectory() as tmp:
        old_env = {**os.environ, "PYTHONPATH": str(_checkout(args.against, Path(tmp)))}
        for _ in range(args.rounds):
            for name, env in (("this tree", dict(os.environ)), (args.against, old_env)):
                out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
                rates[name].append(float(out.split()[-1]))
    print(f"parse_report on {args.reports} synthetic reports, {args.rounds} interleaved rounds (reports/s):")
    for name, values in rates.items():
        cells = " ".join(f"{v:7.1f}" for v in values)
        print(f"  {name:<12}{cells}   median {statistics.median(values):7.1f}")
    ratio = statistics.median(rates["this tree"]) / statistics.median(rates[args.against])
    print(f"this tree / {args.against}: {ratio:.2f}x")


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
