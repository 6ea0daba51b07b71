"""Every query ikg sends to a graph store: parameterised, and portable across LadybugDB, Neo4j and ArcadeDB.

Values only ever arrive as `$params`; labels and relationship types only from the `Label`/`Rel` enums and the
schema. Dialect rules this module keeps (each one was checked on all three engines):
- no `SET n += $map`: properties are listed one by one;
- no `type(e)`/`labels(n)` (LadybugDB has `label()`): a query per relationship type says which one it read;
- an edge is created between two explicitly labelled endpoints (LadybugDB cannot bind a rel to a node of
  several possible labels), so edge writes are grouped by (type, from-label, to-label);
- writes walk parallel lists by position, `$id[k]`: the index base differs (LadybugDB 1, Cypher 0), so it
  arrives as the parameter `$first` and the text stays the same;
- a property that is null (or an empty list) in every row of a batch is left out of the query: LadybugDB
  cannot bind an all-null list (an internal assertion fails) nor one of empty lists to a STRING[] column;
- `collect()` order is unspecified: anything ordered is sorted in Python;
- relationship types are written in backticks where they come from the enum: `ON` and `end` are keywords
  in LadybugDB's grammar (so is the Inspection property `end`, hence backticked property names).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ikg.graph.model import Label, Rel
from ikg.graph.rows import Columns
from ikg.graph.schema import EDGE_PROPS, META_LABEL, NODE_TABLES, PropType

# --- schema bookkeeping -------------------------------------------------------------------------------------

READ_SCHEMA_VERSION = f"MATCH (m:{META_LABEL} {{key: 'schema'}}) RETURN m.version AS version"
WRITE_SCHEMA_VERSION = f"CREATE (m:{META_LABEL} {{key: 'schema', version: $version}})"

# --- writing reports ----------------------------------------------------------------------------------------
#
# Write statements take their rows as parallel lists, one per column (`$id`, or `$src` and `$dst`, then
# `$p_<property>`: `$end` would not parse in LadybugDB), and walk them by position `k`. LadybugDB runs this
# form 5-10x faster than UNWIND over a list of maps (it copies each map per row, even a map of 3 fields).
# Cypher indexes lists from 0, LadybugDB from 1, so the store passes its base as `$first` (schema.py).
# A key is re-bound by a one-element UNWIND before MATCH/MERGE: LadybugDB looks a node up by primary key only
# when the key is an UNWIND variable; `{id: $src[k]}`, even bound through WITH first, is planned as a scan
# of the whole table and a hash join, per statement.


def prop_param(prop: str) -> str:
    return f"p_{prop}"


def column_params(columns: Columns, first: int) -> dict[str, Any]:
    """The parameters of a write statement built from `columns`, for a store whose lists start at `first`."""
    params: dict[str, Any] = {"first": first, **columns.keys}
    params.update((prop_param(p), values) for p, values in columns.props.items())
    return params


def _rows(key: str) -> str:
    return f"UNWIND range($first, $first + size(${key}) - 1) AS k"


@cache
def merge_nodes(label: Label, props: tuple[str, ...]) -> str:
    """Upsert shared nodes (Organization, Regulation, …): a report that does not know a property (null)
    keeps the value another report gave it. LadybugDB plans a MERGE as one scan of the table and a hash
    join whatever the key's form; of the forms tried, binding the key with WITH ran fastest."""
    lists = {p.name for p in NODE_TABLES[label].props if p.type is PropType.STRINGS}
    sets = ", ".join(
        # an empty list (the report knows none) keeps the stored one, as a null does for other properties
        f"n.`{p}` = CASE WHEN size(${prop_param(p)}[k]) > 0 THEN ${prop_param(p)}[k] ELSE n.`{p}` END"
        if p in lists
        else f"n.`{p}` = coalesce(${prop_param(p)}[k], n.`{p}`)"
        for p in props
    )
    merge = f"{_rows('id')} WITH k, $id[k] AS x MERGE (n:{label} {{id: x}})"
    return merge + (f" SET {sets}" if sets else "")


@cache
def create_nodes(label: Label, props: tuple[str, ...]) -> str:
    """Insert reports' own nodes; a duplicate id violates the primary key/constraint instead of merging."""
    values = "".join(f", `{p}`: ${prop_param(p)}[k]" for p in props)
    return f"{_rows('id')} CREATE (n:{label} {{id: $id[k]{values}}})"


