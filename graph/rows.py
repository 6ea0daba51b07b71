"""Turn `ReportGraph`s into the parameter columns the write statements walk, grouped the way they are sent.

Pure: no database here. A `SourceSpan` becomes `file`, `span_start`, `span_end`, `line`, as in the schema.
`report_rows` validates one report; `write_batch` merges any number of them into one set of columns per
node label and per (edge type, from-label, to-label), so a batch costs the same number of statements as a
single report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from ikg.graph.errors import StoreError
from ikg.graph.model import Edge, Label, Rel, ReportGraph, SourceSpan
from ikg.graph.schema import EDGE_PROPS, NODE_TABLES, REL_TABLES

Row = dict[str, Any]  # one node or edge as {property: value}; never leaves the store layer
EdgeKey = tuple[Rel, Label, Label]

# Shared labels first, so a report's own nodes and edges find them; then each owner before what it owns.
WRITE_ORDER: tuple[Label, ...] = (
    *(label for label in NODE_TABLES if NODE_TABLES[label].shared),
    Label.REPORT,
    Label.CATEGORY,
    Label.ISSUE,
    Label.MEASURE,
)
_NODE_PROPS = {label: tuple(p.name for p in table.props) for label, table in NODE_TABLES.items()}
_EDGE_PROPS = tuple(p.name for p in EDGE_PROPS)


@dataclass(frozen=True, slots=True)
class ReportRows:
    """One validated report: node rows per label, edge rows per (type, from-label, to-label)."""

    report_id: str
    file: str
    digest: str
    nodes: dict[Label, list[Row]]
    edges: dict[EdgeKey, list[Row]]

    @property
    def node_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    @property
    def edge_count(self) -> int:
        return sum(len(rows) for rows in self.edges.values())


@dataclass(frozen=True, slots=True)
class Columns:
    """One write statement's rows as equal-length lists: the keys (`id`, or `src` and `dst`), then the
    properties some row has a value for, in schema order."""

    keys: dict[str, list[Any]]
    props: dict[str, list[Any]]

    @property
    def size(self) -> int:
        return len(next(iter(self.keys.values())))


@dataclass(frozen=True, slots=True)
class NodeColumns:
    label: Label
    columns: Columns


@dataclass(frozen=True, slots=True)
class EdgeColumns:
    rel: Rel
    src: Label
    dst: Label
    columns: Columns


@dataclass(frozen=True, slots=True)
class WriteBatch:
    """The statements' parameters for any number of reports: nodes in `WRITE_ORDER`, then edges."""

    nodes: tuple[NodeColumns, ...]
    edges: tuple[EdgeColumns, ...]


def columns(rows: Sequence[Row], keys: tuple[str, ...], names: Iterable[str]) -> Columns:
    """`rows` as columns, leaving out a property that is null (or an empty list) in every row: LadybugDB
    cannot bind such a column (see cypher.py); the property then keeps its stored value, or null."""
    props = {}
    for name in names:
        values = [r[name] for r in rows]
        if any(v is not None and v != [] for v in values):
            props[name] = values
    return Columns({k: [r[k] for r in rows] for k in keys}, props)


@dataclass(frozen=True, slots=True)
class _Shape:
    """How to flatten one record class: its plain fields, and its `SourceSpan` fields."""

    plain: tuple[str, ...]
    spans: tuple[str, ...]
    lists: tuple[str, ...]  # tuple-typed fields (Organization.aliases)
    get: Callable[[object], tuple[Any, ...]]  # all of `plain`'s values in one call


_SHAPES: dict[type, _Shape] = {}  # per record class: `dataclasses.fields` is too slow to call per record


def _shape(cls: type) -> _Shape:
    shape = _SHAPES.get(cls)
    if shape is None:
        names = [f.name for f in fields(cls)]
        spans = tuple(f.name for f in fields(cls) if "SourceSpan" in str(f.type))
        plain = tuple(n for n in names if n not in spans)
        lists = tuple(f.name for f in fields(cls) if str(f.type).startswith("tuple[str"))
        # attrgetter of one name returns the value itself, not a 1-tuple
        get = attrgetter(*plain) if len(plain) > 1 else (lambda r, _n=plain[0]: (getattr(r, _n),))
        shape = _SHAPES[cls] = _Shape(plain, spans, lists, get)
    return shape


def record_row(record: object) -> Row:
    shape = _shape(type(record))
    row: Row = dict(zip(shape.plain, shape.get(record), strict=True))
    for name in shape.lists:
        row[name] = list(row[name])  # STRING[] columns take lists (LadybugDB cannot type a null among them)
    for name in shape.spans:
        row.update(_span(getattr(record, name)))
    return row


