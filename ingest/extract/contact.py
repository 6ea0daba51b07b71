"""The closing contact line of a report (联系方式：电话…；邮政地址…；邮编…；电子邮箱…).

Only the contact block counts: web-page footers after it (主办: … | 地址: …, ICP numbers) are page chrome.
"""

from __future__ import annotations

import re

from ikg.ingest.document import Contact, Field
from ikg.ingest.normalize import NormalizedText

_LABEL = (
    r"(?:联系电话|电话|传真|邮政地址|通讯地址|联系地址|地址|邮政信箱|邮编|邮政编码"
    r"|电子邮箱|电子邮件|邮箱|E-?mail)"
)
_LABEL_LINE = re.compile(rf"\s*{_LABEL}")
_CHROME = re.compile(r"主办[:：]|承办[:：]|版权所有|ICP|备案|技术支持")
_PHONE = re.compile(r"(?:联系电话|电话)\s*[:：]?\s*(?P<v>(?:\d{3,4}\s*[-－—]\s*)?\d{7,8})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_POSTCODE = re.compile(rf"{_LABEL}\s*[:：]?\s*(?P<v>\d{{6}})(?!\d)")
# An address runs to the end of its clause: ；。, a line end, or a comma that starts the next label.
_ADDRESS = re.compile(
    rf"(?:邮政地址|通讯地址|联系地址|邮政信箱|地址)\s*[:：]?\s*(?P<v>(?!\d{{6}}(?!\d))[^；;。\n]+?)"
    rf"\s*(?=[；;。\n]|[，,]\s*{_LABEL}|$)"
)


def extract_contact(nt: NormalizedText) -> Contact:
    """Phone, email, postal address and postcode from the last 联系方式 block; empty if there is none."""
    block = _block(nt.text)
    if block is None:
        return Contact()
    start, end = block
    text = nt.text

    def field(m: re.Match[str] | None, group: str | int = "v") -> Field | None:
        if m is None:
            return None
        s, e = m.span(group)
        return Field(text[s:e].strip(), nt.span(s, e))

    email = _EMAIL.search(text, start, end)
    return Contact(
        phone=field(_PHONE.search(text, start, end)),
        email=field(email, 0),
        address=field(_ADDRESS.search(text, start, end)),
        postcode=field(_POSTCODE.search(text, start, end)),
    )


def _block(text: str) -> tuple[int, int] | None:
    """From the last 联系方式 (else 联系电话) to the end of its line; a bare `联系方式：` line takes the
    label lines after it."""
    at = text.rfind("联系方式")
    if at < 0:
        at = text.rfind("联系电话")  # some reports print the fields without the 联系方式 lead
    if at < 0:
        return None
    line_end = text.find("\n", at)
    end = len(text) if line_end < 0 else line_end
    if not text[at + 4 : end].strip(" :：\t"):
        while end < len(text):
            nxt = text.find("\n", end + 1)
            nxt = len(text) if nxt < 0 else nxt
            if not _LABEL_LINE.match(text, end + 1):
                break
            end = nxt
    chrome = _CHROME.search(text, at, end)
    return at, chrome.start() if chrome else end
