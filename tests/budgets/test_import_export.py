"""Export in both layouts (exact published totals in the XLSX), and import back: preview, errors, atomic save."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from budgets import selectors
from budgets.models import BudgetYear, ContributionLine
from tests.budgets.factories import cambs, warwickshire
from tests.factories import PartnershipFactory, member
from yjplan.permissions import Role

D = Decimal


def url(name, partnership, **kwargs):
    return reverse(f"budgets:{name}", kwargs={"slug": partnership.slug, **kwargs})


def export(client, partnership, year, layout, fmt="xlsx"):
    response = client.get(url("export", partnership, year=year, layout=layout, fmt=fmt))
    assert response.status_code == 200
    return response.content


def sheet_rows(data: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in ws.iter_rows()]


@pytest.fixture
def cambs_finance(db, client):
    partnership, year = cambs()
    client.force_login(member(partnership, Role.FINANCE).user)
    return partnership, year


def test_cambs_xlsx_joint_layout_has_the_published_totals(client, cambs_finance):
    partnership, _ = cambs_finance
    rows = sheet_rows(export(client, partnership, 2018, "joint"))
    assert rows[0] == [
        "Agency",
        "Cambridgeshire cash",
        "Cambridgeshire in kind",
        "Peterborough cash",
        "Peterborough in kind",
        "Total",
    ]
    assert rows[-1] == ["Total", 1816514, 229172, 1062386, 178740, 3286812]
    assert ["Peterborough CCC", 40415, 0, 0, 0, 40415] in rows
    ws = load_workbook(io.BytesIO(export(client, partnership, 2018, "joint"))).active
    assert ws.cell(row=ws.max_row, column=6).number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'
    assert ws.cell(row=ws.max_row, column=1).font.bold is True


def test_cambs_xlsx_yjb_layout_has_the_published_total(client, cambs_finance):
    partnership, _ = cambs_finance
    rows = sheet_rows(export(client, partnership, 2018, "yjb"))
    assert rows[0] == ["Agency", "Council", "Staffing costs", "Payments in kind", "Other delegated funds", "Total"]
    assert rows[-1] == ["Total", None, 0, 407912, 2878900, 3286812]
    assert len(rows) == 1 + 16 + 1


def test_warwickshire_exports(client, db):
    partnership, _ = warwickshire()
    client.force_login(member(partnership, Role.MANAGER).user)
    rows = sheet_rows(export(client, partnership, 2019, "yjb"))
    assert rows[-1] == ["Total", 1826448, 0, 667350, 2493798]
    content = export(client, partnership, 2019, "yjb", "csv").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(content)))
    assert table[-1] == ["Total", "1826448.00", "0.00", "667350.00", "2493798.00"]
    joint = list(csv.reader(io.StringIO(export(client, partnership, 2019, "joint", "csv").decode("utf-8-sig"))))
    assert joint[0] == ["Agency", "Warwickshire cash", "Warwickshire in kind", "Total"]
    assert joint[-1] == ["Total", "2493798.00", "0.00", "2493798.00"]


def test_unknown_export_is_404(client, db):
    partnership, _ = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    assert client.get(url("export", partnership, year=2019, layout="pdf", fmt="xlsx")).status_code == 404
    assert client.get(url("export", partnership, year=2019, layout="yjb", fmt="doc")).status_code == 404


def upload(client, partnership, year, data: bytes, name: str, layout: str):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(url("import", partnership, year=year), {"file": handle, "layout": layout})


def confirm(client, partnership, year, preview):
    html = preview.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(token|layout|version)" value="([^"]*)"', html))
    return client.post(url("import_confirm", partnership, year=year), fields)


@pytest.mark.parametrize("layout", ["joint", "yjb"])
def test_importing_the_exported_cambs_table_gives_the_same_totals(client, db, layout):
    source, _ = cambs("cambs-source")
    partnership = PartnershipFactory(councils=["Cambridgeshire County Council", "Peterborough City Council"])
    finance = member(source, Role.FINANCE)
    member(partnership, Role.FINANCE, user=finance.user)
    client.force_login(finance.user)
    data = export(client, source, 2018, layout)
    BudgetYear.objects.create(partnership=partnership, start_year=2018)
    preview = upload(client, partnership, 2018, data, "cambs.xlsx", layout)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Check the import before saving" in html
    assert "Local Authority, Cambridgeshire: other delegated funds £912,016 (new line)" in html or (
        "Local Authority, Cambridgeshire: cash" in html or "Row 2 (Local Authority)" in html
    )
    assert ContributionLine.objects.filter(budget_year__partnership=partnership).count() == 0  # preview saves nothing
    assert confirm(client, partnership, 2018, preview).status_code == 302
    _, table = selectors.year_table(partnership=partnership, start_year=2018)
    assert table["council_totals"] == [
        {"cash": D("1816514.00"), "in_kind": D("229172.00")},
        {"cash": D("1062386.00"), "in_kind": D("178740.00")},
    ]
    assert table["totals"]["total"] == D("3286812.00")


def test_importing_the_warwickshire_table_from_xlsx(client, db):
    partnership = PartnershipFactory(councils=["Warwickshire County Council"])
    client.force_login(member(partnership, Role.FINANCE).user)
    BudgetYear.objects.create(partnership=partnership, start_year=2019)
    book = Workbook()
    ws = book.active
    ws.append(["Agency", "Staffing Costs", "Payments in kind", "Other delegated funds", "Total"])
    for row in [
        ["Police", 187479, None, None, 187479],
        ["Police and Crime Commissioner", 75000, None, 5000, 80000],
        ["Probation", 72624, None, 5000, 77624],
        ["Health", 98000, None, 5000, 103000],
        ["Local Authority", 1037856, None, 542479, 1580335],
        ["YJB", 335489, None, 87428, 422917],
        ["Other", 20000, None, 22443, 42443],
        ["Total", 1826448, 0, 667350, 2493798],
    ]:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(client, partnership, 2019, buffer.getvalue(), "appendix-1.xlsx", "yjb")
    assert "8 rows read" not in preview.content.decode()
    assert "7 rows read, no problems found" in preview.content.decode()
    assert confirm(client, partnership, 2019, preview).status_code == 302
    _, table = selectors.year_table(partnership=partnership, start_year=2019)
    assert (
        table["totals"]["staffing"],
        table["totals"]["in_kind"],
        table["totals"]["other"],
        table["totals"]["total"],
    ) == (
        D("1826448.00"),
        D("0.00"),
        D("667350.00"),
        D("2493798.00"),
    )


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_a_file_with_bad_cells_lists_every_error_and_changes_nothing(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    before = list(year.lines.values_list("agency", "staffing_costs", "payments_in_kind", "other_delegated_funds"))
    data = _csv(
        [
            ["Agency", "Staffing costs", "Payments in kind", "Other delegated funds", "Total"],
            ["Police", "£190,000", "-", "", "190,000"],
            ["Probation", "lots", "", "", ""],
            ["Health", "-5", "", "", ""],
            ["Local Authority", "1.234", "", "", ""],
            ["Education", "200,000,000", "", "", ""],
            ["Police", "1", "", "", ""],
            ["Welsh Government", "10", "", "", ""],
            ["Public Health", "100", "", "", "999"],
        ]
    )
    response = upload(client, partnership, 2019, data, "bad.csv", "yjb")
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(
        r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">([^<]*)</td>\s*'
        r'<td class="govuk-table__cell">([^<]*)</td>\s*<td class="govuk-table__cell">([^<]*)</td>',
        html,
    )
    from html import unescape

    assert [tuple(unescape(c) for c in r) for r in rows] == [
        ("3", "Staffing costs", "Enter an amount in pounds, like 1,234 or 1,234.56 (not “lots”)"),
        ("4", "Staffing costs", "Amount cannot be negative"),
        ("5", "Staffing costs", "Amount cannot have more than two decimal places (pence)"),
        ("6", "Staffing costs", "Amount must be £100,000,000 or less"),
        ("7", "Agency", "this line repeats Row 2 (Police)"),
        ("8", "Agency", "Welsh Government contributes only to partnerships in Wales"),
        ("9", "Total", "The total £999.00 is not staffing + in kind + other delegated (£100.00)"),
    ]
    assert "7 problems in bad.csv: nothing has been saved" in html
    after = list(year.lines.values_list("agency", "staffing_costs", "payments_in_kind", "other_delegated_funds"))
    assert after == before


def test_line_rules_in_an_import_name_the_row(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    data = _csv(
        [
            ["Agency", "Staffing costs", "Payments in kind", "Other delegated funds"],
            ["Police", "1", "", ""],
            ["Police", "2", "", ""],
            ["Welsh Government", "10", "", ""],
        ]
    )
    html = upload(client, partnership, 2019, data, "lines.csv", "yjb").content.decode()
    from html import unescape

    html = unescape(html)
    assert "this line repeats Row 2 (Police)" in html
    assert "Welsh Government contributes only to partnerships in Wales" in html
    assert year.lines.get(agency="police").staffing_costs == D("187479.00")


def test_a_joint_import_with_an_unknown_council(client, db):
    partnership, year = cambs()
    client.force_login(member(partnership, Role.FINANCE).user)
    data = _csv(
        [
            ["Agency", "Council", "Staffing costs", "Payments in kind", "Other delegated funds"],
            ["Police", "Fenland", "1", "", ""],
        ]
    )
    from html import unescape

    html = unescape(upload(client, partnership, 2018, data, "x.csv", "yjb").content.decode())
    assert "“Fenland” is not one of this partnership's councils (Cambridgeshire, Peterborough)" in html
    data = _csv([["Agency", "Fenland cash", "Fenland in kind"], ["Police", "1", ""]])
    html = unescape(upload(client, partnership, 2018, data, "x.csv", "joint").content.decode())
    assert "“fenland” is not one of this partnership's councils" in html
    assert "A column called “Cambridgeshire cash” is missing" in html


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 not a table", "budget.pdf", "The file must be a CSV or an Excel (.xlsx) file"),
        (b"Agency,Staffing costs\nPolice,1\n", "budget.docx", "The file must be a CSV or an Excel (.xlsx) file"),
        (b"PK\x03\x04 broken", "budget.xlsx", "The file is not a valid Excel (.xlsx) file"),
        (b"a" * (5 * 1024 * 1024 + 1), "big.csv", "The file must be smaller than 5 MB"),
    ],
)
def test_files_that_are_not_tables_or_too_big_are_refused(client, db, data, name, message):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    response = upload(client, partnership, 2019, data, name, "yjb")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_confirm_with_a_stale_preview_gets_the_conflict_page(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    data = _csv([["Agency", "Staffing costs", "Payments in kind", "Other delegated funds"], ["Police", "5", "", ""]])
    preview = upload(client, partnership, 2019, data, "p.csv", "yjb")
    line = year.lines.get(agency="health")
    line.staffing_costs = D("1")
    line.save()
    year.save()
    response = confirm(client, partnership, 2019, preview)
    assert response.status_code == 409
    assert year.lines.count() == 7


def test_confirm_with_an_expired_token_saves_nothing(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    response = client.post(
        url("import_confirm", partnership, year=2019), {"token": "forged", "layout": "yjb"}, follow=True
    )
    assert "The preview has expired: upload the file again" in response.content.decode()
    assert year.lines.count() == 7


def _import_page_lists(client, partnership, year) -> tuple[list[str], list[str]]:
    from html import unescape

    html = client.get(url("import", partnership, year=year)).content.decode()

    def items(marker):
        block = html.split(marker)[1].split("</ul>")[0]
        return [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", li))).strip() for li in block.split("<li")[1:]]

    return [item.split(">", 1)[1] for item in items("data-import-columns>")], [
        item.split(">", 1)[1] for item in items("data-import-other-names>")
    ]


def test_import_page_lists_the_columns_of_a_single_council_service(client, db):
    partnership, year = warwickshire()
    client.force_login(member(partnership, Role.FINANCE).user)
    columns, other_names = _import_page_lists(client, partnership, 2019)
    assert columns == [
        "YJB layout: Agency, Staffing costs, Payments in kind and Other delegated funds; optionally Council, Total "
        "and Note. A Total column is checked against the amounts, not imported.",
        "Joint-service layout: Agency, then a cash column and an in-kind column for each council: Warwickshire cash "
        "and Warwickshire in kind; optionally Note.",
        "Any other column is ignored. An agency that is not on the YJB's list is imported as an “Other” contributor "
        "with that name.",
    ]
    assert other_names == [
        "Agency can also be called “Partner” or “Contributor”",
        "Staffing costs can also be called “Staffing”",
        "Payments in kind can also be called “Payment in kind” or “In kind”",
        "Other delegated funds can also be called “Delegated funds” or “Other delegated”",
        "Council can also be called “Local authority area”",
        "Note can also be called “Notes”",
        "A council's cash column can end in “financial contribution” or “financial” instead of “cash”",
        "A council's in kind column can end in “payment in kind” or “payments in kind” instead of “in kind”",
    ]
    html = client.get(url("import", partnership, year=2019)).content.decode()
    assert "Council (joint services)" not in html


def test_import_page_lists_the_columns_of_a_joint_service(client, cambs_finance):
    partnership, _ = cambs_finance
    columns, _ = _import_page_lists(client, partnership, 2018)
    assert columns[:2] == [
        "YJB layout: Agency, Council, Staffing costs, Payments in kind and Other delegated funds; optionally Total "
        "and Note. A Total column is checked against the amounts, not imported.",
        "Joint-service layout: Agency, then a cash column and an in-kind column for each council: Cambridgeshire "
        "cash, Cambridgeshire in kind, Peterborough cash and Peterborough in kind; optionally Note.",
    ]


@pytest.mark.parametrize("layout", ["yjb", "joint"])
@pytest.mark.parametrize("service", [warwickshire, cambs])
def test_the_columns_the_page_lists_are_the_ones_the_parser_reads(db, layout, service):
    """A file without the required columns is refused naming exactly them; one with every listed column, named
    as listed, reads every line and its note."""
    from budgets import imports

    partnership, year = service()
    councils = list(selectors.councils_of(partnership=partnership))
    columns = imports.expected_columns(layout, councils)
    empty = imports.parse(
        _csv([["Unrelated"], ["x"]]), filename="a.csv", layout=layout, budget_year=year, councils=councils
    )
    missing = [re.match(r"A column called “(.+)” is missing", e.message).group(1) for e in empty.errors]
    assert sorted(missing) == sorted(columns.required + columns.per_council)

    header = columns.required + columns.per_council + columns.optional
    row = {
        "Agency": "Police",
        "Council": councils[0].short_name,
        "Staffing costs": "100",
        "Total": "100",
        "Note": "From the file",
        f"{councils[0].short_name} cash": "100",
    }
    parsed = imports.parse(
        _csv([header, [row.get(name, "") for name in header]]),
        filename="a.csv",
        layout=layout,
        budget_year=year,
        councils=councils,
    )
    assert parsed.errors == []
    assert [(i.agency, i.note) for i in parsed.inputs][0] == ("police", "From the file")
    first = parsed.inputs[0]
    assert (first.cash if layout == "joint" else first.staffing_costs) == D("100.00")
