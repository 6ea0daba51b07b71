"""`issue_facts()` (what ikg.analysis reads) on both stores, from the example reports and the gold."""

from __future__ import annotations

import json
from pathlib import Path

from ikg.graph.base import CypherStore
from ikg.ingest.build import build_graph
from ikg.ingest.job import load_document


def test_issue_facts_carry_report_context_measures_and_provenance(
    store: CypherStore, corpus_dir: Path, gold_dir: Path
) -> None:
    paths = sorted(corpus_dir.glob("*.txt"))[:2]
    graphs = [build_graph(load_document(p)) for p in paths]
    store.write_reports(graphs)
    facts = store.issue_facts()
    assert len(facts) == sum(len(g.issues) for g in graphs)
    for path, graph in zip(paths, graphs, strict=True):
        gold = json.loads((gold_dir / (path.stem + ".json")).read_text(encoding="utf-8"))
        mine = [f for f in facts if f.report.report_id == graph.report.id]
        assert [f.issue.title for f in mine] == [i.title for i in graph.issues]  # file order
        assert {f.report.organization for f in mine} == {gold["inspected_unit"]}
        assert {f.report.start for f in mine} == {gold["inspection"]["start"]}
        lines = path.read_text(encoding="utf-8").splitlines()
        for fact, issue in zip(mine, graph.issues, strict=True):
            assert fact.issue.line == issue.source.line and fact.completed == issue.completed
            want = [m for m in graph.measures if m.issue_id == issue.id]
            assert [m.text for m in fact.measures] == [m.text for m in sorted(want, key=lambda m: m.ordinal)]
            for m in fact.measures:
                assert lines[m.line - 1].strip(), f"{path.name}:{m.line} is blank"
