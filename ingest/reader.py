"""Read report files from disk into `SourceText`: the only module of ikg that touches report files.

Offsets: every span in ikg indexes `SourceText.text`, the text exactly as returned here. For .txt/.md that
is the file decoded with `SourceText.encoding`, the byte-order mark dropped and `\\r\\n`/`\\r` turned into
`\\n`, which is what Python's own text mode returns (`open(path, encoding=...).read()`), so an offset can
be checked against the file with one line of Python. For .html/.pdf/.docx it is the extracted article
text (see `html_text`, `pdf_text`, `docx_text`); it contains no `\\r` either.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ikg.graph.errors import InputError
from ikg.ingest.decode import DecodeError, decode_text
from ikg.ingest.document import SourceText
from ikg.ingest.ocr import OCR_HINT, PageProgress

if TYPE_CHECKING:
    from ikg.ingest.pdf_text import PdfText

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB

_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
SUPPORTED_SUFFIXES = frozenset(_FORMATS)

# Files people keep next to reports; the hint says what to do instead of just "unsupported".
_HINTS = {
    ".doc": "old Word format; save it as .docx",
    ".wps": "WPS format; save it as .docx",
    ".xls": "spreadsheet, not a report",
    ".xlsx": "spreadsheet, not a report",
    ".ofd": "OFD format; export it to PDF",
}


@dataclass(frozen=True, slots=True)
class PathScan:
    files: tuple[Path, ...]  # readable report candidates, sorted
    skipped: tuple[tuple[Path, str], ...]  # (path, why), sorted by path: found in a folder, not a report
    failed: tuple[tuple[Path, str], ...] = ()  # (path, why), in the order given: named but not usable


def read_source(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, on_ocr_page: PageProgress | None = None
) -> SourceText:
    """Read and decode one report file. Raises `InputError(path, reason)` for anything unusable.

    Never reads more than `max_bytes + 1` bytes: the size is checked with `stat` before reading. Scanned
    PDF pages are read by OCR when the `ocr` extra is installed; `on_ocr_page(done, total)` follows it.
    """
    pdf: PdfText | None = None
    size = _regular_file_size(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, _unsupported(path))
    data = _read_bytes(path, size, max_bytes)
    # The format readers are imported on first use: trafilatura, pypdf and python-docx together cost
    # ~0.4 s of import time, which every `ikg` command would pay otherwise.
    try:
        if fmt == "pdf":
            from ikg.ingest.pdf_text import pdf_pages

            pdf = pdf_pages(data, on_ocr_page)
            text, encoding = pdf.text, "pdf"
        elif fmt == "docx":
            from ikg.ingest.docx_text import docx_to_text

            text, encoding = docx_to_text(data), "docx"
        elif fmt == "html":
            from ikg.ingest.html_text import html_to_text

            page = html_to_text(data)
            text, encoding = page.text, page.encoding
        else:
            decoded = decode_text(data)
            text, encoding = decoded.text, decoded.encoding
    except DecodeError as exc:
        raise InputError(path, exc.reason) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, "file has no text")
    if pdf is None:
        return SourceText(path=str(path), text=text, encoding=encoding, format=fmt)
    # pypdf's page texts hold no \r, so the page offsets survive the line-ending fold above
    unread = [n + 1 for n in pdf.unread]
    warnings = (
        (f"pages {', '.join(map(str, unread))} have no text layer and were not read; {OCR_HINT}",)
        if unread
        else ()
    )
    return SourceText(
        path=str(path),
        text=text,
        encoding=encoding,
        format=fmt,
        page_starts=pdf.page_starts,
        ocr_pages=tuple(n + 1 for n in pdf.ocr_pages),
        warnings=warnings,
    )


def collect_paths(paths: Sequence[Path]) -> PathScan:
    """Expand files and directories (recursively) into report files, sorted; note what is skipped and why.

    Hidden files and directories (name starting with '.') inside a directory are ignored, and so are files
    of other types found there (`skipped`). A path given by name that cannot be used never stops the
    others: a missing path, a broken link, a named file of an unsupported type and a folder with no report
    in it are listed in `failed` with the reason.
    """
    files: dict[Path, Path] = {}  # resolved -> as given, so "a.txt" and "./dir/../a.txt" count once
    skipped: dict[Path, str] = {}
    failed: dict[Path, str] = {}
    for given in paths:
        if given.is_dir():
            found = _walk(given)
            before = len(files)
            for path in found:
                _classify(path, files, skipped)
            if len(files) == before and not any(p.resolve() in files for p in found):
                failed.setdefault(given, _no_reports(found))
        elif given.exists():
            if given.name.startswith("~$") or given.suffix.lower() in SUPPORTED_SUFFIXES:
                _classify(given, files, skipped)
            else:
                failed.setdefault(given, _unsupported(given))
        elif given.is_symlink():
            failed.setdefault(given, f"broken symbolic link (to {os.readlink(given)})")
        else:
            failed.setdefault(given, "no such file or directory")
    return PathScan(tuple(sorted(files.values())), tuple(sorted(skipped.items())), tuple(failed.items()))


def _no_reports(found: list[Path]) -> str:
    kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
    if not found:
        return f"folder has no files; expected reports ({kinds})"
    return f"folder has no report files ({kinds}) among its {len(found)} files"


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    # os.walk does not follow directory symlinks, so a link loop cannot make this run forever.
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath, name) for name in filenames if not name.startswith("."))
    return found


def _classify(path: Path, files: dict[Path, Path], skipped: dict[Path, str]) -> None:
    if path.name.startswith("~$"):
        skipped[path] = "Office lock file, not a document"
    elif path.suffix.lower() in SUPPORTED_SUFFIXES:
        files.setdefault(path.resolve(), path)
    else:
        skipped[path] = _unsupported(path)


def _unsupported(path: Path) -> str:
    suffix = path.suffix.lower()
    if not suffix:
        return "unsupported file type (no extension); expected " + ", ".join(sorted(SUPPORTED_SUFFIXES))
    hint = _HINTS.get(suffix)
    return f"unsupported file type {suffix}" + (f" ({hint})" if hint else "")


def _regular_file_size(path: Path) -> int:
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        broken = path.is_symlink()
        raise InputError(path, "broken symbolic link" if broken else "no such file") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    return info.st_size


def _read_bytes(path: Path, size: int, max_bytes: int) -> bytes:
    if size == 0:
        raise InputError(path, "file is empty")
    if size > max_bytes:
        raise InputError(path, _too_large(size, max_bytes))
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError as exc:
        raise InputError(path, "permission denied") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:  # the file grew after stat
        raise InputError(path, _too_large(len(data), max_bytes))
    if not data:
        raise InputError(path, "file is empty")
    if not data.strip(b" \t\n\r\x0b\x0c\x00"):  # blank, or NUL bytes only
        raise InputError(path, "file has no text")
    return data


def _too_large(size: int, max_bytes: int) -> str:
    return f"file is {_size(size)}; the limit for one report is {_size(max_bytes, exact=True)}"


def _size(n: int, *, exact: bool = False) -> str:
    for unit, factor in (("MB", MB), ("KB", 1024)):
        if n >= factor:
            value = n / factor
            return f"{value:g} {unit}" if exact and value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"
