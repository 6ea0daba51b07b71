"""The graph schema, declared once, and the DDL each dialect needs to hold it.

Node properties are the fields of the records in `model.py` (a `SourceSpan` becomes `file`, `span_start`,
`span_end`, `line`), plus a few bookkeeping properties the store needs to delete a report's subgraph later.
This is the only module where LadybugDB (typed tables, declared up front) and Neo4j (schema-free, one
uniqueness constraint per label) differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ikg.graph.model import Label, Rel

# Bump when a table, property or type changes: a database written with another version is refused.
# 3: page on every span, Report files (identity from the text)
# 2: (Report)-[:TOOK]->(Measure), Organization aliases/admin_code, Inspection round/modes
SCHEMA_VERSION = 3

META_LABEL = "IkgMeta"  # one node {key: "schema", version: SCHEMA_VERSION}

# Where `list[k]` starts counting, passed to every write statement as `$first` (see cypher.py): LadybugDB
# indexes lists from 1 ("List extract takes 1-based position"), Cypher (Neo4j, ArcadeDB) from 0.
LADYBUG_LIST_BASE = 1
NEO4J_LIST_BASE = 0


class PropType(StrEnum):
    STRING = "STRING"
    INT = "INT64"
    BOOL = "BOOLEAN"
    FLOAT = "DOUBLE"
    STRINGS = "STRING[]"


@dataclass(frozen=True, slots=True)
class Prop:
    name: str
    type: PropType


@dataclass(frozen=True, slots=True)
class NodeTable:
    label: Label
    props: tuple[Prop, ...]  # without `id`, the primary key of every table
    shared: bool  # MERGEd and kept while another report still links to it


@dataclass(frozen=True, slots=True)
class RelTable:
    rel: Rel
    pairs: tuple[tuple[Label, Label], ...]  # allowed (FROM, TO) labels


def _props(spec: str) -> tuple[Prop, ...]:
    """`"title:STRING ordinal:INT64"` -> props; keeps the table definitions one line per label."""
    return tuple(Prop(n, PropType(t)) for n, t in (item.split(":") for item in spec.split()))


_SPAN = "file:STRING span_start:INT64 span_end:INT64 line:INT64 page:INT64"

NODES: tuple[NodeTable, ...] = (
    NodeTable(
        Label.REPORT,
        _props(
            "file:STRING title:STRING publisher:STRING publish_date:STRING content_hash:STRING digest:STRING "
            "encoding:STRING format:STRING unit:STRING claimed_json:STRING contact_json:STRING "
            "files:STRING[] "
            # the shared nodes this report listed: the candidates to drop when it is deleted
            "inspection_id:STRING organization_ids:STRING[] regulation_ids:STRING[] person_ids:STRING[]"
        ),
        shared=False,
    ),
    NodeTable(
        Label.ORGANIZATION,
        _props("name:STRING province:STRING city:STRING county:STRING aliases:STRING[] admin_code:STRING"),
        shared=True,
    ),
    NodeTable(
        Label.INSPECTION,
        _props(
            "kind:STRING level:STRING team:STRING start:STRING end:STRING feedback_date:STRING "
            "round:STRING modes:STRING[]"
        ),
        shared=True,
    ),
    NodeTable(
        Label.CATEGORY,
        _props(f"report_id:STRING ordinal:INT64 title:STRING is_section:BOOLEAN {_SPAN}"),
        shared=False,
    ),
    NodeTable(
        Label.ISSUE,
        _props(
            "report_id:STRING category_id:STRING ordinal:INT64 number:STRING title:STRING short_title:STRING "
            f"status:STRING completed:BOOLEAN deadline:STRING text:STRING result:STRING {_SPAN}"
        ),
        shared=False,
    ),
    NodeTable(
        Label.MEASURE,
        _props(f"issue_id:STRING ordinal:INT64 label:STRING text:STRING {_SPAN}"),
        shared=False,
    ),
    NodeTable(Label.REGULATION, _props("title:STRING kind:STRING"), shared=True),
    NodeTable(Label.PERSON, _props("name:STRING"), shared=True),
)

# Every report-written edge carries the id of the report that asserted it, so two reports can state the same
# ROLE_IN or INSPECTED fact and deleting one leaves the other's; SIMILAR_TO is global (report_id null).
EDGE_PROPS: tuple[Prop, ...] = _props(f"report_id:STRING role:STRING score:DOUBLE as_printed:STRING {_SPAN}")

RELS: tuple[RelTable, ...] = (
    RelTable(Rel.INSPECTED, ((Label.INSPECTION, Label.ORGANIZATION),)),
    RelTable(Rel.ON, ((Label.REPORT, Label.INSPECTION),)),
    RelTable(Rel.PUBLISHED_BY, ((Label.REPORT, Label.ORGANIZATION),)),
    RelTable(Rel.HAS_CATEGORY, ((Label.REPORT, Label.CATEGORY),)),
    RelTable(Rel.HAS_ISSUE, ((Label.CATEGORY, Label.ISSUE),)),
    RelTable(Rel.ADDRESSED_BY, ((Label.ISSUE, Label.MEASURE),)),
    RelTable(Rel.TOOK, ((Label.REPORT, Label.MEASURE),)),
    RelTable(
        Rel.CITES,
        (
            (Label.REPORT, Label.REGULATION),
            (Label.ISSUE, Label.REGULATION),
            (Label.MEASURE, Label.REGULATION),
        ),
    ),
    RelTable(Rel.ESTABLISHES, ((Label.MEASURE, Label.REGULATION),)),
    RelTable(Rel.INVOLVES, ((Label.MEASURE, Label.ORGANIZATION),)),
    RelTable(Rel.MENTIONS, ((Label.REPORT, Label.ORGANIZATION),)),
    RelTable(Rel.ROLE_IN, ((Label.PERSON, Label.ORGANIZATION),)),
    RelTable(Rel.SIMILAR_TO, ((Label.ISSUE, Label.ISSUE),)),
)

NODE_TABLES: dict[Label, NodeTable] = {t.label: t for t in NODES}
REL_TABLES: dict[Rel, RelTable] = {t.rel: t for t in RELS}


def ladybug_ddl() -> list[str]:
    """Typed node and rel tables; `IF NOT EXISTS` makes opening an existing database a no-op."""
    out = [f"CREATE NODE TABLE IF NOT EXISTS {META_LABEL}(key STRING, version INT64, PRIMARY KEY (key))"]
    for node in NODES:
        cols = ", ".join(f"`{p.name}` {p.type.value}" for p in node.props)
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {node.label}(id STRING, {cols}, PRIMARY KEY (id))")
    edge_cols = ", ".join(f"`{p.name}` {p.type.value}" for p in EDGE_PROPS)
    for rel in RELS:
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.pairs)
        out.append(f"CREATE REL TABLE IF NOT EXISTS `{rel.rel}`({pairs}, {edge_cols})")
    return out


def neo4j_ddl() -> list[str]:
    """One uniqueness constraint per label: it also gives the `{id: …}` lookups their index."""
    labels = [META_LABEL, *(n.label.value for n in NODES)]
    key = {META_LABEL: "key"}
    return [
        f"CREATE CONSTRAINT ikg_{label.lower()}_{key.get(label, 'id')} IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.{key.get(label, 'id')} IS UNIQUE"
        for label in labels
    ]
