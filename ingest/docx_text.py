"""Extract the text of a Word (.docx) report: body paragraphs and table cells in document order.

One paragraph per line. Table cells follow the table's reading order (row by row, left to right), a
merged cell once, one line per paragraph inside the cell; but a problem table (its first row names a
problem column and a measures or status column, `tables.header_columns`) is written one row a line, its
cells between tabs, a merged cell empty where it repeats, as `tables.py` reads them. Headers, footers,
comments and text boxes are not part of the report body and are left out.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
import docx.opc.exceptions
import lxml.etree
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ikg.ingest.decode import DecodeError
from ikg.ingest.tables import header_columns


def docx_to_text(data: bytes) -> str:
    """The body text, one paragraph per line; raises `DecodeError` for a damaged file."""
    if not data.startswith(b"PK"):
        raise DecodeError("corrupt or truncated DOCX: not a ZIP package (an old .doc saved as .docx?)")
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_block_lines(document.iter_inner_content()))
    except zipfile.BadZipFile as exc:
        raise DecodeError(f"corrupt or truncated DOCX: {exc}") from exc
    except KeyError as exc:  # a part the package lists is missing from the ZIP
        raise DecodeError(f"corrupt or truncated DOCX: {exc.args[0] if exc.args else exc}") from exc
    except (docx.opc.exceptions.PackageNotFoundError, ValueError, lxml.etree.XMLSyntaxError) as exc:
        raise DecodeError(f"corrupt or truncated DOCX: {exc or type(exc).__name__}") from exc
    return "\n".join(lines)


def _block_lines(blocks: Iterator[Paragraph | Table]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        else:
            yield from _table_lines(block)


def _table_lines(table: Table) -> Iterator[str]:
    seen: set[object] = set()  # lxml elements hash by identity, and we hold them, so identity is stable
    rows = list(table.rows)
    if rows and header_columns([cell.text for cell in rows[0].cells]) is not None:
        for row in rows:
            cells = []
            for cell in row.cells:
                cells.append("" if cell._tc in seen else " ".join(_cell_lines(cell)).replace("\t", " "))
                seen.add(cell._tc)
            yield "\t".join(cells)
        return
    for row in rows:
        for cell in row.cells:
            # A merged cell appears once per grid column it spans; emit it once.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            yield from _cell_lines(cell)


def _cell_lines(cell: _Cell) -> Iterator[str]:
    yield from _block_lines(cell.iter_inner_content())