@cache
def create_edges(rel: Rel, src: Label, dst: Label, props: tuple[str, ...]) -> str:
    """Returns how many edges it created, so an endpoint missing from the graph is noticed, not skipped.

    In LadybugDB a statement's cost grows with the edges already stored at the nodes it links (60 new
    edges into a Regulation already cited 400 times: ~40 ms), and seems paid per statement rather than
    per edge: the main reason a batch of reports writes so much faster than the same reports one by one."""
    values = ", ".join(f"`{p}`: ${prop_param(p)}[k]" for p in props)
    return (
        f"{_rows('src')} UNWIND [$src[k]] AS s UNWIND [$dst[k]] AS d "
        f"MATCH (a:{src} {{id: s}}) MATCH (b:{dst} {{id: d}}) CREATE (a)-[e:`{rel}`"
        + (f" {{{values}}}" if values else "")
        + "]->(b) RETURN count(e) AS n"
    )


# What a batch of report writes needs to know of the stored reports (write_plan.py): those with the batch's
# ids, and those holding one of the batch's files (as first file, or in `files`, set when a report has
# several). Only these, so a batch costs the same however many reports the graph holds; the file lookup is
# one scan of the Report table inside the database (no index covers a list element). `$files` is bound with
# WITH first: LadybugDB's parser fails an assertion on a parameter inside `any(...)`.
_STORED_REPORT_COLS = "r.id AS id, r.digest AS digest, r.file AS file, r.files AS files"
STORED_REPORTS_BY_ID = f"UNWIND $ids AS x MATCH (r:Report {{id: x}}) RETURN {_STORED_REPORT_COLS}"
STORED_REPORTS_BY_FILE = (
    "WITH $files AS fs MATCH (r:Report) WHERE r.file IN fs OR any(f IN r.files WHERE f IN fs) "
    f"RETURN {_STORED_REPORT_COLS}"
)
SET_REPORT_FILES = "UNWIND $rows AS x MATCH (r:Report {id: x.id}) SET r.files = x.files"

# --- deleting reports ---------------------------------------------------------------------------------------
# Each takes the list `$ids` of report ids, so deleting many reports costs no more statements than one.

REPORT_REFS = (
    "UNWIND $ids AS x MATCH (r:Report {id: x}) RETURN r.id AS id, r.file AS file, "
    "r.inspection_id AS inspection_id, r.organization_ids AS organization_ids, "
    "r.regulation_ids AS regulation_ids, r.person_ids AS person_ids"
)
REPORT_CATEGORY_IDS = (
    "UNWIND $ids AS x MATCH (:Report {id: x})-[:HAS_CATEGORY]->(c:Category) RETURN x AS report, c.id AS id"
)
REPORT_ISSUE_IDS = (
    "UNWIND $ids AS x MATCH (:Report {id: x})-[:HAS_CATEGORY]->(:Category)-[:HAS_ISSUE]->(i:Issue) "
    "RETURN x AS report, i.id AS id, i.ordinal AS ordinal"
)
REPORT_MEASURE_IDS = (
    "UNWIND $ids AS x MATCH (:Report {id: x})-[:HAS_CATEGORY]->(:Category)-[:HAS_ISSUE]->(i:Issue)"
    "-[:ADDRESSED_BY]->(m:Measure) "
    "RETURN x AS report, m.id AS id, i.ordinal AS issue, m.ordinal AS ordinal"
)
# the report's own work-approach measures sort before its issues' (issue 0)
REPORT_TOOK_MEASURE_IDS = (
    "UNWIND $ids AS x MATCH (:Report {id: x})-[:TOOK]->(m:Measure) "
    "RETURN x AS report, m.id AS id, 0 AS issue, m.ordinal AS ordinal"
)


@cache
def delete_nodes(label: Label) -> str:
    return f"UNWIND $ids AS x MATCH (n:{label} {{id: x}}) DETACH DELETE n"


@cache
def delete_report_edges(rel: Rel, src: Label) -> str:
    """Edges between shared nodes (ROLE_IN, INSPECTED) that these reports asserted; another report's stay."""
    return (
        f"UNWIND $ids AS x MATCH (:{src} {{id: x}})-[e:`{rel}`]->() WHERE e.report_id IN $report_ids DELETE e"
    )


