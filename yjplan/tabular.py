"""Reading uploaded spreadsheets safely, and the preview-then-confirm pattern every import uses.

``read_table`` checks an upload by its content (not its name), its size, the uncompressed size of an
XLSX (a "zip bomb" is refused before openpyxl opens it), its width and cell count (each sheet's XML is
streamed and counted first) and its row count, then reads it with pandas
into a DataFrame of strings with normalised headers. Every problem is a ``CellError`` naming the row
and column as the person sees them in their spreadsheet (header = row 1).

``stash_upload`` keeps the uploaded bytes in Django's storage between the preview and the confirm,
behind a signed token bound to the partnership and the person, so a confirm re-reads exactly the file
that was previewed and nothing is held in a process's memory.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

MB = 1024 * 1024
XLSX_MAX_UNCOMPRESSED = 60 * MB
XLSX_MAX_RATIO = 120
MAX_COLUMNS = 200
MAX_CELLS = 3_000_000
# a cell's start tag (any namespace prefix) and the column letters of its reference
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
CELL_COLUMN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=[\"']([A-Za-z]{1,3})[0-9]+[\"']")
STASH_MAX_AGE = 60 * 60


@dataclass(frozen=True)
class CellError:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column “{self.column}”")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class TableError(Exception):
    """The file as a whole cannot be read; ``errors`` says why."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def normalise_header(text) -> str:
    text = str(text or "").replace("£", " ").replace("&", " and ")
    text = re.sub(r"[^0-9a-z]+", " ", text.lower())
    return " ".join(text.split())


def _size(n: int) -> str:
    if n >= MB:
        return f"{n // MB} MB"
    return f"{n // 1024} KB" if n >= 1024 else f"{n} bytes"


def _kind(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if b"\x00" in data[:4096] or data[:4] in (b"%PDF", b"\xd0\xcf\x11\xe0"):
        return "other"
    return "csv"


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _check_sheet(stream, *, max_columns: int, max_cells: int) -> None:
    """Stream one worksheet's XML: refuse a sheet with cells beyond ``max_columns`` or more than ``max_cells``.

    openpyxl fills the gap before a cell in column XFD with 16,000 empty ones, so a tiny sheet could
    otherwise become hundreds of millions of cells in memory.
    """
    cells, tail = 0, b""
    while chunk := stream.read(MB):
        text = tail + chunk
        end = text.rfind(b">") + 1
        if end == 0 and len(text) > MB:
            raise TableError([CellError(None, None, "The Excel file's sheet is not a table")])
        text, tail = text[:end], text[end:]
        cells += len(CELL_TAG.findall(text))
        columns = CELL_COLUMN.findall(text)
        widest = _column_number(max(columns, key=lambda c: (len(c), c.upper()))) if columns else 0
        if widest > max_columns:
            raise TableError([CellError(None, None, f"The file has more than {max_columns} columns")])
        if cells > max_cells:
            raise TableError([CellError(None, None, f"The file has more than {max_cells:,} cells")])


def _check_xlsx(data: bytes, *, max_columns: int = MAX_COLUMNS, max_cells: int = MAX_CELLS) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TableError([CellError(None, None, "The file is not a valid Excel (.xlsx) file")]) from None
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise TableError([CellError(None, None, "The file is not an Excel (.xlsx) workbook")])
    total = sum(info.file_size for info in archive.infolist())
    packed = max(1, sum(info.compress_size for info in archive.infolist()))
    if total > XLSX_MAX_UNCOMPRESSED or total / packed > XLSX_MAX_RATIO:
        raise TableError([CellError(None, None, "The Excel file expands to far more data than a table holds: refused")])
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            try:
                with archive.open(info) as stream:
                    _check_sheet(stream, max_columns=max_columns, max_cells=max_cells)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
                raise TableError([CellError(None, None, "The file is not a valid Excel (.xlsx) file")]) from None


def _check_csv_width(text: str, max_columns: int, lines: int) -> None:
    """Refuse a CSV whose first ``lines`` lines (the header among them) have more than ``max_columns`` fields,
    before pandas makes each one a column (later rows wider than the header are a parse error)."""
    for line in text.split("\n", lines)[:lines]:
        if line.count(",") + 1 > max_columns and len(next(csv.reader([line]), [])) > max_columns:
            raise TableError([CellError(None, None, f"The file has more than {max_columns} columns")])


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError([CellError(None, None, "The CSV file is not readable text (save it as UTF-8 CSV)")])


def read_table(
    data: bytes,
    *,
    filename: str = "",
    max_bytes: int = 5 * MB,
    max_rows: int = 20_000,
    header_row: int | None = None,
    max_columns: int = MAX_COLUMNS,
    max_cells: int = MAX_CELLS,
):
    """Read CSV or XLSX bytes into a DataFrame of stripped strings (blank cells are "")."""
    import pandas as pd

    if len(data) == 0:
        raise TableError([CellError(None, None, "The file is empty")])
    if len(data) > max_bytes:
        raise TableError([CellError(None, None, f"The file must be smaller than {_size(max_bytes)}")])
    kind = _kind(data)
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if kind == "other" or suffix not in ("", "csv", "xlsx", "txt"):
        raise TableError([CellError(None, None, "The file must be a CSV or an Excel (.xlsx) file")])
    if suffix == "xlsx" and kind != "xlsx":
        raise TableError([CellError(None, None, "The file is called .xlsx but is not an Excel workbook")])
    try:
        if kind == "xlsx":
            _check_xlsx(data, max_columns=max_columns, max_cells=max_cells)
            frame = pd.read_excel(
                io.BytesIO(data), dtype=str, header=header_row or 0, engine="openpyxl", nrows=max_rows + 1
            )
        else:
            text = _decode(data)
            _check_csv_width(text, max_columns, (header_row or 0) + 1)
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                header=header_row or 0,
                keep_default_na=False,
                skip_blank_lines=True,
                nrows=max_rows + 1,
            )
    except TableError:
        raise
    except Exception as error:  # noqa: BLE001 - pandas and openpyxl raise many kinds; all mean "unreadable"
        raise TableError(
            [CellError(None, None, f"The file could not be read as a table ({type(error).__name__})")]
        ) from None
    frame = frame.fillna("").astype(str).apply(lambda col: col.str.strip())
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[~(frame == "").all(axis=1)]
    if frame.empty:
        raise TableError([CellError(None, None, "The file has a header but no rows")])
    if len(frame) > max_rows:
        raise TableError([CellError(None, None, f"The file has more than {max_rows:,} rows")])
    return frame


