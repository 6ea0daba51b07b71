"""The text of a PDF report, page by page (pages joined with a newline): pypdf's text layer, OCR for pages
without one.

The text keeps pypdf's line breaks, page numbers and running headers: `normalize` removes those artefacts
and keeps an offset map, so provenance points into exactly this text.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

import pypdf
import pypdf.errors

from ikg.ingest.decode import DecodeError
from ikg.ingest.ocr import OCR_HINT, PageProgress, ocr_available, ocr_pages

_MIN_PAGE_CHARS = 10  # a page with less text than this in its layer is a scan (or blank): OCR it


@dataclass(frozen=True, slots=True)
class PdfText:
    pages: tuple[str, ...]  # text of each page, in order
    ocr_pages: tuple[int, ...]  # 0-based numbers of the pages read by OCR
    unread: tuple[int, ...] = ()  # 0-based pages without a text layer, left unread (no OCR installed)

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def page_starts(self) -> tuple[int, ...]:
        """Offset in `text` where each page begins."""
        starts, pos = [], 0
        for page in self.pages:
            starts.append(pos)
            pos += len(page) + 1
        return tuple(starts)


# pypdf reports damaged files through many exception types, not only its own; all mean "corrupt".
_CORRUPT = (
    pypdf.errors.PyPdfError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    AssertionError,
    OverflowError,
    RecursionError,
    struct.error,
    zlib.error,
)


def pdf_pages(data: bytes, on_page: PageProgress | None = None) -> PdfText:
    """The text of each page: its text layer, or OCR for pages without one (`on_page` reports OCR
    progress). Raises `DecodeError` for corrupt or encrypted PDFs, and for scans without the OCR extra."""
    pages = _text_layer(data)
    scanned = [n for n, page in enumerate(pages) if len("".join(page.split())) < _MIN_PAGE_CHARS]
    if not scanned:
        return PdfText(tuple(pages), ())
    if not ocr_available():
        if len(scanned) == len(pages):
            raise DecodeError(OCR_HINT)
        # image pages among text pages: read the rest, and say which were left out (SourceText.warnings)
        return PdfText(tuple(pages), (), tuple(scanned))
    try:
        read = ocr_pages(data, scanned, on_page)
    except Exception as exc:  # pdfium or the OCR engine failing on this file
        raise DecodeError(f"OCR of the scanned pages failed: {exc or type(exc).__name__}") from exc
    merged = tuple(read.get(n, page) for n, page in enumerate(pages))
    if not any(page.strip() for page in merged):
        raise DecodeError("scanned PDF: OCR found no text on any page")
    return PdfText(merged, tuple(scanned))


def _text_layer(data: bytes) -> list[str]:
    if b"%PDF-" not in data[:1024]:
        raise DecodeError("corrupt or truncated PDF: no %PDF- header")
    # Every complete PDF ends with %%EOF (an incremental save adds another); without it the file was cut.
    if b"%%EOF" not in data[-1024:]:
        raise DecodeError("corrupt or truncated PDF: the file ends without %%EOF, so it was cut short")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
        pages = [_lf(page.extract_text() or "") for page in reader.pages]
    except DecodeError:
        raise
    except pypdf.errors.DependencyError as exc:
        raise DecodeError(
            f"encrypted PDF that pypdf cannot decrypt here ({exc}); save an unprotected copy"
        ) from exc
    except _CORRUPT as exc:
        raise DecodeError(f"corrupt or truncated PDF: {exc or type(exc).__name__}") from exc
    if not pages:
        raise DecodeError("corrupt or truncated PDF: it has no pages")
    return pages


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decrypt(reader: pypdf.PdfReader) -> None:
    # Many published PDFs carry only an owner password (against editing); the empty user password opens them.
    if reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
        raise DecodeError("encrypted PDF: it needs a password to open; save an unprotected copy")
