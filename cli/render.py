"""Everything ikg prints: rich tables for people (Chinese shown as is, aligned), JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ikg.cli.core import OutputFormat

# Piped output gets a wide table instead of rich's 80-column default, so Chinese titles are not cut.
console = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, highlight=False)


def to_jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def json_line(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False) + "\n")


def json_doc(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]], **col_opts: Any) -> None:
    """An aligned table; rich measures wide (CJK) characters, so columns line up in a terminal."""
    t = Table(title=title, title_justify="left", show_lines=False, header_style="bold")
    for name in columns:
        t.add_column(name, **col_opts.get(name, {}))
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    console.print(t)


def short_path(path: str) -> str:
    """A path relative to the working directory when it lies below it, else as is."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def emit(fmt: OutputFormat, value: Any, draw: Any) -> None:
    """JSON for scripts, else call `draw()` to print tables."""
    if fmt == OutputFormat.json:
        json_doc(value)
    else:
        draw()


def error(message: str) -> None:
    """A per-file failure that does not stop the command: `ikg: error: <file>: <reason>` on stderr."""
    print(f"ikg: error: {message}", file=sys.stderr)


def note(message: str) -> None:
    print(f"ikg: note: {message}", file=sys.stderr)


def document(doc: Any, fmt: str) -> None:
    from ikg.ingest.serialize import document_to_json, document_to_outline

    if fmt == "json":
        json_line(document_to_json(doc))
    else:
        console.print(document_to_outline(doc), markup=False)
        console.print()


def ingest_result(result: Any, fmt: OutputFormat) -> None:
    g = result.graph
    payload = {
        "reports": {
            "new": g.count("new"),
            "unchanged": g.count("unchanged"),
            "replaced": g.count("replaced"),
            "failed": len(g.failures),
        },
        "nodes_written": g.nodes,
        "edges_written": g.edges,
        "failures": [{"file": f.path, "reason": f.reason} for f in g.failures],
        "skipped": [{"file": p, "note": n} for p, n in g.skipped],
        "warnings": [{"file": p, "warning": w} for p, w in g.warnings],
        "index": to_jsonable(result.index) if result.index is not None else None,
    }
    for f in g.failures:
        error(f"{f.path}: {f.reason}")
    for p, n in g.skipped:
        note(f"{p}: skipped: {n}")
    for p, w in g.warnings:
        print(f"ikg: warning: {p}: {w}", file=sys.stderr)
    if fmt == OutputFormat.json:
        json_doc(payload)
        return
    r = payload["reports"]
    rows = [
        ("reports new", r["new"]),
        ("reports unchanged", r["unchanged"]),
        ("reports replaced", r["replaced"]),
        ("reports failed", r["failed"]),
        ("nodes written", g.nodes),
        ("edges written", g.edges),
    ]
    if result.index is not None:
        rows += [(f"vectors added ({k})", v) for k, v in result.index.added.items()]
        rows += [(f"vectors removed ({k})", v) for k, v in result.index.removed.items()]
    table("ingest", ["", "count"], rows, count={"justify": "right"})


def delete_summary(summary: Any, fmt: OutputFormat) -> None:
    emit(
        fmt,
        summary,
        lambda: console.print(
            f"deleted {short_path(summary.file)} ({summary.report_id}): {summary.nodes} nodes, "
            f"{len(summary.issue_ids)} issues, {len(summary.measure_ids)} measures",
            markup=False,
        ),
    )


def stats(s: Any, fmt: OutputFormat) -> None:
    payload = {
        "reports": s.reports,
        "organizations": s.organizations,
        "inspections": s.inspections,
        "categories": s.categories,
        "issues": s.issues,
        "measures": s.measures,
        "report_measures": s.report_measures,
        "regulations": s.regulations,
        "people": s.people,
        "edges": dict(sorted(s.edges.items())),
    }

    def draw() -> None:
        rows = [(k, v) for k, v in payload.items() if k != "edges"]
        table("nodes", ["label", "count"], rows, count={"justify": "right"})
        table("edges", ["type", "count"], payload["edges"].items(), count={"justify": "right"})

    emit(fmt, payload, draw)


def units(items: Sequence[Any], fmt: OutputFormat) -> None:
    emit(
        fmt,
        list(items),
        lambda: table(
            "inspected units",
            ["unit", "reports", "issues", "open", "status unknown"],
            [(u.name, u.reports, u.issues, u.open_issues, u.unknown_issues) for u in items],
            reports={"justify": "right"},
            issues={"justify": "right"},
            open={"justify": "right"},
            **{"status unknown": {"justify": "right"}},
        ),
    )


def regulations(items: Sequence[Any], fmt: OutputFormat) -> None:
    emit(
        fmt,
        list(items),
        lambda: table(
            "regulations",
            ["regulation", "kind", "issues", "measures", "units"],
            [(r.title, r.kind, r.issues, r.measures, r.units) for r in items],
            issues={"justify": "right"},
            measures={"justify": "right"},
            units={"justify": "right"},
        ),
    )


def _by_unit(refs: Iterable[Any], unit_of: Any) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for ref in refs:
        groups.setdefault(unit_of(ref) or "(unit unknown)", []).append(ref)
    return groups


