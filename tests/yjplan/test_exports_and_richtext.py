"""Exports neutralise formula injection and format money; rich text keeps only safe markup."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from yjplan.exports import Sheet, csv_response, safe_cell, xlsx_bytes
from yjplan.richtext import sanitise, word_count


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_text_is_neutralised(value):
    assert safe_cell(value) == "'" + value


def test_numbers_and_plain_text_are_untouched():
    assert safe_cell(-5) == -5
    assert safe_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert safe_cell("Police") == "Police"


def test_csv_has_a_bom_and_safe_cells():
    response = csv_response("t.csv", ["Agency", "Note"], [["Police", "=cmd|' /C calc'!A0"]])
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffAgency,Note\r\n")
    assert "Police,'=cmd|' /C calc'!A0" in body
    assert response["Content-Disposition"] == 'attachment; filename="t.csv"'


def test_xlsx_money_format_totals_and_safe_cells():
    sheet = Sheet(
        title="2019/20",
        header=["Agency", "Staffing costs"],
        rows=[["Police", Decimal("1826448.00")], ["=1+1", Decimal("0")], ["Total", Decimal("1826448.00")]],
        money_columns={1},
        total_rows={2},
    )
    ws = load_workbook(io.BytesIO(xlsx_bytes([sheet])))["2019-20"]
    assert ws["A2"].value == "Police"
    assert ws["B2"].value == 1826448
    assert ws["B2"].number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'
    assert ws["A3"].value == "'=1+1"
    assert ws["A4"].font.bold is True
    assert ws["A2"].font.bold is False


XSS = [
    ("<script>alert(1)</script><p>Plan</p>", "<p>Plan</p>"),
    ('<img src=x onerror="alert(1)">', ""),
    ('<a href="javascript:alert(1)">go</a>', '<a rel="noopener noreferrer">go</a>'),
    ('<p style="color:red" onclick="x()">Hi</p>', "<p>Hi</p>"),
    ("<iframe src='//evil'></iframe><h2>Vision</h2>", "<h2>Vision</h2>"),
    ("<svg><script>alert(1)</script></svg>", ""),
    ('<a href="https://www.gov.uk/">YJB</a>', '<a href="https://www.gov.uk/" rel="noopener noreferrer">YJB</a>'),
    (
        "<table><tr><th scope='row'>A</th><td>1</td></tr></table>",
        '<table><tbody><tr><th scope="row">A</th><td>1</td></tr></tbody></table>',
    ),
]


@pytest.mark.parametrize(("dirty", "clean"), XSS)
def test_sanitise(dirty, clean):
    assert sanitise(dirty) == clean


def test_word_count_ignores_markup():
    assert word_count("<h2>Child first</h2><p>We see <strong>children</strong> first.</p>") == 6
