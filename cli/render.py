"""Everything ikg prints: rich tables for people (Chinese shown as is, aligned), JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ikg.app.queries import to_jsonable
from ikg.cli.core import OutputFormat

# Piped output gets a wide table instead of rich's 80-column default, so Chinese titles are not cut.
console = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, highlight=False)


def json_line(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False) + "\n")


def json_doc(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    expand: bool = False,
    **col_opts: Any,
) -> None:
    """An aligned table; rich measures wide (CJK) characters, so columns line up in a terminal.

    Cells fold onto more lines instead of ending in "…": Chinese text has no spaces to wrap at, and rich
    would otherwise cut a long measure or problem to one line. `expand` fills the width, so that the
    columns' `ratio`s share it.
    """
    t = Table(title=title, title_justify="left", show_lines=False, header_style="bold", expand=expand)
    for name in columns:
        t.add_column(name, **{"overflow": "fold", **col_opts.get(name, {})})
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    console.print(t)


# Chinese names of what the tables count; JSON keeps the English keys for scripts.
NODE_LABELS = {
    "reports": "报告",
    "organizations": "组织",
    "inspections": "巡视巡察",
    "categories": "问题类别",
    "issues": "问题",
    "measures": "整改措施",
    "report_measures": "整改工作做法（报告层面）",
    "regulations": "法规制度",
    "people": "人员",
}
EDGE_LABELS = {
    "ADDRESSED_BY": "问题→整改措施",
    "CITES": "引用法规制度",
    "ESTABLISHES": "制定法规制度",
    "HAS_CATEGORY": "报告→问题类别",
    "HAS_ISSUE": "问题类别→问题",
    "INSPECTED": "巡视巡察→被巡视巡察单位",
    "INVOLVES": "涉及人员",
    "MENTIONS": "提及组织",
    "ON": "报告→巡视巡察",
    "PUBLISHED_BY": "报告→发布单位",
    "ROLE_IN": "人员职务",
    "SIMILAR_TO": "相似问题",
    "TOOK": "报告→整改工作做法",
}
REGULATION_KINDS = {"title": "法规文件", "named_rule": "制度名称", "doc_number": "文号"}
_KINDS = {"issues": "问题", "issue": "问题", "measures": "整改措施", "measure": "整改措施"}


def kind_label(kind: str) -> str:
    return _KINDS.get(kind, kind)


def _right(*columns: str) -> dict[str, dict[str, str]]:
    return {c: {"justify": "right"} for c in columns}


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
            "merged": g.count("merged"),
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
        ("新增报告", r["new"]),
        ("未变报告", r["unchanged"]),
        ("替换报告", r["replaced"]),
        ("已有报告的另一文件（合并）", r["merged"]),
        ("失败报告", r["failed"]),
        ("写入节点", g.nodes),
        ("写入关系", g.edges),
    ]
    if result.index is not None:
        rows += [(f"新增向量（{kind_label(k)}）", v) for k, v in result.index.added.items()]
        rows += [(f"删除向量（{kind_label(k)}）", v) for k, v in result.index.removed.items()]
    table("入库结果", ["项目", "数量"], rows, 数量={"justify": "right"})


def delete_summary(summary: Any, fmt: OutputFormat) -> None:
    emit(
        fmt,
        summary,
        lambda: console.print(
            f"已删除 {short_path(summary.file)}（{summary.report_id}）：{summary.nodes} 个节点，"
            f"{len(summary.issue_ids)} 个问题，{len(summary.measure_ids)} 条整改措施",
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
        rows = [(NODE_LABELS.get(k, k), v) for k, v in payload.items() if k != "edges"]
        table("节点", ["类型", "数量"], rows, 数量={"justify": "right"})
        edges = [(t, EDGE_LABELS.get(t, ""), n) for t, n in payload["edges"].items()]
        table("关系", ["类型", "含义", "数量"], edges, 数量={"justify": "right"})

    emit(fmt, payload, draw)


def units(items: Sequence[Any], fmt: OutputFormat) -> None:
    emit(
        fmt,
        list(items),
        lambda: table(
            "被巡视巡察单位",
            ["单位", "报告", "问题", "未完成", "状态未写明"],
            [(u.name, u.reports, u.issues, u.open_issues, u.unknown_issues) for u in items],
            **_right("报告", "问题", "未完成", "状态未写明"),
        ),
    )


def regulations(items: Sequence[Any], fmt: OutputFormat) -> None:
    emit(
        fmt,
        list(items),
        lambda: table(
            "法规制度",
            ["法规制度", "类型", "问题", "整改措施", "单位"],
            [(r.title, REGULATION_KINDS.get(r.kind, r.kind), r.issues, r.measures, r.units) for r in items],
            **_right("问题", "整改措施", "单位"),
        ),
    )


def _by_unit(refs: Iterable[Any], unit_of: Any) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for ref in refs:
        groups.setdefault(unit_of(ref) or "（单位不详）", []).append(ref)
    return groups


def regulation_links(links: Any, fmt: OutputFormat) -> None:
    def draw() -> None:
        kind = REGULATION_KINDS.get(links.kind, links.kind)
        console.print(f"[bold]{links.title}[/bold]  （{kind}，{links.regulation_id}）")
        for unit, refs in _by_unit(links.issues, lambda i: i.unit).items():
            table(
                f"{unit}：问题",
                ["序号", "问题", "整改状态", "来源"],
                [(i.number, i.title, i.status, f"{short_path(i.file)}:{i.line}") for i in refs],
            )
        for unit, refs in _by_unit(links.measures, lambda m: m.issue.unit).items():
            table(
                f"{unit}：整改措施",
                ["问题序号", "整改措施", "来源"],
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
                ("编号", i.id),
                ("问题类别", i.category),
                ("整改状态", i.status or "（未写明）"),
                ("整改时限", d.deadline),
                ("来源", f"{short_path(i.file)}:{i.line}（第 {d.span_start}–{d.span_end} 字）"),
                ("整改成效", d.result),
            ]
            table(None, ["项目", "内容"], [r for r in rows if r[1]])
            if d.measures:
                table("整改措施", ["序号", "措施", "行"], [(m.label, m.text, m.line) for m in d.measures])
            if d.regulations:
                table(
                    "法规制度",
                    ["法规制度", "关系", "途径", "原文"],
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
                f"其他报告中与 [bold]{s.unit} · {s.number} {s.title}[/bold]（{_source(s)}）相似的问题："
            )
        else:
            console.print(f"与 [bold]{result.query}[/bold] 相似的问题：")
        if not result.groups:
            console.print("没有匹配结果")
        for group in result.groups:
            table(
                f"{group.unit}",
                ["相似度", "序号", "问题", "整改状态", "来源", "编号"],
                [
                    (_score(h), h.issue.number, h.issue.title, h.issue.status, _source(h.issue), h.issue.id)
                    for h in group.hits
                ],
                **_right("相似度"),
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
            "每个问题在其他报告中最相似的问题",
            ["单位", "问题", "最相似的问题", "所在单位", "相似度"],
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
        note(f"已写入 {written} 条 SIMILAR_TO 关系")


def measure_hits(query: str, hits: Sequence[Any], fmt: OutputFormat) -> None:
    def draw() -> None:
        console.print(f"与 [bold]{query}[/bold] 相近的整改措施：")
        table(
            None,
            ["相似度", "单位", "问题", "整改措施", "法规制度", "来源"],
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
            expand=True,
            **_right("相似度"),
            单位={"ratio": 1},
            整改措施={"ratio": 4},
            问题={"ratio": 2},
            法规制度={"ratio": 1},
            来源={"no_wrap": True},
        )

    emit(fmt, list(hits), draw)


def index_sync(result: Any, fmt: OutputFormat) -> None:
    emit(
        fmt,
        result,
        lambda: table(
            "索引",
            ["类型", "新增", "删除", "总数"],
            [
                (kind_label(k), result.added.get(k, 0), result.removed.get(k, 0), v)
                for k, v in result.total.items()
            ],
            **_right("新增", "删除", "总数"),
        ),
    )


def index_check(check: Any, fmt: OutputFormat) -> None:
    payload = {**to_jsonable(check), "ok": check.ok}

    def draw() -> None:
        rows = [(f"索引中缺少的{kind_label(k)}", v) for k, v in check.missing.items()]
        rows += [(f"索引中多余的{kind_label(k)}", v) for k, v in check.stale.items()]
        rows += [
            ("图谱指纹一致", "是" if check.fingerprint_matches else "否"),
            ("模型", check.model),
        ]
        table("检查", ["检查项", "结果"], rows)
        console.print("正常" if check.ok else "图谱与索引不一致：请运行 'ikg reindex'")

    emit(fmt, payload, draw)


def export_summary(s: Any, fmt: OutputFormat) -> None:
    def draw() -> None:
        rows = [
            ("格式", s.format),
            ("输出", short_path(s.path)),
            ("单位", s.unit or "全部"),
            ("节点", s.nodes),
        ]
        rows += [("关系", s.edges), ("行数" if s.format in ("xlsx", "jsonl") else "条目", s.rows)]
        if len(s.files) > 1:
            rows.append(("文件", f"{len(s.files)} 个（见其中 README.md）"))
        table("导出", ["", "值"], rows)

    emit(fmt, s, draw)


def import_summary(folder: Path, nodes: int, edges: int, fmt: OutputFormat) -> None:
    payload = {"folder": str(folder), "nodes": nodes, "edges": edges}
    emit(
        fmt,
        payload,
        lambda: console.print(
            f"导入 {folder}: 节点 {nodes}，关系 {edges}；运行 ikg reindex 重建检索索引", markup=False
        ),
    )