@cache
def unreferenced(label: Label) -> str:
    """Which of these shared nodes no edge touches any more."""
    return (
        f"UNWIND $ids AS x MATCH (n:{label} {{id: x}}) OPTIONAL MATCH (n)-[e]-() "
        "WITH n, count(e) AS degree WHERE degree = 0 RETURN n.id AS id"
    )


# --- whole-graph reads --------------------------------------------------------------------------------------


# LadybugDB: fold the write-ahead log into the database file now (it is also done on close)
CHECKPOINT = "CHECKPOINT;"


@cache
def count_nodes(label: Label) -> str:
    return f"MATCH (n:{label}) RETURN count(n) AS n"


@cache
def count_edges(rel: Rel) -> str:
    return f"MATCH ()-[e:`{rel}`]->() RETURN count(e) AS n"


_REPORT_COLS = "r.id AS id, r.file AS file, r.title AS title, r.unit AS unit, r.digest AS digest"
REPORTS = f"MATCH (r:Report) RETURN {_REPORT_COLS} ORDER BY file, id"
FIND_REPORTS = (
    f"MATCH (r:Report) WHERE r.id = $ref OR r.file = $ref OR r.file ENDS WITH $suffix OR $ref IN r.files "
    f"RETURN {_REPORT_COLS} ORDER BY file, id"
)
FINGERPRINT = "MATCH (r:Report) RETURN r.id AS id, r.digest AS digest ORDER BY id"

# Several reports on one inspection each assert its INSPECTED edge, hence DISTINCT before counting.
UNITS = (
    "MATCH (o:Organization)<-[:INSPECTED]-(:Inspection)<-[:`ON`]-(r:Report) "
    "WITH DISTINCT o, r "
    "OPTIONAL MATCH (r)-[:HAS_CATEGORY]->(:Category)-[:HAS_ISSUE]->(i:Issue) "
    "RETURN o.id AS id, o.name AS name, count(DISTINCT r.id) AS reports, count(i.id) AS issues, "
    "sum(CASE WHEN i.completed = false THEN 1 ELSE 0 END) AS open_issues, "
    "sum(CASE WHEN i.id IS NOT NULL AND i.completed IS NULL THEN 1 ELSE 0 END) AS unknown_issues "
    "ORDER BY name"
)

# --- regulations --------------------------------------------------------------------------------------------

_ISSUE_PATH = "(r:Report)-[:HAS_CATEGORY]->(c:Category)-[:HAS_ISSUE]->(i:Issue)"

ALL_REGULATIONS = "MATCH (g:Regulation) RETURN g.id AS id, g.title AS title, g.kind AS kind"
REGULATION = "MATCH (g:Regulation {id: $id}) RETURN g.id AS id, g.title AS title, g.kind AS kind"

# One row per link; `regulations()` counts distinct issues, measures and units per regulation from them.
REGULATION_ISSUE_LINKS = (
    f"MATCH {_ISSUE_PATH}-[:CITES]->(g:Regulation) RETURN g.id AS regulation, i.id AS issue, r.unit AS unit"
)


@cache
def regulation_measure_links(rel: Rel) -> str:
    return (
        f"MATCH {_ISSUE_PATH}-[:ADDRESSED_BY]->(m:Measure)-[:`{rel}`]->(g:Regulation) "
        "RETURN g.id AS regulation, i.id AS issue, m.id AS measure, r.unit AS unit"
    )


REGULATION_REPORT_LINKS = (
    "MATCH (r:Report)-[:CITES]->(g:Regulation) RETURN g.id AS regulation, r.unit AS unit"
)

# --- issue and measure references ---------------------------------------------------------------------------

# The columns every IssueRef is built from; `_ISSUE_PATH` binds r, c and i.
ISSUE_REF_COLS = (
    "i.id AS id, i.number AS number, i.title AS title, i.status AS status, c.title AS category, "
    "r.unit AS unit, r.id AS report_id, i.file AS file, i.line AS line, i.ordinal AS ordinal"
)
_MEASURE_COLS = (
    "m.id AS measure_id, m.label AS measure_label, m.text AS measure_text, m.line AS measure_line, "
    "m.ordinal AS measure_ordinal"
)

ISSUE_EXISTS = "MATCH (i:Issue {id: $id}) RETURN i.id AS id"
MEASURE_EXISTS = "MATCH (m:Measure {id: $id}) RETURN m.id AS id"

