"""Extract the text layer of a PDF report with pypdf, page by page, pages joined with a newline.

The text keeps pypdf's line breaks, page numbers and running headers: `normalize` removes those artefacts
and keeps an offset map, so provenance points into exactly this text.
"""

from __future__ import annotations

import io
import struct
import zlib

import pypdf
import pypdf.errors

from ikg.ingest.decode import DecodeError

NO_TEXT_LAYER = "no text layer: scanned PDF, OCR it first"

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


def pdf_to_text(data: bytes) -> str:
    """The text layer of all pages; raises `DecodeError` for corrupt, encrypted or image-only PDFs."""
    if b"%PDF-" not in data[:1024]:
        raise DecodeError("corrupt or truncated PDF: no %PDF- header")
    # Every complete PDF ends with %%EOF (an incremental save adds another); without it the file was cut.
    if b"%%EOF" not in data[-1024:]:
        raise DecodeError("corrupt or truncated PDF: the file ends without %%EOF, so it was cut short")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
        pages = [page.extract_text() or "" for page in reader.pages]
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
    if not any(page.strip() for page in pages):
        raise DecodeError(NO_TEXT_LAYER)
    return "\n".join(pages)


def _decrypt(reader: pypdf.PdfReader) -> None:
    # Many published PDFs carry only an owner password (against editing); the empty user password opens them.
    if reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
        raise DecodeError("encrypted PDF: it needs a password to open; save an unprotected copy")
