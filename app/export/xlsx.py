"""The 整改台账 workbook (openpyxl): 整改台账 (one row per issue), 整改措施 (one per measure), 涉及制度.

Every sheet has a frozen header row and an auto filter over its data; column widths fit the longest line
of a column up to a cap, counting a CJK (wide) character as two columns, Excel's width unit being one
Latin digit; long text wraps. Text goes in as text: a report line starting with = stays a string, never a
formula, and control characters Excel refuses are dropped from the cell (the graph keeps them).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ikg.app.export.ledger import Ledger, LedgerIssue

ISSUE_SHEET = "整改台账"
MEASURE_SHEET = "整改措施"
REGULATION_SHEET = "涉及制度"
ISSUE_HEADERS = (
    "序号",
    "被巡视/巡察单位",
    "巡视/巡察组",
    "反馈日期",
    "问题类别",
    "问题",
    "整改措施",
    "整改状态",
    "整改时限",
    "涉及制度",
    "来源",
)
MEASURE_HEADERS = ("问题序号", "被巡视/巡察单位", "问题", "措施序号", "整改措施", "涉及制度", "来源")
REGULATION_HEADERS = ("制度", "类型", "别名", "问题数", "措施数", "单位数")
CLAIMED_DONE = "已完成（未逐条注明，据通报总体完成情况）"
KIND_NAMES = {"title": "法规文件", "named_rule": "制度名称", "doc_number": "文号"}

_MAX_WIDTH = {"问题": 50, "整改措施": 80, "来源": 70}  # in Latin-digit columns; others: _DEFAULT_MAX
_DEFAULT_MAX = 40
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")

Value = str | int | None


def display_width(text: str) -> int:
    """Columns `text` takes in a fixed-width view: 2 for a wide (CJK) character, 1 otherwise."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def status_text(issue: LedgerIssue) -> str | None:
    """The status as printed; without one, what the report says of all its issues, marked as such."""
    if issue.status:
        return issue.status
    return CLAIMED_DONE if issue.completed else None


def write_ledger(ledger: Ledger, path: Path) -> None:
    book = Workbook()
    issues = book.active
    assert issues is not None  # a new workbook has its one sheet
    issues.title = ISSUE_SHEET
    _fill(
        issues,
        ISSUE_HEADERS,
        [
            (
                i.number,
                i.unit,
                i.team,
                i.feedback_date,
                i.category,
                i.title,
                "\n".join(f"{n}. {m.text}" for n, m in enumerate(i.measures, start=1)),
                status_text(i),
                i.deadline,
                "\n".join(i.regulations),
                i.source,
            )
            for i in ledger.issues
        ],
    )
    _fill(
        book.create_sheet(MEASURE_SHEET),
        MEASURE_HEADERS,
        [
            (i.number, i.unit, i.title, n, m.text, "\n".join(m.regulations), m.source)
            for i in ledger.issues
            for n, m in enumerate(i.measures, start=1)
        ],
    )
    _fill(
        book.create_sheet(REGULATION_SHEET),
        REGULATION_HEADERS,
        [
            (r.title, KIND_NAMES.get(r.kind, r.kind), "\n".join(r.aliases), r.issues, r.measures, r.units)
            for r in ledger.regulations
        ],
    )
    book.save(path)


def _fill(sheet: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Value]]) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
    widths = [display_width(h) for h in headers]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
                widths[c - 1] = max(widths[c - 1], *(display_width(line) for line in value.split("\n")))
            else:
                cell.value = value
                widths[c - 1] = max(widths[c - 1], len(str(value)) if value is not None else 0)
            cell.alignment = _WRAP
    for c, header in enumerate(headers, start=1):
        cap = _MAX_WIDTH.get(header, _DEFAULT_MAX)
        sheet.column_dimensions[get_column_letter(c)].width = min(widths[c - 1], cap) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 1)}"