ISSUE_REFS = f"MATCH {_ISSUE_PATH} WHERE i.id IN $ids RETURN {ISSUE_REF_COLS}"
ISSUE_DETAIL = (
    f"MATCH {_ISSUE_PATH} WHERE i.id = $id RETURN {ISSUE_REF_COLS}, i.short_title AS short_title, "
    "i.deadline AS deadline, i.text AS text, i.result AS result, i.span_start AS span_start, "
    "i.span_end AS span_end"
)
FIND_ISSUES = (
    f"MATCH {_ISSUE_PATH} WHERE r.unit CONTAINS $unit AND i.number = $number "
    f"RETURN {ISSUE_REF_COLS} ORDER BY file, line"
)
ISSUE_MEASURES = (
    f"MATCH {_ISSUE_PATH}-[:ADDRESSED_BY]->(m:Measure) WHERE i.id = $id "
    f"RETURN {ISSUE_REF_COLS}, {_MEASURE_COLS}"
)
MEASURE_REFS = (
    f"MATCH {_ISSUE_PATH}-[:ADDRESSED_BY]->(m:Measure) WHERE m.id IN $ids "
    f"RETURN {ISSUE_REF_COLS}, {_MEASURE_COLS}"
)


@cache
def measure_regulation_titles(rel: Rel) -> str:
    """Canonical titles a set of measures cites or establishes, one row per link."""
    return (
        f"MATCH (m:Measure)-[:`{rel}`]->(g:Regulation) WHERE m.id IN $ids "
        "RETURN m.id AS measure, g.title AS title"
    )


@cache
def issues_linked_to(rel: Rel, via_measure: bool) -> str:
    """Issues linked to one regulation, directly or through one of their measures."""
    path = f"{_ISSUE_PATH}-[:ADDRESSED_BY]->(:Measure)" if via_measure else _ISSUE_PATH
    return f"MATCH {path}-[:`{rel}`]->(g:Regulation {{id: $id}}) RETURN DISTINCT {ISSUE_REF_COLS}"


@cache
def measures_linked_to(rel: Rel) -> str:
    return (
        f"MATCH {_ISSUE_PATH}-[:ADDRESSED_BY]->(m:Measure)-[:`{rel}`]->(g:Regulation {{id: $id}}) "
        f"RETURN {ISSUE_REF_COLS}, {_MEASURE_COLS}"
    )


_REG_REF_COLS = "g.id AS id, g.title AS title, g.kind AS kind, e.as_printed AS as_printed"


@cache
def regulations_of_issue(rel: Rel, via_measure: bool) -> str:
    path = "(i:Issue {id: $id})-[:ADDRESSED_BY]->(:Measure)" if via_measure else "(i:Issue {id: $id})"
    return f"MATCH {path}-[e:`{rel}`]->(g:Regulation) RETURN {_REG_REF_COLS}"


@cache
def regulations_of_measure(rel: Rel) -> str:
    return f"MATCH (m:Measure {{id: $id}})-[e:`{rel}`]->(g:Regulation) RETURN {_REG_REF_COLS}"


# SIMILAR_TO is written one way per pair; read it both ways.
SIMILAR_OF_ISSUE = (
    f"MATCH (s:Issue {{id: $id}})-[e:`{Rel.SIMILAR_TO}`]-(i:Issue) "
    f"MATCH (r:Report)-[:HAS_CATEGORY]->(c:Category)-[:HAS_ISSUE]->(i) "
    f"RETURN {ISSUE_REF_COLS}, e.score AS score"
)

# --- search index feeds -------------------------------------------------------------------------------------

ISSUE_TEXTS = (
    f"MATCH {_ISSUE_PATH} RETURN i.id AS id, r.id AS report_id, r.unit AS unit, c.title AS category, "
    "i.title AS title, i.text AS text, r.file AS file, i.ordinal AS ordinal ORDER BY file, ordinal"
)
MEASURE_TEXTS = (
    f"MATCH {_ISSUE_PATH}-[:ADDRESSED_BY]->(m:Measure) RETURN m.id AS id, i.id AS issue_id, "
    "r.id AS report_id, m.text AS text, r.file AS file, i.ordinal AS issue_ordinal, m.ordinal AS ordinal "
    "ORDER BY file, issue_ordinal, ordinal"
)

# --- similarity edges ---------------------------------------------------------------------------------------