def spreadsheet_row(index: int, header_row: int | None = None) -> int:
    """The row number a person sees in their spreadsheet for a DataFrame index (header is row 1)."""
    return int(index) + (header_row or 0) + 2


def map_columns(frame, aliases: dict[str, list[str]], required: list[str]) -> tuple[dict[str, str], list[CellError]]:
    """Match the file's headers to canonical names through aliases; report missing or repeated columns."""
    found: dict[str, str] = {}
    errors: list[CellError] = []
    lookup = {normalise_header(alias): name for name, names in aliases.items() for alias in [name, *names]}
    for header in frame.columns:
        name = lookup.get(normalise_header(header))
        if name is None:
            continue
        if name in found:
            errors.append(CellError(1, header, f"This column repeats “{found[name]}”"))
        else:
            found[name] = header
    for name in required:
        if name not in found:
            errors.append(
                CellError(1, None, f"A column called “{aliases[name][0] if aliases[name] else name}” is missing")
            )
    return found, errors


def stash_upload(*, data: bytes, filename: str, partnership_id: int, user_id: int) -> str:
    """Keep an upload between preview and confirm; returns a signed token."""
    path = default_storage.save(f"imports/{uuid.uuid4().hex}", ContentFile(data))
    return signing.dumps({"path": path, "name": filename, "p": partnership_id, "u": user_id}, salt="yjplan.stash")


def load_stash(token: str, *, partnership_id: int, user_id: int) -> tuple[bytes, str]:
    """The stashed bytes and file name, only for the same partnership and person, within an hour."""
    try:
        payload = signing.loads(token, salt="yjplan.stash", max_age=STASH_MAX_AGE)
    except signing.BadSignature:
        raise TableError([CellError(None, None, "The preview has expired: upload the file again")]) from None
    if payload.get("p") != partnership_id or payload.get("u") != user_id or not default_storage.exists(payload["path"]):
        raise TableError([CellError(None, None, "The preview has expired: upload the file again")])
    with default_storage.open(payload["path"], "rb") as handle:
        return handle.read(), payload["name"]


def discard_stash(token: str) -> None:
    try:
        payload = signing.loads(token, salt="yjplan.stash", max_age=STASH_MAX_AGE)
    except signing.BadSignature:
        return
    default_storage.delete(payload["path"])
