"""Hostile uploads: files that lie about their kind, too big, too long, too wide, and XLSX "zip bombs".

The bombs are refused in a separate process whose time and memory are measured: refusal under 2 s and
peak memory growth under 50 MB (tracemalloc for Python's allocations, getrusage for the whole process).
"""

from __future__ import annotations

import io
import json
import random
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.security.forms import forms_in
from tests.yjplan.test_authorization_matrix import PARTNERSHIP_URLS, _url
from yjplan.permissions import Role
from yjplan.tabular import MB, TableError, read_table

ROOT = Path(__file__).resolve().parents[2]
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

MEASURE = """
import json, resource, sys, time, tracemalloc
import openpyxl, pandas  # imported before measuring: their size is not the upload's doing
from yjplan.tabular import TableError, read_table
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
started = time.perf_counter()
try:
    read_table(data, filename="budget.xlsx", max_bytes=20 * 1024 * 1024, max_rows=250_000)
    message = None
except TableError as error:
    message = str(error)
seconds = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1]
growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"seconds": seconds, "peak_mb": peak / 2**20, "rss_growth_mb": growth / 1024, "message": message}))
"""


def workbook_with_sheet(sheet_xml_chunks) -> bytes:
    """A real workbook (made by openpyxl) whose first sheet's XML is replaced, written chunk by chunk."""
    book = Workbook()
    book.active.append(["Agency"])
    original = io.BytesIO()
    book.save(original)
    out = io.BytesIO()
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                replaced = zipfile.ZipInfo(info.filename)
                replaced.compress_type = zipfile.ZIP_DEFLATED
                with target.open(replaced, "w") as sheet:
                    for chunk in sheet_xml_chunks:
                        sheet.write(chunk)
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


def _rows(count, cell):
    yield f'<worksheet xmlns="{NS}"><sheetData>'.encode()
    for start in range(1, count + 1, 1000):
        yield "".join(cell(i) for i in range(start, min(start + 1000, count + 1))).encode()
    yield b"</sheetData></worksheet>"


def deflate_bomb() -> bytes:
    """100 MB of spaces inside the sheet: a few hundred KB on disk."""
    return workbook_with_sheet(
        [f'<worksheet xmlns="{NS}"><sheetData>'.encode(), *[b" " * MB] * 100, b"</sheetData></worksheet>"]
    )


def lying_bomb() -> bytes:
    """The same bomb with its sheet's sizes rewritten to 1 KB in the local header and the central directory."""
    data = bytearray(deflate_bomb())
    name = b"xl/worksheets/sheet1.xml"
    local = data.find(b"PK\x03\x04" + data[4:4])  # first local header
    while local != -1:
        if data[local + 30 : local + 30 + len(name)] == name:
            struct.pack_into("<I", data, local + 22, 1024)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        if data[central + 46 : central + 46 + len(name)] == name:
            struct.pack_into("<I", data, central + 24, 1024)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def wide_bomb() -> bytes:
    """20,000 rows, each with one cell in column XFD: 250 KB, but 327 million cells once openpyxl fills the gaps."""
    rng = random.Random(9)
    return workbook_with_sheet(
        _rows(20_000, lambda i: f'<row r="{i}"><c r="XFD{i}"><v>{rng.randint(0, 10**9)}</v></c></row>')
    )


def _measure(tmp_path, data: bytes) -> dict:
    path = tmp_path / "upload.xlsx"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (deflate_bomb, "The Excel file expands to far more data than a table holds: refused"),
        (lying_bomb, "The file is not a valid Excel (.xlsx) file"),
        (wide_bomb, "The file has more than 200 columns"),
    ],
    ids=["deflate", "lying-sizes", "wide"],
)
def test_zip_bombs_are_refused_quickly_with_memory_bounded(make, message, tmp_path):
    data = make()
    assert len(data) < 2 * MB
    result = _measure(tmp_path, data)
    print(
        f"\n{make.__name__}: {len(data) // 1024} KB refused in {result['seconds']:.2f} s, "
        f"peak {result['peak_mb']:.1f} MB traced, {result['rss_growth_mb']:.1f} MB RSS growth"
    )
    assert result["message"] == message
    assert result["seconds"] < 2
    assert result["peak_mb"] < 50
    assert result["rss_growth_mb"] < 50


