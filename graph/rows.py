"""Turn a `ReportGraph` into the parameter rows the write queries UNWIND, grouped the way they are sent.

Pure: no database here. A `SourceSpan` becomes `file`, `span_start`, `span_end`, `line`, as in the schema.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ikg.graph.errors import StoreError
from ikg.graph.model import Edge, Label, Rel, ReportGraph, SourceSpan
from ikg.graph.schema import EDGE_PROPS, NODE_TABLES, REL_TABLES

Row = dict[str, Any]  # one query parameter row; never leaves the store layer


@dataclass(frozen=True, slots=True)
class NodeRows:
    label: Label
    props: tuple[str, ...]  # the properties some row has a value for, in schema order
    rows: list[Row]


@dataclass(frozen=True, slots=True)
class EdgeRows:
    rel: Rel
    src: Label
    dst: Label
    props: tuple[str, ...]
    rows: list[Row]


@dataclass(frozen=True, slots=True)
class WriteBatch:
    """A report's rows: nodes per label (shared labels first) and edges per (type, from, to)."""

    nodes: tuple[NodeRows, ...]
    edges: tuple[EdgeRows, ...]

    @property
    def node_count(self) -> int:
        return sum(len(n.rows) for n in self.nodes)

    @property
    def edge_count(self) -> int:
        return sum(len(e.rows) for e in self.edges)


def present(rows: list[Row], names: list[str]) -> tuple[tuple[str, ...], list[Row]]:
    """The properties some row has a value for, and the rows cut down to those plus the keys.

    A property null (or an empty list) in every row is left out: LadybugDB types such a column STRING and
    refuses to cast it into an INT64/DOUBLE/BOOLEAN column."""
    props = tuple(n for n in names if any(r[n] is not None and r[n] != [] for r in rows))
    keys = [k for k in ("id", "src", "dst") if k in rows[0]]
    return props, [{k: r[k] for k in (*keys, *props)} for r in rows]


def record_row(record: object) -> Row:
    row: Row = {}
    for f in fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if isinstance(value, SourceSpan):
            row.update(_span(value))
        else:
            row[f.name] = value
    return row


def _span(span: SourceSpan | None) -> Row:
    if span is None:
        return {"file": None, "span_start": None, "span_end": None, "line": None}
    return {"file": span.file, "span_start": span.start, "span_end": span.end, "line": span.line}


def edge_row(edge: Edge, report_id: str | None) -> Row:
    row: Row = {"src": edge.src, "dst": edge.dst, "report_id": report_id, "role": edge.role}
    row.update(score=edge.score, as_printed=edge.as_printed, **_span(edge.source))
    return row


def report_batch(graph: ReportGraph) -> WriteBatch:
    """Rows for one report; StoreError for an edge the schema does not allow or whose end is missing."""
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
        for record in records:
            row = record_row(record)
            if row["id"] in labels and not NODE_TABLES[label].shared:
                raise StoreError(f"{graph.report.file}: {label} id {row['id']} occurs twice in one report")
            by_label[label].setdefault(row["id"], row)
            labels[row["id"]] = label
    report = record_row(graph.report)
    report.update(
        inspection_id=graph.inspection.id if graph.inspection else None,
        organization_ids=sorted(by_label[Label.ORGANIZATION]),
        regulation_ids=sorted(by_label[Label.REGULATION]),
        person_ids=sorted(by_label[Label.PERSON]),
    )
    by_label[Label.REPORT][report_id] = report
    labels[report_id] = Label.REPORT

    edges: dict[tuple[Rel, Label, Label], dict[tuple[str, str], Row]] = {}
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

    order = [label for label in NODE_TABLES if NODE_TABLES[label].shared]
    order += [Label.REPORT, Label.CATEGORY, Label.ISSUE, Label.MEASURE]
    nodes = []
    for label in order:
        if by_label[label]:
            names = [p.name for p in NODE_TABLES[label].props]
            nodes.append(NodeRows(label, *present(list(by_label[label].values()), names)))
    edge_names = [p.name for p in EDGE_PROPS]
    return WriteBatch(
        nodes=tuple(nodes),
        edges=tuple(
            EdgeRows(rel, a, b, *present(list(rows.values()), edge_names))
            for (rel, a, b), rows in edges.items()
        ),
    )