def regulation_links(links: Any, fmt: OutputFormat) -> None:
    def draw() -> None:
        console.print(f"[bold]{links.title}[/bold]  ({links.kind}, {links.regulation_id})")
        for unit, refs in _by_unit(links.issues, lambda i: i.unit).items():
            table(
                f"{unit}: issues",
                ["no.", "issue", "status", "source"],
                [(i.number, i.title, i.status, f"{short_path(i.file)}:{i.line}") for i in refs],
            )
        for unit, refs in _by_unit(links.measures, lambda m: m.issue.unit).items():
            table(
                f"{unit}: measures",
                ["issue", "measure", "source"],
                [
                    (m.issue.number, f"{m.label}{m.text}", f"{short_path(m.issue.file)}:{m.line}")
                    for m in refs
                ],
            )

    emit(fmt, links, draw)


def issue_details(details: Sequence[Any], fmt: OutputFormat) -> None:
    def draw() -> None:
        for d in details:
            i = d.issue
            console.print(f"[bold]{i.unit or ''} · 问题 {i.number}：{i.title}[/bold]", markup=True)
            rows = [
                ("id", i.id),
                ("category", i.category),
                ("status", i.status or "(not printed)"),
                ("deadline", d.deadline),
                ("source", f"{short_path(i.file)}:{i.line} (chars {d.span_start}-{d.span_end})"),
                ("result", d.result),
            ]
            table(None, ["field", "value"], [r for r in rows if r[1]])
            if d.measures:
                table("measures", ["#", "measure", "line"], [(m.label, m.text, m.line) for m in d.measures])
            if d.regulations:
                table(
                    "regulations",
                    ["regulation", "relation", "via", "as printed"],
                    [(r.title, r.relation, r.via, r.as_printed) for r in d.regulations],
                )

    emit(fmt, list(details), draw)


def _source(ref: Any) -> str:
    return f"{short_path(ref.file)}:{ref.line}"


def _score(hit: Any) -> str:
    return f"{hit.score:.3f}"


def similar(result: Any, fmt: OutputFormat) -> None:
    def draw() -> None:
        if result.source is not None:
            s = result.source
            console.print(
                f"similar to [bold]{s.unit} · {s.number} {s.title}[/bold] ({_source(s)}), other reports:"
            )
        else:
            console.print(f"similar to [bold]{result.query}[/bold]:")
        if not result.groups:
            console.print("no matches")
        for group in result.groups:
            table(
                f"{group.unit}",
                ["score", "no.", "issue", "status", "source", "id"],
                [
                    (_score(h), h.issue.number, h.issue.title, h.issue.status, _source(h.issue), h.issue.id)
                    for h in group.hits
                ],
                score={"justify": "right"},
            )

    emit(fmt, result, draw)


def similar_all(rows: Sequence[Any], fmt: OutputFormat, written: int | None) -> None:
    if fmt == OutputFormat.json:
        for r in rows:
            json_line(
                {
                    "issue_id": r.issue.id,
                    "file": r.issue.file,
                    "unit": r.issue.unit,
                    "title": r.issue.title,
                    "similar": [
                        {
                            "issue_id": h.issue.id,
                            "file": h.issue.file,
                            "unit": h.issue.unit,
                            "title": h.issue.title,
                            "score": round(h.score, 4),
                        }
                        for h in r.similar
                    ],
                }
            )
    else:
        table(
            "most similar issue in another report",
            ["unit", "issue", "best match", "in unit", "score"],
            [
                (
                    r.issue.unit,
                    r.issue.title,
                    r.similar[0].issue.title,
                    r.similar[0].issue.unit,
                    _score(r.similar[0]),
                )
                for r in rows
                if r.similar
            ],
        )
    if written is not None:
        note(f"wrote {written} SIMILAR_TO edges")


def measure_hits(query: str, hits: Sequence[Any], fmt: OutputFormat) -> None:
    def draw() -> None:
        console.print(f"measures like [bold]{query}[/bold]:")
        table(
            None,
            ["score", "unit", "issue", "measure", "regulations", "source"],
            [
                (
                    _score(h),
                    h.measure.issue.unit,
                    f"{h.measure.issue.number} {h.measure.issue.title}",
                    f"{h.measure.label}{h.measure.text}",
                    "、".join(f"《{r}》" for r in h.measure.regulations),
                    f"{short_path(h.measure.issue.file)}:{h.measure.line}",
                )
                for h in hits
            ],
            score={"justify": "right"},
            measure={"ratio": 3},
            issue={"ratio": 1},
        )

    emit(fmt, list(hits), draw)


def index_sync(result: Any, fmt: OutputFormat) -> None:
    emit(
        fmt,
        result,
        lambda: table(
            "index",
            ["kind", "added", "removed", "total"],
            [(k, result.added.get(k, 0), result.removed.get(k, 0), v) for k, v in result.total.items()],
        ),
    )


def index_check(check: Any, fmt: OutputFormat) -> None:
    payload = {**to_jsonable(check), "ok": check.ok}

    def draw() -> None:
        rows = [(f"missing from index ({k})", v) for k, v in check.missing.items()]
        rows += [(f"stale in index ({k})", v) for k, v in check.stale.items()]
        rows += [
            ("graph fingerprint matches", "yes" if check.fingerprint_matches else "no"),
            ("model", check.model),
        ]
        table("doctor", ["check", "result"], rows)
        console.print("ok" if check.ok else "graph and index disagree: run 'ikg reindex'")

    emit(fmt, payload, draw)
