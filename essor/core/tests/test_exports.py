"""safe_cell: formula-like text never reaches a spreadsheet as a formula; figures stay figures."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from essor.core.exports import safe_cell


@pytest.mark.parametrize(
    "dangerous",
    [
        '=HYPERLINK("http://evil.example", "Cliquez")',
        "+A1*2",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "  =cmd|' /C calc'!A0",
    ],
)
def test_formula_like_text_gets_a_leading_apostrophe(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("value", [12, -3.5, 0, True, "Association =Solidaire", "-12,5 %", "-3.5", "+1 234"])
def test_numbers_and_ordinary_text_are_unchanged(value):
    assert safe_cell(value) == value


def test_none_is_empty_and_control_characters_are_dropped():
    assert safe_cell(None) == ""
    assert safe_cell("Café\x0b des\x00 amis") == "Café des amis"


def test_in_xlsx_the_cell_is_text_not_a_formula():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("t")
    sheet.append([safe_cell('=HYPERLINK("http://evil.example","x")'), safe_cell("Café\x0b")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell, other = load_workbook(io.BytesIO(buffer.getvalue()))["t"][1]
    assert cell.data_type == "s" and cell.value.startswith("'=")
    assert other.value == "Café"
