"""One JSON object per report, in the shape of `ikg parse --format json` (ingest/serialize.py), built
from what the graph holds: the graph is the source of truth, the files may have changed or gone.

Same keys, same nesting, same spans. What the graph does not keep comes out empty, and every object
lists those keys in `not_in_graph`: the report's sections and their roles, an issue's `title_span`,
`title_parts` and `implied_category`, money mentions, the parser's warnings. A regulation cited twice
by one node, or an organization named twice, is one edge: `regulations` holds the first mention per
node and regulation, `people` one entry per person and organization. Two keys differ in meaning:
`file` is the path ingest recorded (absolute), and `organizations` are the graph's organization names
(qualified with the report's region, 市教育局 -> 清远市教育局) rather than the names as printed. A
mention's `relation` is `establishes` only for a measure's (a report's or issue's 制定《…》 is stored as
cites). Extra keys: `report_id`, `not_in_graph`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ikg.app.export.ledger import split_article
from ikg.graph.export_rows import EdgeRecord, GraphDump, NodeRecord
from ikg.graph.model import Label, Rel

NOT_IN_GRAPH = (
    "sections",
    "categories[].issues[].title_span",
    "categories[].issues[].title_parts",
    "categories[].issues[].implied_category",
    "categories[].issues[].money",
    "money",
    "warnings",
    "page_starts",  # the graph keeps each node's page instead
    "ocr_pages",
)


class _Graph:
    def __init__(self, dump: GraphDump) -> None:
        self.nodes = {n.id: n for n in dump.nodes}
        self.out: dict[str, list[EdgeRecord]] = {}
        self.roles: dict[str, list[EdgeRecord]] = {}  # ROLE_IN edges by the report that stated them
        for e in dump.edges:
            self.out.setdefault(e.src, []).append(e)
            if e.rel is Rel.ROLE_IN and e.src in self.nodes:
                self.roles.setdefault(e.props["report_id"], []).append(e)

    def targets(self, node_id: str, rel: Rel) -> list[NodeRecord]:
        found = [self.nodes[e.dst] for e in self.out.get(node_id, ()) if e.rel is rel and e.dst in self.nodes]
        return sorted(found, key=lambda n: (n.props.get("ordinal") or 0, n.id))

    def citations(self, node_id: str) -> list[tuple[EdgeRecord, NodeRecord]]:
        return [
            (e, self.nodes[e.dst])
            for e in self.out.get(node_id, ())
            if e.rel in (Rel.CITES, Rel.ESTABLISHES) and e.dst in self.nodes
        ]


def report_documents(dump: GraphDump) -> Iterator[dict[str, Any]]:
    """The reports in file order, each as a JSON-ready object."""
    graph = _Graph(dump)
    for report in sorted(dump.of(Label.REPORT), key=lambda r: (r.props["file"], r.id)):
        yield _report(graph, report)


def write_jsonl(dump: GraphDump, path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for doc in report_documents(dump):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            count += 1
    return count


def _report(graph: _Graph, report: NodeRecord) -> dict[str, Any]:
    p = report.props
    inspection = next(iter(graph.targets(report.id, Rel.ON)), None)
    insp = inspection.props if inspection else {}
    unit = next((o for o in graph.targets(inspection.id, Rel.INSPECTED)), None) if inspection else None
    region = unit.props if unit else {}
    categories = graph.targets(report.id, Rel.HAS_CATEGORY)
    mentions: list[tuple[EdgeRecord, NodeRecord]] = list(graph.citations(report.id))
    cats = []
    for c in categories:
        issues = []
        for i in graph.targets(c.id, Rel.HAS_ISSUE):
            measures = graph.targets(i.id, Rel.ADDRESSED_BY)
            cited = graph.citations(i.id) + [x for m in measures for x in graph.citations(m.id)]
            mentions += cited
            issues.append(_issue(i, measures, cited))
        cats.append({**_spanned(c, "title", "is_section"), "issues": issues})
    for m in graph.targets(report.id, Rel.TOOK):
        mentions += graph.citations(m.id)
    mentions.sort(key=lambda x: (x[0].props["span_start"] or 0, x[1].id))
    roles = sorted(graph.roles.get(report.id, ()), key=lambda e: (e.props["span_start"] or 0, e.src))
    people = [{"name": graph.nodes[e.src].props["name"], "role": e.props["role"]} for e in roles]
    organizations = {
        graph.nodes[e.dst].props["name"]: e.props["span_start"] or 0
        for e in sorted(_org_links(graph, report, categories), key=lambda e: e.props["span_start"] or 0)
    }
    return {
        "file": p["file"],
        "encoding": p["encoding"],
        "format": p["format"],
        "content_hash": p["content_hash"],
        "title": p["title"],
        "publisher": p["publisher"],
        "inspected_unit": p["unit"],
        "region": {k: region.get(k) for k in ("province", "city", "county")},
        "inspection": {k: insp.get(k) for k in ("kind", "level", "team", "start", "end", "feedback_date")},
        "publish_date": p["publish_date"],
        "claimed": json.loads(p["claimed_json"] or "{}"),
        "contact": json.loads(p["contact_json"] or "{}"),
        "sections": [],
        "approach_measures": [_measure(m) for m in graph.targets(report.id, Rel.TOOK)],
        "categories": cats,
        "regulations_all": _titles(mentions, "title"),
        "named_rules": _titles(mentions, "named_rule"),
        "regulations": [_mention(e, g) for e, g in mentions],
        "people": people,
        "organizations": list(organizations),
        "money": [],
        "warnings": [],
        "page_starts": [],
        "ocr_pages": [],
        "report_id": report.id,
        "not_in_graph": list(NOT_IN_GRAPH),
    }


def _org_links(graph: _Graph, report: NodeRecord, categories: list[NodeRecord]) -> Iterator[EdgeRecord]:
    """The report's MENTIONS and its measures' INVOLVES: where it named an organization."""
    yield from (e for e in graph.out.get(report.id, ()) if e.rel is Rel.MENTIONS)
    measures = [m for m in graph.targets(report.id, Rel.TOOK)]
    for c in categories:
        for i in graph.targets(c.id, Rel.HAS_ISSUE):
            measures += graph.targets(i.id, Rel.ADDRESSED_BY)
    for m in measures:
        yield from (e for e in graph.out.get(m.id, ()) if e.rel is Rel.INVOLVES)


def _issue(
    i: NodeRecord, measures: list[NodeRecord], cited: list[tuple[EdgeRecord, NodeRecord]]
) -> dict[str, Any]:
    p = i.props
    cited = sorted(cited, key=lambda x: (x[0].props["span_start"] or 0, x[1].id))
    return {
        "number": p["number"],
        "title": p["title"],
        "short_title": p["short_title"],
        "title_parts": [],
        "status": p["status"],
        "deadline": p["deadline"],
        "span": [p["span_start"], p["span_end"]],
        "line": p["line"],
        "title_span": None,
        "measures": [_measure(m) for m in measures],
        "result": p["result"],
        "regulations": _titles(cited, "title"),
        "named_rules": _titles(cited, "named_rule"),
        "money": [],
    }


def _spanned(node: NodeRecord, *names: str) -> dict[str, Any]:
    p = node.props
    return {**{n: p[n] for n in names}, "span": [p["span_start"], p["span_end"]], "line": p["line"]}


def _measure(m: NodeRecord) -> dict[str, Any]:
    return _spanned(m, "label", "text")


def _mention(e: EdgeRecord, g: NodeRecord) -> dict[str, Any]:
    title, article = split_article(e.props["as_printed"] or g.props["title"])
    p: Mapping[str, Any] = e.props
    return {
        "title": title,
        "canonical": g.props["title"],
        "kind": g.props["kind"],
        "relation": "establishes" if e.rel is Rel.ESTABLISHES else "cites",
        "article": article,
        "span": [p["span_start"], p["span_end"]],
        "line": p["line"],
    }


def _titles(mentions: list[tuple[EdgeRecord, NodeRecord]], kind: str) -> list[str]:
    return list(
        dict.fromkeys(
            split_article(e.props["as_printed"] or g.props["title"])[0]
            for e, g in mentions
            if g.props["kind"] == kind
        )
    )
