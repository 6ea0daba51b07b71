"""Format variants of the seed reports, built once per session into a temporary folder.

Every variant is derived from a real report in examples/reports: re-encoded text (GB18030/GBK, UTF-16 with
and without BOM, UTF-8 with BOM, CRLF), a government web page with site chrome around the article (UTF-8,
and GBK declared as gb2312), a PDF with a text layer, a DOCX, and broken copies of the binary formats.

PDF: reportlab's built-in CID font STSong-Light (Adobe-GB1, UniGB-UCS2-H). It embeds no glyphs, but
pypdf maps its codes back to Unicode, so the text layer extracts exactly; no font file is needed.
"""

from __future__ import annotations

import html
import io
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "examples" / "reports"
GOLD = REPO / "tests" / "fixtures" / "gold"
SEEDS = sorted(CORPUS.glob("*.txt"))
PAGE_DATE = "2024-08-20"

MakeVariant = Callable[[Path, str], Path]


@pytest.fixture(scope="session", params=SEEDS, ids=[p.name[:3] for p in SEEDS])
def seed(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


@pytest.fixture(scope="session")
def seed_titles(seed: Path) -> tuple[str, ...]:
    """The gold issue titles of the seed, in document order."""
    gold = json.loads((GOLD / f"{seed.stem}.json").read_text(encoding="utf-8"))
    return tuple(issue["title"] for cat in gold["categories"] for issue in cat["issues"])


@pytest.fixture(scope="session")
def make_variant(tmp_path_factory: pytest.TempPathFactory) -> MakeVariant:
    """`make_variant(seed, kind) -> path`: builds (once) the `kind` variant of a seed report."""
    root = tmp_path_factory.mktemp("variants")
    built: dict[tuple[Path, str], Path] = {}

    def make(seed_path: Path, kind: str) -> Path:
        key = (seed_path, kind)
        if key not in built:
            suffix, build = BUILDERS[kind]
            target = root / f"{seed_path.stem}.{kind}{suffix}"
            target.write_bytes(build(seed_path.read_text(encoding="utf-8")))
            built[key] = target
        return built[key]

    return make


@pytest.fixture
def big_sparse_file(tmp_path: Path) -> Iterator[Path]:
    """A 50 MB .txt made sparse (truncate), so creating it writes no data; removed afterwards."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    yield path
    path.unlink()


# ---- builders: report text -> file bytes --------------------------------------------------------------


def _encoded(encoding: str, bom: bytes = b"", newline: str = "\n") -> Callable[[str], bytes]:
    return lambda text: bom + text.replace("\n", newline).encode(encoding)


def gov_page(text: str, charset: str = "utf-8") -> str:
    """The report as the article of a county government site page, with the usual chrome around it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, body = html.escape(lines[0]), lines[1:]
    paragraphs = "\n".join(f'<p style="text-indent:2em;">{html.escape(line)}</p>' for line in body)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_巡察整改_惠东县人民政府门户网站</title>
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{PAGE_DATE} 10:30">
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<link rel="stylesheet" href="/css/main.css">
</head><body>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="惠东县人民政府"></div>
<div class="top-links"><a href="/">无障碍浏览</a> | <a href="/old">长者模式</a> |
<a href="/m">手机版</a></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/xwzx/">新闻中心</a></li><li><a href="/hdjl/">互动交流</a></li>
<li><a href="/xcgz/">巡察工作</a></li>
<li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/xcgz/">巡察工作</a> &gt;
<a href="/xcgz/zgtb/">整改通报</a></div>
<div class="article">
<h1 class="article-title">{title}</h1>
<div class="article-info"><span>来源：惠东县总工会</span> <span>发布时间：{PAGE_DATE} 10:30</span>
<span>浏览次数：<em id="hits">1024</em></span>
<span class="font">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span></div>
<div class="article-content" id="zoom">
{paragraphs}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="tools"><a href="javascript:window.print()">打印本页</a>
<a href="javascript:window.close()">关闭窗口</a></div>
<div class="prev-next"><p>上一篇：<a href="/a/1.html">惠东县总工会召开2024年工作会议</a></p>
<p>下一篇：<a href="/a/3.html">县总工会开展“送温暖”活动</a></p></div>
</div>
<div class="footer"><p><a href="/about">关于我们</a> | <a href="/map">网站地图</a> |
<a href="/contact">联系我们</a></p>
<p>主办单位：惠东县人民政府办公室 承办：惠东县政务服务数据管理局</p>
<p>网站标识码：4413230001 <a href="https://beian.miit.gov.cn">粤ICP备12079367号</a>
粤公网安备 44132302000123号</p>
</div></body></html>"""


def _html(charset: str, encoding: str) -> Callable[[str], bytes]:
    return lambda text: gov_page(text, charset).encode(encoding)


def report_pdf(text: str) -> bytes:
    """The report typeset on A4 with CJK line wrapping and a `- N -` page number, like a Word export."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK")
    out = io.BytesIO()

    def page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setFont("STSong-Light", 10)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    story = [Paragraph(escape(line.strip()), style) for line in text.splitlines() if line.strip()]
    SimpleDocTemplate(out, pagesize=A4).build(story, onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()


def scanned_pdf(text: str) -> bytes:
    """An image-only page (what a scanner produces): grey bars where the lines were, no text layer."""
    image = Image.new("L", (595, 842), 255)
    draw = ImageDraw.Draw(image)
    rng = random.Random(len(text))
    for row in range(60, 780, 24):
        draw.rectangle((60, row, 60 + rng.randint(200, 470), row + 12), fill=rng.randint(0, 120))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def report_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _truncated(build: Callable[[str], bytes]) -> Callable[[str], bytes]:
    def cut(text: str) -> bytes:
        data = build(text)
        return data[: len(data) // 2]

    return cut


BUILDERS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "utf-8": (".txt", _encoded("utf-8")),
    "utf-8-sig": (".txt", _encoded("utf-8", b"\xef\xbb\xbf")),
    "crlf": (".txt", _encoded("utf-8", newline="\r\n")),
    "gb18030": (".txt", _encoded("gb18030")),
    "gbk": (".txt", _encoded("gbk")),
    "gbk-crlf": (".txt", _encoded("gbk", newline="\r\n")),
    "utf-16-le-bom": (".txt", _encoded("utf-16-le", b"\xff\xfe")),
    "utf-16-be-bom": (".txt", _encoded("utf-16-be", b"\xfe\xff")),
    "utf-16-le": (".txt", _encoded("utf-16-le")),
    "utf-16-be": (".txt", _encoded("utf-16-be")),
    "md": (".md", _encoded("utf-8")),
    "html": (".html", _html("utf-8", "utf-8")),
    "htm-gb2312": (".htm", _html("gb2312", "gbk")),
    "pdf": (".pdf", report_pdf),
    "docx": (".docx", report_docx),
    "scanned-pdf": (".pdf", scanned_pdf),
    "truncated-pdf": (".pdf", _truncated(report_pdf)),
    "truncated-docx": (".docx", _truncated(report_docx)),
}
