"""Pick the writer for a format, read the graph once, write OUT atomically, say what was written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ikg.app.export.atomic import atomic_file, atomic_folder, check_destination
from ikg.graph.errors import ConfigError, InputError
from ikg.graph.export_rows import GraphDump
from ikg.graph.store import GraphStore


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    GRAPHML = "graphml"
    GEXF = "gexf"
    NEO4J_CSV = "neo4j-csv"
    JSONL = "jsonl"


@dataclass(frozen=True, slots=True)
class ExportSummary:
    format: str
    path: str
    unit: str | None  # the unit's canonical name when one was asked for
    nodes: int
    edges: int
    rows: int  # xlsx: issue rows; jsonl: reports; neo4j-csv: files; graphml/gexf: nodes
    files: tuple[str, ...]  # what was written (neo4j-csv: the folder's files)


def parse_format(text: str) -> ExportFormat:
    try:
        return ExportFormat(text.lower())
    except ValueError:
        choices = ", ".join(f.value for f in ExportFormat)
        raise ConfigError(f"--format {text!r}: unknown export format; expected one of {choices}") from None


def export_graph(
    store: GraphStore,
    fmt: str,
    out: Path,
    *,
    unit: str | None = None,
    force: bool = False,
    on_phase: Callable[[str], None] | None = None,
) -> ExportSummary:
    """Write the graph (or `unit`'s part) to OUT in `fmt`; OUT is whole or untouched.

    Raises ConfigError for an unknown format, InputError when OUT exists (without `force`) or its folder
    does not, NotFoundError when `unit` names no unit or several."""
    kind = parse_format(fmt)
    folder = kind is ExportFormat.NEO4J_CSV
    check_destination(out, force=force, folder=folder)  # before the read: fail fast
    phase = on_phase or (lambda _: None)
    phase("读取图谱")
    dump = store.dump(unit)
    phase("写出文件")
    if folder:
        from ikg.app.export.neo4j_csv import write_neo4j_csv

        with atomic_folder(out, force=force) as tmp:
            files = write_neo4j_csv(dump, tmp)
        names = (*(f.name for f in files), "README.md")
        return _summary(kind, out, dump, len(files), names)
    with atomic_file(out, force=force) as tmp:
        rows = _write_file(kind, dump, tmp)
    return _summary(kind, out, dump, rows, (out.name,))


def _write_file(kind: ExportFormat, dump: GraphDump, path: Path) -> int:
    if kind is ExportFormat.XLSX:
        from ikg.app.export.ledger import build_ledger, reverse_aliases
        from ikg.app.export.xlsx import write_ledger
        from ikg.ingest.extract.vocab import load

        table: dict[str, str] = load("regulation_aliases.json")["aliases"]
        ledger = build_ledger(dump, reverse_aliases(table))
        write_ledger(ledger, path)
        return len(ledger.issues)
    if kind is ExportFormat.JSONL:
        from ikg.app.export.jsonl import write_jsonl

        return write_jsonl(dump, path)
    from ikg.app.export.networks import write_gexf, write_graphml

    (write_graphml if kind is ExportFormat.GRAPHML else write_gexf)(dump, path)
    return len(dump.nodes)


def _summary(
    kind: ExportFormat, out: Path, dump: GraphDump, rows: int, files: tuple[str, ...]
) -> ExportSummary:
    return ExportSummary(kind.value, str(out), dump.unit, len(dump.nodes), len(dump.edges), rows, files)


def import_folder(store: GraphStore, folder: Path) -> GraphDump:
    """Load a neo4j-csv export folder into `store`, which must be empty; returns what was loaded."""
    from ikg.app.export.neo4j_csv import read_neo4j_csv

    if not folder.is_dir():
        raise InputError(folder, "not a folder; give the folder ikg export --format neo4j-csv wrote")
    dump = read_neo4j_csv(folder)
    store.load_dump(dump)
    return dump
