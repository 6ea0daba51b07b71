"""OCR of image-only PDF pages: pypdfium2 renders a page, rapidocr reads it with the PP-OCR models its wheel
ships (offline). Both come with the `ikg[ocr]` extra; without it a scanned PDF is refused with the hint.

OCR returns boxes of text; `lines_of` puts them back in reading order: boxes whose vertical centres lie
within half a line height of each other form one line, read left to right, and lines go top to bottom.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

OCR_HINT = "scanned PDF (no text layer) needs OCR; install it with: pip install 'ikg[ocr]'"
DPI = 200  # enough for 10.5 pt body text; ~13 CPU-s a page on this machine kind

PageProgress = Callable[[int, int], None]  # (pages done, pages to OCR)


@dataclass(frozen=True, slots=True)
class Box:
    text: str
    left: float
    top: float
    bottom: float


def ocr_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "pypdfium2"))


def ocr_pages(data: bytes, pages: Sequence[int], on_page: PageProgress | None = None) -> dict[int, str]:
    """The text of each page in `pages` (0-based) of the PDF `data`, one line per printed line."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        out: dict[int, str] = {}
        for done, number in enumerate(pages, start=1):
            image = document[number].render(scale=DPI / 72).to_pil()
            out[number] = "\n".join(lines_of(_read(image)))
            if on_page is not None:
                on_page(done, len(pages))
        return out
    finally:
        document.close()


def lines_of(boxes: Sequence[Box]) -> list[str]:
    """Boxes in reading order, joined into lines (see the module docstring)."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        centre = (box.top + box.bottom) / 2
        if lines:
            last = lines[-1]
            height = max(b.bottom - b.top for b in last)
            last_centre = sum((b.top + b.bottom) / 2 for b in last) / len(last)
            if abs(centre - last_centre) <= height / 2:
                last.append(box)
                continue
        lines.append([box])
    return ["".join(b.text for b in sorted(line, key=lambda b: b.left)) for line in lines]


def _read(image: Any) -> list[Box]:
    result = _engine()(image)
    if result.boxes is None or result.txts is None:
        return []  # a blank page
    boxes = []
    for points, text in zip(result.boxes, result.txts, strict=True):
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        boxes.append(Box(str(text), min(xs), min(ys), max(ys)))
    return boxes


@cache
def _engine() -> Any:
    from rapidocr import RapidOCR

    # rapidocr logs every model file it loads, and every blank page; the analyst sees ikg's progress instead
    quiet = logging.getLogger("RapidOCR")
    quiet.setLevel(logging.ERROR)
    engine = RapidOCR(params={"Global.use_cls": False})  # pages are upright: the angle classifier only costs
    quiet.setLevel(logging.ERROR)  # constructing the engine sets its logger back to INFO
    return engine
