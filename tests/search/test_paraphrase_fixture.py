"""The synthetic paraphrase pairs of bench/similar_issues.py parse, and each names an example issue."""

from __future__ import annotations

import json
from pathlib import Path

from ikg.ingest.build import build_graph
from ikg.ingest.job import load_document
from ikg.search.evaluation import graph_keys

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "paraphrase"


def test_every_paraphrase_pair_names_a_parsed_synthetic_issue_and_an_example_issue(corpus_dir: Path) -> None:
    doc = json.loads((FIXTURE / "targets.json").read_text(encoding="utf-8"))
    synthetic = set()
    for name in sorted({p["file"] for p in doc["pairs"]}):
        keys = graph_keys(build_graph(load_document(FIXTURE / name)), name)
        synthetic |= {(f, n) for f, _, n, m in keys if m is None}
    examples = set()
    for path in sorted(corpus_dir.glob("*.txt")):
        keys = graph_keys(build_graph(load_document(path)), path.name)
        examples |= {(f, c, n) for f, c, n, m in keys if m is None}
    assert {(p["file"], p["number"]) for p in doc["pairs"]} == synthetic  # one pair per synthetic issue
    for p in doc["pairs"]:
        t = p["target"]
        assert (t["file"], t["category_index"], t["number"]) in examples, p