def test_cells_without_references_count_towards_the_cell_limit():
    data = workbook_with_sheet(_rows(1, lambda i: "<row>" + "<c><v>1</v></c>" * 100 + "</row>"))
    with pytest.raises(TableError) as error:
        read_table(data, filename="a.xlsx", max_cells=99)
    assert str(error.value) == "The file has more than 99 cells"


def test_a_csv_too_wide_is_refused_before_pandas_reads_it():
    with pytest.raises(TableError) as error:
        read_table(b",".join([b"a"] * 250_000) + b"\n1\n", filename="wide.csv")
    assert str(error.value) == "The file has more than 200 columns"
    assert list(read_table(b'"a,b",c\n1,2\n', filename="ok.csv").columns) == ["a,b", "c"]


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run in DOS mode"
)
HTML = b"<html><body><table><tr><td>Agency</td></tr><tr><td><script>alert(1)</script></td></tr></table></body></html>"
NOT_XLSX = "The file is called .xlsx but is not an Excel workbook"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (HTML, "budget.xlsx", NOT_XLSX),
        (b"Agency,Staffing costs\nPolice,1000\n", "budget.xlsx", NOT_XLSX),
        (EXE, "budget.xlsx", "The file must be a CSV or an Excel (.xlsx) file"),
        (EXE, "budget.csv", "The file must be a CSV or an Excel (.xlsx) file"),
        (b"%PDF-1.7\n%\xe2\xe3\n", "budget.csv", "The file must be a CSV or an Excel (.xlsx) file"),
        (_docx(), "budget.xlsx", "The file is not an Excel (.xlsx) workbook"),
        (b"Agency\nPolice\n", "budget.exe", "The file must be a CSV or an Excel (.xlsx) file"),
        (b"\xff\xfe\x00\x00garbage", "budget.csv", "The file must be a CSV or an Excel (.xlsx) file"),
    ],
    ids=[
        "html-as-xlsx",
        "csv-as-xlsx",
        "exe-as-xlsx",
        "exe-as-csv",
        "pdf-as-csv",
        "docx-as-xlsx",
        "exe-name",
        "binary",
    ],
)
def test_files_are_judged_by_their_content(data, name, message):
    with pytest.raises(TableError) as error:
        read_table(data, filename=name)
    assert str(error.value) == message


IMPORTS = {
    "budgets:import": "The file must be smaller than 5 MB",
    "actions:import_upload": None,
    "performance:import": None,
}


def _post_upload(client, world, name, upload):
    expect = PARTNERSHIP_URLS[name]
    url = _url(name, expect, world)
    forms = forms_in(client.get(url).content.decode(), url)
    form = next(f for f in forms if f.method == "post" and any(field.type == "file" for field in f.fields))
    data = {k: v[0] for k, v in form.data({}).items()}
    file_field = next(f.name for f in form.fields if f.type == "file")
    return client.post(form.action, {**data, file_field: upload})


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_every_import_page_answers_hostile_files_with_a_message(name, world, client):
    client.force_login(world["members"][Role.MANAGER].user)
    cases = [
        (SimpleUploadedFile("budget.xlsx", HTML), NOT_XLSX),
        (SimpleUploadedFile("budget.xlsx", EXE), "The file must be a CSV or an Excel (.xlsx) file"),
        (SimpleUploadedFile("budget.xlsx", lying_bomb()), "The file is not a valid Excel (.xlsx) file"),
        (SimpleUploadedFile("budget.xlsx", wide_bomb()), "The file has more than 200 columns"),
        (SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * (6 * MB // 4)), "The file must be smaller than"),
    ]
    if name == "actions:import_upload":
        rows = b"Ref,Action\n" + b"".join(b"A%d,Do %d\n" % (i, i) for i in range(1001))
        cases.append((SimpleUploadedFile("long.csv", rows), "The file has more than 1,000 rows"))
    for upload, message in cases:
        if name == "performance:import" and upload.name == "big.csv":
            upload = SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * (21 * MB // 4))
        response = _post_upload(client, world, name, upload)
        assert response.status_code == 200, (name, upload.name)
        assert message in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'"), (name, upload.name)
    assert reverse("dashboard", kwargs={"slug": world["own"].slug})
