"""The 整改台账 workbook (openpyxl): 整改台账 (one row per issue), 整改措施 (one per measure), 涉及制度.

Every sheet has a frozen header row and an auto filter over its data; column widths fit the longest line
of a column up to a cap, counting a CJK (wide) character as two columns, Excel's width unit being one
Latin digit; long text wraps. Text goes in as text: a report line starting with = stays a string, never a
formula, and control characters Excel refuses are dropped from the cell (the graph keeps them); a text
longer than Excel's 32,767 characters per cell is cut with a note saying so.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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
CELL_LIMIT = 32767  # characters Excel holds in one cell
TRUNCATED = "…（超出 Excel 单元格字数上限，以下从略；全文见 jsonl 导出或 ikg issue show）"
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
    book = Workbook(write_only=True)  # streams rows to the file instead of keeping every cell in memory
    _fill(
        book.create_sheet(ISSUE_SHEET),
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
    """Widths first (a streamed sheet takes its layout before its rows), then header and rows."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, str):
                widths[c] = max(widths[c], *(display_width(line) for line in value.split("\n")))
            elif value is not None:
                widths[c] = max(widths[c], len(str(value)))
    for c, header in enumerate(headers, start=1):
        cap = _MAX_WIDTH.get(header, _DEFAULT_MAX)
        sheet.column_dimensions[get_column_letter(c)].width = min(widths[c - 1], cap) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    head = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=h)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        head.append(cell)
    sheet.append(head)
    # Setting `alignment` per cell costs a style lookup each time (a third of the writing time); every
    # body cell has the same style, so it is worked out once and its style array given to each cell.
    wrap = WriteOnlyCell(sheet)
    wrap.alignment = _WRAP
    for row in rows:
        sheet.append([_cell(sheet, v, wrap) for v in row])


def _cell(sheet: Worksheet, value: Value, like: WriteOnlyCell) -> WriteOnlyCell:
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(text) > CELL_LIMIT:  # Excel refuses longer cells; say so in the cell rather than drop it
            text = text[: CELL_LIMIT - len(TRUNCATED)] + TRUNCATED
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        cell = WriteOnlyCell(sheet, value=value)
    cell._style = like._style  # a streamed cell is written at once and never changed
    return cell
