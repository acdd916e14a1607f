"""Uploaded spreadsheets are checked by content, size and shape before anything reads them as data."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from yjplan.tabular import (
    CellError,
    TableError,
    discard_stash,
    load_stash,
    map_columns,
    read_table,
    spreadsheet_row,
    stash_upload,
)


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messages(error: TableError) -> list[str]:
    return [str(e) for e in error.errors]


def test_csv_and_xlsx_read_to_the_same_strings():
    rows = [["Agency", "Staffing costs", "Note"], ["Police", "1,234", ""], ["", "", ""], ["Health", "-", "in kind"]]
    from_csv = read_table("\n".join(",".join(f'"{c}"' for c in r) for r in rows).encode(), filename="b.csv")
    from_xlsx = read_table(xlsx(rows), filename="b.xlsx")
    assert from_csv.values.tolist() == [["Police", "1,234", ""], ["Health", "-", "in kind"]]
    assert from_xlsx.values.tolist() == from_csv.values.tolist()
    assert list(from_xlsx.columns) == ["Agency", "Staffing costs", "Note"]
    assert [spreadsheet_row(i) for i in from_csv.index] == [2, 4]


def test_windows_csv_with_a_pound_sign_is_read():
    frame = read_table('Agency,Amount\nPolice,"£1,234"\n'.encode("cp1252"))
    assert frame.values.tolist() == [["Police", "£1,234"]]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "The file is empty"),
        (b"%PDF-1.7 not a table", "a.pdf", "The file must be a CSV or an Excel (.xlsx) file"),
        (b"Agency,Amount\nPolice,1\n", "a.docx", "The file must be a CSV or an Excel (.xlsx) file"),
        (b"Agency,Amount\nPolice,1\n", "a.xlsx", "The file is called .xlsx but is not an Excel workbook"),
        (b"Agency,Amount\n", "a.csv", "The file has a header but no rows"),
        (b"PK\x03\x04 broken zip", "a.xlsx", "The file is not a valid Excel (.xlsx) file"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, name, message):
    with pytest.raises(TableError) as error:
        read_table(data, filename=name)
    assert messages(error.value) == [message]


def test_files_too_large_or_too_long_are_refused():
    with pytest.raises(TableError) as error:
        read_table(b"a,b\n" + b"1,2\n" * 10, max_bytes=20)
    assert messages(error.value) == ["The file must be smaller than 20 bytes"]
    with pytest.raises(TableError) as error:
        read_table(b"a,b\n" + b"1,2\n" * 11, max_rows=10)
    assert messages(error.value) == ["The file has more than 10 rows"]


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (70 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    with pytest.raises(TableError) as error:
        read_table(data, filename="bomb.xlsx")
    assert messages(error.value) == ["The Excel file expands to far more data than a table holds: refused"]


def test_columns_are_mapped_through_aliases_and_missing_ones_named():
    frame = read_table(b"AGENCY ,Staffing costs (\xc2\xa3),Payments in kind\nPolice,1,2\n")
    aliases = {
        "agency": ["Agency"],
        "staffing": ["Staffing costs", "staffing"],
        "in_kind": ["Payments in kind"],
        "other": ["Other delegated funds"],
    }
    found, errors = map_columns(frame, aliases, required=["agency", "staffing", "other"])
    assert found == {"agency": "AGENCY", "staffing": "Staffing costs (£)", "in_kind": "Payments in kind"}
    assert [str(e) for e in errors] == ["Row 1: A column called “Other delegated funds” is missing"]


def test_cell_error_wording():
    assert str(CellError(7, "Staffing costs", "Enter an amount")) == "Row 7, column “Staffing costs”: Enter an amount"
    assert str(CellError(None, None, "The file is empty")) == "The file is empty"


def test_stash_is_bound_to_the_partnership_and_person(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    token = stash_upload(data=b"a,b\n1,2\n", filename="budget.csv", partnership_id=1, user_id=2)
    assert load_stash(token, partnership_id=1, user_id=2) == (b"a,b\n1,2\n", "budget.csv")
    for p, u in ((1, 3), (9, 2)):
        with pytest.raises(TableError):
            load_stash(token, partnership_id=p, user_id=u)
    with pytest.raises(TableError):
        load_stash(token + "x", partnership_id=1, user_id=2)
    discard_stash(token)
    with pytest.raises(TableError):
        load_stash(token, partnership_id=1, user_id=2)
