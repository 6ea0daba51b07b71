"""`--unit`: a canonical name exactly, else the one unit whose name or aliases contain the text."""

from __future__ import annotations

import pytest

from ikg.graph.errors import NotFoundError
from ikg.graph.export_rows import UnitName, resolve_unit

UNITS = [
    UnitName("甲市乙区总工会", ("区总工会", "我会")),
    UnitName("甲市总工会", ("市总工会", "我会")),
    UnitName("丙县农业农村局", ("县农业农村局", "我局")),
    UnitName("丙县农业农村局机关党委", ()),
]


@pytest.mark.parametrize(
    "ref, name",
    [
        ("甲市总工会", "甲市总工会"),  # exact, though 甲市乙区总工会 does not contain it anyway
        ("丙县农业农村局", "丙县农业农村局"),  # exact wins over a longer name containing it
        ("区总工会", "甲市乙区总工会"),  # an alias only one unit has
        ("我局", "丙县农业农村局"),
        ("乙区", "甲市乙区总工会"),  # part of one name
        (" 甲市 总工会 ", "甲市总工会"),  # spaces and width folded as ids are
        ("机关党委", "丙县农业农村局机关党委"),
    ],
)
def test_resolves(ref: str, name: str) -> None:
    assert resolve_unit(UNITS, ref).name == name


@pytest.mark.parametrize(
    "ref, message",
    [
        ("总工会", "matches 2 units: 甲市乙区总工会、甲市总工会"),
        ("我会", "matches 2 units"),
        ("丁省", "no inspected unit matches"),
    ],
)
def test_none_or_several_is_an_error_listing_them(ref: str, message: str) -> None:
    with pytest.raises(NotFoundError, match=message):
        resolve_unit(UNITS, ref)
