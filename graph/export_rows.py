"""The whole graph, or one inspected unit's part of it, as plain node and edge records for the exporters.

Every schema property is read (null included), so a writer can emit typed columns without asking the store
again; `IkgMeta` bookkeeping is not part of the graph and is left out. A unit's part is what its reports
wrote: the reports, their categories, issues and measures, the edges they asserted (each carries its
`report_id`), the shared nodes those edges or the reports' id lists name, and SIMILAR_TO edges between two
of its issues.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ikg.graph import cypher
from ikg.graph.errors import NotFoundError
from ikg.graph.ids import normalize_key
from ikg.graph.model import Label, Rel
from ikg.graph.rows import WRITE_ORDER, EdgeColumns, NodeColumns, Row, WriteBatch, columns
from ikg.graph.schema import EDGE_PROPS, NODE_TABLES, RELS, PropType

Run = Callable[[str, Mapping[str, Any]], list[Row]]

# The shared nodes a Report row lists (schema.py's bookkeeping columns), by label.
_REPORT_LISTS = (
    ("organization_ids", Label.ORGANIZATION),
    ("regulation_ids", Label.REGULATION),
    ("person_ids", Label.PERSON),
)


@dataclass(frozen=True, slots=True)
class NodeRecord:
    label: Label
    id: str
    props: Mapping[str, Any]  # every schema property of the label, in schema order; null as None


@dataclass(frozen=True, slots=True)
class EdgeRecord:
    rel: Rel
    src_label: Label
    src: str
    dst_label: Label
    dst: str
    props: Mapping[str, Any]  # every edge property of the schema (report_id, role, score, …)


@dataclass(frozen=True, slots=True)
class GraphDump:
    unit: str | None  # the inspected unit's canonical name, None for the whole graph
    nodes: tuple[NodeRecord, ...]  # by label in schema order, then by id
    edges: tuple[EdgeRecord, ...]  # by type in schema order, then by endpoints

    def of(self, label: Label) -> list[NodeRecord]:
        return [n for n in self.nodes if n.label is label]

    def node_counts(self) -> dict[str, int]:
        return {label.value: len(self.of(label)) for label in Label}

    def edge_counts(self) -> dict[str, int]:
        return {rel.value: sum(1 for e in self.edges if e.rel is rel) for rel in Rel}


@dataclass(frozen=True, slots=True)
class UnitName:
    name: str  # canonical, as reports store it in `unit`
    aliases: tuple[str, ...]  # the reports' short forms and self-references


def report_units(run: Run) -> list[UnitName]:
    found: dict[str, set[str]] = {}
    for row in run(cypher.REPORT_UNITS, {}):
        found.setdefault(row["name"], set()).update(row["aliases"] or ())
    return [UnitName(name, tuple(sorted(aliases))) for name, aliases in sorted(found.items())]


def resolve_unit(units: Sequence[UnitName], ref: str) -> UnitName:
    """The one unit `ref` names: its canonical name exactly, else the only unit whose name or one of
    whose aliases contains it. NotFoundError lists the candidates when there are none or several."""
    key = normalize_key(ref)
    exact = [u for u in units if normalize_key(u.name) == key]
    if len(exact) == 1:
        return exact[0]
    within = [u for u in units if any(key in normalize_key(n) for n in (u.name, *u.aliases))]
    if len(within) == 1:
        return within[0]
    if not within:
        raise NotFoundError(f"no inspected unit matches {ref!r}; 'ikg units' lists them")
    names = "、".join(u.name for u in within[:8])
    raise NotFoundError(f"{ref!r} matches {len(within)} units: {names}; give a longer name")


def read_graph(run: Run, unit: str | None = None) -> GraphDump:
    """Every node and edge, or (`unit`: a name or alias, see `resolve_unit`) one inspected unit's part."""
    if unit is None:
        nodes = [n for label in Label for n in _nodes(run, label, None)]
        edges = [e for t in RELS for a, b in t.pairs for e in _edges(run, t.rel, a, b, None)]
        return GraphDump(None, tuple(nodes), tuple(edges))
    name = resolve_unit(report_units(run), unit).name
    report_ids = [r["id"] for r in run(cypher.UNIT_REPORT_IDS, {"name": name})]
    reports = _nodes(run, Label.REPORT, report_ids)
    wanted: dict[Label, set[str]] = {label: set() for label in Label}
    for report in reports:
        if report.props["inspection_id"]:
            wanted[Label.INSPECTION].add(report.props["inspection_id"])
        for column, label in _REPORT_LISTS:
            wanted[label].update(report.props[column] or ())
    scope = {"reports": report_ids}
    edges = [
        e
        for t in RELS
        if t.rel is not Rel.SIMILAR_TO
        for a, b in t.pairs
        for e in _edges(run, t.rel, a, b, scope)
    ]
    for e in edges:
        wanted[e.src_label].add(e.src)
        wanted[e.dst_label].add(e.dst)
    issues = sorted(wanted[Label.ISSUE])
    edges += _edges(run, Rel.SIMILAR_TO, Label.ISSUE, Label.ISSUE, {"issues": issues})
    nodes = [*reports]
    for label in Label:
        if label is not Label.REPORT and wanted[label]:
            nodes += _nodes(run, label, sorted(wanted[label]))
    order = {label: i for i, label in enumerate(Label)}
    nodes.sort(key=lambda n: (order[n.label], n.id))
    return GraphDump(name, tuple(nodes), tuple(edges))


def _nodes(run: Run, label: Label, ids: list[str] | None) -> list[NodeRecord]:
    rows = run(cypher.export_nodes(label, ids is not None), {} if ids is None else {"ids": ids})
    names = [p.name for p in NODE_TABLES[label].props]
    return [NodeRecord(label, r["id"], {n: r[n] for n in names}) for r in rows]


def _edges(run: Run, rel: Rel, src: Label, dst: Label, scope: Mapping[str, Any] | None) -> list[EdgeRecord]:
    rows = run(cypher.export_edges(rel, src, dst, scope is not None), scope or {})
    return [
        EdgeRecord(rel, src, r["src"], dst, r["dst"], {p.name: r[p.name] for p in EDGE_PROPS}) for r in rows
    ]


def dump_batch(dump: GraphDump) -> WriteBatch:
    """The write statements' columns for a dump loaded into an empty graph (`ikg import-csv`)."""
    nodes = []
    for label in WRITE_ORDER:
        props = NODE_TABLES[label].props
        lists = {p.name for p in props if p.type is PropType.STRINGS}
        rows = [
            {"id": n.id, **{k: ([] if v is None and k in lists else v) for k, v in n.props.items()}}
            for n in dump.of(label)
        ]
        if rows:
            nodes.append(NodeColumns(label, columns(rows, ("id",), [p.name for p in props])))
    groups: dict[tuple[Rel, Label, Label], list[Row]] = {}
    for e in dump.edges:
        groups.setdefault((e.rel, e.src_label, e.dst_label), []).append(
            {"src": e.src, "dst": e.dst, **e.props}
        )
    names = [p.name for p in EDGE_PROPS]
    edges = tuple(
        EdgeColumns(rel, a, b, columns(rows, ("src", "dst"), names)) for (rel, a, b), rows in groups.items()
    )
    return WriteBatch(tuple(nodes), edges)
