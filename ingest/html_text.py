"""Turn a government web page into report text: title first, then article paragraphs, without site chrome.

Output layout: the article title on the first line, then each paragraph on its own line, paragraphs
separated by one blank line. When the page states when it was published, a last paragraph
`发布时间：YYYY-MM-DD` keeps that fact (rectification reports copied from web pages are often undated in
their body; the page date is the best evidence of when they were published). Everything else the page
prints around the article (menus, breadcrumbs, share and print buttons, previous/next links, footers, ICP
lines, source/date/hit-count lines) is dropped.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
import trafilatura

from ikg.ingest.decode import DecodeError, decode_text
from ikg.ingest.tables import header_columns

NO_ARTICLE = "no article text found in HTML page"

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# One pattern per kind of chrome line seen on 政府/纪委 sites; a line matching any of them is dropped.
_CHROME = re.compile(
    "|".join(
        (
            r"分享到",
            r"打印本页|打印此页|【打印】|关闭窗口|【关闭】|返回顶部|收藏本页|加入收藏|设为首页",
            r"【\s*字体\s*[:：]?\s*大\s*中\s*小\s*】|字号\s*[:：]\s*大\s*中\s*小",
            r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP[备证]",
            r"ICP备\d|网站标识码|公网安备|公安网监备|政府网站找错|网站地图|版权所有|Copyright|©",
            r"^\s*(上一篇|下一篇|上一条|下一条)\s*[:：]?",
            r"^\s*(当前位置|您现在的位置|您当前的位置|你的位置|所在位置)\s*[:：]?",
            r"^\s*首页\s*[>＞»›/|]",
            r"^\s*(来源|信息来源|文章来源|作者|编辑|责任编辑|发布者|发布机构)\s*[:：]",
            r"^\s*(发布时间|发布日期|发文日期|更新时间|日期)\s*[:：]",
            r"(浏览次数|访问次数|阅读次数|点击数|点击量|浏览量)\s*[:：]",
            r"^\s*(主办单位|主办|承办单位|承办|技术支持|联系我们)\s*[:：]",
        )
    )
)
_CHROME_MAX_LEN = 80
_PAGE_DATE = re.compile(
    r"(?:发布时间|发布日期|发文日期|(?<![\u4e00-\u9fff])日期)\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "tr",
    "td",
    "th",
    "br",
    "table",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PageText:
    text: str
    encoding: str  # the codec used for the page bytes (gb18030 for gb2312/gbk pages)


def html_to_text(data: bytes) -> PageText:
    """Article text of one HTML page; raises `DecodeError` when it cannot decode or finds no article."""
    page, encoding = _decode_page(data)
    # lxml refuses a str that still carries its XML declaration (XHTML pages); the bytes are decoded now.
    page = _XML_DECLARATION.sub("", page, count=1)
    try:
        tree = lxml.html.fromstring(page)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise DecodeError(NO_ARTICLE) from exc
    date = _page_date(tree)  # before _block_lines, which drops <head>
    tables = _problem_tables(tree)
    # a 整改台账 table is the report's problems: trafilatura then keeps tables, as `| a | b |` rows
    title, paragraphs = _trafilatura_article(page, tables=bool(tables))
    if not paragraphs:
        # Table-layout pages (common on older county sites) defeat trafilatura; read their blocks in order.
        for table in tables:
            _as_rows(table)
        title, paragraphs = None, _block_lines(tree)
    paragraphs = [p for p in paragraphs if not _is_chrome(p)]
    if not paragraphs:
        raise DecodeError(NO_ARTICLE)
    if title and _squash(title) != _squash(paragraphs[0]):
        paragraphs.insert(0, title)
    if date:
        paragraphs.append(f"发布时间：{date}")
    return PageText("\n\n".join(paragraphs) + "\n", encoding)


def _decode_page(data: bytes) -> tuple[str, str]:
    head = data[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    codec = _codec_for(declared.group(1).decode("ascii")) if declared else None
    # Only a declared UTF-8 or GB charset is tried as is. Anything else (iso-8859-1 on a Chinese page is a
    # classic) would decode any bytes into silent mojibake, so those pages go through detection instead.
    if codec in ("utf-8", "gb18030") and not data.startswith(
        (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass  # pages lie about their charset often enough; fall through to detection
    decoded = decode_text(data)
    return decoded.text, decoded.encoding


def _codec_for(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk", "gb18030", "cp936"):
        return "gb18030"  # pages declaring gb2312 routinely use GBK characters; GB18030 reads both
    return name


def _problem_tables(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The tables whose first row names a problem column and a measures or status column."""
    found = []
    for table in tree.iter("table"):
        rows = table.xpath("./tr|./thead/tr|./tbody/tr")
        if rows and header_columns([c.text_content() for c in rows[0].xpath("./td|./th")]) is not None:
            found.append(table)
    return found


