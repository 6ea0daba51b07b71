"""GraphML and GEXF files read back with networkx: the counts of `ikg stats`, the unit's own subgraph."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from ikg.app.export.job import export_graph


def _oracle():  # type: ignore[no-untyped-def]
    name = "ikg_tests_export_oracle"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("oracle.py"))
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


READ = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}


def _counts(graph: nx.MultiDiGraph) -> tuple[Counter[str], Counter[str]]:
    nodes = Counter(d["node_label"] for _, d in graph.nodes(data=True))
    edges = Counter(d["rel_type"] for _, _, d in graph.edges(data=True))
    return nodes, edges


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_whole_graph_reads_back_with_the_counts_of_stats(loaded, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    store = loaded.store
    stats = store.stats()
    out = tmp_path / f"g.{fmt}"
    export_graph(store, fmt, out)
    graph = READ[fmt](out)
    nodes, edges = _counts(graph)
    assert dict(nodes) == {k: v for k, v in _oracle().node_counts(stats).items() if v}
    assert dict(edges) == {k: v for k, v in stats.edges.items() if v}
    assert edges["SIMILAR_TO"] == 2
    # properties: typed scalars, lists as JSON strings, reserved names renamed
    issue = next(d for _, d in graph.nodes(data=True) if d["node_label"] == "Issue")
    assert isinstance(issue["ordinal"], int) and isinstance(issue["line"], int) and issue["title"]
    unit = next(d for _, d in graph.nodes(data=True) if d["node_label"] == "Organization" and "aliases" in d)
    assert isinstance(json.loads(unit["aliases"]), list)
    inspection = next(d for _, d in graph.nodes(data=True) if d["node_label"] == "Inspection")
    assert "start_date" in inspection and "start" not in inspection
    scores = [d["score"] for _, _, d in graph.edges(data=True) if d["rel_type"] == "SIMILAR_TO"]
    assert sorted(scores) == [0.5, 0.75]
    detail = store.issue_detail(next(i for i, d in graph.nodes(data=True) if d["node_label"] == "Issue"))
    assert graph.nodes[detail.issue.id]["title"] == detail.issue.title


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_one_unit_is_the_subgraph_its_reports_make(loaded, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    store = loaded.store
    for report in (loaded.reports[0], loaded.reports[-1]):  # an example report, the synthetic one
        ref = store.find_reports(str(report.resolve()))[0]
        assert ref.unit
        out = tmp_path / f"{report.stem}.{fmt}"
        summary = export_graph(store, fmt, out, unit=ref.unit)
        assert summary.unit == ref.unit
        nodes, edges = _counts(READ[fmt](out))
        fresh = tmp_path / f"fresh-{report.stem}"
        want_nodes, want_edges = _oracle().unit_expectation(store, [report], fresh)
        assert dict(nodes) == {k: v for k, v in want_nodes.items() if v}, report.name
        assert dict(edges) == {k: v for k, v in want_edges.items() if v}, report.name
    assert edges["SIMILAR_TO"] == 1  # the synthetic report's pair; the cross-report pair is not its own
