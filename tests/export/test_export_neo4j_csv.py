"""The neo4j-admin CSV folder: header grammar, encoding and quoting (read with Python's csv module),
the README's command, and a load back into a fresh store of the same kind that gives the same graph."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ikg.app.export.job import export_graph, import_folder
from ikg.app.export.neo4j_csv import read_records
from ikg.graph.base import CypherStore
from ikg.graph.errors import InputError, StoreError
from ikg.graph.export_rows import GraphDump
from ikg.graph.ladybug_store import LadybugStore
from ikg.graph.model import Label, Rel

# neo4j-admin's header: name:type, :ID/:LABEL/:START_ID/:END_ID/:TYPE, an optional (id space)
FIELD = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)?:(?P<type>ID|LABEL|START_ID|END_ID|TYPE|"
    r"string|long|int|short|byte|boolean|double|float|char|date|datetime|string\[\]|long\[\])"
    r"(\((?P<group>[A-Za-z_]+)\))?$"
)


def _fresh_same_kind(store: CypherStore, where: Path) -> Iterator[CypherStore]:
    """An empty store of `store`'s kind: a new embedded database, or the Bolt database wiped."""
    if isinstance(store, LadybugStore):
        fresh = LadybugStore(where)
        try:
            yield fresh
        finally:
            fresh.close()
    else:
        store._run("MATCH (n) DETACH DELETE n")
        store._check_schema_version("test")
        yield store


def _normalised(dump: GraphDump) -> tuple[object, ...]:
    """Nodes and edges as comparable tuples; an empty list is as unknown as a null."""

    def clean(props: object) -> tuple[tuple[str, object], ...]:
        return tuple((k, None if v == [] else v) for k, v in props.items())  # type: ignore[attr-defined]

    nodes = sorted((n.label.value, n.id, clean(n.props)) for n in dump.nodes)
    edges = sorted((e.rel.value, e.src, e.dst, clean(e.props)) for e in dump.edges)
    return tuple(nodes), tuple(edges)


def test_headers_encoding_quoting_and_readme(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = loaded.store
    stats = store.stats()
    out = tmp_path / "csv"
    summary = export_graph(store, "neo4j-csv", out)
    assert sorted(summary.files) == sorted(
        [f"{label.value}.csv" for label in Label] + [f"{rel.value}.csv" for rel in Rel] + ["README.md"]
    )
    counts = {"Measure": stats.measures + stats.report_measures, "Issue": stats.issues}
    counts |= {"Report": stats.reports, "Regulation": stats.regulations, "Organization": stats.organizations}
    for path in sorted(out.glob("*.csv")):
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), path.name
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))  # the standard reader: quoting must be plain RFC 4180
        header = rows[0]
        assert all(FIELD.match(h) for h in header), (path.name, header)
        is_node = path.stem in {label.value for label in Label}
        if is_node:
            assert header[:2] == ["id:ID", ":LABEL"]
            assert {r[1] for r in rows[1:]} <= {path.stem}
        else:
            assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
            assert {r[2] for r in rows[1:]} <= {path.stem}
            assert len(rows) - 1 == stats.edges[path.stem], path.name
        assert all(len(r) == len(header) for r in rows), path.name
        if path.stem in counts:
            assert len(rows) - 1 == counts[path.stem], path.name
        types = {h.split(":")[0]: h.split(":")[1] for h in header if h.split(":")[0]}
        assert types.get("ordinal", "long") == "long" and types.get("score", "double") == "double"
    assert "aliases:string[]" in (out / "Organization.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "completed:boolean" in (out / "Issue.csv").read_text(encoding="utf-8").splitlines()[0]

    # Chinese text with ASCII commas, quotes and line breaks survives the standard reader
    with (out / "Measure.csv").open(encoding="utf-8", newline="") as f:
        texts = {row["text:string"] for row in csv.DictReader(f)}
    assert '=SUM(A1:A3)核对台账, 逐笔清理"未拨付"资金；' in texts
    with (out / "Issue.csv").open(encoding="utf-8", newline="") as f:
        issues = list(csv.DictReader(f))
    assert any("\n" in r["text:string"] for r in issues)
    assert '项目资金拨付不及时, 台账记录含"引号"' in {r["title:string"] for r in issues}

    readme = (out / "README.md").read_text(encoding="utf-8")
    command = re.search(r"```bash\n(.*?)\n```", readme, re.S)
    assert command is not None
    words = command.group(1).replace("\\\n", " ").split()
    assert words[:4] == ["neo4j-admin", "database", "import", "full"] and words[-1] == "neo4j"
    assert "--multiline-fields=true" in words and '--array-delimiter=";"' in words
    listed = {w.split("=", 1)[1] for w in words if w.startswith(("--nodes=", "--relationships="))}
    nonempty = {p.name for p in out.glob("*.csv") if len(p.read_text(encoding="utf-8").splitlines()) > 1}
    assert listed == nonempty


def test_load_back_gives_the_same_graph(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = loaded.store
    before_stats, before = store.stats(), _normalised(store.dump())
    out = tmp_path / "csv"
    export_graph(store, "neo4j-csv", out)
    # own reader and the standard one agree on every record (ours also tells "" from null)
    for path in out.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            assert [[v or "" for v in r] for r in read_records(path)] == list(csv.reader(f)), path.name
    for fresh in _fresh_same_kind(store, tmp_path / "fresh"):
        import_folder(fresh, out)
        assert fresh.stats() == before_stats
        assert _normalised(fresh.dump()) == before
        assert fresh.fingerprint() == store.fingerprint() if fresh is not store else True
        with pytest.raises(StoreError, match="not empty"):
            import_folder(fresh, out)  # a second load would duplicate: refused, nothing written
        assert fresh.stats() == before_stats


def test_a_damaged_folder_is_a_clear_error_and_writes_nothing(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "csv"
    export_graph(loaded.store, "neo4j-csv", out)
    target = LadybugStore(tmp_path / "target")
    try:
        issue = out / "Issue.csv"
        text = issue.read_text(encoding="utf-8")
        issue.write_text(text.replace(",Issue,", ",Issue,x", 1).rsplit("\n", 2)[0] + '\n"unclosed', "utf-8")
        with pytest.raises(InputError, match=r"Issue\.csv"):
            import_folder(target, out)
        (out / "TOOK.csv").unlink()
        issue.write_text(text, "utf-8")
        with pytest.raises(InputError, match=r"TOOK\.csv: missing"):
            import_folder(target, out)
        assert target.stats().reports == 0
    finally:
        target.close()
