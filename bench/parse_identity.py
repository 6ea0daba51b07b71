"""Whether a change to the parser leaves its results unchanged: a digest of every parsed document.

    .venv/bin/python bench/parse_identity.py --out /tmp/now.txt [--synthetic 300]
    .venv/bin/python bench/parse_identity.py --against main        # this tree and REF, side by side

Each line is a file name and the SHA-256 of the full `repr` of its `ReportDocument` (every field, not only
what `ikg parse` prints), then of its `ikg parse` JSON. Inputs: examples/reports, every .txt under
tests/fixtures and `--synthetic` generated reports. `--against REF` runs the same script over the packages
at git REF (as bench/parse_speed.py does) and prints the files whose digests differ; exit 1 if any.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _inputs(synthetic: int) -> list[tuple[str, str]]:
    from synthetic_reports import synthetic_reports

    files = sorted((REPO / "examples" / "reports").glob("*.txt"))
    files += sorted((REPO / "tests" / "fixtures").rglob("*.txt"))
    named = [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in files]
    texts = synthetic_reports(REPO / "examples" / "reports", synthetic, 7) if synthetic else []
    return named + [(f"synthetic_{i}.txt", t) for i, t in enumerate(texts)]


def _digests(synthetic: int) -> list[str]:
    from ikg.ingest.parse import parse_report
    from ikg.ingest.serialize import document_to_json

    lines = []
    for name, text in _inputs(synthetic):
        doc = parse_report(text, file=name)
        full = hashlib.sha256(repr(doc).encode("utf-8", "surrogatepass")).hexdigest()
        js = json.dumps(document_to_json(doc), ensure_ascii=False, sort_keys=True)
        lines.append(f"{name} {full} {hashlib.sha256(js.encode('utf-8', 'surrogatepass')).hexdigest()}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=300)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--against", metavar="REF")
    args = parser.parse_args()
    if not args.against:
        text = "\n".join(_digests(args.synthetic)) + "\n"
        if args.out:
            args.out.write_text(text)
        else:
            sys.stdout.write(text)
        return
    from parse_speed import _checkout

    command = [sys.executable, __file__, "--synthetic", str(args.synthetic)]
    with tempfile.TemporaryDirectory() as tmp:
        old_env = {**os.environ, "PYTHONPATH": str(_checkout(args.against, Path(tmp)))}
        now = subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()
        before = subprocess.run(command, env=old_env, check=True, capture_output=True, text=True).stdout
    differ = [a.split()[0] for a, b in zip(now, before.splitlines(), strict=True) if a != b]
    print(f"{len(now)} documents, {len(differ)} differ from {args.against}")
    for name in differ:
        print(f"  {name}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
