"""read_source on every format variant of the seed reports, and collect_paths on directory trees."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import docx
import pypdf
import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from ikg.graph.errors import InputError
from ikg.ingest.reader import SUPPORTED_SUFFIXES, collect_paths, read_source

MakeVariant = Callable[[Path, str], Path]
_WS = re.compile(r"\s+")
SITE_CHROME = (
    "分享到",
    "打印本页",
    "关闭窗口",
    "字体",
    "ICP备",
    "网站标识码",
    "公网安备",
    "上一篇",
    "下一篇",
    "当前位置",
    "浏览次数",
    "来源：",
    "政务公开",
    "网站地图",
    "主办单位",
    "长者模式",
    "统计代码",
)


def squash(text: str) -> str:
    return _WS.sub("", text)


def assert_in_order(needles: Iterable[str], text: str) -> None:
    """Each needle occurs in `text` after the previous one (whitespace ignored on both sides)."""
    hay, at = squash(text), 0
    for needle in needles:
        found = hay.find(squash(needle), at)
        assert found >= 0, f"{needle!r} missing (or out of order) after offset {at}"
        at = found + len(squash(needle))


@pytest.mark.parametrize(
    "kind, encoding",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("crlf", "utf-8"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),  # GBK is read with its superset GB18030, and says so
        ("gbk-crlf", "gb18030"),
        ("utf-16-le-bom", "utf-16"),  # the codec that consumes the BOM, as utf-8-sig does
        ("utf-16-be-bom", "utf-16"),
        ("utf-16-le", "utf-16-le"),  # no BOM: byte order detected from the bytes
        ("utf-16-be", "utf-16-be"),
        ("md", "utf-8"),
    ],
)
def test_text_variant_decodes_to_the_seed_text(
    seed: Path, make_variant: MakeVariant, kind: str, encoding: str
) -> None:
    path = make_variant(seed, kind)
    source = read_source(path)
    assert source.encoding == encoding
    assert source.format == path.suffix[1:]
    assert source.path == str(path)
    # BOM dropped and CRLF folded, exactly as Python's text mode does: offsets are checkable with open().
    assert source.text == seed.read_text(encoding="utf-8")
    assert source.text == path.read_text(encoding=encoding)


@pytest.mark.parametrize(
    "kind, encoding, fmt",
    [
        ("gbk", "gb18030", "txt"),
        ("utf-16-be-bom", "utf-16", "txt"),
        ("html", "utf-8", "html"),
        ("htm-gb2312", "gb18030", "html"),  # declared gb2312, bytes are GBK
        ("pdf", "pdf", "pdf"),
        ("docx", "docx", "docx"),
    ],
)
def test_every_format_keeps_the_issue_headings_in_order(
    seed: Path, seed_titles: tuple[str, ...], make_variant: MakeVariant, kind: str, encoding: str, fmt: str
) -> None:
    source = read_source(make_variant(seed, kind))
    assert (source.encoding, source.format) == (encoding, fmt)
    assert "\r" not in source.text
    assert_in_order((f"“{title}”" for title in seed_titles), source.text)


def test_000_heading_survives_every_format(make_variant: MakeVariant) -> None:
    seed = next(p for p in (Path(__file__).resolve().parents[2] / "examples" / "reports").glob("000_*.txt"))
    for kind in ("gbk", "utf-16-le", "html", "htm-gb2312", "pdf", "docx"):
        text = squash(read_source(make_variant(seed, kind)).text)
        assert "1.针对“基层工会建设力度不足”问题。" in text, kind
        assert "2.针对“基层工会经费收支管理的审计监督工作不到位”问题。" in text, kind


@pytest.mark.parametrize("kind", ["html", "htm-gb2312", "docx"])
def test_page_and_docx_keep_every_report_line(seed: Path, make_variant: MakeVariant, kind: str) -> None:
    text = read_source(make_variant(seed, kind)).text
    # 001 was itself copied from a web page and ends with the site's footer lines; those are chrome.
    lines = [ln for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip()]
    report_lines = [ln for ln in lines if not re.search(r"ICP备|^主办[:：]", ln)]
    assert_in_order(report_lines, text)


@pytest.mark.parametrize("kind", ["html", "htm-gb2312"])
def test_page_text_is_title_then_paragraphs_then_page_date(
    seed: Path, make_variant: MakeVariant, kind: str
) -> None:
    text = read_source(make_variant(seed, kind)).text
    first_line = next(ln.strip() for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip())
    paragraphs = text.rstrip("\n").split("\n\n")
    assert paragraphs[0] == first_line
    assert paragraphs[-1] == "发布时间：2024-08-20"
    assert all(p and "\n" not in p for p in paragraphs)
    for chrome in SITE_CHROME:
        assert chrome not in text


def test_pdf_keeps_pages_in_order_with_their_numbers(make_variant: MakeVariant) -> None:
    seed = sorted((Path(__file__).resolve().parents[2] / "examples" / "reports").glob("002_*.txt"))[0]
    text = read_source(make_variant(seed, "pdf")).text
    numbers = [int(n) for n in re.findall(r"^- (\d+) -$", text, flags=re.MULTILINE)]
    assert len(numbers) >= 2
    assert numbers == list(range(1, len(numbers) + 1))


def _cjk_pdf(path: Path, lines: list[str], encrypt: pdfencrypt.StandardEncryption | None = None) -> Path:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    canvas = Canvas(str(path), encrypt=encrypt)
    canvas.setFont("STSong-Light", 12)
    for i, line in enumerate(lines):
        canvas.drawString(50, 800 - 20 * i, line)
    canvas.save()
    return path


def test_pdf_with_only_an_owner_password_opens(tmp_path: Path) -> None:
    # Published PDFs are often "protected" against editing only; the empty user password opens them.
    enc = pdfencrypt.StandardEncryption("", ownerPassword="owner", canModify=0)
    path = _cjk_pdf(tmp_path / "owner.pdf", ["1. 针对“财务制度执行不到位”问题。"], enc)
    assert "针对“财务制度执行不到位”问题" in read_source(path).text


def test_pdf_that_needs_a_password_is_refused(tmp_path: Path) -> None:
    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner")
    path = _cjk_pdf(tmp_path / "locked.pdf", ["1. 针对“财务制度执行不到位”问题。"], enc)
    with pytest.raises(InputError) as err:
        read_source(path)
    assert err.value.reason.startswith("encrypted PDF: it needs a password")


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_encrypted_pdf_opens_with_the_empty_user_password(tmp_path: Path, algorithm: str) -> None:
    # Word's "restrict editing" export: AES with an owner password only (needs the `cryptography` package).
    path = _cjk_pdf(tmp_path / "plain.pdf", ["1. 针对“物资采购管理不严格”问题。"])
    writer = pypdf.PdfWriter(clone_from=path)
    writer.encrypt("", "owner", algorithm=algorithm)
    writer.write(path)
    assert pypdf.PdfReader(path).is_encrypted
    assert "针对“物资采购管理不严格”问题" in read_source(path).text
    writer = pypdf.PdfWriter(clone_from=_cjk_pdf(tmp_path / "plain2.pdf", ["机密"]))
    writer.encrypt("user-secret", "owner", algorithm=algorithm)
    writer.write(path)
    with pytest.raises(InputError) as err:
        read_source(path)
    assert err.value.reason.startswith("encrypted PDF: it needs a password")


def test_pdf_with_an_incremental_update_and_trailing_padding_reads(tmp_path: Path) -> None:
    # An incremental save appends a second body, xref and %%EOF; some tools then pad the file.
    path = _cjk_pdf(tmp_path / "base.pdf", ["1. 针对“材料审核不严谨”问题。"])
    writer = pypdf.PdfWriter(path, incremental=True)
    writer.add_metadata({"/Title": "巡察整改情况通报"})
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().count(b"%%EOF") == 2
    path.write_bytes(out.getvalue() + b"\r\n\x00\x00\n")
    assert "材料审核不严谨" in read_source(path).text


def test_docx_tables_are_read_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("二、整改落实情况")
    table = document.add_table(rows=3, cols=3)
    rows = [
        ("序号", "问题", "整改情况"),
        ("1", "基层工会建设力度不足", "已完成"),
        ("2", "职工服务工作存在短板", "长期坚持"),
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    merged = document.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "整改时限：长期坚持"
    contacts = document.add_table(rows=2, cols=3)
    contact_rows = [("联系人", "联系电话", "电子邮箱"), ("办公室", "0752-1234567", "gh@example.cn")]
    for row, values in zip(contacts.rows, contact_rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("三、下一步工作打算")
    path = tmp_path / "ledger.docx"
    document.save(str(path))
    lines = read_source(path).text.split("\n")
    assert lines == [
        "二、整改落实情况",
        *["\t".join(row) for row in rows],  # a problem table: one row a line, as tables.py reads it
        "整改时限：长期坚持",  # a merged cell once, not once per grid column
        *[value for row in contact_rows for value in row],  # any other table: a cell a line
        "三、下一步工作打算",
    ]


def test_table_layout_page_falls_back_to_block_text(tmp_path: Path) -> None:
    # Older county sites lay the whole page out in <table>; trafilatura finds no article there.
    body = "<br>".join(
        [
            "根据县委统一部署，县委第一巡察组对县总工会党组开展了巡察。",
            "一、总体情况",
            "1. 针对“基层工会建设力度不足”问题。",
            "整改情况：一是开展前期摸排。",
        ]
    )
    page = f"""<html><head><meta charset="gb2312"><title>整改通报</title></head><body>
    <table width="980"><tr><td><a href="/">首页</a> &gt; <a href="/x">巡察工作</a></td></tr>
    <tr><td class="title"><b>中共惠东县总工会党组关于县委巡察集中整改进展情况的通报</b></td></tr>
    <tr><td>发布日期：2024年8月20日 【打印本页】【关闭窗口】</td></tr>
    <tr><td class="content">{body}</td></tr>
    <tr><td>版权所有：惠东县总工会 粤ICP备05011234号</td></tr></table></body></html>"""
    path = tmp_path / "table.htm"
    path.write_bytes(page.encode("gbk"))
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert source.text.rstrip("\n").split("\n\n") == [
        "中共惠东县总工会党组关于县委巡察集中整改进展情况的通报",
        "根据县委统一部署，县委第一巡察组对县总工会党组开展了巡察。",
        "一、总体情况",
        "1. 针对“基层工会建设力度不足”问题。",
        "整改情况：一是开展前期摸排。",
        "发布时间：2024-08-20",
    ]


def test_page_declaring_the_wrong_charset_is_detected(seed: Path, tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    text = seed.read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    body = "".join(f"<p>{ln}</p>" for ln in lines)
    page.write_bytes(
        f'<html><head><meta charset="utf-8"></head><body><div>{body}</div></body></html>'.encode("gbk")
    )
    source = read_source(page)
    assert source.encoding == "gb18030"
    assert_in_order(lines[1:5], source.text)


def test_xhtml_page_with_an_xml_declaration(tmp_path: Path) -> None:
    page = (
        '<?xml version="1.0" encoding="GBK"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>整改通报</title></head><body>'
        "<div class='content'><p>根据省委统一部署，省委第五专项巡视组对省总工会党组进行了专项巡视。</p>"
        "<p>1. 针对“廉洁自律意识不强”问题。</p><p>整改情况：一是开展专题教育。二是加强日常监督。</p></div>"
        "</body></html>"
    )
    path = tmp_path / "x.html"
    path.write_bytes(page.encode("gbk"))
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert "1. 针对“廉洁自律意识不强”问题。" in source.text.split("\n\n")


def test_page_declaring_latin1_is_not_read_as_latin1(seed: Path, tmp_path: Path) -> None:
    # iso-8859-1 decodes any bytes, so trusting it would turn a GBK page into silent mojibake.
    lines = [ln.strip() for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip()]
    body = "".join(f"<p>{ln}</p>" for ln in lines)
    page = f'<html><head><meta charset="iso-8859-1"></head><body><div>{body}</div></body></html>'
    path = tmp_path / "latin1.html"
    path.write_bytes(page.encode("gbk"))
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert_in_order(lines[1:5], source.text)


# ---- collect_paths ------------------------------------------------------------------------------------


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def test_collect_paths_walks_sorted_and_notes_what_it_skips(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "b/2024/惠东.pdf",
        "b/2024/清远.DOCX",
        "a.txt",
        "b/readme.md",
        "b/page.htm",
        "b/ledger.xlsx",
        "b/old.doc",
        "b/noext",
        "b/~$清远.docx",
        ".hidden.txt",
        "b/.git/config.txt",
    )
    scan = collect_paths([tmp_path / "b", tmp_path / "a.txt"])
    assert scan.files == (
        tmp_path / "a.txt",
        tmp_path / "b/2024/惠东.pdf",
        tmp_path / "b/2024/清远.DOCX",
        tmp_path / "b/page.htm",
        tmp_path / "b/readme.md",
    )
    assert scan.skipped == (
        (tmp_path / "b/ledger.xlsx", "unsupported file type .xlsx (spreadsheet, not a report)"),
        (
            tmp_path / "b/noext",
            "unsupported file type (no extension); expected " + ", ".join(sorted(SUPPORTED_SUFFIXES)),
        ),
        (tmp_path / "b/old.doc", "unsupported file type .doc (old Word format; save it as .docx)"),
        (tmp_path / "b/~$清远.docx", "Office lock file, not a document"),
    )


def test_collect_paths_lists_a_file_once_and_fails_a_named_file_of_another_type(tmp_path: Path) -> None:
    _touch(tmp_path, "r/a.txt", "notes.xlsx")
    scan = collect_paths([tmp_path / "r", tmp_path / "r" / "a.txt", tmp_path / "notes.xlsx"])
    assert scan.files == (tmp_path / "r/a.txt",)
    assert scan.skipped == ()
    assert scan.failed == (
        (tmp_path / "notes.xlsx", "unsupported file type .xlsx (spreadsheet, not a report)"),
    )


def test_collect_paths_on_the_corpus_finds_the_seed_reports(seed: Path) -> None:
    scan = collect_paths([seed.parent])
    assert seed in scan.files
    assert scan.files == tuple(sorted(seed.parent.glob("*.txt")))


def test_issue_9_a_missing_path_or_broken_link_or_empty_folder_fails_alone(tmp_path: Path) -> None:
    _touch(tmp_path, "r/a.txt", "junk/ledger.xls")
    (tmp_path / "empty").mkdir()
    missing = tmp_path / "reports-2024"
    (tmp_path / "link.txt").symlink_to(tmp_path / "gone.txt")
    given = [missing, tmp_path / "r", tmp_path / "link.txt", tmp_path / "empty", tmp_path / "junk"]
    scan = collect_paths(given)
    assert scan.files == (tmp_path / "r/a.txt",)
    assert [p for p, _ in scan.failed] == [
        missing,
        tmp_path / "link.txt",
        tmp_path / "empty",
        tmp_path / "junk",
    ]
    reasons = [why for _, why in scan.failed]
    assert reasons[0] == "no such file or directory"
    assert reasons[1] == f"broken symbolic link (to {tmp_path / 'gone.txt'})"
    assert reasons[2].startswith("folder has no files")
    assert reasons[3].startswith("folder has no report files") and "among its 1 files" in reasons[3]
    assert scan.skipped == (
        (tmp_path / "junk/ledger.xls", "unsupported file type .xls (spreadsheet, not a report)"),
    )


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx"} == SUPPORTED_SUFFIXES


def test_read_source_accepts_upper_case_suffix(seed: Path, tmp_path: Path) -> None:
    path = tmp_path / "REPORT.TXT"
    path.write_bytes(seed.read_bytes())
    assert read_source(path).format == "txt"


# ---- every format parses like the .txt ----------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["gbk", "utf-16-le-bom", "utf-16-be", "crlf", "md", "html", "htm-gb2312", "pdf", "docx"]
)
def test_every_format_parses_to_the_same_issues_as_the_txt(
    seed: Path, seed_titles: tuple[str, ...], make_variant: MakeVariant, kind: str
) -> None:
    from ikg.ingest.parse import parse_source  # imported here so reader tests run while the parser changes

    source = read_source(make_variant(seed, kind))
    document = parse_source(source)
    baseline = parse_source(read_source(seed))
    assert [i.title for i in document.issues] == [i.title for i in baseline.issues] == list(seed_titles)
    assert [c.title for c in document.categories] == [c.title for c in baseline.categories]
    for issue in document.issues:  # provenance indexes the text the reader returned, in every format
        printed = source.text[issue.title_span.start : issue.title_span.end]
        assert squash(printed) == squash(issue.title)
        assert issue.title_span.line == source.text.count("\n", 0, issue.title_span.start) + 1
