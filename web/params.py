"""Request parameters checked against the app's bounds, with Chinese messages (HTTP 400)."""

from __future__ import annotations

import re

from ikg.app.queries import MAX_NEIGHBOURS, MAX_QUERY_CHARS, MAX_TOP
from ikg.search.results import Mode
from ikg.web.app import BadRequest

_ID = re.compile(r"^[a-z]{2,5}_[0-9a-f]{6,40}$")
_TYPE_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


def top(value: int) -> int:
    if not 1 <= value <= MAX_TOP:
        raise BadRequest(f"结果数 top 须在 1 到 {MAX_TOP} 之间，收到 {value}")
    return value


def limit(value: int) -> int:
    if not 1 <= value <= MAX_NEIGHBOURS:
        raise BadRequest(f"每次展开的节点数须在 1 到 {MAX_NEIGHBOURS} 之间，收到 {value}")
    return value


def offset(value: int) -> int:
    if value < 0:
        raise BadRequest(f"偏移量不能为负数，收到 {value}")
    return value


def text(value: str | None, what: str = "查询文字") -> str | None:
    """Stripped text, None when empty; at most MAX_QUERY_CHARS characters."""
    if value is None:
        return None
    if len(value) > MAX_QUERY_CHARS:
        raise BadRequest(f"{what}不能超过 {MAX_QUERY_CHARS} 个字（收到 {len(value)} 个字）")
    return value.strip() or None


def node_id(value: str) -> str:
    """A graph id as ikg makes them (iss_3fa8…); anything else never reaches the store."""
    if not _ID.match(value):
        raise BadRequest("编号格式不对：应形如 iss_3fa85f6457174a2c")
    return value


def type_id(value: str) -> str:
    """A problem-type id of the taxonomy (political_discipline, …)."""
    if not _TYPE_ID.match(value):
        raise BadRequest("问题类型编号格式不对：应形如 political_discipline")
    return value


def mode(value: str) -> Mode:
    try:
        return Mode(value)
    except ValueError:
        raise BadRequest("检索方式须为 hybrid、dense 或 lexical 之一") from None