def _as_rows(table: lxml.html.HtmlElement) -> None:
    """Replace a problem table by one <p> per row, `| a | b |` as trafilatura writes kept tables."""
    rows = []
    for row in table.xpath("./tr|./thead/tr|./tbody/tr"):
        cells = [_cell_text(c) for c in row.xpath("./td|./th")]
        paragraph = lxml.html.Element("p")
        paragraph.text = "| " + " | ".join(cells) + " |"
        rows.append(paragraph)
    parent = table.getparent()
    if parent is not None:
        at = parent.index(table)
        parent.remove(table)
        for offset, paragraph in enumerate(rows):
            parent.insert(at + offset, paragraph)


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    return _WHITESPACE.sub(" ", cell.text_content()).strip().replace("|", "｜")


def _trafilatura_article(page: str, *, tables: bool = False) -> tuple[str | None, list[str]]:
    doc = trafilatura.bare_extraction(
        page,
        favor_precision=True,
        include_comments=False,
        include_tables=tables,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or isinstance(doc, dict):
        return None, []
    text = doc.text or ""
    title = doc.title.strip() if doc.title else None
    return title or None, _lines(text)


def _block_lines(tree: lxml.html.HtmlElement) -> list[str]:
    # Links are menus, breadcrumbs and previous/next lists here; report text is never a link.
    chrome = (
        "//script|//style|//noscript|//nav|//header|//footer|//head|//a|//form|//select|//button|//iframe"
    )
    for bad in tree.xpath(chrome):
        bad.drop_tree()
    for el in tree.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    # What remains of menus once their links are gone is separators ("|", ">", "·"); keep only wording.
    return [line for line in _lines(tree.text_content()) if any(ch.isalnum() for ch in line)]


def _page_date(tree: lxml.html.HtmlElement) -> str | None:
    for name in ("PubDate", "publishdate", "pubdate", "article:published_time", "dc.date", "dcterms.issued"):
        for content in tree.xpath(
            "//meta[translate(@name,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')=$n"
            " or translate(@property,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')=$n]/@content",
            n=name.lower(),
        ):
            found = _PAGE_DATE.search(f"日期：{content}")
            if found:
                return _iso(found)
    found = _PAGE_DATE.search(tree.text_content())
    return _iso(found) if found else None


def _iso(found: re.Match[str]) -> str:
    year, month, day = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _is_chrome(line: str) -> bool:
    # Chrome lines are short; a long report paragraph may well say 分享到 or 点击量 in passing.
    return len(line) <= _CHROME_MAX_LEN and _CHROME.search(line) is not None


def _lines(text: str) -> list[str]:
    # &nbsp; is page layout, not content; strip() also removes the 全角 indentation.
    cleaned = (line.replace("\xa0", " ").strip() for line in text.splitlines())
    return [line for line in cleaned if line]


def _squash(text: str) -> str:
    return _WHITESPACE.sub("", text)
