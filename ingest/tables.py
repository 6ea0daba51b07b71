"""Problem tables: a 整改台账 printed as rows of cells, rewritten as the lines the parser reads in prose.

A report may list its problems as a table (序号 | 反馈问题 | 整改措施 | 责任领导 | 整改时限 | 完成情况), which
reaches ikg as one line per row with the cells separated by tabs (a table copied from a web page, or a
Word table as `docx_text` writes it) or by `|` (a markdown table). A header row names the columns; each
row below it with as many cells becomes a numbered problem and its labelled form lines:

    1.理论学习中心组学习计划性不强
    整改措施：制定年度学习计划……
    责任领导：党委书记
    整改时限：2025年9月
    完成情况：已完成

and a category column becomes （一）… headings where its value changes. Every character written keeps the
original offset it stands for (a label the offset of its cell), so spans and lines point into the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ikg.ingest.extract.headings import CN_DIGITS

_MAX_HEADER_CELL = 10  # characters: a column name, not content
# (role, column name pattern, the label its cells are written with; None: the column's own name)
_ROLES: tuple[tuple[str, re.Pattern[str], str | None], ...] = (
    ("number", re.compile(r"序号|编号|序"), None),
    ("category", re.compile(r".*(?:类别|类型|方面|领域)"), None),
    ("measures", re.compile(r".*措施"), "整改措施"),
    ("deadline", re.compile(r".*(?:时限|期限|时间)"), "整改时限"),
    ("responsible", re.compile(r"(?:责任|牵头|配合).*"), None),
    ("status", re.compile(r".*(?:完成情况|进展|进度|状态|结果|整改情况|落实情况|是否完成|办结)"), "完成情况"),
    ("problem", re.compile(r".*问题.*"), None),
)
_MARKDOWN_RULE = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?")


class Line(NamedTuple):
    start: int  # original offset of the line's first character
    text: str  # the line as printed, the tabs and spaces around it included (cells may be empty)


@dataclass(frozen=True, slots=True)
class TableLine:
    text: str  # a line as the parser reads it: 1.问题… / 整改措施：…
    offsets: tuple[int, ...]  # the original offset each character stands for


@dataclass(frozen=True, slots=True)
class Table:
    first: int  # index of the header line among the lines given
    stop: int  # index after the last row
    lines: tuple[TableLine, ...]


class _Column(NamedTuple):
    role: str
    label: str


def find_tables(lines: Sequence[Line]) -> list[Table]:
    """The problem tables among `lines`, each with the lines it is rewritten as."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        columns = _header(lines[i].text)
        if columns is None:
            i += 1
            continue
        rows: list[list[tuple[int, str]]] = []
        j = i + 1
        while j < len(lines):
            if _MARKDOWN_RULE.fullmatch(lines[j].text.strip()):
                j += 1
                continue
            cells = _cells(lines[j])
            if cells is None or len(cells) != len(columns):
                break
            rows.append(cells)
            j += 1
        if rows:
            tables.append(Table(i, j, tuple(_rewritten(columns, rows))))
            i = j
        else:
            i += 1
    return tables


def _separator(text: str) -> str | None:
    if "\t" in text:
        return "\t"
    if text.lstrip().startswith("|") and text.count("|") >= 3:
        return "|"
    return None


def _split(text: str) -> list[tuple[int, str]] | None:
    """(offset in `text`, stripped cell text) of each cell, or None for a line that is no table row."""
    sep = _separator(text)
    if sep is None:
        return None
    out: list[tuple[int, str]] = []
    pos = 0
    for raw in text.split(sep):
        lead = len(raw) - len(raw.lstrip())
        out.append((pos + lead, raw.strip()))
        pos += len(raw) + 1
    if sep == "|":  # | a | b |: nothing before the first bar and after the last
        out = out[1:-1] if len(out) >= 2 and not out[0][1] and not out[-1][1] else out
    return out


def _cells(line: Line) -> list[tuple[int, str]] | None:
    split = _split(line.text)
    return None if split is None else [(line.start + at, cell) for at, cell in split]


def _header(text: str) -> list[_Column] | None:
    split = _split(text)
    return None if split is None else header_columns([cell for _, cell in split])


def header_columns(names: Sequence[str]) -> list[_Column] | None:
    """The columns of a header row, or None: at least three short names, one naming the problem and one
    what was done about it (measures or status)."""
    if len(names) < 3:
        return None
    columns: list[_Column] = []
    for raw in names:
        name = re.sub(r"\s+", "", raw)
        if not name or len(name) > _MAX_HEADER_CELL:
            return None
        role, label = next(
            ((role, label or name) for role, pattern, label in _ROLES if pattern.fullmatch(name)),
            ("other", name),
        )
        columns.append(_Column(role, label))
    roles = [c.role for c in columns]
    if roles.count("problem") != 1 or not {"measures", "status"} & set(roles):
        return None
    return columns


def _cn(n: int) -> str:
    if n <= 10:
        return CN_DIGITS[n - 1]
    tens, unit = divmod(n, 10)
    return (CN_DIGITS[tens - 1] if tens > 1 else "") + "十" + (CN_DIGITS[unit - 1] if unit else "")


def _rewritten(columns: list[_Column], rows: list[list[tuple[int, str]]]) -> list[TableLine]:
    out: list[TableLine] = []
    roles = [c.role for c in columns]
    problem_at = roles.index("problem")
    number_at = roles.index("number") if "number" in roles else None
    category_at = roles.index("category") if "category" in roles else None
    category, categories, problems = "", 0, 0
    for cells in rows:
        problem_start, problem = cells[problem_at]
        if category_at is not None and cells[category_at][1] and cells[category_at][1] != category:
            at, category = cells[category_at]
            categories += 1
            label = f"（{_cn(categories)}）"
            out.append(TableLine(label + category, (at,) * len(label) + tuple(range(at, at + len(category)))))
        if problem:
            problems += 1
            number = cells[number_at][1] if number_at is not None else ""
            head = (number if number.isdecimal() else str(problems)) + "."
            # the written number stands at the problem's cell, so the issue starts after the category's
            offsets = (problem_start,) * len(head) + tuple(range(problem_start, problem_start + len(problem)))
            out.append(TableLine(head + problem, offsets))
        # a row with an empty problem cell continues the problem above (a merged cell in the original)
        for k, (column, (at, value)) in enumerate(zip(columns, cells, strict=True)):
            if k in (problem_at, number_at, category_at) or not value:
                continue
            label = column.label + "："
            out.append(TableLine(label + value, (at,) * len(label) + tuple(range(at, at + len(value)))))
    return out
