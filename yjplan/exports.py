"""CSV and XLSX downloads formatted as finance officers and board members expect.

Text cells that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are prefixed with an apostrophe, so an export can never carry a formula injection.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list]
    money_columns: set[int] = field(default_factory=set)  # 0-based column indexes holding money
    total_rows: set[int] = field(default_factory=set)  # 0-based indexes into rows that are totals (bold)
    widths: dict[int, int] = field(default_factory=dict)


def attachment(filename: str) -> str:
    """A Content-Disposition for a download whose name people typed (quotes, line breaks, any letters)."""
    return content_disposition_header(True, " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", filename).split()))


def csv_response(filename: str, header: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(filename)
    response.write("\ufeff")  # so Excel opens UTF-8 (and the £ sign) correctly
    writer = csv.writer(response)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return response


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", sheet.title)[:31])
        ws.append([safe_cell(h) for h in sheet.header])
        for cell in ws[1]:
            cell.font = bold
        for index, row in enumerate(sheet.rows):
            ws.append([float(v) if isinstance(v, Decimal) else safe_cell(v) for v in row])
            excel_row = ws.max_row
            for col in sheet.money_columns:
                ws.cell(row=excel_row, column=col + 1).number_format = MONEY_FORMAT
            if index in sheet.total_rows:
                for cell in ws[excel_row]:
                    cell.font = bold
        ws.freeze_panes = "A2"
        for col in range(1, len(sheet.header) + 1):
            ws.column_dimensions[get_column_letter(col)].width = sheet.widths.get(col - 1, 18)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: list[Sheet]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response
