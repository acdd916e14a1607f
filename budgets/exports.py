"""The budget as a spreadsheet, in either layout, with currency formatting and a totals row."""

from __future__ import annotations

from yjplan.exports import Sheet

YJB_HEADER = ["Agency", "Staffing costs", "Payments in kind", "Other delegated funds", "Total"]


def yjb_rows(table: dict) -> tuple[list[str], list[list], set[int]]:
    """One row per line (with its council in a joint service), then the totals row."""
    header = list(YJB_HEADER)
    if table["joint"]:
        header.insert(1, "Council")
    rows = []
    for line in table["lines"]:
        name = line["label"].rsplit(", ", 1)[0] if table["joint"] and line["council"] else line["label"]
        cells = [name, line["staffing"], line["in_kind"], line["other"], line["total"]]
        if table["joint"]:
            cells.insert(1, line["council"])
        rows.append(cells)
    totals = table["totals"]
    total_row = ["Total", totals["staffing"], totals["in_kind"], totals["other"], totals["total"]]
    if table["joint"]:
        total_row.insert(1, "")
    rows.append(total_row)
    offset = 2 if table["joint"] else 1
    return header, rows, set(range(offset, offset + 4))


def joint_header(table: dict) -> list[str]:
    header = ["Agency"]
    for council in table["councils"]:
        header += [f"{council['short_name']} cash", f"{council['short_name']} in kind"]
    return header + ["Total"]


def joint_rows(table: dict) -> tuple[list[str], list[list], set[int]]:
    header = joint_header(table)
    width = len(table["councils"])
    rows = []
    for row in table["rows"]:
        cells = [row["label"]]
        for cell in row["cells"][:width]:
            cells += [cell["cash"], cell["in_kind"]]
        rows.append(cells + [row["total"]])
    total_row = ["Total"]
    for cell in table["council_totals"][:width]:
        total_row += [cell["cash"], cell["in_kind"]]
    rows.append(total_row + [table["totals"]["total"]])
    return header, rows, set(range(1, len(header)))


def budget_sheet(table: dict, layout: str) -> Sheet:
    header, rows, money = (joint_rows if layout == "joint" else yjb_rows)(table)
    title = f"Budget {table['label'].replace('/', '-')}"
    return Sheet(
        title=title,
        header=header,
        rows=rows,
        money_columns=money,
        total_rows={len(rows) - 1},
        widths={0: 34},
    )


def filename(table: dict, layout: str, fmt: str, slug: str) -> str:
    return f"{slug}-budget-{table['label'].replace('/', '-')}-{layout}.{fmt}"
