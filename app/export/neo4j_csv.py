"""A folder of CSV files for `neo4j-admin database import full`, and the reader that loads it back.

One file per label (`Issue.csv`: `id:ID,:LABEL,title:string,…`) and one per relationship type
(`CITES.csv`: `:START_ID,:END_ID,:TYPE,report_id:string,…`), UTF-8 without BOM, comma-separated, `"`
quoted, `;` between the items of a `string[]`. Ids are unique across labels (`iss_…`, `reg_…`), so all
files share one id space: a CITES file holds edges from reports, issues and measures alike.

A null is an empty unquoted field and an empty string `""`, so both survive the round trip (neo4j-admin
reads an unquoted empty field as no property). Python's csv module cannot tell the two apart before
Python 3.13 (QUOTE_NOTNULL), hence the few lines of writing and reading here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ikg.graph.errors import InputError
from ikg.graph.export_rows import EdgeRecord, GraphDump, NodeRecord
from ikg.graph.model import Label, Rel
from ikg.graph.schema import EDGE_PROPS, NODE_TABLES, Prop, PropType

ARRAY_DELIMITER = ";"
CSV_TYPES = {
    PropType.STRING: "string",
    PropType.INT: "long",
    PropType.BOOL: "boolean",
    PropType.FLOAT: "double",
    PropType.STRINGS: "string[]",
}
_NEEDS_QUOTES = frozenset(',"\r\n')


@dataclass(frozen=True, slots=True)
class CsvFile:
    name: str  # file name inside the folder
    kind: str  # nodes | relationships
    rows: int


def node_header(label: Label) -> list[str]:
    return ["id:ID", ":LABEL", *(_typed(p) for p in NODE_TABLES[label].props)]


def edge_header() -> list[str]:
    return [":START_ID", ":END_ID", ":TYPE", *(_typed(p) for p in EDGE_PROPS)]


def write_neo4j_csv(dump: GraphDump, folder: Path) -> list[CsvFile]:
    """Write every label's and relationship type's file (empty ones too: the header says the schema),
    then README.md with the import command."""
    files = []
    for label in Label:
        props = NODE_TABLES[label].props
        records = dump.of(label)
        rows = ([n.id, label.value, *(_cell(n.props[p.name], p, n.id) for p in props)] for n in records)
        name = f"{label.value}.csv"
        _write(folder / name, node_header(label), rows)
        files.append(CsvFile(name, "nodes", len(records)))
    for rel in Rel:
        edges = [e for e in dump.edges if e.rel is rel]
        rows = (
            [e.src, e.dst, rel.value, *(_cell(e.props[p.name], p, e.src) for p in EDGE_PROPS)] for e in edges
        )
        name = f"{rel.value}.csv"
        _write(folder / name, edge_header(), rows)
        files.append(CsvFile(name, "relationships", len(edges)))
    (folder / "README.md").write_text(readme(files, dump.unit), encoding="utf-8")
    return files


def import_command(files: Sequence[CsvFile], database: str = "neo4j") -> str:
    parts = ["neo4j-admin database import full", "--overwrite-destination", "--multiline-fields=true"]
    parts += ['--delimiter=","', f'--array-delimiter="{ARRAY_DELIMITER}"', "--quote='\"'"]
    parts += [f"--{f.kind}={f.name}" for f in files if f.rows]
    return " \\\n  ".join([*parts, database])


def readme(files: Sequence[CsvFile], unit: str | None) -> str:
    what = f"the part of the ikg graph about {unit}" if unit else "the whole ikg graph"
    listing = "\n".join(f"| `{f.name}` | {f.kind} | {f.rows} |" for f in files)
    return f"""# ikg graph export for neo4j-admin

