"""GraphML and GEXF files of a `GraphDump` (networkx writers), for Gephi, yEd, Cytoscape and networkx.

Each node is keyed by its ikg id and carries `node_label` (Issue, Measure, …), `label` (a short readable
name: Gephi shows it) and its properties; each edge carries `rel_type` (CITES, …), `label` (the same) and
its properties. A null property is left out (neither format has a null); a list property becomes a JSON
array string. Property names the GEXF format reserves are renamed in both formats: a measure's `label`
(一是) -> `label_as_printed`, an inspection's `start`/`end` -> `start_date`/`end_date`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from ikg.graph.export_rows import GraphDump, NodeRecord
from ikg.graph.model import Label

RENAMED = {"label": "label_as_printed", "start": "start_date", "end": "end_date"}
_SHOWN = {  # the property a node's display label is made of
    Label.REPORT: "title",
    Label.ORGANIZATION: "name",
    Label.INSPECTION: "team",
    Label.CATEGORY: "title",
    Label.ISSUE: "title",
    Label.MEASURE: "text",
    Label.REGULATION: "title",
    Label.PERSON: "name",
}
_LABEL_CHARS = 40


def to_networkx(dump: GraphDump) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name=f"ikg {dump.unit}" if dump.unit else "ikg")
    for node in dump.nodes:
        graph.add_node(node.id, node_label=node.label.value, label=_display(node), **_attrs(node.props))
    for e in dump.edges:
        graph.add_edge(e.src, e.dst, key=f"{e.rel}:{e.src}:{e.dst}", rel_type=e.rel.value, label=e.rel.value,
                       **_attrs(e.props))  # fmt: skip
    return graph


def write_graphml(dump: GraphDump, path: Path) -> None:
    nx.write_graphml(to_networkx(dump), path, encoding="utf-8", named_key_ids=True)


def write_gexf(dump: GraphDump, path: Path) -> None:
    nx.write_gexf(to_networkx(dump), path, encoding="utf-8")


def _attrs(props: dict[str, Any] | Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in props.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            value = json.dumps(list(value), ensure_ascii=False)
        out[RENAMED.get(name, name)] = value
    return out


def _display(node: NodeRecord) -> str:
    text = node.props.get(_SHOWN[node.label]) or node.props.get("file") or node.id
    if node.label is Label.ISSUE and node.props.get("number"):
        text = f"{node.props['number']}. {text}"
    text = str(text)
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"
