"""Scanned PDFs read by OCR, page provenance, traditional-character copies: a seed must come out the same.

The scans are made here the way a scanner makes them: the report's lines drawn into page images with a CJK
font (Debian's fonts-noto-cjk, which scripts/test.sh installs), wrapped as an image-only PDF.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import opencc
import pytest
from PIL import Image, ImageDraw, ImageFont

from ikg.ingest.ocr import OCR_HINT, Box, lines_of
from ikg.ingest.parse import parse_report, parse_source
from ikg.ingest.reader import read_source

from .conftest import SEEDS, report_pdf, scanned_pdf

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PAGE = (1654, 2339)  # A4 at 200 dpi
MARGIN, CHARS, LINE, SIZE = 140, 38, 50, 32
LINES_PER_PAGE = (PAGE[1] - 2 * MARGIN) // LINE

SHORT = """中共某某县档案馆党支部关于县委巡察整改情况的通报
根据县委统一部署，2023年4月10日至5月31日，县委第二巡察组对县档案馆党支部开展了巡察。2023年7月12日，县委第二巡察组反馈了巡察意见。
一、巡察反馈问题整改情况
（一）关于“档案库房管理不规范”问题
整改情况：一是修订库房管理制度；二是开展专项检查。
（二）关于“违反中央八项规定精神问题时有发生”问题
整改情况：一是追回违规发放补贴1.2万元；二是对2名责任人诫勉谈话。
"""


def scan(text: str) -> bytes:
    """An image-only PDF of `text`: lines wrapped at the page width, no text layer."""
    font = ImageFont.truetype(str(FONT), SIZE, index=2)  # index 2: the simplified-Chinese face
    lines = [p[i : i + CHARS] for p in text.splitlines() if p.strip() for i in range(0, len(p), CHARS)]
    pages = []
    for first in range(0, len(lines), LINES_PER_PAGE):
        image = Image.new("L", PAGE, 255)
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines[first : first + LINES_PER_PAGE]):
            draw.text((MARGIN, MARGIN + row * LINE), line, font=font, fill=0)
        pages.append(image)
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=200, save_all=True, append_images=pages[1:])
    return out.getvalue()


needs_font = pytest.mark.skipif(not FONT.exists(), reason="scripts/test.sh installs fonts-noto-cjk")


@pytest.mark.parametrize(
    "boxes, lines",
    [
        # two boxes on one line (centres within half a line height), given right one first
        ([Box("巡察组", 300, 100, 140), Box("县委第二", 100, 102, 141)], ["县委第二巡察组"]),
        # lines top to bottom whatever order OCR returns them in
        ([Box("二", 100, 200, 240), Box("一", 100, 100, 140)], ["一", "二"]),
        ([], []),
    ],
)
def test_ocr_boxes_read_in_lines(boxes: list[Box], lines: list[str]) -> None:
    assert lines_of(boxes) == lines


@needs_font
def test_one_page_scan_reads_like_its_text(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan(SHORT))
    pages: list[tuple[int, int]] = []
    source = read_source(path, on_ocr_page=lambda done, total: pages.append((done, total)))
    assert pages == [(1, 1)] and source.ocr_pages == (1,) and source.page_starts == (0,)
    doc = parse_source(source)
    assert [i.title for i in doc.issues] == ["档案库房管理不规范", "违反中央八项规定精神问题时有发生"]
    assert [len(i.measures) for i in doc.issues] == [2, 2]
    assert doc.inspection.team is not None and doc.inspection.team.value == "县委第二巡察组"


def test_scan_without_the_ocr_extra_says_how_to_install_it(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan(SHORT) if FONT.exists() else scanned_pdf(SHORT))  # image-only either way
    # a fresh interpreter where the OCR packages cannot be imported, as without `pip install 'ikg[ocr]'`
    blocker = textwrap.dedent(
        """
        import importlib.util, sys
        real = importlib.util.find_spec
        blocked = ("rapidocr", "pypdfium2")
        importlib.util.find_spec = lambda name, *a: None if name in blocked else real(name, *a)
        from ikg.cli.app import main
        sys.argv = ["ikg", "parse", sys.argv[1]]
        main()
        """
    )
    done = subprocess.run([sys.executable, "-c", blocker, str(path)], capture_output=True, text=True)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"ikg: error: {path}: {OCR_HINT}"


def test_pdf_pages_give_each_issue_its_page(tmp_path: Path) -> None:
    seed = SEEDS[0]
    path = tmp_path / "seed.pdf"
    path.write_bytes(report_pdf(seed.read_text(encoding="utf-8")))
    source = read_source(path)
    assert len(source.page_starts) > 1 and source.ocr_pages == ()
    doc = parse_source(source)
    for issue in doc.issues:
        page = doc.page_of(issue.span.start)
        assert page is not None
        begin = source.page_starts[page - 1]
        end = source.page_starts[page] if page < len(source.page_starts) else len(source.text)
        assert begin <= issue.span.start < end
    # the pages really advance through the report
    assert doc.page_of(doc.issues[-1].span.start) == len(source.page_starts) or len(source.page_starts) > 1
    assert doc.page_of(doc.issues[0].span.start) < doc.page_of(doc.issues[-1].span.start)  # type: ignore[operator]


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_traditional_copy_parses_like_the_simplified(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(text)
    assert traditional != text
    simple, trad = parse_report(text, file="s.txt"), parse_report(traditional, file="t.txt")
    assert [i.title for i in trad.issues] == [i.title for i in simple.issues]
    assert [len(i.measures) for i in trad.issues] == [len(i.measures) for i in simple.issues]
    assert trad.inspected_unit is not None and simple.inspected_unit is not None
    assert trad.inspected_unit.value == simple.inspected_unit.value
    # spans still point into the traditional original (which may wrap a title over lines)
    first = trad.issues[0]
    printed = traditional[first.title_span.start : first.title_span.end]
    assert "".join(opencc.OpenCC("t2s").convert(printed).split()) == "".join(first.title.split())


@pytest.mark.slow
@needs_font
@pytest.mark.parametrize("seed", SEEDS[:1], ids=[p.name[:3] for p in SEEDS[:1]])
def test_scanned_seed_gives_the_same_issues(seed: Path, tmp_path: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan(text))
    source = read_source(path)
    assert len(source.ocr_pages) == len(source.page_starts) > 1
    expected = parse_report(text, file=str(seed))
    got = parse_source(source)
    assert [i.title for i in got.issues] == [i.title for i in expected.issues]
    assert len(got.issues) == len(expected.issues)


def test_graph_nodes_carry_the_page(tmp_path: Path) -> None:
    from ikg.graph.rows import report_rows
    from ikg.ingest.build import build_graph

    path = tmp_path / "seed.pdf"
    path.write_bytes(report_pdf(SEEDS[1].read_text(encoding="utf-8")))
    doc = parse_source(read_source(path))
    graph = build_graph(doc)
    pages = {i.source.page for i in graph.issues}
    assert None not in pages and len(pages) > 1
    assert all(m.source.page is not None for m in graph.measures)
    assert report_rows(graph).node_count > 0  # the rows accept the new property
    text_graph = build_graph(parse_report(SEEDS[1].read_text(encoding="utf-8"), file="x.txt"))
    assert {i.source.page for i in text_graph.issues} == {None}