DELETE_SIMILAR = f"MATCH ()-[e:`{Rel.SIMILAR_TO}`]->() DELETE e"
# the write trial of graph/probe.py, on a throw-away copy of the graph only
DELETE_EVERYTHING = "MATCH (n) DETACH DELETE n"

# --- analysis (ikg.analysis: types, common problems, recurrence, measure checks) ----------------------------

# One row per report with its inspection and inspected unit. INSPECTED is filtered by the report that asserted
# it: a shared Inspection node may carry the edges of several reports.
REPORT_CONTEXTS = (
    "MATCH (r:Report) OPTIONAL MATCH (r)-[:`ON`]->(n:Inspection) "
    "OPTIONAL MATCH (n)-[e:INSPECTED]->(o:Organization) WHERE e.report_id = r.id "
    "RETURN r.id AS report_id, r.file AS file, r.unit AS unit, r.publish_date AS publish_date, "
    "o.id AS organization_id, o.name AS organization, o.province AS province, o.city AS city, "
    "o.county AS county, n.id AS inspection_id, n.kind AS kind, n.round AS round, n.start AS start, "
    "n.`end` AS finish, n.feedback_date AS feedback_date"
)
ISSUE_FACTS = (
    f"MATCH {_ISSUE_PATH} RETURN {ISSUE_REF_COLS}, i.completed AS completed, i.deadline AS deadline, "
    "i.text AS text, i.result AS result, i.span_start AS span_start, i.span_end AS span_end"
)
ISSUE_FACT_MEASURES = (
    "MATCH (i:Issue)-[:ADDRESSED_BY]->(m:Measure) RETURN i.id AS issue, m.id AS id, m.label AS label, "
    "m.text AS text, m.line AS line, m.ordinal AS ordinal"
)

# --- export (graph/export_rows.py) --------------------------------------------------------------------------
# Every node and edge with every schema property, by label and by (type, from-label, to-label); the unit
# variants keep what the given reports wrote (every report-written edge carries its `report_id`).


def _node_cols(label: Label) -> str:
    return ", ".join(["n.id AS id", *(f"n.`{p.name}` AS `{p.name}`" for p in NODE_TABLES[label].props)])


def _edge_cols() -> str:
    return ", ".join(["a.id AS src", "b.id AS dst", *(f"e.`{p.name}` AS `{p.name}`" for p in EDGE_PROPS)])


@cache
def export_nodes(label: Label, by_id: bool) -> str:
    where = " WHERE n.id IN $ids" if by_id else ""
    return f"MATCH (n:{label}){where} RETURN {_node_cols(label)} ORDER BY id"


@cache
def export_edges(rel: Rel, src: Label, dst: Label, of_reports: bool) -> str:
    """Edges of one type between two labels; `of_reports`: only those `$reports` wrote, and SIMILAR_TO
    (written by no report) between two of the issues `$issues`."""
    where = ""
    if of_reports:
        where = (
            " WHERE a.id IN $issues AND b.id IN $issues"
            if rel is Rel.SIMILAR_TO
            else " WHERE e.report_id IN $reports"
        )
    return f"MATCH (a:{src})-[e:`{rel}`]->(b:{dst}){where} RETURN {_edge_cols()} ORDER BY src, dst"


# The inspected units (a report's `unit`) with their other names, and the reports of one of them.
REPORT_UNITS = (
    "MATCH (r:Report) WHERE r.unit IS NOT NULL OPTIONAL MATCH (o:Organization {name: r.unit}) "
    "RETURN DISTINCT r.unit AS name, o.aliases AS aliases ORDER BY name"
)
UNIT_REPORT_IDS = "MATCH (r:Report) WHERE r.unit = $name RETURN r.id AS id ORDER BY id"


# --- compaction (`ikg doctor --compact`): every row of a table, to copy into a fresh database ---------


@cache
def all_nodes(label: str, props: tuple[str, ...]) -> str:
    values = "".join(f", n.`{p}` AS `{p}`" for p in props)
    return f"MATCH (n:{label}) RETURN n.id AS id{values} ORDER BY id"


@cache
def all_edges(rel: Rel, src: Label, dst: Label, props: tuple[str, ...]) -> str:
    values = "".join(f", e.`{p}` AS `{p}`" for p in props)
    return f"MATCH (a:{src})-[e:`{rel}`]->(b:{dst}) RETURN a.id AS src, b.id AS dst{values}"