def _span(span: SourceSpan | None) -> Row:
    if span is None:
        return {"file": None, "span_start": None, "span_end": None, "line": None, "page": None}
    return {
        "file": span.file,
        "span_start": span.start,
        "span_end": span.end,
        "line": span.line,
        "page": span.page,
    }


def edge_row(edge: Edge, report_id: str | None) -> Row:
    row: Row = {"src": edge.src, "dst": edge.dst, "report_id": report_id, "role": edge.role}
    row.update(score=edge.score, as_printed=edge.as_printed, **_span(edge.source))
    return row


def merge_row(into: Row, row: Row) -> None:
    """A shared node met again: a value overrides, a null keeps what was known (as MERGE … coalesce does)."""
    for name, value in row.items():
        if value is not None and value != []:  # an empty list is as unknown as a null
            into[name] = value


def report_rows(graph: ReportGraph) -> ReportRows:
    """Rows for one report; StoreError for a duplicate own node, an edge the schema does not allow, or an
    edge whose end is not in the report."""
    report_id = graph.report.id
    by_label: dict[Label, dict[str, Row]] = {label: {} for label in NODE_TABLES}
    labels: dict[str, Label] = {}
    groups: list[tuple[Label, tuple[object, ...]]] = [
        (Label.ORGANIZATION, graph.organizations),
        (Label.INSPECTION, (graph.inspection,) if graph.inspection else ()),
        (Label.REGULATION, graph.regulations),
        (Label.PERSON, graph.people),
        (Label.CATEGORY, graph.categories),
        (Label.ISSUE, graph.issues),
        (Label.MEASURE, graph.measures),
    ]
    for label, records in groups:
        shared = NODE_TABLES[label].shared
        table = by_label[label]
        for record in records:
            row = record_row(record)
            node_id = row["id"]
            if node_id in labels and not shared:
                raise StoreError(f"{graph.report.file}: {label} id {node_id} occurs twice in one report")
            if node_id in table:
                merge_row(table[node_id], row)
            else:
                table[node_id] = row
            labels[node_id] = label
    report = record_row(graph.report)
    report.update(
        inspection_id=graph.inspection.id if graph.inspection else None,
        organization_ids=sorted(by_label[Label.ORGANIZATION]),
        regulation_ids=sorted(by_label[Label.REGULATION]),
        person_ids=sorted(by_label[Label.PERSON]),
    )
    by_label[Label.REPORT][report_id] = report
    labels[report_id] = Label.REPORT

    edges: dict[EdgeKey, dict[tuple[str, str], Row]] = {}
    for edge in graph.edges:
        src, dst = labels.get(edge.src), labels.get(edge.dst)
        if src is None or dst is None:
            missing = edge.src if src is None else edge.dst
            raise StoreError(
                f"{graph.report.file}: {edge.rel} edge names {missing}, which is not in the report"
            )
        if (src, dst) not in REL_TABLES[edge.rel].pairs:
            raise StoreError(f"{graph.report.file}: the schema has no {edge.rel} edge from {src} to {dst}")
        edges.setdefault((edge.rel, src, dst), {}).setdefault((edge.src, edge.dst), edge_row(edge, report_id))
    return ReportRows(
        report_id,
        graph.report.file,
        graph.report.digest,
        {label: list(rows.values()) for label, rows in by_label.items() if rows},
        {key: list(rows.values()) for key, rows in edges.items()},
    )


def write_batch(reports: Sequence[ReportRows]) -> WriteBatch:
    """One set of columns per label and per edge group for all `reports` together.

    A shared node several reports name becomes one row (`merge_row`, in report order). Own nodes are
    concatenated as they are, so an id two reports both claim reaches the database and is refused there.
    Edges are concatenated too: each report asserts its own, tagged with its report id."""
    shared: dict[Label, dict[str, Row]] = {}
    owned: dict[Label, list[Row]] = {}
    edges: dict[EdgeKey, list[Row]] = {}
    for report in reports:
        for label, rows in report.nodes.items():
            if NODE_TABLES[label].shared:
                table = shared.setdefault(label, {})
                for row in rows:
                    if row["id"] in table:
                        merge_row(table[row["id"]], row)
                    else:
                        table[row["id"]] = dict(row)  # merge_row must not change the report's own rows
            else:
                owned.setdefault(label, []).extend(rows)
        for key, rows in report.edges.items():
            edges.setdefault(key, []).extend(rows)
    nodes = []
    for label in WRITE_ORDER:
        rows = list(shared[label].values()) if label in shared else owned.get(label, [])
        if rows:
            nodes.append(NodeColumns(label, columns(rows, ("id",), _NODE_PROPS[label])))
    return WriteBatch(
        tuple(nodes),
        tuple(
            EdgeColumns(rel, src, dst, columns(rows, ("src", "dst"), _EDGE_PROPS))
            for (rel, src, dst), rows in edges.items()
        ),
    )