These files hold {what}: one CSV per node label and one per relationship type, with
`neo4j-admin database import` headers (`id:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, typed
properties such as `ordinal:long`, `score:double`, `completed:boolean`, `aliases:string[]`). UTF-8 without
BOM; fields are quoted with `"` and may span lines; `{ARRAY_DELIMITER}` separates the items of an array.
An empty unquoted field is no property (null); `""` is an empty string. All files share one id space.

Stop the database first (`neo4j stop`, or the container), then, from this folder:

```bash
{import_command(files)}
```

then `neo4j start`, and point ikg at it (`NEO4J_URI=… ikg stats --graph neo4j`; ikg records its schema
version on first use). `ikg import-csv FOLDER` loads the same files into an empty ikg graph instead.
Empty files are left out of the command (neo4j-admin reads a header-only file as it is, too).

| file | kind | rows |
| --- | --- | --- |
{listing}
"""


def _typed(prop: Prop) -> str:
    return f"{prop.name}:{CSV_TYPES[prop.type]}"


def _cell(value: Any, prop: Prop, where: str) -> str | None:
    """The field's text, None for a null; InputError for an array item holding the array delimiter."""
    if value is None:
        return None
    if prop.type is PropType.STRINGS:
        items = [str(v) for v in value]
        if not items:
            return None
        if any(ARRAY_DELIMITER in v for v in items):
            raise InputError(where, f"{prop.name} item contains {ARRAY_DELIMITER!r}, the CSV array delimiter")
        return ARRAY_DELIMITER.join(items)
    if prop.type is PropType.BOOL:
        return "true" if value else "false"
    if prop.type is PropType.FLOAT:
        return repr(float(value))
    return str(value)


def _field(value: str | None) -> str:
    if value is None:
        return ""
    if value == "" or not _NEEDS_QUOTES.isdisjoint(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def _write(path: Path, header: list[str], rows: Iterator[list[str | None]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for row in rows:
            out.write(",".join(_field(v) for v in row) + "\n")


# --- reading back -------------------------------------------------------------------------------------------


def read_records(path: Path) -> Iterator[list[str | None]]:
    """The records of one CSV file as written above: None for an unquoted empty field."""
    text = path.read_text(encoding="utf-8")
    i, n = 0, len(text)
    fields: list[str | None] = []
    while i < n:
        if text[i] == '"':
            chunk, j = [], i + 1
            while True:
                k = text.find('"', j)
                if k < 0:
                    raise InputError(path, "a quoted field is not closed")
                chunk.append(text[j:k])
                if not text.startswith('""', k):
                    break
                chunk.append('"')
                j = k + 2
            fields.append("".join(chunk))
            i = k + 1
        else:
            j = i
            while j < n and text[j] not in ",\n":
                j += 1
            fields.append(text[i:j] or None)
            i = j
        if i < n and text[i] == ",":
            i += 1
            if i == n or text[i] == "\n":  # a trailing empty field
                fields.append(None)
            else:
                continue
        elif i < n and text[i] != "\n":
            raise InputError(path, f"unexpected {text[i]!r} after a quoted field at character {i}")
        yield fields
        fields = []
        i += 1


def read_neo4j_csv(folder: Path) -> GraphDump:
    """The nodes and edges of a folder written by `write_neo4j_csv`; InputError names a bad file."""
    nodes: list[NodeRecord] = []
    labels: dict[str, Label] = {}
    for label in Label:
        path = folder / f"{label.value}.csv"
        rows = _rows(path, node_header(label))
        props = NODE_TABLES[label].props
        for row in rows:
            node_id = row[0]
            if node_id is None or row[1] != label.value:
                raise InputError(path, f"a row without an id or with label {row[1]!r}")
            values = {p.name: _value(v, p, path) for p, v in zip(props, row[2:], strict=True)}
            nodes.append(NodeRecord(label, node_id, values))
            labels[node_id] = label
    edges: list[EdgeRecord] = []
    for rel in Rel:
        path = folder / f"{rel.value}.csv"
        for row in _rows(path, edge_header()):
            src, dst = row[0] or "", row[1] or ""
            if src not in labels or dst not in labels or row[2] != rel.value:
                raise InputError(path, f"edge {src} -> {dst} ({row[2]}) names a node no file holds")
            values = {p.name: _value(v, p, path) for p, v in zip(EDGE_PROPS, row[3:], strict=True)}
            edges.append(EdgeRecord(rel, labels[src], src, labels[dst], dst, values))
    return GraphDump(None, tuple(nodes), tuple(edges))


def _rows(path: Path, header: list[str]) -> list[list[str | None]]:
    if not path.is_file():
        raise InputError(path, "missing; export the folder again with ikg export --format neo4j-csv")
    records = list(read_records(path))
    if not records or records[0] != header:
        raise InputError(path, f"header is not {','.join(header)}")
    for number, row in enumerate(records[1:], start=2):
        if len(row) != len(header):
            raise InputError(path, f"record {number} has {len(row)} fields, the header {len(header)}")
    return records[1:]


def _value(text: str | None, prop: Prop, path: Path) -> Any:
    if text is None:
        return None
    try:
        if prop.type is PropType.STRINGS:
            return text.split(ARRAY_DELIMITER)
        if prop.type is PropType.INT:
            return int(text)
        if prop.type is PropType.FLOAT:
            return float(text)
        if prop.type is PropType.BOOL:
            return {"true": True, "false": False}[text]
    except (ValueError, KeyError) as exc:
        raise InputError(path, f"{prop.name}: {text!r} is not a {CSV_TYPES[prop.type]}") from exc
    return text
