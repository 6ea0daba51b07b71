"""A draft 共性问题清单 as an .xlsx workbook: one row per member issue, grouped by common problem."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ikg.analysis.common import CommonProblem
from ikg.graph.errors import InputError

HEADERS = (
    "序号",
    "共性问题",
    "涉及单位数",
    "涉及单位",
    "共有关键词",
    "单位",
    "问题表述",
    "整改状态",
    "来源文件",
    "行号",
)


def write_common_xlsx(problems: Sequence[CommonProblem], path: Path) -> int:
    """Write the workbook atomically (a temp file, then rename); returns the rows written.

    Raises `InputError` when the file cannot be written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "共性问题清单"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = 0
    for n, problem in enumerate(problems, start=1):
        for m in problem.members:
            sheet.append(
                (
                    n,
                    problem.label,
                    len(problem.units),
                    "、".join(problem.units),
                    "、".join(problem.terms),
                    m.unit,
                    m.issue.title,
                    m.issue.status or "",
                    m.issue.file,
                    m.issue.line,
                )
            )
            rows += 1
    for column, width in zip("ABCDEFGHIJ", (6, 40, 10, 40, 20, 20, 60, 16, 50, 8), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    tmp = path.with_name(path.name + ".tmp")
    try:
        book.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(path, f"cannot write the workbook: {exc.strerror or exc}") from exc
    return rows
